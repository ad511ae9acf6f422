"""``bench.search --compare-tantivy``: the embedded backend and Tantivy side by side, one process.

Both engines index the same synthetic records (`bench.catalogue`), converted to search
documents by the same code; the embedded build is `EmbeddedSearch.rebuild` from the record
generator, Tantivy's is one writer commit over the same documents (see `bench.tantivy_peer`).
Then the same queries run interleaved (each query on both engines, which goes first
alternating), each with the exact total, six exact facet counts, highlights of the top 20 and
mirror copies collapsed, so load from other processes hits both alike.

Relevance, measured on both:

- **known-item MRR**: 200 records whose name no other record (outside its mirror group)
  carries; the query is the name; reciprocal rank of the record in the top 20 (0 beyond);
- **typo MRR**: the same names with one typo (swap, drop or replace, not on the first or last
  letter) in their longest word of at least 5 letters.

Prints a table of build time, index size, p50/p95/p99 and both MRRs for both engines and
``ratio codereuse/tantivy: p50 R p95 R build R`` (below 1: codereuse is faster).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.catalogue import synthetic_records
from indexer.search.documents import SearchDocument, search_document
from indexer.search.embedded import EmbeddedSearch
from indexer.search.text import words

KNOWN_ITEMS = 200
TOP = 20


@dataclass
class Figures:
    """What one engine measured."""

    build: float = 0.0
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

    def note(self, document: SearchDocument) -> None:
        """Remember the document's name and mirror group."""
        self.groups[document.id] = document.mirror_group
        key = " ".join(words(document.name))
        if self.group_names.get(document.mirror_group) != key:
            self.names[key] += 1
            self.group_names[document.mirror_group] = key
        self.by_name[key] = (document.name, document.mirror_group)

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


def compare(options: argparse.Namespace, queries: list[str], facets: tuple[str, ...]) -> None:
    """Build both engines, run `queries` interleaved, print both engines' figures and ratios."""
    from bench.tantivy_peer import TantivyPeer

    directory = Path(tempfile.mkdtemp(prefix="codereuse-compare-"))
    database = directory / "index.db"
    catalogue = Catalogue()

    def documents() -> Iterator[SearchDocument]:
        for record in synthetic_records(options.records):
            document = search_document(record)
            catalogue.note(document)
            yield document

    ours, theirs = Figures(), Figures()
    peer = TantivyPeer(facets)
    embedded = EmbeddedSearch(f"sqlite:///{database}", lambda: synthetic_records(options.records))
    try:
        started = time.perf_counter()
        peer.build(documents())
        theirs.build = time.perf_counter() - started
        theirs.size = peer.size()
        started = time.perf_counter()
        embedded.rebuild()
        ours.build = time.perf_counter() - started
        from bench.search import _index_size

        ours.size = _index_size(database)
        embedded.search("")

        def run_ours(text: str) -> list[str]:
            return [hit.id for hit in embedded.search(text, facets=facets, per_page=TOP).hits]

        def run_theirs(text: str) -> list[str]:
            return peer.search(text, TOP)[0]

        engines = [(ours, run_ours), (theirs, run_theirs)]
        for position, text in enumerate(queries):
            for figures, run in engines if position % 2 else engines[::-1]:
                start = time.perf_counter()
                run(text)
                figures.latencies.append(time.perf_counter() - start)
        for name, group, typo in catalogue.known_items(KNOWN_ITEMS):
            for figures, run in engines:
                figures.known.append(_reciprocal(run(name), group, catalogue.groups))
                if typo is not None:
                    figures.typo.append(_reciprocal(run(typo), group, catalogue.groups))
    finally:
        embedded.close()
        peer.close()
        shutil.rmtree(directory, ignore_errors=True)
    _print(options, len(queries), ours, theirs)


def _print(options: argparse.Namespace, count: int, ours: Figures, theirs: Figures) -> None:
    print(
        f"\n{options.records:,} records, {count} queries interleaved, "
        f"{len(ours.known)} known items ({len(ours.typo)} with a typo)\n"
    )
    print(
        "| engine             | build    | index    | p50      | p95      | p99      "
        "| known-item MRR | typo MRR |"
    )
    print(
        f"|{'-' * 20}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 16}|{'-' * 10}|"
    )
    for name, figures in (("codereuse embedded", ours), ("tantivy, tuned", theirs)):
        print(
            f"| {name:<18} | {figures.build:6.1f} s | {figures.size / 2**20:5.0f} MB "
            f"| {_percentile(figures.latencies, 0.5) * 1000:5.1f} ms "
            f"| {_percentile(figures.latencies, 0.95) * 1000:5.1f} ms "
            f"| {_percentile(figures.latencies, 0.99) * 1000:5.1f} ms "
            f"| {statistics.fmean(figures.known or [0]):14.3f} "
            f"| {statistics.fmean(figures.typo or [0]):8.3f} |"
        )

    def ratio(share: float) -> float:
        return _percentile(ours.latencies, share) / _percentile(theirs.latencies, share)

    print(
        f"\nratio codereuse/tantivy: p50 {ratio(0.5):.2f} p95 {ratio(0.95):.2f} "
        f"build {ours.build / theirs.build:.2f}"
    )
    import os

    import tantivy

    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    version = getattr(tantivy, "__version__", "tantivy ?")
    print(f"{version}; load average at the end (1, 5, 15 min): {load}")
