"""Benchmark of the embedded search backend on a synthetic catalogue (see `bench.catalogue`).

Run: ``.venv/bin/python -m bench.search`` (100,000 records, 3 runs; about 5 minutes).
Options: ``--records N``, ``--runs N``, ``--queries N``, ``--no-store`` (index straight from
the generator instead of going through the SQLite store).

Prints, as medians over runs: the build of the index from the store, the incremental sync of
1,000 changed records, search latency (6 facets, top 20, 1–3 word queries drawn from the
catalogue's own vocabulary, frequent and rare words, one in five with a typo), browsing
latency (empty query, all facets), peak RSS and the database file size. Targets from issue 3
are printed beside each figure.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from bench.catalogue import synthetic_records, vocabulary
from indexer.search.embedded import EmbeddedSearch
from indexer.search.protocol import FACET_FIELDS
from schemas.record import Record

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


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _changed(records: Iterable[Record], run: int) -> list[Record]:
    changed = []
    for record in records:
        description = next(iter(record.descriptions.values()), None)
        update = {"name": f"{record.name} v{run + 2}"}
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
    options = parser.parse_args(argv)

    directory = Path(tempfile.mkdtemp(prefix="codereuse-bench-"))
    database = directory / "codereuse.db"
    url = f"sqlite:///{database}"
    started = time.perf_counter()
    store = None
    if options.no_store:
        source: Callable[[], Iterable[Record]] = lambda: synthetic_records(options.records)  # noqa: E731
        backend = EmbeddedSearch(url, source)
        seq: Callable[[], int] | None = None
    else:
        from indexer.store import create_store

        store = create_store(url)
        batch: list[Record] = []
        for record in synthetic_records(options.records):
            batch.append(record)
            if len(batch) == 1000:
                store.upsert_records(batch)
                batch = []
        if batch:
            store.upsert_records(batch)
        backend = EmbeddedSearch(url, store.iter_records, store.latest_change_seq)
        seq = store.latest_change_seq
    print(
        f"catalogue of {options.records:,} records written in {time.perf_counter() - started:.1f} s"
        f" ({'generator' if options.no_store else 'store'})",
        file=sys.stderr,
    )
    del seq

    builds = [_timed(backend.rebuild) for _ in range(options.runs)]

    updates = []
    sample = list(synthetic_records(min(options.records, 20_000)))
    for run in range(options.runs):
        changed = _changed(sample[run * 1000 + 500 : run * 1000 + 1500], run)
        if store is not None:
            store.upsert_records(changed)
            updates.append(_timed(lambda: backend.sync_from_store(store)))
        else:
            updates.append(_timed(lambda changed=changed: backend.upsert(changed)))
    first = _timed(lambda: backend.search("verwaltung", facets=SEARCH_FACETS))

    queries = query_mix(options.queries)
    search_p50, search_p95, browse_p95, browse_p50 = [], [], [], []
    for _ in range(options.runs):
        latencies = [_timed(lambda q=q: backend.search(q, facets=SEARCH_FACETS)) for q in queries]
        search_p50.append(_percentile(latencies, 0.5))
        search_p95.append(_percentile(latencies, 0.95))
        browsing = []
        for page in range(1, 41):
            sort = ("relevance", "last_activity", "name", "-stars")[page % 4]
            browsing.append(
                _timed(
                    lambda p=page, s=sort: backend.search("", facets=FACET_FIELDS, sort=s, page=p)
                )
            )
        browse_p50.append(_percentile(browsing, 0.5))
        browse_p95.append(_percentile(browsing, 0.95))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(path.stat().st_size for path in directory.iterdir()) / 1024 / 1024
    ms = 1000.0
    rows = [
        ("embedded build from the store", f"{statistics.median(builds):.1f} s", "≤ 60 s"),
        (
            "incremental sync of 1,000 changed records",
            f"{statistics.median(updates):.2f} s",
            "≤ 2 s",
        ),
        (
            "search, 6 facets, top 20: p50",
            f"{statistics.median(search_p50) * ms:.1f} ms",
            "≤ 15 ms",
        ),
        (
            "search, 6 facets, top 20: p95",
            f"{statistics.median(search_p95) * ms:.1f} ms",
            "≤ 50 ms",
        ),
        (
            "browse, empty query, all facets: p50",
            f"{statistics.median(browse_p50) * ms:.1f} ms",
            "",
        ),
        (
            "browse, empty query, all facets: p95",
            f"{statistics.median(browse_p95) * ms:.1f} ms",
            "≤ 50 ms",
        ),
        ("first search after a write (reload)", f"{first * ms:.0f} ms", ""),
        ("peak RSS", f"{peak:.0f} MB", "≤ 600 MB"),
        ("database file (store + index)", f"{size:.0f} MB", ""),
    ]
    print(
        f"\n{options.records:,} records, {options.queries} queries, medians over {options.runs} runs\n"
    )
    print(f"| {'measure':<44} | {'result':>10} | {'target':<9} |")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 11}|")
    for name, value, target in rows:
        print(f"| {name:<44} | {value:>10} | {target:<9} |")
    backend.close()
    if store is not None:
        store.close()


if __name__ == "__main__":
    main()
