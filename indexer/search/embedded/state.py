"""The in-memory view of the index that searches read: bitmaps, sort keys, vocabulary.

Loaded from the index tables once per *generation* (a counter every write bumps, see
`schema.bump_generation`), so a process notices another process's writes with one cheap read
per search and reloads (about 0.2 s at 100,000 records; the vocabulary loads on first need).
"""

from __future__ import annotations

import bisect
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indexer.search.documents import QUALITY_RANKS
from indexer.search.embedded import bitmaps
from indexer.search.embedded.facets import FacetField
from indexer.search.text import stem, stems

# A sparse bitmap is sorted by materialising its members; a dense one by scanning an order.
_SPARSE = 4096
_FEW = 64  # up to this many matches are sorted in Python; more by numpy over rank arrays


@dataclass
class Vocabulary:
    """Folded words of the index, bucketed for typo search, plus the German ones for compounds."""

    words: set[str]
    buckets: dict[tuple[str, int], list[str]]
    by_tail: dict[str, list[str]]
    german_text: str  # "\n" + German words joined by "\n" + "\n", searched with str.find
    german: list[str]  # the German words, sorted: those starting with a prefix are a range
    by_length: dict[int, list[str]]  # alphabetic words by length, for did-you-mean
    _stems: set[str] | None = None
    expansions: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    """Compounds and typo candidates found per query word (`query.expand`), kept while this
    vocabulary is: a catalogue's searches repeat their words."""

    def knows_part(self, part: str) -> bool:
        """Whether `part` can stand for index words as a compound part: an index word, a word
        sharing the German stem of one ("fahrzeug", "protokolle" for "Fahrzeugen",
        "Protokollen"), or a verbal noun whose verb's stem is ("buchung" for "buchen")."""
        if part in self.words:
            return True
        if self._stems is None:
            self._stems = set(stems("de", [w for w in self.german_text.split("\n") if w]))
        return (
            part in self._stems
            or stem("de", part) in self._stems
            or (part.endswith("ung") and stem("de", part[:-3] + "en") in self._stems)
        )

    @classmethod
    def load(cls, connection: sqlite3.Connection) -> Vocabulary:
        """Read the vocabulary table."""
        words: set[str] = set()
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        by_tail: dict[str, list[str]] = defaultdict(list)
        german: list[str] = []
        by_length: dict[int, list[str]] = defaultdict(list)
        for term, is_german in connection.execute("SELECT term, german FROM search_vocab"):
            words.add(term)
            if term.isalpha():
                by_length[len(term)].append(term)
            buckets[(term[:1], len(term))].append(term)
            if len(term) >= 5:
                by_tail[term[1:]].append(term)
            if is_german:
                german.append(term)
        german.sort()
        german_text = "\n" + "\n".join(german) + "\n"
        return cls(words, dict(buckets), dict(by_tail), german_text, german, dict(by_length))

    def german_starting(self, prefix: str) -> Iterator[str]:
        """The German words starting with `prefix`, in order."""
        german = self.german
        for position in range(bisect.bisect_left(german, prefix), len(german)):
            word = german[position]
            if not word.startswith(prefix):
                return
            yield word


@dataclass
class IndexState:
    """Everything a search needs in memory, for one generation of the index."""

    generation: int
    everything: int
    ids: dict[int, str]
    last_activity: dict[int, int]
    stars: dict[int, int]
    name_sort: dict[int, str]
    name_key: dict[str, list[int]]
    facets: dict[str, dict[str, int]]
    facet_lookup: dict[str, dict[str, list[str]]]
    mirrored: int  # rowids that share their mirror group with another indexed record
    mirror_order: np.ndarray  # rowids of mirrored records, group by group, preferred first
    mirror_first: np.ndarray  # by position in mirror_order: where the record's group starts
    quality: list[int]  # bitmaps of quality ranks (`SearchDocument.quality_rank`), best first
    _orders: dict[str, dict[int, int]] = field(default_factory=dict)
    _facet_fields: dict[str, FacetField] = field(default_factory=dict)
    _sequences: dict[str, list[int]] = field(default_factory=dict)
    _rank_arrays: dict[str, np.ndarray] = field(default_factory=dict)
    _activity_index: list[tuple[int, int]] | None = None
    vocabulary: Vocabulary | None = None

    @classmethod
    def load(cls, connection: sqlite3.Connection, generation: int) -> IndexState:
        """Read the index tables into memory."""
        ids: dict[int, str] = {}
        last_activity: dict[int, int] = {}
        stars: dict[int, int] = {}
        name_sort: dict[int, str] = {}
        name_key: dict[str, list[int]] = defaultdict(list)
        groups: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        quality: list[list[int]] = [[] for _ in range(QUALITY_RANKS)]
        for (
            rowid,
            record_id,
            key,
            sort_name,
            activity,
            star_count,
            group,
            rank,
            quality_rank,
        ) in connection.execute(
            "SELECT rowid, id, name_key, name_sort, last_activity, stars, mirror_group, "
            "mirror_rank, quality FROM search_doc"
        ):
            quality[min(max(quality_rank, 0), QUALITY_RANKS - 1)].append(rowid)
            ids[rowid] = record_id
            name_sort[rowid] = sort_name
            name_key[key].append(rowid)
            if activity is not None:
                last_activity[rowid] = activity
            if star_count is not None:
                stars[rowid] = star_count
            groups[group].append((rank, record_id, rowid))
        facets: dict[str, dict[str, int]] = defaultdict(dict)
        lookup: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for field_name, value, blob in connection.execute(
            "SELECT field, value, bitmap FROM search_facet"
        ):
            facets[field_name][value] = bitmaps.from_blob(blob)
            lookup[field_name][value.casefold()].append(value)
        mirrored_rowids: list[int] = []
        first: list[int] = []
        for members in groups.values():
            if len(members) > 1:
                first.extend([len(mirrored_rowids)] * len(members))
                mirrored_rowids.extend(rowid for _, _, rowid in sorted(members))
        return cls(
            generation=generation,
            everything=bitmaps.from_rowids(ids, max(ids, default=0)),
            ids=ids,
            last_activity=last_activity,
            stars=stars,
            name_sort=name_sort,
            name_key=dict(name_key),
            facets=dict(facets),
            facet_lookup={name: dict(values) for name, values in lookup.items()},
            mirrored=bitmaps.from_rowids(mirrored_rowids),
            mirror_order=np.array(mirrored_rowids, dtype=np.int64),
            mirror_first=np.array(first, dtype=np.int64),
            quality=[bitmaps.from_rowids(rowids) for rowids in quality],
        )

    @property
    def size(self) -> int:
        """One more than the highest rowid: the length of a bitmap of every record."""
        return self.everything.bit_length()

    def facet_field(self, name: str) -> FacetField:
        """Facet `name` prepared for counting in bulk (built on first use)."""
        found = self._facet_fields.get(name)
        if found is None:
            found = FacetField.build(self.facets.get(name, {}), self.size)
            self._facet_fields[name] = found
        return found

    def collapse_mirrors(self, matches: int) -> int:
        """`matches` with every mirror group reduced to its preferred member among the matches."""
        overlap = matches & self.mirrored
        if not overlap:
            return matches
        data = np.frombuffer(overlap.to_bytes(self.size // 8 + 1, "little"), np.uint8)
        order = self.mirror_order
        present = (data[order >> 3] >> (order & 7) & 1).astype(np.int64)
        seen = np.cumsum(present)
        # how many members of its group are present up to and including this one
        within = seen - (seen[self.mirror_first] - present[self.mirror_first])
        drop = order[(present == 1) & (within > 1)]
        return matches & ~bitmaps.from_array(drop) if len(drop) else matches

    def activity_between(self, since: int | None, until: int | None) -> int:
        """Records whose last activity is in ``[since, until)``; either bound may be None."""
        if self._activity_index is None:
            self._activity_index = sorted((ts, rowid) for rowid, ts in self.last_activity.items())
        index = self._activity_index
        low = 0 if since is None else bisect.bisect_left(index, (since, -1))
        high = len(index) if until is None else bisect.bisect_left(index, (until, -1))
        return bitmaps.from_rowids(rowid for _, rowid in index[low:high])

    def order(self, key: str) -> dict[int, int]:
        """rowid → position in sort order `key` (a `protocol.SORT_KEYS` value except relevance).

        Ties (and records without the value, which come last) go by last activity, newest
        first, then id.
        """
        if key not in self._orders:
            newest = {rowid: -self.last_activity.get(rowid, -(2**62)) for rowid in self.ids}
            field = key.removeprefix("-")
            sign = -1 if key.startswith("-") else 1
            if field == "last_activity":
                has = self.last_activity
                ranked = sorted(
                    self.ids,
                    key=lambda r: (r not in has, sign * -has.get(r, 0), self.ids[r]),
                )
            elif field in {"maturity", "reused_by_organisations"}:
                level = self._maturity_levels() if field == "maturity" else self._reuse_levels()
                ranked = sorted(
                    self.ids,
                    key=lambda r: (sign * -level.get(r, 0), newest[r], self.ids[r]),
                )
            elif field == "stars":
                has = self.stars
                ranked = sorted(
                    self.ids,
                    key=lambda r: (r not in has, sign * -has.get(r, 0), newest[r], self.ids[r]),
                )
            else:
                ranked = sorted(self.ids, key=lambda r: (self.name_sort[r], self.ids[r]))
                if sign < 0:
                    ranked.reverse()
            self._orders[key] = {rowid: position for position, rowid in enumerate(ranked)}
        return self._orders[key]

    def _maturity_levels(self) -> dict[int, int]:
        """rowid → summary maturity level, read from the ``maturity`` facet."""
        level: dict[int, int] = {}
        for value, bits in self.facets.get("maturity", {}).items():
            if value.isdigit():
                for rowid in bitmaps.members(bits):
                    level[rowid] = int(value)
        return level

    def _reuse_levels(self) -> dict[int, int]:
        """rowid → reuse level, read from the cumulative ``reused_by_organisations`` facet."""
        level: dict[int, int] = {}
        for value, bits in self.facets.get("reused_by_organisations", {}).items():
            threshold = int(value.rstrip("+")) if value.rstrip("+").isdigit() else 0
            for rowid in bitmaps.members(bits):
                level[rowid] = max(level.get(rowid, 0), threshold)
        return level

    def top(self, matches: int, key: str, needed: int) -> list[int]:
        """The first `needed` rowids of `matches` in sort order `key`."""
        count = matches.bit_count()
        if needed <= 0:
            return []
        if count <= _FEW:
            positions = self.order(key)
            return sorted(bitmaps.members(matches), key=positions.__getitem__)[:needed]
        if count <= _SPARSE:
            rowids = bitmaps.members_array(matches)
            ranks = self._ranks(key)[rowids]
            if needed < len(rowids):
                chosen = np.argpartition(ranks, needed - 1)[:needed]
                rowids, ranks = rowids[chosen], ranks[chosen]
            ordered: list[int] = rowids[np.argsort(ranks)].tolist()
            return ordered
        data = matches.to_bytes((matches.bit_length() + 7) // 8, "little")
        size = len(data)
        found: list[int] = []
        for rowid in self._sequence(key):
            index = rowid >> 3
            if index < size and data[index] >> (rowid & 7) & 1:
                found.append(rowid)
                if len(found) >= needed:
                    break
        return found

    def _ranks(self, key: str) -> np.ndarray:
        """By rowid, its position in sort order `key` (`order`); rowids not indexed last."""
        found = self._rank_arrays.get(key)
        if found is None:
            positions = self.order(key)
            found = np.full(self.size, len(positions), dtype=np.int64)
            found[np.fromiter(positions, np.int64, len(positions))] = np.fromiter(
                positions.values(), np.int64, len(positions)
            )
            self._rank_arrays[key] = found
        return found

    def _sequence(self, key: str) -> list[int]:
        if key not in self._sequences:
            positions = self.order(key)
            self._sequences[key] = sorted(positions, key=positions.__getitem__)
        return self._sequences[key]
