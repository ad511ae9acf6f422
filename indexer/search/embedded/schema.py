"""The embedded index's tables, created idempotently inside the store's SQLite file.

The index is derived data (architecture decision 1), so its tables are owned by the backend,
not by the store's migrations; all names start with ``search_``:

- ``search_doc``: one row per indexed record; its integer ``rowid`` is the record's position in
  every bitmap; sort keys, the quality rank that breaks relevance ties
  (`documents.SearchDocument.quality_rank`) and the JSON the hits are built from;
- ``search_fts_<attribute>``: one contentless FTS5 table per attribute rank (name, short,
  features, tags, long) holding the record's analysed terms (``detail=none``: the index answers
  *which* records hold a term; order-sensitive rules run in Python on the few records that reach
  the page). Contentless tables cannot delete rows in SQLite < 3.43, so a replaced or deleted
  record leaves its old terms behind under a rowid that no longer exists in ``search_doc``;
  searches only count live rowids, and `rebuild` compacts;
- ``search_facet``: one bitmap (bit *i* = record with rowid *i*) per facet field and value;
- ``search_posting``: the ready bitmap of every frequent term per attribute (see `postings`);
- ``search_vocab``: every folded word seen, with whether it came from German text, for typo
  and compound expansion of query words;
- ``search_meta``: key/value state: the schema version, the generation (bumped by every write
  so other processes drop their caches) and the last store change applied.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = "4"
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
    """CREATE TABLE IF NOT EXISTS search_posting (
        attribute TEXT NOT NULL, term TEXT NOT NULL, bitmap BLOB NOT NULL,
        PRIMARY KEY (attribute, term)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS search_vocab (
        term TEXT PRIMARY KEY, german INTEGER NOT NULL
    ) WITHOUT ROWID""",
    *(
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_{attribute} USING fts5(
            terms, content='', detail=none, prefix='2 3',
            tokenize='unicode61 remove_diacritics 0')"""
        for attribute in ATTRIBUTES
    ),
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
    for attribute in ATTRIBUTES:
        connection.execute(f"DROP TABLE IF EXISTS search_fts_{attribute}")
    for table in ("search_doc", "search_facet", "search_posting", "search_vocab", "search_meta"):
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
