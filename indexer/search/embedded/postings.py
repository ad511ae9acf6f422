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
from typing import Any

import numpy as np

from indexer.search.embedded import bitmaps
from indexer.search.embedded.schema import ATTRIBUTES, get_meta, set_meta
from indexer.search.text import WORD_PATTERN, fold, index_terms_many

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


class _Tokens(dict[str, int]):
    """Whitespace-separated tokens → their number, numbering a token not seen before (in C for
    those seen: ``map(tokens.__getitem__, …)``)."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []

    def __missing__(self, token: str) -> int:
        number = self[token] = len(self.tokens)
        self.tokens.append(token)
        return number


class _Words:
    """The words of one kind of text (`indexing.TextKey`) in the buffer.

    A record's text is only case-folded and split at whitespace, and each distinct token is
    noted as a (token number, rowid) pair, appended in C. A token's words (letters and digits,
    as `text.WORD_PATTERN`: "e-akte," holds "e" and "akte") are found once per distinct token,
    when the postings are asked for: the same words as `text.raw_words` of every record.
    """

    def __init__(self) -> None:
        self._tokens = _Tokens()
        self._token_ids = array("I")
        self._rowids = array("I")
        self._numbers: dict[str, int] = {}  # word → its number
        self._words: list[str] = []
        self._first = np.empty(0, dtype=np.int32)  # by token: its first word's number, or -1
        self._more: dict[int, list[int]] = {}  # token → its further words' numbers

    def add(self, rowid: int, text: str) -> int:
        """Note the distinct tokens of `text` for `rowid`; returns how many."""
        distinct = set(text.casefold().split())
        self._token_ids.extend(map(self._tokens.__getitem__, distinct))
        self._rowids.extend(repeat(rowid, len(distinct)))
        return len(distinct)

    @property
    def words(self) -> list[str]:
        """The distinct words, by number (those of tokens noted since the last call found now)."""
        if len(self._first) < len(self._tokens.tokens):
            self._resolve()
        return self._words

    def _resolve(self) -> None:
        """Find the words of the tokens noted since the last call."""
        numbers, words, more = self._numbers, self._words, self._more
        start = len(self._first)
        tokens = self._tokens.tokens[start:]
        first = np.full(len(tokens), -1, dtype=np.int32)
        for offset, token in enumerate(tokens):
            found = [token] if token.isalnum() else WORD_PATTERN.findall(token)
            ids = []
            for word in found:
                number = numbers.get(word)
                if number is None:
                    number = numbers[word] = len(words)
                    words.append(word)
                ids.append(number)
            if ids:
                first[offset] = ids[0]
                if len(ids) > 1:
                    more[start + offset] = ids[1:]
        self._first = np.concatenate([self._first, first])

    def postings(self) -> Iterator[tuple[str, np.ndarray]]:
        """``(word, its rowids ascending)`` for every word."""
        words = self.words
        assert self._first is not None
        token_ids = np.frombuffer(self._token_ids, np.uint32)
        rowids = np.frombuffer(self._rowids, np.uint32)
        word_ids = self._first[token_ids]
        if self._more:
            # Tokens of several words add a pair per further word, merged in by rowid (two
            # ascending runs: the stable sort merges them in linear time).
            more_tokens = np.fromiter(self._more, dtype=np.int64, count=len(self._more))
            at = np.flatnonzero(np.isin(token_ids, more_tokens))
            extra_words, extra_rowids = [], []
            for token_id, rowid in zip(token_ids[at].tolist(), rowids[at].tolist(), strict=True):
                further = self._more[token_id]
                extra_words.extend(further)
                extra_rowids.extend([rowid] * len(further))
            rowids = np.concatenate([rowids, np.array(extra_rowids, dtype=np.uint32)])
            word_ids = np.concatenate([word_ids, np.array(extra_words, dtype=np.int32)])
            order = np.argsort(rowids, kind="stable")
            rowids, word_ids = rowids[order], word_ids[order]
        kept = word_ids >= 0
        rowids, word_ids = rowids[kept], word_ids[kept]
        # stable: rowids stay ascending per word; numpy sorts 16-bit keys by radix, in linear time
        keys = word_ids.astype(np.uint16) if len(words) <= 1 << 16 else word_ids
        order = np.argsort(keys, kind="stable")
        del keys
        rowids, word_ids = rowids[order], word_ids[order]
        del order
        # Two tokens of one record may hold the same word ("akte" and "akte,"): once is enough.
        if len(rowids) > 1:
            repeated = np.zeros(len(rowids), dtype=np.bool_)
            repeated[1:] = (rowids[1:] == rowids[:-1]) & (word_ids[1:] == word_ids[:-1])
            if repeated.any():
                rowids, word_ids = rowids[~repeated], word_ids[~repeated]
        counts = np.bincount(word_ids, minlength=len(words))
        ends = np.cumsum(counts)
        starts = ends - counts
        for index, word in enumerate(words):
            yield word, rowids[starts[index] : ends[index]]


CHUNK_PAIRS = 1 << 20
"""(token, record) pairs noted between two calls of `PostingsBuffer._prepare`: a rebuild finds
its new words' index terms and vocabulary entries while its records are still being read, so
less is left to do once the last one arrives."""


class PostingsBuffer:
    """Postings of records being written, kept until `write`.

    Analysis is done per distinct token and word, not per record: a record only splits its texts
    at whitespace and notes its rowid under each distinct token (in C, see `_Words`); every
    `CHUNK_PAIRS` pairs, the new tokens' words, the words' index terms (folded, contracted,
    stemmed) and vocabulary entries are found once (`_prepare`), and when the postings are
    written the rowids are grouped per word and term by numpy.
    """

    def __init__(self) -> None:
        # (attribute index, languages, German) → the words of such texts
        self._raw: dict[tuple[int, tuple[str, ...], bool], _Words] = {}
        # the same key → its words folded, by word number (as far as prepared)
        self._folded: dict[tuple[int, tuple[str, ...], bool], list[str]] = {}
        # languages → folded word → its index terms
        self._analysed: defaultdict[tuple[str, ...], dict[str, tuple[str, ...]]] = defaultdict(dict)
        self._vocabulary: dict[str, int] = {}
        self._pending = 0
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
                self._folded[key] = []
            self._pending += words.add(rowid, text)
        self.count += 1
        if self._pending >= CHUNK_PAIRS:
            self._prepare()

    def _prepare(self) -> None:
        """Fold the words found since the last call, note them in the vocabulary and find the
        index terms of folded words not analysed yet."""
        self._pending = 0
        vocabulary = self._vocabulary
        for key, words in self._raw.items():
            german = key[2]
            folded = self._folded[key]
            fresh = [fold(word) for word in words.words[len(folded) :]]
            if not fresh:
                continue
            folded += fresh
            for word in fresh:
                if german or word not in vocabulary:
                    vocabulary[word] = int(german) | vocabulary.get(word, 0)
            analysed = self._analysed[key[1]]
            unknown = list(dict.fromkeys(word for word in fresh if word not in analysed))
            if unknown:
                analysed.update(zip(unknown, index_terms_many(unknown, key[1]), strict=True))

    def vocabulary(self) -> dict[str, int]:
        """Folded word → 1 when it occurs in German text, else 0, for every buffered word."""
        self._prepare()
        return dict(self._vocabulary)

    def rows(self, segment: int, dense_at: int) -> Iterator[tuple[str, int, int, int, bytes]]:
        """``(term, attribute, segment, dense, blob)`` rows for ``search_term``, emptying the buffer."""
        self._prepare()
        for attribute in range(len(ATTRIBUTES)):
            by_term: defaultdict[str, list[np.ndarray]] = defaultdict(list)
            for key in [key for key in self._raw if key[0] == attribute]:
                analysed = self._analysed[key[1]]
                words = self._raw.pop(key)
                folded = self._folded.pop(key)
                for (_, rowids), word in zip(words.postings(), folded, strict=True):
                    for term in analysed[word]:
                        by_term[term].append(rowids)
            # In key order: the rows go into the table's B-tree one after the other.
            for term in sorted(by_term):
                parts = by_term.pop(term)
                merged = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
                yield _row(term, attribute, segment, merged, dense_at)
        self._analysed.clear()
        self._vocabulary = {}

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
        self._fetched: dict[str, list[tuple[int, int, bytes]]] = {}

    def prefetch(self, groups: Iterable[tuple[Iterable[str], str | None]]) -> None:
        """Read the rows of every term of `groups` not answered from the LRU yet in one query
        (rather than one per group), for the `sets` calls of one search that follow."""
        wanted: set[str] = set()
        for terms, prefix in groups:
            key = (frozenset(terms), prefix)
            if key not in self._entries:
                wanted |= key[0]
        fetched: dict[str, list[tuple[int, int, bytes]]] = {term: [] for term in wanted}
        for term, attribute, dense, blob in self._rows(
            sorted(wanted), "term, attribute, dense, rowids"
        ):
            fetched[term].append((attribute, dense, blob))
        self._fetched = fetched

    def _rows(self, wanted: list[str], columns: str) -> list[Any]:
        rows: list[Any] = []
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += self._connection.execute(
                f"SELECT {columns} FROM search_term WHERE term IN ({marks}) "
                "UNION ALL "
                f"SELECT {columns} FROM search_term_added WHERE term IN ({marks})",
                chunk * 2,
            ).fetchall()
        return rows

    def sets(self, terms: Iterable[str], prefix: str | None = None) -> tuple[int, ...]:
        """Per attribute (`schema.ATTRIBUTES` order), the records holding any of `terms` or a word
        starting with `prefix`."""
        key = (frozenset(terms), prefix)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        rows: list[tuple[int, int, bytes]]
        fetched = self._fetched
        if fetched and all(term in fetched for term in key[0]):
            rows = [row for term in key[0] for row in fetched[term]]
        else:
            rows = self._rows(sorted(key[0]), "attribute, dense, rowids")
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
