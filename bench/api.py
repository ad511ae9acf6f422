"""Benchmark of the HTTP API and pages on the 100,000-record synthetic catalogue, over loopback.

Run: ``.venv/bin/python -m bench.api`` (builds the catalogue of `bench.catalogue` in a
temporary SQLite store and its embedded index, then starts ``uvicorn`` in a subprocess).
Options: ``--records N``, ``--runs N``, ``--queries N``, ``--database PATH`` (reuse a built
catalogue; it is built there when missing).

Prints, as medians over runs: ``GET /api/v1/software?q=…`` latency (6 facets, top 20, the
search benchmark's query mix) p50/p95; the HTML search page ``GET /?q=…`` p50/p95; the HTML
software page ``GET /software/…`` p50/p95 (records the searches found, with similar software,
measured once its index is built); the full
CSV and Parquet exports (time to the last byte, bytes) and the server's peak RSS during each
export (a fresh server per export, VmHWM from /proc). Targets from issue 5 are printed beside.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.catalogue import fill_store
from bench.search import SEARCH_FACETS, query_mix


def server_app() -> Any:
    """The app over the store and index at CODEREUSE_DATABASE_URL (uvicorn ``--factory``)."""
    from api.app import create_app
    from cli.serve_command import forget_kept_answers
    from indexer.store import create_store
    from schemas.settings import load_settings

    settings = load_settings()
    store = create_store(settings.database_url)
    # As `codereuse serve` does: answers kept by an earlier server (in the file beside the
    # store) would make every request of this one a hit.
    forget_kept_answers(settings, store)
    return create_app(settings, store=store, search=_search_backend(settings, store))


def _search_backend(settings: Any, store: Any) -> Any:
    from indexer.search.factory import create_search_backend

    return create_search_backend(settings, store)


def build_catalogue(database: Path, records: int) -> None:
    """Write the synthetic catalogue into a new store at `database` and build its index."""
    from indexer.store import create_store
    from schemas.settings import load_settings

    database.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{database}"
    store = create_store(url)
    fill_store(store, records)
    backend = _search_backend(load_settings(database_url=url), store)
    backend.rebuild()
    store.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(database: Path) -> Iterator[tuple[str, int]]:
    """uvicorn serving `database` in a subprocess; yields (base URL, pid)."""
    port = _free_port()
    env = {**os.environ, "CODEREUSE_DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.api:server_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _latencies(
    client: httpx.Client, request: Callable[[str], httpx.Response], queries: list[str]
) -> list[float]:
    timings = []
    for query in queries:
        start = time.perf_counter()
        response = request(query)
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(
                f"{response.request.url}: {response.status_code} {response.text[:200]}"
            )
    return timings


def _backend_alone(database: Path, queries: list[str], runs: int) -> tuple[float, float]:
    """Median p50 and p95 of the same searches without HTTP, to tell the API's share apart.

    Rebuilds the index first when it is empty (a newer index schema drops the old tables).
    """
    from indexer.store import create_store
    from schemas.settings import load_settings

    url = f"sqlite:///{database}"
    store = create_store(url)
    backend = _search_backend(load_settings(database_url=url), store)
    if backend.search("").total == 0 and store.count_records():
        started = time.perf_counter()
        backend.rebuild()
        print(f"index rebuilt in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if backend.search("verwaltung").total == 0:
        raise RuntimeError("the index finds nothing for 'verwaltung'; the figures would be void")
    p50, p95 = [], []
    for _ in range(runs):
        timings = []
        for query in queries:
            start = time.perf_counter()
            backend.search(query, facets=SEARCH_FACETS)
            timings.append(time.perf_counter() - start)
        p50.append(_percentile(timings, 0.5))
        p95.append(_percentile(timings, 0.95))
    store.close()
    return statistics.median(p50), statistics.median(p95)


def _export(base: str, pid: int, form: str) -> tuple[float, int, float]:
    start = time.perf_counter()
    size = 0
    with httpx.stream(
        "GET", f"{base}/api/v1/export", params={"format": form}, timeout=600
    ) as response:
        for chunk in response.iter_bytes():
            size += len(chunk)
    return time.perf_counter() - start, size, peak_rss_mb(pid)


def _software_paths(client: httpx.Client, queries: list[str]) -> list[str]:
    """Software page paths of the searches' first hits; waits for the similar-software index.

    The first software page starts the index build in the server's background; the pages are
    timed once it answers (it is rebuilt only when the catalogue changes).
    """
    paths: list[str] = []
    for query in queries:
        hits = client.get("/api/v1/software", params={"q": query, "per_page": 1}).json()["hits"]
        if hits:
            paths.append(hits[0]["links"]["page"] + "?lang=de")
    if not paths:
        raise RuntimeError("no search found a record; the software page figures would be void")
    deadline = time.monotonic() + 300
    while not any("s-similar" in client.get(path).text for path in paths[:20]):
        if time.monotonic() > deadline:
            raise RuntimeError("the similar-software index was not built within 5 minutes")
        time.sleep(0.5)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", type=Path, default=None)
    options = parser.parse_args(argv)

    database = (
        options.database or Path(tempfile.mkdtemp(prefix="codereuse-bench-api-")) / "codereuse.db"
    )
    if not database.exists():
        started = time.perf_counter()
        build_catalogue(database, options.records)
        print(
            f"catalogue of {options.records:,} records built in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    queries = query_mix(options.queries)
    facets = ",".join(SEARCH_FACETS)
    backend_p50, backend_p95 = _backend_alone(database, queries, options.runs)
    api_p50, api_p95, page_p50, page_p95 = [], [], [], []
    software_p50: list[float] = []
    software_p95: list[float] = []
    with running_server(database) as (base, pid), httpx.Client(base_url=base, timeout=60) as client:
        warm = client.get("/api/v1/software", params={"q": "verwaltung"}).json()
        if not warm["total"]:
            raise RuntimeError("the server's index finds nothing; the figures would be void")
        for _ in range(options.runs):
            timings = _latencies(
                client,
                lambda q: client.get("/api/v1/software", params={"q": q, "facets": facets}),
                queries,
            )
            api_p50.append(_percentile(timings, 0.5))
            api_p95.append(_percentile(timings, 0.95))
            timings = _latencies(
                client, lambda q: client.get("/", params={"q": q, "lang": "de"}), queries
            )
            page_p50.append(_percentile(timings, 0.5))
            page_p95.append(_percentile(timings, 0.95))
        paths = _software_paths(client, queries)
        for _ in range(options.runs):
            timings = _latencies(client, lambda path: client.get(path), paths)
            software_p50.append(_percentile(timings, 0.5))
            software_p95.append(_percentile(timings, 0.95))
        search_rss = peak_rss_mb(pid)
    exports: dict[str, list[tuple[float, int, float]]] = {"csv": [], "parquet": []}
    for _ in range(options.runs):
        for form in exports:
            with running_server(database) as (base, pid):
                exports[form].append(_export(base, pid, form))

    ms = 1000.0
    rows = [
        ("search backend alone, in-process: p50", f"{backend_p50 * ms:.1f} ms", ""),
        ("search backend alone, in-process: p95", f"{backend_p95 * ms:.1f} ms", ""),
        ("GET /api/v1/software?q=… p50", f"{statistics.median(api_p50) * ms:.1f} ms", ""),
        ("GET /api/v1/software?q=… p95", f"{statistics.median(api_p95) * ms:.1f} ms", "≤ 60 ms"),
        ("HTML search page /?q=… p50", f"{statistics.median(page_p50) * ms:.1f} ms", ""),
        ("HTML search page /?q=… p95", f"{statistics.median(page_p95) * ms:.1f} ms", "≤ 80 ms"),
        ("HTML software page p50", f"{statistics.median(software_p50) * ms:.1f} ms", ""),
        ("HTML software page p95", f"{statistics.median(software_p95) * ms:.1f} ms", "≤ 80 ms"),
        ("server peak RSS while searching", f"{search_rss:.0f} MB", ""),
    ]
    for form, results in exports.items():
        rows += [
            (f"full export {form}", f"{statistics.median(r[0] for r in results):.1f} s", "≤ 10 s"),
            (
                f"full export {form}: size",
                f"{statistics.median(r[1] for r in results) / 1e6:.0f} MB",
                "",
            ),
            (
                f"full export {form}: server peak RSS",
                f"{statistics.median(r[2] for r in results):.0f} MB",
                "≤ 400 MB",
            ),
        ]
    print(
        f"\n{options.records:,} records, {options.queries} queries, medians over {options.runs} runs\n"
    )
    print(f"| {'measure':<40} | {'result':>10} | {'target':<9} |")
    print(f"|{'-' * 42}|{'-' * 12}|{'-' * 11}|")
    for name, value, target in rows:
        print(f"| {name:<40} | {value:>10} | {target:<9} |")


if __name__ == "__main__":
    main()
