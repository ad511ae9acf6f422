"""Postings: which records hold a term, per attribute, in a table of the index's SQLite file.

Why not FTS5: the index only ever asks *which* records hold one of a few known terms (query
words are expanded into index terms in Python first), so FTS5's tokeniser, query parser and
segment merging were pure overhead, and its doclists had to be turned into bitmaps row by row
(``json_group_array``). Here a term's records are one blob read by primary key and turned into
a bitmap by numpy in one step.

``search_term`` and ``search_term_added`` (``WITHOUT ROWID``, primary key
``(term, attribute, segment)``):

- ``rowids``: the records' rowids as a sorted little-endian ``uint32`` array, or, for a term
  held by at least ``dense_at`` records of the segment (``dense = 1``), the bitmap's bytes
  (`bitmaps.to_blob`), which is smaller and needs no conversion;
- ``segment``: a rebuild writes segment 0 into ``search_term``; every later write (upsert,
  sync) adds one segment to ``search_term_added`` with the postings of the records it added, so
  writing 1,000 records never rewrites the postings of common terms. Rows of replaced or deleted records stay behind (rowids are never
  reused, and every search intersects with the live records); `merge_segments` folds the later
  segments into one, without those rows, once there are `MAX_SEGMENTS`, and a rebuild drops them
  all (see `backend.COMPACT_AFTER`).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat

import numpy as np

from indexer.search.embedded import bitmaps
from indexer.search.embedded.schema import ATTRIBUTES, get_meta, set_meta
from indexer.search.text import fold, index_terms_many, raw_words

MIN_DENSE = 64  # a term in fewer records is always stored as rowids
MAX_SEGMENTS = 8  # later segments are merged into one once there are this many
_IN_CHUNK = 500  # terms per ``IN (...)`` lookup (SQLite's parameter limit is far above)
_LAST = "\U0010ffff"  # sorts after every other character in UTF-8 byte order (BINARY collation)


def dense_threshold(rowids: int, frequent_at: int | None = None) -> int:
    """From how many records of a segment a term's postings are stored as a bitmap, when rowids
    go up to `rowids`: a bitmap of that many bits is smaller than a rowid array from
    ``rowids / 32`` members. `frequent_at` overrides it (tests)."""
    if frequent_at is not None:
        return frequent_at
    return max(MIN_DENSE, rowids // 32)


def prefix_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix + _LAST


class _Words:
    """The words of one kind of text (`indexing.TextKey`) in the buffer: every (word, rowid)
    pair, the word as a number, appended in C."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.word_ids = array("I")
        self.rowids = array("I")

    def add(self, rowid: int, raw: set[str]) -> None:
        ids = self.ids
        for word in raw.difference(ids):  # words not seen before: few once the buffer is warm
            ids[word] = len(self.words)
            self.words.append(word)
        self.word_ids.extend(map(ids.__getitem__, raw))
        self.rowids.extend(repeat(rowid, len(raw)))

    def postings(self) -> Iterator[tuple[str, np.ndarray]]:
        """``(word, its rowids ascending)`` for every word."""
        word_ids = np.frombuffer(self.word_ids, np.uint32)
        # stable: rowids stay ascending per word; numpy sorts 16-bit keys by radix, in linear time
        keys = word_ids.astype(np.uint16) if len(self.words) <= 1 << 16 else word_ids
        order = np.argsort(keys, kind="stable")
        del keys
        rowids = np.frombuffer(self.rowids, np.uint32)[order]
        del order
        counts = np.bincount(word_ids, minlength=len(self.words))
        ends = np.cumsum(counts)
        starts = ends - counts
        for index, word in enumerate(self.words):
            yield word, rowids[starts[index] : ends[index]]


class PostingsBuffer:
    """Postings of records being written, kept until `write`.

    Analysis is done per distinct word, not per record: a record only splits its texts into
    words (`text.raw_words`) and notes its rowid under each (in C, see `_Words`); the words'
    index terms (folded, contracted, stemmed) are looked up once per distinct word when the
    postings are written, and the rowids grouped per word and term by numpy.
    """

    def __init__(self) -> None:
        # (attribute index, languages, German) → the words of such texts
        self._raw: dict[tuple[int, tuple[str, ...], bool], _Words] = {}
        self.count = 0

    def add(self, rowid: int, texts: Mapping[tuple[int, tuple[str, ...], bool], list[str]]) -> None:
        """Note the words of record `rowid`'s texts, grouped as `indexing.document_texts` does
        (rowids come in ascending order)."""
        self.add_joined(rowid, joined_texts(texts))

    def add_joined(
        self, rowid: int, texts: Mapping[tuple[int, tuple[str, ...], bool], str]
    ) -> None:
        """`add` with each group's texts joined into one (`joined_texts`)."""
        for key, text in texts.items():
            words = self._raw.get(key)
            if words is None:
                words = self._raw[key] = _Words()
            words.add(rowid, raw_words(text))
        self.count += 1

    def vocabulary(self) -> dict[str, int]:
        """Folded word → 1 when it occurs in German text, else 0, for every buffered word."""
        found: dict[str, int] = {}
        for (_, _, german), words in self._raw.items():
            for word in map(fold, words.words):
                if german or word not in found:
                    found[word] = int(german) | found.get(word, 0)
        return found

    def rows(self, segment: int, dense_at: int) -> Iterator[tuple[str, int, int, int, bytes]]:
        """``(term, attribute, segment, dense, blob)`` rows for ``search_term``, emptying the buffer."""
        for attribute in range(len(ATTRIBUTES)):
            by_term: defaultdict[str, list[np.ndarray]] = defaultdict(list)
            for key in [key for key in self._raw if key[0] == attribute]:
                languages = key[1]
                words = self._raw.pop(key)
                analysed = index_terms_many([fold(word) for word in words.words], languages)
                for (_, rowids), terms in zip(words.postings(), analysed, strict=True):
                    for term in terms:
                        by_term[term].append(rowids)
            # In key order: the rows go into the table's B-tree one after the other.
            for term in sorted(by_term):
                parts = by_term.pop(term)
                merged = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
                yield _row(term, attribute, segment, merged, dense_at)

    def write(
        self, connection: sqlite3.Connection, table: str, segment: int, dense_at: int
    ) -> None:
        """Insert the buffered postings into `table` as `segment` and empty the buffer."""
        connection.executemany(
            f"INSERT OR REPLACE INTO {table}(term, attribute, segment, dense, rowids) "
            "VALUES (?, ?, ?, ?, ?)",
            self.rows(segment, dense_at),
        )
        self.count = 0


def joined_texts(
    texts: Mapping[tuple[int, tuple[str, ...], bool], list[str]],
) -> dict[tuple[int, tuple[str, ...], bool], str]:
    """Each group's texts as one (lines), as `PostingsBuffer.add_joined` takes them."""
    return {key: found[0] if len(found) == 1 else "\n".join(found) for key, found in texts.items()}


def _row(
    term: str, attribute: int, segment: int, rowids: np.ndarray, dense_at: int
) -> tuple[str, int, int, int, bytes]:
    """One ``search_term`` row for sorted, distinct `rowids`."""
    if len(rowids) >= dense_at:
        return term, attribute, segment, 1, bitmaps.to_blob(bitmaps.from_array(rowids))
    return term, attribute, segment, 0, rowids.astype("<u4", copy=False).tobytes()


def next_segment(connection: sqlite3.Connection) -> int:
    """A new segment number in ``search_term_added`` for the postings of one write."""
    current = int(get_meta(connection, "segment") or "0") + 1
    set_meta(connection, "segment", str(current))
    set_meta(connection, "segments", str(int(get_meta(connection, "segments") or "0") + 1))
    return current


def merge_segments(connection: sqlite3.Connection, dense_at: int) -> bool:
    """Fold the segments of ``search_term_added`` into one once there are `MAX_SEGMENTS`;
    True when it merged. Rowids of records no longer in ``search_doc`` are dropped on the way."""
    if int(get_meta(connection, "segments") or "0") < MAX_SEGMENTS:
        return False
    live_rows = connection.execute("SELECT rowid FROM search_doc").fetchall()
    live = np.fromiter((row[0] for row in live_rows), dtype=np.int64, count=len(live_rows))
    grouped: dict[tuple[str, int], list[np.ndarray]] = defaultdict(list)
    for term, attribute, dense, blob in connection.execute(
        "SELECT term, attribute, dense, rowids FROM search_term_added"
    ):
        grouped[(term, attribute)].append(_decode(dense, blob))
    connection.execute("DELETE FROM search_term_added")
    set_meta(connection, "segments", "0")
    segment = next_segment(connection)
    rows = []
    for (term, attribute), parts in grouped.items():
        merged = np.unique(np.concatenate(parts))
        merged = merged[np.isin(merged, live, assume_unique=True)]
        if len(merged):
            rows.append(_row(term, attribute, segment, merged, dense_at))
    connection.executemany(
        "INSERT INTO search_term_added(term, attribute, segment, dense, rowids) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return True


def _decode(dense: int, blob: bytes) -> np.ndarray:
    """The rowids of one stored row, as an array of int64."""
    if dense:
        bits = np.unpackbits(np.frombuffer(blob, dtype=np.uint8), bitorder="little")
        return np.flatnonzero(bits).astype(np.int64)
    return np.frombuffer(blob, dtype="<u4").astype(np.int64)


class TermCache:
    """Record sets of terms, per attribute, for one index generation, with an LRU of recent ones.

    `sets` answers "which records hold any of these terms (or a word starting with this
    prefix), in each attribute" from one or two indexed reads of ``search_term``.
    """

    def __init__(
        self, connection: sqlite3.Connection, size_hint: int, capacity: int = 1024
    ) -> None:
        self._connection = connection
        self._size_hint = size_hint
        self._capacity = capacity
        self._entries: OrderedDict[tuple[frozenset[str], str | None], tuple[int, ...]] = (
            OrderedDict()
        )

    def sets(self, terms: Iterable[str], prefix: str | None = None) -> tuple[int, ...]:
        """Per attribute (`schema.ATTRIBUTES` order), the records holding any of `terms` or a word
        starting with `prefix`."""
        key = (frozenset(terms), prefix)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        rows: list[tuple[int, int, bytes]] = []
        wanted = sorted(key[0])
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += self._connection.execute(
                f"SELECT attribute, dense, rowids FROM search_term WHERE term IN ({marks}) "
                "UNION ALL "
                f"SELECT attribute, dense, rowids FROM search_term_added WHERE term IN ({marks})",
                chunk * 2,
            ).fetchall()
        if prefix:
            bounds = (prefix, prefix_bound(prefix))
            rows += self._connection.execute(
                "SELECT attribute, dense, rowids FROM search_term WHERE term >= ? AND term < ? "
                "UNION ALL "
                "SELECT attribute, dense, rowids FROM search_term_added "
                "WHERE term >= ? AND term < ?",
                bounds * 2,
            ).fetchall()
        found = self._combine(rows)
        self._entries[key] = found
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        return found

    def rowids(self, attribute: str, terms: Iterable[str], prefix: str | None = None) -> int:
        """The records whose `attribute` holds any of `terms` (or a word starting with `prefix`)."""
        return self.sets(terms, prefix)[ATTRIBUTES.index(attribute)]

    def _combine(self, rows: Sequence[tuple[int, int, bytes]]) -> tuple[int, ...]:
        dense = [0] * len(ATTRIBUTES)
        sparse: list[list[bytes]] = [[] for _ in ATTRIBUTES]
        for attribute, is_dense, blob in rows:
            if is_dense:
                dense[attribute] |= bitmaps.from_blob(blob)
            else:
                sparse[attribute].append(blob)
        return tuple(
            bits | bitmaps.from_uint32(blobs, self._size_hint) if blobs else bits
            for bits, blobs in zip(dense, sparse, strict=True)
        )
