"""``bench.search --compare-tantivy``: the embedded backend and Tantivy side by side, one process.

Both engines index the same synthetic records (`bench.catalogue`), converted to search
documents by the same code; the embedded build is `EmbeddedSearch.rebuild` from the record
generator, Tantivy's is one writer commit over the same documents (see `bench.tantivy_peer`).
Then the same queries run interleaved (each query on both engines, which goes first
alternating), each with the exact total, six exact facet counts, highlights of the top 20 and
mirror copies collapsed, so load from other processes hits both alike. All of it is repeated
``--runs`` times on freshly built engines, the engine that builds first alternating between runs
(codereuse first in odd-numbered runs), and medians are printed.

A build is timed as wall clock and as CPU time: of this process (all threads, Tantivy's
indexing threads included) plus its ended child processes (the embedded build's analysis
process), so on a shared machine the CPU figures still compare the work done. The known-item
names are read from the built embedded index afterwards, outside both builds' time.

Relevance, measured on both:

- **known-item MRR**: 200 records whose name no other record (outside its mirror group)
  carries; the query is the name; reciprocal rank of the record in the top 20 (0 beyond);
- **typo MRR**: the same names with one typo (swap, drop or replace, not on the first or last
  letter) in their longest word of at least 5 letters.

Prints a line per run, a table of medians (build wall and CPU time, index size, p50/p95/p99 and
both MRRs) for both engines and ``ratio codereuse/tantivy: p50 R p95 R build R build CPU R``
(medians over runs divided; below 1: codereuse is faster).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.catalogue import synthetic_records
from indexer.search.documents import SearchDocument, search_document
from indexer.search.embedded import EmbeddedSearch

KNOWN_ITEMS = 200
TOP = 20


@dataclass
class Figures:
    """What one engine measured."""

    build: float = 0.0
    build_cpu: float = 0.0
    size: int = 0
    latencies: list[float] = field(default_factory=list)
    known: list[float] = field(default_factory=list)
    typo: list[float] = field(default_factory=list)


@dataclass
class Catalogue:
    """Names seen while building: which are unique, and each record's mirror group."""

    names: Counter[str] = field(default_factory=Counter)
    groups: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, tuple[str, str]] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)

    def note_row(self, record_id: str, key: str, name: str, group: str) -> None:
        """Remember a record's id, name (and its words joined, `key`) and mirror group."""
        self.groups[record_id] = group
        if self.group_names.get(group) != key:
            self.names[key] += 1
            self.group_names[group] = key
        self.by_name[key] = (name, group)

    def known_items(self, count: int, seed: int = 5) -> list[tuple[str, str, str | None]]:
        """``(query, mirror group, query with a typo or None)`` for `count` unique names."""
        from bench.search import _typo

        rng = random.Random(seed)
        unique = sorted(key for key, seen in self.names.items() if seen == 1 and key)
        chosen = rng.sample(unique, min(count, len(unique)))
        items = []
        for key in chosen:
            name, group = self.by_name[key]
            longest = max(name.split(), key=len)
            typo = None
            if len(longest) >= 5:
                changed = _typo(longest, rng)
                if changed != longest:
                    typo = name.replace(longest, changed, 1)
            items.append((name, group, typo))
        return items


def _reciprocal(ids: list[str], group: str, groups: dict[str, str]) -> float:
    for rank, record_id in enumerate(ids[:TOP], start=1):
        if groups.get(record_id) == group:
            return 1.0 / rank
    return 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _cpu_seconds() -> float:
    """CPU time of this process (every thread, Tantivy's indexing threads included) and of its
    child processes that have ended (the embedded build's analysis process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(build: Callable[[], object]) -> tuple[float, float]:
    """``(wall seconds, CPU seconds)`` of `build`, CPU counted as `_cpu_seconds` does."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    build()
    return time.perf_counter() - wall, _cpu_seconds() - cpu


def build_order(run: int) -> tuple[str, str]:
    """Which engine builds first in run `run` (0-based): codereuse in even runs, Tantivy in odd
    ones, so on a shared machine neither always gets the quieter moment."""
    return ("codereuse", "tantivy") if run % 2 == 0 else ("tantivy", "codereuse")


def _catalogue_of(database: Path) -> Catalogue:
    """The known-item catalogue read from a built embedded index (in record order), so taking
    notes costs neither engine's build time."""
    import sqlite3

    catalogue = Catalogue()
    with contextlib.closing(sqlite3.connect(database)) as connection:
        for record_id, key, name, group in connection.execute(
            "SELECT id, name_key, json_extract(data, '$.name'), mirror_group FROM search_doc "
            "ORDER BY rowid"
        ):
            catalogue.note_row(record_id, key, name, group)
    return catalogue


def compare(options: argparse.Namespace, queries: list[str], facets: tuple[str, ...]) -> None:
    """Build both engines `options.runs` times (alternating which goes first), run `queries`
    interleaved on each run's engines, print both engines' medians and ratios."""
    runs = [_run(options, queries, facets, run) for run in range(max(1, options.runs))]
    _print(options, len(queries), runs)


def _run(
    options: argparse.Namespace, queries: list[str], facets: tuple[str, ...], run: int
) -> tuple[Figures, Figures]:
    """One run: both builds (order by `build_order`), the interleaved queries, both MRRs."""
    from bench.tantivy_peer import TantivyPeer

    directory = Path(tempfile.mkdtemp(prefix="codereuse-compare-"))
    database = directory / "index.db"

    def documents() -> Iterator[SearchDocument]:
        return map(search_document, synthetic_records(options.records))

    ours, theirs = Figures(), Figures()
    peer = TantivyPeer(facets)
    embedded = EmbeddedSearch(f"sqlite:///{database}", lambda: synthetic_records(options.records))
    try:
        for engine in build_order(run):
            if engine == "tantivy":
                theirs.build, theirs.build_cpu = timed_build(lambda: peer.build(documents()))
                theirs.size = peer.size()
            else:
                ours.build, ours.build_cpu = timed_build(embedded.rebuild)
        from bench.search import _index_size

        ours.size = _index_size(database)
        catalogue = _catalogue_of(database)
        embedded.search("")

        def run_ours(text: str) -> list[str]:
            return [hit.id for hit in embedded.search(text, facets=facets, per_page=TOP).hits]

        def run_theirs(text: str) -> list[str]:
            return peer.search(text, TOP)[0]

        engines = [(ours, run_ours), (theirs, run_theirs)]
        for position, text in enumerate(queries):
            for figures, search in engines if position % 2 else engines[::-1]:
                start = time.perf_counter()
                search(text)
                figures.latencies.append(time.perf_counter() - start)
        for name, group, typo in catalogue.known_items(KNOWN_ITEMS):
            for figures, search in engines:
                figures.known.append(_reciprocal(search(name), group, catalogue.groups))
                if typo is not None:
                    figures.typo.append(_reciprocal(search(typo), group, catalogue.groups))
    finally:
        embedded.close()
        peer.close()
        shutil.rmtree(directory, ignore_errors=True)
    print(
        f"run {run + 1} ({' first, '.join(build_order(run))} second): build codereuse "
        f"{ours.build:.1f} s ({ours.build_cpu:.1f} s CPU), tantivy {theirs.build:.1f} s "
        f"({theirs.build_cpu:.1f} s CPU); p50 {_percentile(ours.latencies, 0.5) * 1000:.1f} / "
        f"{_percentile(theirs.latencies, 0.5) * 1000:.1f} ms",
        file=sys.stderr,
        flush=True,
    )
    return ours, theirs


def _print(options: argparse.Namespace, count: int, runs: list[tuple[Figures, Figures]]) -> None:
    ours_runs = [ours for ours, _ in runs]
    theirs_runs = [theirs for _, theirs in runs]
    print(
        f"\n{options.records:,} records, {count} queries interleaved, "
        f"{len(ours_runs[0].known)} known items ({len(ours_runs[0].typo)} with a typo); "
        f"medians over {len(runs)} runs, build order alternating\n"
    )
    print(
        "| engine             | build    | build CPU | index    | p50      | p95      | p99      "
        "| known-item MRR | typo MRR |"
    )
    print(
        f"|{'-' * 20}|{'-' * 10}|{'-' * 11}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}"
        f"|{'-' * 16}|{'-' * 10}|"
    )
    for name, figures in (("codereuse embedded", ours_runs), ("tantivy, tuned", theirs_runs)):
        print(
            f"| {name:<18} | {_median(figures, lambda f: f.build):6.1f} s "
            f"| {_median(figures, lambda f: f.build_cpu):7.1f} s "
            f"| {_median(figures, lambda f: f.size) / 2**20:5.0f} MB "
            f"| {_median(figures, lambda f: _percentile(f.latencies, 0.5)) * 1000:5.1f} ms "
            f"| {_median(figures, lambda f: _percentile(f.latencies, 0.95)) * 1000:5.1f} ms "
            f"| {_median(figures, lambda f: _percentile(f.latencies, 0.99)) * 1000:5.1f} ms "
            f"| {_median(figures, lambda f: statistics.fmean(f.known or [0])):14.3f} "
            f"| {_median(figures, lambda f: statistics.fmean(f.typo or [0])):8.3f} |"
        )

    def ratio(measure: Callable[[Figures], float]) -> float:
        return _median(ours_runs, measure) / _median(theirs_runs, measure)

    print(
        f"\nratio codereuse/tantivy: p50 {ratio(lambda f: _percentile(f.latencies, 0.5)):.2f} "
        f"p95 {ratio(lambda f: _percentile(f.latencies, 0.95)):.2f} "
        f"build {ratio(lambda f: f.build):.2f} build CPU {ratio(lambda f: f.build_cpu):.2f}"
    )
    import os

    import tantivy

    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    version = getattr(tantivy, "__version__", "tantivy ?")
    print(f"{version}; load average at the end (1, 5, 15 min): {load}")


def _median(runs: list[Figures], measure: Callable[[Figures], float]) -> float:
    """The median over runs of one engine's `measure`."""
    return statistics.median(measure(figures) for figures in runs)
