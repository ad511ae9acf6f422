"""The embedded index's tables, created idempotently inside the store's SQLite file.

The index is derived data (architecture decision 1), so its tables are owned by the backend,
not by the store's migrations; all names start with ``search_``:

- ``search_doc``: one row per indexed record; its integer ``rowid`` is the record's position in
  every bitmap; sort keys, the quality rank that breaks relevance ties
  (`documents.SearchDocument.quality_rank`) and the JSON the hits are built from;
- ``search_term``, ``search_term_added``: per term, attribute rank (name, short, features,
  tags, long) and segment, the records holding it, as rowids or a bitmap (see `postings`); the
  first table is written by a rebuild, the second by later writes. Only *which* records hold a
  term is kept; order-sensitive rules (proximity, highlights) run in Python on the few records
  that reach the page. A replaced or deleted record's postings stay behind under a rowid that no
  longer exists in ``search_doc``; searches only count live rowids, later segments are merged
  without them and `rebuild` drops them all;
- ``search_facet``: one bitmap (bit *i* = record with rowid *i*) per facet field and value;
- ``search_vocab``: every folded word seen, with whether it came from German text, for typo
  and compound expansion of query words;
- ``search_meta``: key/value state: the schema version, the generation (bumped by every write
  so other processes drop their caches) and the last store change applied.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = "8"
"""6: maturity facets; 7: valid, has_findings and finding (issue 13); 8: the organisation facet
holds organisation ids (was names), hits carry the id (issue 11)."""
ATTRIBUTES: tuple[str, ...] = ("name", "short", "features", "tags", "long")

_TABLES = [
    """CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS search_doc (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL,
        name_sort TEXT NOT NULL,
        last_activity INTEGER,
        stars INTEGER,
        mirror_group TEXT NOT NULL,
        mirror_rank INTEGER NOT NULL,
        quality INTEGER NOT NULL,
        data TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS search_facet (
        field TEXT NOT NULL, value TEXT NOT NULL, bitmap BLOB NOT NULL,
        PRIMARY KEY (field, value)
    ) WITHOUT ROWID""",
    *(
        f"""CREATE TABLE IF NOT EXISTS {table} (
            term TEXT NOT NULL, attribute INTEGER NOT NULL, segment INTEGER NOT NULL,
            dense INTEGER NOT NULL, rowids BLOB NOT NULL,
            PRIMARY KEY (term, attribute, segment)
        ) WITHOUT ROWID"""
        for table in ("search_term", "search_term_added")
    ),
    """CREATE TABLE IF NOT EXISTS search_vocab (
        term TEXT PRIMARY KEY, german INTEGER NOT NULL
    ) WITHOUT ROWID""",
]


def create_tables(connection: sqlite3.Connection) -> None:
    """Create the index tables when missing (safe to call on every open).

    Tables of another schema version are dropped first: the index is derived, so it is
    rebuilt rather than migrated (``codereuse index --rebuild``).
    """
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_meta'"
    ).fetchone()
    if exists and get_meta(connection, "schema_version") != SCHEMA_VERSION:
        drop_tables(connection)
    for statement in _TABLES:
        connection.execute(statement)
    connection.execute(
        "INSERT OR IGNORE INTO search_meta(key, value) VALUES ('schema_version', ?)",
        (SCHEMA_VERSION,),
    )
    connection.execute("INSERT OR IGNORE INTO search_meta(key, value) VALUES ('generation', '0')")


def drop_tables(connection: sqlite3.Connection) -> None:
    """Drop every index table (a rebuild starts from nothing)."""
    for attribute in ATTRIBUTES:  # the FTS5 tables of schema versions up to 4
        connection.execute(f"DROP TABLE IF EXISTS search_fts_{attribute}")
    for table in (
        "search_doc",
        "search_facet",
        "search_term",
        "search_term_added",
        "search_posting",
        "search_vocab",
        "search_meta",
    ):
        connection.execute(f"DROP TABLE IF EXISTS {table}")


def get_meta(connection: sqlite3.Connection, key: str) -> str | None:
    """The meta value under `key`, or None."""
    row = connection.execute("SELECT value FROM search_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(connection: sqlite3.Connection, key: str, value: str) -> None:
    """Store a meta value."""
    connection.execute(
        "INSERT INTO search_meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def bump_generation(connection: sqlite3.Connection) -> int:
    """Advance the generation (inside the writer's transaction) and return it."""
    current = int(get_meta(connection, "generation") or "0") + 1
    set_meta(connection, "generation", str(current))
    return current
