"""Kept answers shared by every worker process of one store: a SQLite file beside it.

`api.cache.ChangeCache` keeps answers per catalogue state. Kept in each process's memory, every
worker of ``serve --workers N`` computed each answer once for itself (N times the misses) and
held up to the whole budget in its own heap (N times the memory). `SharedAnswers` keeps the
bytes of those answers (searches, pages, feeds, statistics, exports) in one file that all the
store's server processes read and write: an answer one worker computed is a hit in the others,
and the bytes live in the operating system's page cache, not in any worker's resident memory.

The file is a cache and nothing else: every entry carries the version it was computed at (the
change position or index generation, as text), a lookup at another version is a miss (unless
the entry was known current within the refresh interval the caller gives: its ``used`` time is
when it was written or last found at its own version, `api.cache.Refresh`), and any
SQLite error (a full disk, a damaged or locked file) only makes the answer be computed, never a
failed request. Writes are short transactions (one answer, then trimming to the byte budget,
least recently used first); readers never wait for them (WAL). Large answers (exports) are
kept in parts of `PART_BYTES` and read back part by part within one read transaction, so a
worker never holds a whole export in memory to send it and a concurrent trim cannot cut it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path

from sqlalchemy.engine import URL

from indexer.store.engine import sqlite_store_file

logger = logging.getLogger(__name__)
SUFFIX = "-answers"
"""The file's name is the store file's with this suffix (``codereuse.db-answers``)."""
PART_BYTES = 1024 * 1024
WRITE_WAIT = 0.05
"""Seconds a request waits for another process's write to the file before it gives up keeping
its answer (the answer is sent all the same): a request never waits on the cache."""
SETUP_WAIT = 5.0
"""Seconds creating or emptying the file waits for other processes' writes."""
TOUCH_AFTER = 30.0
"""Seconds before a hit marks its entry as used again (a write; not on every hit)."""
PAGE_BYTES = 16384
"""The file's page size: a quarter of the reads of SQLite's default to stream a kept export."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS kept (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    bytes INTEGER NOT NULL
);
INSERT OR IGNORE INTO kept (id, bytes) VALUES (0, 0);
CREATE TABLE IF NOT EXISTS answers (
    key TEXT NOT NULL,
    part INTEGER NOT NULL,
    version TEXT NOT NULL,
    parts INTEGER NOT NULL,
    size INTEGER NOT NULL,
    used REAL NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (key, part)
)
"""


def answers_path(database: Path) -> Path:
    """Where the answers of the store in SQLite file `database` are kept."""
    return database.with_name(database.name + SUFFIX)


def shared_answers(database_url: str | URL, max_bytes: int) -> SharedAnswers | None:
    """The kept answers beside the SQLite store `database_url`, or None: for a store in memory
    or in PostgreSQL, with a budget of 0, or when the file cannot be opened (then each process
    keeps its own, as `api.cache.ChangeCache` does without one)."""
    database = sqlite_store_file(database_url)
    if max_bytes <= 0 or database is None:
        return None
    path = answers_path(database)
    try:
        return SharedAnswers(path, max_bytes)
    except sqlite3.Error as error:
        logger.warning("answers kept per process: %s cannot be opened (%s)", path, error)
        return None


def _text(value: Hashable) -> str:
    return repr(value)


class SharedAnswers:
    """Answer bytes by (key, version) in the SQLite file `path`, within `max_bytes` in all.

    One connection per thread; safe to use from any number of threads and processes.
    """

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._local = threading.local()
        setup = self._connect(SETUP_WAIT)
        try:
            setup.executescript(_SCHEMA)
        finally:
            setup.close()

    def _connect(self, wait: float = WRITE_WAIT) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, timeout=wait, isolation_level=None, check_same_thread=False
        )
        connection.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # only while the file is new
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")  # a lost answer is computed again
        return connection

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def clear(self) -> None:
        """Forget every kept answer (at server start: the file may have served another store)."""
        try:
            setup = self._connect(SETUP_WAIT)
            try:
                with _writing(setup) as connection:
                    connection.execute("DELETE FROM answers")
                    connection.execute("UPDATE kept SET bytes = 0")
            finally:
                setup.close()
        except sqlite3.Error as error:
            logger.warning("kept answers in %s could not be cleared: %s", self.path, error)

    def get(self, key: Hashable, version: Hashable) -> bytes | None:
        """The whole answer kept for `key` at `version`, or None."""
        found = self.find(key, version)
        return None if found is None else found[0]

    def find(
        self, key: Hashable, version: Hashable, fresh: float = 0.0
    ) -> tuple[bytes, float] | None:
        """The whole answer kept for `key` and when it was last known current (wall-clock
        seconds): at `version`, or at another one known current less than `fresh` seconds
        ago; None otherwise."""
        try:
            connection = self._connection()
            row = connection.execute(
                "SELECT version, parts, used, data FROM answers WHERE key = ? AND part = 0",
                (_text(key),),
            ).fetchone()
            current_at = None if row is None else _current_at(row[0], row[2], version, fresh)
            if row is None or current_at is None:
                return None
            if row[1] == 1:
                if row[0] == _text(version):
                    self._touch(connection, key, row[2])
                return bytes(row[3]), current_at
        except sqlite3.Error as error:
            logger.warning("kept answer not readable from %s: %s", self.path, error)
            return None
        parts = self.parts(key, version, fresh)
        return None if parts is None else (b"".join(parts), current_at)

    def parts(self, key: Hashable, version: Hashable, fresh: float = 0.0) -> Iterator[bytes] | None:
        """The answer kept for `key` at `version` (or known current less than `fresh` seconds
        ago, as `find`) as an iterator of its parts, or None.

        The parts are read within one read transaction on a connection of their own, so the
        iterator may be advanced from any thread and no concurrent write changes what it yields.
        """
        try:
            connection = self._connect()
            connection.execute("BEGIN")
            row = connection.execute(
                "SELECT version, parts, used FROM answers WHERE key = ? AND part = 0",
                (_text(key),),
            ).fetchone()
        except sqlite3.Error as error:
            logger.warning("kept answer not readable from %s: %s", self.path, error)
            return None
        if row is None or _current_at(row[0], row[2], version, fresh) is None:
            connection.close()
            return None
        if row[0] == _text(version):
            self._touch(self._connection(), key, row[2])
        return self._read_parts(connection, _text(key), int(row[1]))

    @staticmethod
    def _read_parts(connection: sqlite3.Connection, key: str, parts: int) -> Iterator[bytes]:
        try:
            for part in range(parts):
                found = connection.execute(
                    "SELECT data FROM answers WHERE key = ? AND part = ?", (key, part)
                ).fetchone()
                if found is None:  # pragma: no cover - one read transaction sees all parts
                    raise sqlite3.DatabaseError(f"part {part} of a kept answer is missing")
                yield bytes(found[0])
        finally:
            connection.close()

    def _touch(self, connection: sqlite3.Connection, key: Hashable, used: float) -> None:
        now = time.time()
        if now - used < TOUCH_AFTER:
            return
        with contextlib.suppress(sqlite3.Error):  # only the eviction order would suffer
            connection.execute("UPDATE answers SET used = ? WHERE key = ?", (now, _text(key)))

    def put(
        self,
        key: Hashable,
        version: Hashable,
        chunks: Iterable[bytes],
        current_at: float | None = None,
    ) -> None:
        """Keep the answer made of `chunks` for `key` at `version` (in parts of `PART_BYTES`),
        then, when over `max_bytes`, trim the file to 90 % of it, least recently used first.
        `current_at` is when the answer began to be computed (default: now)."""
        parts = _parts(chunks)
        size = sum(map(len, parts))
        if size > self.max_bytes // 2:
            return
        text, now = _text(key), time.time() if current_at is None else current_at
        try:
            with _writing(self._connection()) as connection:
                replaced = connection.execute(
                    "SELECT total(size) FROM answers WHERE key = ?", (text,)
                ).fetchone()[0]
                connection.execute("DELETE FROM answers WHERE key = ?", (text,))
                connection.execute("UPDATE kept SET bytes = bytes + ?", (size - int(replaced),))
                connection.executemany(
                    "INSERT INTO answers (key, part, version, parts, size, used, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (text, number, _text(version), len(parts), len(data), now, data)
                        for number, data in enumerate(parts)
                    ],
                )
                self._trim(connection)
        except sqlite3.OperationalError as error:
            if _busy(error):  # another worker is writing: sending the answer does not wait
                logger.debug("answer not kept, %s busy: %s", self.path, error)
            else:
                logger.warning("answer not kept in %s: %s", self.path, error)
        except sqlite3.Error as error:
            logger.warning("answer not kept in %s: %s", self.path, error)

    def _trim(self, connection: sqlite3.Connection) -> None:
        if connection.execute("SELECT bytes FROM kept").fetchone()[0] <= self.max_bytes:
            return
        total = connection.execute("SELECT total(size) FROM answers").fetchone()[0]
        oldest = connection.execute(
            "SELECT key, sum(size) FROM answers GROUP BY key ORDER BY min(used)"
        ).fetchall()
        dropped, target = (
            [],
            self.max_bytes * 9 // 10,
        )  # room for a few answers before the next trim
        for key, size in oldest:
            if total <= target:
                break
            dropped.append((key,))
            total -= size
        connection.executemany("DELETE FROM answers WHERE key = ?", dropped)
        connection.execute("UPDATE kept SET bytes = ?", (int(total),))

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def _current_at(kept: str, used: float, version: Hashable, fresh: float) -> float | None:
    """When an entry kept at version text `kept`, last used at `used`, was known current for a
    lookup at `version`: now when the versions match; `used` when it was used less than
    `fresh` seconds ago (only lookups at its own version mark it used); None otherwise."""
    if kept == _text(version):
        return time.time()
    return used if time.time() - used < fresh else None


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    } or ("locked" in str(error))


@contextlib.contextmanager
def _writing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on `connection`: committed, or rolled back on any error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _parts(chunks: Iterable[bytes]) -> list[bytes]:
    """`chunks` joined into parts of about `PART_BYTES` (one part for a small answer)."""
    parts, pending, size = [], [], 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= PART_BYTES:
            parts.append(b"".join(pending))
            pending, size = [], 0
    if pending or not parts:
        parts.append(b"".join(pending))
    return parts
