"""Storage failures told to people, and a cheap integrity probe for readiness checks.

`describe_failure` turns a database error (SQLite's or PostgreSQL's, through SQLAlchemy or the
driver) into one sentence: what happened (damaged file, full disk, lock held too long,
read-only file, file that cannot be opened), where (the SQLite file's path, or the URL with its
password masked) and what to do. The unfinished transaction is rolled back by the database in
every case, so the advice never asks to repair data by hand.

`IntegrityProbe` answers "is the store readable?" for ``/readyz`` and the exports: SQLite runs
``PRAGMA quick_check`` (every b-tree page is read and checked; a damaged page is found before an
export streams into it) within a time budget, PostgreSQL a trivial query. The answer is kept
for `max_age` seconds, so a load balancer polling readiness costs one check a minute.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from schemas.errors import StoreError

# (words in the database's message, what happened, what to do), first match wins.
_FAILURES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("malformed", "not a database", "invalid page", "corrupt", "checksum"),
        "the database file is damaged",
        "stop codereuse, keep a copy of the file, and restore the last backup, or save what is "
        "readable with `sqlite3 FILE .recover | sqlite3 NEW.db` and point CODEREUSE_DATABASE_URL "
        "at NEW.db; then run `codereuse index --rebuild`",
    ),
    (
        ("disk is full", "no space left", "could not extend file", "disk full"),
        "the disk is full (or the database reached its size limit)",
        "free space where the database lives and run the command again; the unfinished "
        "transaction was rolled back and everything saved before it is kept",
    ),
    (
        ("database is locked", "table is locked", "lock timeout", "deadlock"),
        "another process held the database's lock for longer than codereuse waits (30 s)",
        "let the other codereuse command (a crawl, `run`) finish or stop it, then run the "
        "command again; nothing was changed",
    ),
    (
        ("readonly", "read-only"),
        "the database is read-only for this process",
        "give the user running codereuse write access to the file and its directory (SQLite "
        "writes -wal and -shm files beside it), then run the command again",
    ),
    (
        ("unable to open database file", "disk i/o error"),
        "the database file cannot be read or written",
        "check that the file and its directory exist, are readable and writable, and that the "
        "disk works (`dmesg`), then run the command again",
    ),
)


def location(url: URL) -> str:
    """Where the store lives, for messages: the SQLite file's absolute path, or the masked URL."""
    from indexer.store.engine import safe_url  # engine imports this module's neighbours

    if url.get_backend_name() == "sqlite" and url.database not in {None, "", ":memory:"}:
        return str(Path(str(url.database)).expanduser().resolve())
    return safe_url(url)


def failure_reason(error: BaseException) -> str:
    """The database's own message: first line, at most 300 characters."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return (lines[0] if lines else type(original).__name__)[:300]


def what_failed(message: str) -> str:
    """The "what" of a message `describe_failure` wrote (no path, no advice), for public answers."""
    for _words, what, _advice in _FAILURES:
        if message.startswith(what):
            return what
    return "the store failed"


def describe_failure(error: BaseException, where: str, *, otherwise: str = "") -> str:
    """One sentence for people: what failed, where, the database's words, and what to do.

    A failure of no known kind reads ``the store at WHERE failed: REASON`` plus `otherwise`
    (advice the caller knows fits, e.g. "check that the database server runs").
    """
    # The error raised may be a consequence (SQLite rolls back on SQLITE_FULL, so releasing a
    # savepoint then fails with "no such savepoint"): the chain is searched for the cause.
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for link in chain:
        reason = failure_reason(link)
        lowered = reason.lower()
        for words, what, advice in _FAILURES:
            if any(word in lowered for word in words):
                return f"{what}: {where} ({reason}); {advice}"
    reason = failure_reason(error)
    return f"the store at {where} failed: {reason}" + (f"; {otherwise}" if otherwise else "")


class IntegrityProbe:
    """A cached check that the store's pages can be read (see the module docstring).

    `check` raises `StoreError` (described by `describe_failure`) when the store is damaged or
    unreachable. A check that does not finish within `budget` seconds counts as passed: a big
    healthy file must not make readiness fail.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        max_age: float = 60.0,
        budget: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._max_age = max_age
        self._budget = budget
        self._clock = clock
        self._running = threading.Lock()
        self._checked_at: float | None = None
        self._problem: str | None = None

    def check(self) -> None:
        """Raise `StoreError` if the last check (at most `max_age` seconds old) found a problem.

        One thread runs a due check; the others meanwhile take the previous answer instead of
        waiting (only the very first check is waited for).
        """
        if self._due() and self._running.acquire(blocking=self._checked_at is None):
            try:
                if self._due():
                    self._problem = self._run()
                    self._checked_at = self._clock()
            finally:
                self._running.release()
        problem = self._problem
        if problem is not None:
            raise StoreError(problem)

    def _due(self) -> bool:
        checked = self._checked_at
        return checked is None or self._clock() - checked >= self._max_age

    def forget(self) -> None:
        """Check again on the next call (after a repair, or in tests)."""
        self._checked_at = None

    def _run(self) -> str | None:
        where = location(self._engine.url)
        try:
            with self._engine.connect() as connection:
                if connection.dialect.name != "sqlite":
                    connection.execute(text("SELECT 1 FROM alembic_version")).all()
                    return None
                rows = self._quick_check(connection.connection.driver_connection)
        except (SQLAlchemyError, sqlite3.Error) as error:
            return describe_failure(error, where)
        if rows is None or rows[:1] == ["ok"]:
            return None
        return describe_failure(
            StoreError("database disk image is malformed: " + "; ".join(rows[:3])), where
        )

    def _quick_check(self, raw: Any) -> list[str] | None:
        """``PRAGMA quick_check`` rows, or None when it ran out of its time budget."""
        deadline = self._clock() + self._budget
        raw.set_progress_handler(lambda: int(self._clock() > deadline), 10_000)
        try:
            return [str(row[0]) for row in raw.execute("PRAGMA quick_check(20)").fetchall()]
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                return None
            raise
        finally:
            raw.set_progress_handler(None, 0)
