"""Throughput and latency of ``codereuse serve`` under a mixed load of 30 clients (issue 9, "Load").

Usage::

    .venv/bin/python -m bench.load [--repositories 3000] [--clients 30] [--duration 20]
        [--warmup 5] [--runs 3] [--workers N] [--with-crawl] [--no-cache]
        [--peer PATH/TO/codereuse]

Builds the synthetic catalogue of `bench.catalogue` (3,000 records, embedded store and index in
one SQLite file), starts ``codereuse serve`` on 127.0.0.1 as a user would (a fresh copy of the
catalogue per run), and drives from this process the mix of `bench.load_driver.SHARES` (search
API 30 %, search page 20 %, software page 25 %, record JSON 5 %, filtered CSV 8 %, full NDJSON
2 %, Atom 7 %, stats 3 %) with `--clients` closed-loop keep-alive clients for `--warmup`
unmeasured seconds, then `--duration` measured ones.

With ``--with-crawl`` a fake GitLab of `--crawl-repositories` repositories (another process,
on 127.0.0.1) is registered, and ``codereuse crawl --full --no-federate`` runs against it again
and again while the load runs; every full listing changes every repository, so each crawl
rewrites all its records and re-indexes them: one writer beside the readers, as in production.
(Federation re-derives every record from stored snapshots; the synthetic catalogue has none,
so it would be tombstoned by the first crawl.)

``--no-cache`` starts the servers with ``CODEREUSE_CACHE_MB=0``: no answer is kept per
catalogue state, so every search, feed and export is computed and the figures show what the
engine does. Without it, the share of answers the server had kept (its ``X-Cache`` header) is
printed per endpoint: the mix draws 500 search phrases and 40 filter values, so a long run
repeats many of them, as real visitors do with popular searches.

``--peer`` names another ``codereuse`` command (for instance an install of an older commit)
measured in the same run, alternating with this one, so both see the same machine load.

Prints, as medians over the runs: requests per second, p50/p95/p99 per endpoint and for the
search and page groups, errors, the peak RSS summed over the server's processes, the server's
CPU time per answered request (in all and by process, to see how the workers share it), the
load average of the machine, and the driver's own CPU share.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_driver import SHARES, Catalogue, drive, hit_rates, summary
from bench.load_server import HOST, ServerWatch, crawling, serving
from bench.search import query_mix

CODEREUSE = Path(sys.executable).parent / "codereuse"
FILTER_NAMES = ("licence", "category", "forge", "organisation", "development_status")


def built_catalogue(command: Path, folder: Path, records: int) -> Path:
    """The synthetic catalogue written by `command`'s own install (its schema revision), once.

    Runs `bench.api.build_catalogue` with the interpreter beside `command` in the checkout that
    holds its ``.venv``, so a peer of an older commit gets a store it can open.
    """
    database = folder / f"codereuse-{records}.db"
    if not database.exists():
        started = time.perf_counter()
        subprocess.run(
            [
                str(command.parent / "python"),
                "-c",
                "import sys; from pathlib import Path; from bench.api import build_catalogue; "
                "build_catalogue(Path(sys.argv[1]), int(sys.argv[2]))",
                str(database),
                str(records),
            ],
            cwd=command.parent.parent.parent,
            check=True,
        )
        print(f"catalogue built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return database


def catalogue_values(database: Path) -> Catalogue:
    """Search words, every record id and the 8 most frequent values of a few filters."""
    from indexer.search.documents import facet_values
    from indexer.store import create_store

    store = create_store(f"sqlite:///{database}")
    ids, counts = [], Counter[tuple[str, str]]()
    for record in store.iter_records():
        ids.append(record.id)
        values = facet_values(record)
        for name in FILTER_NAMES:
            counts.update((name, value) for value in values.get(name, []))
    store.close()
    filters = [
        pair
        for name in FILTER_NAMES
        for pair, _ in Counter({k: v for k, v in counts.items() if k[0] == name}).most_common(8)
    ]
    return Catalogue(queries=query_mix(500), record_ids=ids, filters=filters)


def one_run(
    command: Path, workers: int, source: Path, catalogue: Catalogue, options: argparse.Namespace
) -> dict[str, Any]:
    """One measured run on a fresh copy of the catalogue; the figures of `summary` and more."""
    folder = Path(tempfile.mkdtemp(prefix="codereuse-load-"))
    database = folder / "codereuse.db"
    shutil.copy(source, database)
    crawl: dict[str, int] = {}
    try:
        with (
            serving(command, folder, database, workers, cache=not options.no_cache) as (port, pid),
            (
                crawling(command, folder, database, options.crawl_repositories)
                if options.with_crawl
                else _nothing()
            ) as counts,
        ):
            watch = ServerWatch(pid)
            timer = threading.Timer(options.warmup, watch.mark_start)
            timer.start()
            load_before = os.getloadavg()[0]
            cpu, wall = time.process_time(), time.monotonic()
            outcome = drive(
                HOST, port, catalogue, options.clients, options.warmup, options.duration
            )
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            watch.mark_end()
            watch.stop()
            crawl = dict(counts or {})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "table": summary(outcome, options.duration),
        "rss": watch.peak_rss_mb,
        "cpu_by_process": watch.cpu_by_process,
        "server_cpu": watch.cpu * 1000 / max(1, sum(map(len, outcome.timings.values()))),
        "load": (load_before + os.getloadavg()[0]) / 2,
        "driver_cpu": cpu / wall,
        "examples": outcome.examples,
        "hit_rates": hit_rates(outcome),
        "crawl": crawl,
    }


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _median(runs: list[dict[str, Any]], group: str, column: str) -> float:
    return float(statistics.median(run["table"][group][column] for run in runs))


def report(label: str, runs: list[dict[str, Any]]) -> None:
    """Print the medians over `runs` as a table."""
    print(f"\n{label}: medians over {len(runs)} runs")
    print(
        f"| {'endpoint':<26} | share | {'req/s':>6} | {'p50 ms':>7} | {'p95 ms':>7} | "
        f"{'p99 ms':>7} | errors |"
    )
    print(f"|{'-' * 28}|-------|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 9}|--------|")
    shares = dict(SHARES)
    for group in runs[0]["table"]:
        share = f"{shares[group]} %" if group in shares else ""
        print(
            f"| {group:<26} | {share:>5} | {_median(runs, group, 'req/s'):6.1f} | "
            f"{_median(runs, group, 'p50'):7.0f} | {_median(runs, group, 'p95'):7.0f} | "
            f"{_median(runs, group, 'p99'):7.0f} | {_median(runs, group, 'errors'):6.0f} |"
        )
    print(
        f"peak RSS over the server's processes {statistics.median(r['rss'] for r in runs):.0f} MB; "
        f"machine load average {statistics.median(r['load'] for r in runs):.1f}; "
        f"driver CPU {statistics.median(r['driver_cpu'] for r in runs):.0%} of a core"
    )
    print(
        "server CPU per answered request "
        f"{statistics.median(r['server_cpu'] for r in runs):.1f} ms "
        "(user + system over the server's processes); by process in the last run: "
        + ", ".join(f"{seconds:.1f} s" for seconds in runs[-1]["cpu_by_process"] if seconds > 0.05)
    )
    rates = {name for run in runs for name in run["hit_rates"]}
    if rates:
        print(
            "answers the server had kept (X-Cache: hit), median share: "
            + ", ".join(
                f"{name} {statistics.median(r['hit_rates'].get(name, 0.0) for r in runs):.0%}"
                for name in sorted(rates)
            )
        )
    if runs[0]["crawl"]:
        crawls = [r["crawl"] for r in runs]
        print(f"crawls during the runs: {crawls}")
    examples = [example for run in runs for example in run["examples"]]
    if examples:
        print("example errors:", *examples[:5], sep="\n  ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="passed to serve when > 1")
    parser.add_argument("--with-crawl", action="store_true")
    parser.add_argument(
        "--no-cache", action="store_true", help="serve with CODEREUSE_CACHE_MB=0 (no kept answers)"
    )
    parser.add_argument("--crawl-repositories", type=int, default=3000)
    parser.add_argument("--codereuse", type=Path, default=CODEREUSE)
    parser.add_argument("--peer", type=Path, default=None, help="another codereuse command")
    parser.add_argument(
        "--peer-workers", type=int, default=None, help="--workers for the peer (as --workers)"
    )
    parser.add_argument(
        "--database", type=Path, default=None, help="folder where the catalogues are built once"
    )
    options = parser.parse_args(argv)

    commands = {"this": (options.codereuse, options.workers)}
    if options.peer is not None:
        peer_workers = options.peer_workers or options.workers
        commands = {"peer": (options.peer, peer_workers), **commands}
    folder = options.database or Path(tempfile.gettempdir()) / "codereuse-load"
    sources = {
        label: built_catalogue(command, folder / label, options.repositories)
        for label, (command, _workers) in commands.items()
    }
    catalogue = catalogue_values(sources["this"])
    results: dict[str, list[dict[str, Any]]] = {label: [] for label in commands}
    for run in range(options.runs):
        for label, (command, workers) in commands.items():
            figures = one_run(command, workers, sources[label], catalogue, options)
            results[label].append(figures)
            print(
                f"run {run + 1} {label}: {figures['table']['all']['req/s']:.0f} req/s, "
                f"p95 {figures['table']['all']['p95']:.0f} ms, "
                f"errors {figures['table']['all']['errors']:.0f}, load {figures['load']:.1f}",
                file=sys.stderr,
            )
    print(
        f"\n{options.repositories:,} records, {options.clients} clients, {options.duration:.0f} s "
        f"measured after {options.warmup:.0f} s warm-up"
        + (", a full crawl writing concurrently" if options.with_crawl else "")
        + (", no answers kept (CODEREUSE_CACHE_MB=0)" if options.no_cache else "")
    )
    for label, (command, workers) in commands.items():
        report(f"{label} ({command}, {workers} worker(s))", results[label])
    if options.peer is not None:
        ratio = _median(results["this"], "all", "req/s") / _median(results["peer"], "all", "req/s")
        cpu = statistics.median(r["server_cpu"] for r in results["peer"]) / statistics.median(
            r["server_cpu"] for r in results["this"]
        )
        print(
            f"\nthroughput this / peer: {ratio:.1f}x; server CPU per request peer / this: {cpu:.1f}x"
        )
    print(
        "\ntargets (issue 9): ≥ 300 req/s; search p95 ≤ 100 ms (≤ 200 ms with a crawl); "
        "pages p95 ≤ 150 ms; 0 errors; RSS ≤ 600 MB"
    )


if __name__ == "__main__":
    main()
