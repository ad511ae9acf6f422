"""Engines for the store and the migrations that shape their schema.

`make_engine` builds an engine from a database URL with the settings each database needs:

- SQLite: WAL journal (the API reads while the crawler writes), foreign keys on, a 30 s busy
  timeout, ``synchronous=NORMAL`` (durable across process kills in WAL mode), and transactions
  begun explicitly: ``BEGIN IMMEDIATE`` for writes, so two writers queue on the busy timeout
  instead of failing when a read lock cannot be upgraded. ``sqlite://`` (in memory) shares one
  connection.
- PostgreSQL: ``postgresql://`` and ``postgres://`` URLs use psycopg 3 (the driver we ship).

Migrations are alembic scripts shipped inside the package (`indexer/store/migrations/`) and run
programmatically: no ``alembic.ini`` is needed, so a non-editable install finds them too.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from schemas.errors import ConfigurationError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option marking a connection whose transaction will write (see `_begin_sqlite`).
WRITE_OPTION = "codereuse_write"
# PostgreSQL advisory lock every codereuse writer (and migration) holds for its transaction:
# writes are serialised as on SQLite, so change-feed seqs are handed out in commit order.
WRITE_LOCK_KEY = 0x636F6465  # "code"


def lock_for_writing(connection: Connection) -> None:
    """Inside a transaction: wait for the store's write lock (PostgreSQL; SQLite needs none)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def parse_database_url(database_url: str) -> URL:
    """Parse `database_url`, mapping bare PostgreSQL URLs to the psycopg 3 driver.

    Raises:
        ConfigurationError: the URL is not a SQLAlchemy URL of SQLite or PostgreSQL.
    """
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise ConfigurationError(
            f"database URL {safe_url_text(database_url)!r} is not a SQLAlchemy URL; use e.g. "
            "sqlite:///./codereuse.db or postgresql://user@host/dbname (CODEREUSE_DATABASE_URL)"
        ) from exc
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"database URL {safe_url(url)}: codereuse stores into SQLite or PostgreSQL only"
        )
    return url


# A password written into a URL: ``user:PASSWORD@`` and query parameters such as libpq's
# ``password=`` and ``sslpassword=`` (or a token or key).
_USERINFO_PASSWORD = re.compile(r"([^/@:]*:)[^/@:]*@")
_QUERY_SECRET = re.compile(r"([?&][^=&#]*(?:pass|pwd|secret|token|key)[^=&#]*=)[^&#]*", re.I)


def safe_url(url: URL) -> str:
    """The URL as text with the password and secret query parameters masked, for messages.

    SQLAlchemy's ``hide_password`` masks ``user:PASSWORD@``; a password given as
    ``?password=`` (libpq accepts it) is masked here too.
    """
    return _QUERY_SECRET.sub(r"\1***", url.render_as_string(hide_password=True))


def safe_url_text(database_url: str) -> str:
    """`database_url` (text, maybe not even a valid URL) with every password masked."""
    try:
        return safe_url(make_url(database_url))
    except ArgumentError:
        return _QUERY_SECRET.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1***@", database_url))


def sqlite_store_file(database_url: str | URL) -> Path | None:
    """The resolved file of the SQLite store at `database_url`; None for PostgreSQL, a store in
    memory, or a ``file:`` URI (its name is not a path). What is kept beside a store (answers,
    export files) is named after this file."""
    url = parse_database_url(database_url) if isinstance(database_url, str) else database_url
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    if str(url.database).startswith("file:"):
        return None
    return Path(str(url.database)).expanduser().resolve()


def make_engine(database_url: str | URL) -> Engine:
    """An engine for `database_url` set up as the module docstring describes."""
    url = parse_database_url(database_url) if isinstance(database_url, str) else database_url
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    options: dict[str, Any] = {}
    if url.database in {None, "", ":memory:"}:
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        # Threads of one process (the API server's workers) share the pool.
        options = {"connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the driver so `_begin_sqlite` decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic configuration pointing at the shipped migrations, bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this codereuse."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise ConfigurationError(f"no migrations found in {MIGRATIONS}; reinstall codereuse")
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a database never migrated."""
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(max(level, logging.WARNING))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        alembic_log.setLevel(level)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision` in one transaction (SQLite: a write transaction)."""
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    # alembic narrates every step at INFO; one line of ours says what happens.
    alembic_log.setLevel(max(level, logging.WARNING))
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                lock_for_writing(connection)
                before = MigrationContext.configure(connection).get_current_revision()
                command.upgrade(alembic_config(connection), revision)
                after = MigrationContext.configure(connection).get_current_revision()
    finally:
        alembic_log.setLevel(level)
    if before != after:
        log.info(
            "migrated the store at %s from %s to %s",
            safe_url(engine.url),
            before or "(empty database)",
            after,
        )
