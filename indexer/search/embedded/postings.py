"""Record sets per term: FTS5 for rare terms, stored bitmaps for frequent ones, and a cache.

Reading a term that occurs in most records out of FTS5 means turning tens of thousands of
rowids into a bitmap in Python (milliseconds per term and attribute). So a rebuild stores a
ready bitmap for every term held by at least `frequent_at` records (``search_posting``), and
writes keep those bitmaps exact; a search reads one 12.5 kB blob instead. Terms below the
threshold (the vast majority, with short doclists) and prefixes still go to FTS5. Both paths
give the same records; stale FTS5 rows of replaced records are dropped by the caller, which
intersects with the live records.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

from indexer.search.embedded import bitmaps
from indexer.search.embedded.query import fts_expression
from indexer.search.embedded.schema import ATTRIBUTES, get_meta, set_meta

DEFAULT_FREQUENT_SHARE = 0.02  # terms in 2 % of the records or more get a stored bitmap
MIN_FREQUENT = 500  # ... but never below this many records (small catalogues: FTS5 only)


def frequent_threshold(records: int) -> int:
    """The record count from which a term gets a stored bitmap in a catalogue of `records`."""
    return max(MIN_FREQUENT, int(records * DEFAULT_FREQUENT_SHARE))


def build_postings(connection: sqlite3.Connection, frequent_at: int) -> int:
    """Store the bitmap of every term in at least `frequent_at` records; returns how many."""
    connection.execute("DELETE FROM search_posting")
    stored = 0
    for attribute in ATTRIBUTES:
        table = f"search_fts_{attribute}"
        vocabulary = f"temp.search_vocab_{attribute}"
        connection.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary} USING fts5vocab(main, {table}, 'row')"
        )
        terms = [
            term
            for (term,) in connection.execute(
                f"SELECT term FROM {vocabulary} WHERE doc >= ?", (frequent_at,)
            )
        ]
        connection.execute(f"DROP TABLE {vocabulary}")
        for term in terms:
            expression = fts_expression({term})
            if expression is None:
                continue
            row = connection.execute(
                f"SELECT json_group_array(rowid) FROM {table} WHERE {table} MATCH ?",
                (expression,),
            ).fetchone()
            connection.execute(
                "INSERT INTO search_posting(attribute, term, bitmap) VALUES (?, ?, ?)",
                (attribute, term, bitmaps.to_blob(bitmaps.from_json(row[0]))),
            )
            stored += 1
    set_meta(connection, "frequent_at", str(frequent_at))
    return stored


def frequent_terms(connection: sqlite3.Connection) -> dict[str, set[str]]:
    """attribute → the terms that have a stored bitmap."""
    found: dict[str, set[str]] = {attribute: set() for attribute in ATTRIBUTES}
    for attribute, term in connection.execute("SELECT attribute, term FROM search_posting"):
        found[attribute].add(term)
    return found


class PostingUpdates:
    """Keeps the stored bitmaps exact while records are added and removed (see `IndexWriter`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._frequent = frequent_terms(connection)
        self._any = any(self._frequent.values())
        self._added: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, rowid: int, terms: dict[str, set[str]]) -> None:
        """Note the frequent terms of a new record row."""
        if not self._any:
            return
        for attribute, found in terms.items():
            for term in found & self._frequent[attribute]:
                self._added[(attribute, term)].append(rowid)

    def finish(self, cleared: int) -> None:
        """Write the bitmaps back: removed rowids cleared, added ones set."""
        if not self._any or not (cleared or self._added):
            return
        updates = []
        for attribute, term, blob in self._connection.execute(
            "SELECT attribute, term, bitmap FROM search_posting"
        ):
            bits = bitmaps.from_blob(blob)
            changed = (bits & ~cleared) | bitmaps.from_rowids(
                self._added.get((attribute, term), [])
            )
            if changed != bits:
                updates.append((bitmaps.to_blob(changed), attribute, term))
        self._connection.executemany(
            "UPDATE search_posting SET bitmap = ? WHERE attribute = ? AND term = ?", updates
        )
        self._added.clear()


class TermCache:
    """Record sets of terms per attribute for one index generation, with an LRU of recent ones.

    `rowids` ORs stored bitmaps of frequent terms with one FTS5 query over the rest.
    """

    def __init__(
        self, connection: sqlite3.Connection, size_hint: int, capacity: int = 4096
    ) -> None:
        self._connection = connection
        self._size_hint = size_hint
        self._capacity = capacity
        self._entries: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._frequent = frequent_terms(connection)

    def _remember(self, key: tuple[str, str], bits: int) -> int:
        self._entries[key] = bits
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        return bits

    def _cached(self, key: tuple[str, str]) -> int | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def rowids(self, attribute: str, terms: Iterable[str], prefix: str | None = None) -> int:
        """The records whose `attribute` holds any of `terms` (or a word starting with `prefix`)."""
        wanted = set(terms)
        frequent = wanted & self._frequent[attribute]
        rare = wanted - frequent
        result = 0
        for term in frequent:
            key = (attribute, term)
            bits = self._cached(key)
            if bits is None:
                row = self._connection.execute(
                    "SELECT bitmap FROM search_posting WHERE attribute = ? AND term = ?", key
                ).fetchone()
                bits = self._remember(key, bitmaps.from_blob(row[0]) if row else 0)
            result |= bits
        expression = fts_expression(rare, prefix)
        if expression is not None:
            result |= self._fts(attribute, expression)
        return result

    def _fts(self, attribute: str, expression: str) -> int:
        key = (attribute, expression)
        found = self._cached(key)
        if found is not None:
            return found
        table = f"search_fts_{attribute}"
        try:
            row = self._connection.execute(
                f"SELECT json_group_array(rowid) FROM {table} WHERE {table} MATCH ?",
                (expression,),
            ).fetchone()
            found = bitmaps.from_json(row[0], self._size_hint)
        except sqlite3.OperationalError:
            # A term FTS5 tokenises differently from us (exotic scripts) is skipped, not fatal.
            found = 0
        return self._remember(key, found)


def frequent_at(connection: sqlite3.Connection) -> int | None:
    """The threshold the stored bitmaps were built with, or None before the first rebuild."""
    value = get_meta(connection, "frequent_at")
    return int(value) if value else None
