"""Benchmark of the embedded search backend on a synthetic catalogue (see `bench.catalogue`).

Run: ``.venv/bin/python -m bench.search`` (100,000 records, 3 runs; about 5 minutes).
Options: ``--records N``, ``--runs N``, ``--queries N``, ``--no-store`` (index straight from
the generator instead of going through the SQLite store), ``--database PATH`` (keep the store
there and reuse it on the next run: writing 100,000 records into the store takes minutes),
``--compare-tantivy`` (build Tantivy beside the embedded backend and time both on the same
queries in one process; see `bench.search_compare`; needs ``pip install -e '.[bench]'``),
``--database-url postgresql+psycopg://…`` (the same records and queries with the store on
PostgreSQL and the index in its own file, beside the SQLite store; see `bench.search_stores`).

Every time is given as wall-clock and as CPU time of this process: on a shared machine the
wall clock also counts the time other processes held the CPU.

Prints, as medians over runs: the build of the index from the store, the incremental sync of
1,000 changed records, search latency (6 facets, top 20, 1–3 word queries drawn from the
catalogue's own vocabulary, frequent and rare words, one in five with a typo), browsing
latency (empty query, all facets), peak RSS and the database file size. Targets from issue 3
are printed beside each figure.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.catalogue import synthetic_records, vocabulary
from indexer.search.embedded import EmbeddedSearch
from indexer.search.factory import create_search_backend
from indexer.search.protocol import FACET_FIELDS
from schemas.record import Record
from schemas.settings import Settings

SEARCH_FACETS = (
    "licence",
    "category",
    "organisation",
    "forge",
    "software_type",
    "development_status",
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    position = rng.randint(1, len(word) - 2)
    edit = rng.choice(["swap", "drop", "replace"])
    if edit == "swap":
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if edit == "drop":
        return word[:position] + word[position + 1 :]
    return word[:position] + rng.choice("aeiourstn") + word[position + 1 :]


def query_mix(count: int, seed: int = 11) -> list[str]:
    """`count` queries of 1–3 words from the catalogue vocabulary; one in five has a typo."""
    rng = random.Random(seed)
    words = vocabulary()
    queries = []
    for index in range(count):
        pool = words.german if index % 2 else words.english
        chosen = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            frequent = rng.random() < 0.6
            chosen.append(pool[rng.randint(0, 300)] if frequent else rng.choice(pool))
        if index % 5 == 0:
            at = rng.randrange(len(chosen))
            chosen[at] = _typo(chosen[at], rng)
        queries.append(" ".join(chosen))
    return queries


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """``(wall seconds, CPU seconds)`` spent in `action`."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def _median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def _percentiles(pairs: list[tuple[float, float]], share: float) -> tuple[float, float]:
    return _percentile([p[0] for p in pairs], share), _percentile([p[1] for p in pairs], share)


def _changed(records: Iterable[Record], run: int) -> list[Record]:
    changed = []
    for record in records:
        description = next(iter(record.descriptions.values()), None)
        update = {"name": f"{record.name} v{run + 2}.{time.time_ns()}"}
        if description is not None:
            description = description.model_copy(
                update={"short": f"{description.short} Update {run}"}
            )
            update["descriptions"] = {**record.descriptions, "de": description}
        changed.append(record.model_copy(update=update))
    return changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-store", action="store_true")
    parser.add_argument("--database", type=Path, default=None)
    parser.add_argument("--compare-tantivy", action="store_true")
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args(argv)
    if options.database_url:
        from bench.search_stores import compare_stores

        compare_stores(options, _measure)
        return
    if options.compare_tantivy:
        from bench.search_compare import compare

        compare(options, query_mix(options.queries), SEARCH_FACETS)
        return

    keep = options.database is not None
    directory = (
        options.database.parent if keep else Path(tempfile.mkdtemp(prefix="codereuse-bench-"))
    )
    database = options.database if keep else directory / "codereuse.db"
    directory.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{database}"
    started = time.perf_counter()
    store = None
    if options.no_store:
        source: Callable[[], Iterable[Record]] = lambda: synthetic_records(options.records)  # noqa: E731
        backend = EmbeddedSearch(url, source)
        seq: Callable[[], int] | None = None
    else:
        from bench.catalogue import fill_store
        from indexer.store import create_store

        store = create_store(url)
        fill_store(store, options.records)
        backend = create_search_backend(Settings(database_url=url), store)  # type: ignore[assignment]
        seq = store.latest_change_seq
    print(
        f"catalogue of {options.records:,} records written in {time.perf_counter() - started:.1f} s"
        f" ({'generator' if options.no_store else 'store'})",
        file=sys.stderr,
    )
    del seq
    try:
        _print(options, _measure(options, backend, store, directory, database))
    finally:
        backend.close()
        if store is not None:
            store.close()
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def _measure(
    options: argparse.Namespace,
    backend: EmbeddedSearch,
    store: Any,
    directory: Path,
    database: Path,
) -> list[tuple[str, str, str, str]]:
    """The figures as table rows ``(measure, wall, CPU, target)``, medians over the runs."""

    builds = [_timed(backend.rebuild) for _ in range(options.runs)]

    updates = []
    needed = min(options.records, options.runs * 1000 + 1500)
    sample = list(itertools.islice(synthetic_records(options.records), needed))
    for run in range(options.runs):
        changed = _changed(sample[run * 1000 + 500 : run * 1000 + 1500], run)
        if store is not None:
            store.upsert_records(changed)
            updates.append(_timed(lambda: backend.sync_from_store(store)))
        else:
            updates.append(_timed(lambda changed=changed: backend.upsert(changed)))
    first = _timed(lambda: backend.search("verwaltung", facets=SEARCH_FACETS))[0]

    queries = query_mix(options.queries)
    search_p50, search_p95, browse_p95, browse_p50 = [], [], [], []
    for _ in range(options.runs):
        backend.clear_caches()  # every run starts cold: no term sets cached from the last one
        backend.search("")
        latencies = [_timed(lambda q=q: backend.search(q, facets=SEARCH_FACETS)) for q in queries]
        search_p50.append(_percentiles(latencies, 0.5))
        search_p95.append(_percentiles(latencies, 0.95))
        browsing = []
        for page in range(1, 41):
            sort = ("relevance", "last_activity", "name", "-stars")[page % 4]
            browsing.append(
                _timed(
                    lambda p=page, s=sort: backend.search("", facets=FACET_FIELDS, sort=s, page=p)
                )
            )
        browse_p50.append(_percentiles(browsing, 0.5))
        browse_p95.append(_percentiles(browsing, 0.95))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(
        path.stat().st_size for path in directory.iterdir() if path.name.startswith(database.name)
    )
    index_size = _index_size(database)

    def seconds(pairs: list[tuple[float, float]], digits: int = 1) -> tuple[str, str]:
        wall, cpu = _median(pairs)
        return f"{wall:.{digits}f} s", f"{cpu:.{digits}f} s"

    def millis(pairs: list[tuple[float, float]]) -> tuple[str, str]:
        wall, cpu = _median(pairs)
        return f"{wall * 1000:.1f} ms", f"{cpu * 1000:.1f} ms"

    rows = [
        ("embedded build from the store", *seconds(builds), "≤ 60 s"),
        ("incremental sync of 1,000 changed records", *seconds(updates, 2), "≤ 2 s"),
        ("search, 6 facets, top 20: p50", *millis(search_p50), "≤ 15 ms"),
        ("search, 6 facets, top 20: p95", *millis(search_p95), "≤ 50 ms"),
        ("browse, empty query, all facets: p50", *millis(browse_p50), ""),
        ("browse, empty query, all facets: p95", *millis(browse_p95), "≤ 50 ms"),
        ("first search after a write (reload)", f"{first * 1000:.0f} ms", "", ""),
        ("peak RSS (whole benchmark process)", f"{peak:.0f} MB", "", "≤ 600 MB"),
        ("database file, store + index", f"{size / 2**20:.0f} MB", "", ""),
        ("of which the search index", f"{index_size / 2**20:.0f} MB", "", ""),
    ]
    return rows


def _print(options: argparse.Namespace, rows: list[tuple[str, str, str, str]]) -> None:
    print(
        f"\n{options.records:,} records, {options.queries} queries, "
        f"medians over {options.runs} runs\n"
    )
    print(f"| {'measure':<42} | {'wall':>10} | {'CPU':>10} | {'target':<9} |")
    print(f"|{'-' * 44}|{'-' * 12}|{'-' * 12}|{'-' * 11}|")
    for name, wall, cpu, target in rows:
        print(f"| {name:<42} | {wall:>10} | {cpu:>10} | {target:<9} |")


def _index_size(database: Path) -> int:
    """Bytes the ``search_*`` tables and indexes take (SQLite's dbstat), 0 when unavailable."""
    import sqlite3

    try:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'"
            ).fetchone()
        return int(row[0] or 0)
    except sqlite3.Error:
        return 0


if __name__ == "__main__":
    main()
