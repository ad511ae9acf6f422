"""Server CPU per request of `bench/load.py`'s mix while commits land like a crawl's pages.

Usage::

    .venv/bin/python -m bench.load_commits [--repositories 3000] [--requests 3000]
        [--commit-every 100] [--records-per-commit 100] [--database FOLDER]

`bench/load.py --with-crawl` measures the whole server under 30 clients, and on a shared
machine its figures move with the machine's load and with how warm the caches got. This bench
answers one narrower question reproducibly: how much CPU does the app spend per request when
the store changes under it, against the same requests on a store that does not change? It
builds the app in this process (as ``serve`` does, default settings, on a fresh copy of the
`bench.catalogue` catalogue), sends a fixed sequence of the mix's requests one after another
(`bench.load_driver.Mix`, fixed seed; the first 200 unmeasured, to leave start-up costs out),
and before every `--commit-every`-th request commits `--records-per-commit` changed records
(a crawl page; 0: never). It prints the process's CPU time per request, the commits' own CPU
left out, in all and per endpoint. Run it with the interpreter of another checkout (its
``.venv/bin/python -m bench.load_commits`` in that checkout) for a baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import CODEREUSE, built_catalogue, catalogue_values
from bench.load_driver import Mix

WARM_UP = 200


async def replay(
    database: Path, requests: int, commit_every: int, per_commit: int
) -> tuple[float, int, dict[str, list[float]]]:
    """(CPU seconds the requests took, commits made, CPU seconds per request by endpoint)."""
    import httpx

    from api.app import create_app
    from indexer.store import create_store

    catalogue = catalogue_values(database)
    writer = create_store(f"sqlite:///{database}")
    records = list(writer.iter_records())
    app = create_app()
    mix = Mix(catalogue, 11)
    plan = [mix.next() for _ in range(requests + WARM_UP)]
    by_endpoint: dict[str, list[float]] = {}
    commits, spent = 0, 0.0
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        for _name, path in plan[:WARM_UP]:
            await client.get(path)
        for number, (name, path) in enumerate(plan[WARM_UP:]):
            if commit_every and number % commit_every == 0:
                first = (commits * per_commit) % max(1, len(records) - per_commit)
                changed = [
                    record.model_copy(update={"name": f"{record.name} {commits}"})
                    for record in records[first : first + per_commit]
                ]
                writer.upsert_records(changed)
                commits += 1
            started = time.process_time()
            answer = await client.get(path)
            took = time.process_time() - started
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code}")
            spent += took
            by_endpoint.setdefault(name, []).append(took)
    writer.close()
    return spent, commits, by_endpoint


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--commit-every", type=int, default=100, help="0: no commits")
    parser.add_argument("--records-per-commit", type=int, default=100)
    parser.add_argument(
        "--database", type=Path, default=None, help="folder where the catalogue is built once"
    )
    options = parser.parse_args(argv)
    folder = options.database or Path(tempfile.gettempdir()) / "codereuse-load"
    source = built_catalogue(CODEREUSE, folder / "this", options.repositories)
    work = Path(tempfile.mkdtemp(prefix="codereuse-commits-"))
    database = work / "codereuse.db"
    shutil.copy(source, database)
    os.environ["CODEREUSE_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["CODEREUSE_CONFIG"] = str(work / "codereuse.toml")
    try:
        spent, commits, by_endpoint = asyncio.run(
            replay(database, options.requests, options.commit_every, options.records_per_commit)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{options.requests} requests of the load mix, {commits} commits of "
        f"{options.records_per_commit} records: server CPU per request "
        f"{spent * 1000 / options.requests:.2f} ms"
    )
    print(
        "by endpoint (ms): "
        + ", ".join(
            f"{name} {sum(times) * 1000 / len(times):.1f}"
            for name, times in sorted(by_endpoint.items())
        )
    )


if __name__ == "__main__":
    main()
