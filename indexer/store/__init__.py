"""The store: the catalogue's source of truth, on SQLite (default) or PostgreSQL.

Build one with `create_store(database_url)`; there are no import-time globals. A new (or older)
SQLite file is migrated on first use; a PostgreSQL database is migrated by
`codereuse db upgrade` (``create_store`` says so when it is not).

The `Store` API, grouped by who calls it (exact names; other packages code against them):

Records (API, search indexer, exports)
    ``upsert_records(records, *, now=None) -> UpsertSummary``  idempotent, keyed by canonical id
    ``get_record(id) -> Record | None`` / ``get_record_meta(id) -> RecordMeta | None``
    ``iter_records(*, ids=None, include_deleted=False, batch_size=1000) -> Iterator[Record]``
    ``iter_documents(*, batch_size=1000) -> Iterator[str]``  stored JSON, no models (exports)
    ``count_records(*, include_deleted=False, forge=None, declared=None, valid=None) -> int``
    ``record_ids() -> set[str]``  ids of the live records
    ``delete_records(ids, *, now=None) -> list[str]``  tombstones, fed to the change feed
    ``changes_since(seq_or_time, limit=1000) -> list[Change]`` / ``latest_change_seq() -> int``
    ``find_record_by_url(url) -> str | None``  current or earlier (alias) URL

Forges (CLI, API)
    ``add_forge(reg)`` (`ForgeExistsError`), ``update_forge(reg)``, ``get_forge(name)``,
    ``list_forges()``, ``remove_forge(name) -> list[str]`` (tombstoned record ids)

Crawl state (the crawler, through the adapter in `cli/`)
    ``start_crawl_run(forge, *, full) -> int``
    ``finish_crawl_run(run_id, *, status, stats, findings=(), requests=0, record_findings=None)``
    ``crawl_runs(forge=None, limit=20) -> list[CrawlRun]`` / ``crawl_findings(run_id)``
    ``fingerprints(forge) -> dict[str, RepositoryFingerprint]``  keyed by forge id
    ``save_page(forge, scope, snapshots, records, checkpoint) -> UpsertSummary``  ONE transaction
    ``get_checkpoint(forge, scope)`` / ``clear_checkpoint(forge, scope)``
    ``record_listing(forge, seen_forge_ids, *, complete, tombstone_after=3) -> list[str]``
    ``rename_repository(forge, forge_id, new_url) -> str``
    ``iter_snapshots(forge=None) -> Iterator[RepositorySnapshot]``
    ``get_publiccode(record_id) -> bytes | None``  the raw file behind a record (API)

Crawl jobs (API asks, `codereuse run` runs)
    ``request_crawl(forge) -> int``, ``next_crawl_job() -> CrawlJob | None``,
    ``finish_crawl_job(id, status)``, ``get_crawl_job(id)``, ``crawl_jobs(forge=None, limit=20)``

Leases (`codereuse run`: one scheduler per store)
    ``acquire_lease(name, holder, *, seconds) -> Lease``, ``release_lease(name, holder)``,
    ``get_lease(name)``

Relations and statistics (API)
    ``set_relations(from_id, kind, to_ids)``, ``relations_of(id) -> list[Relation]``,
    ``stats() -> CatalogueStats``, ``timeline() -> CatalogueTimeline``

Every ``now`` defaults to the store's clock (UTC); datetimes come back timezone-aware.
Errors are `schemas.errors.StoreError` and its subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from indexer.store.engine import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    parse_database_url,
    safe_url,
    upgrade,
)
from indexer.store.health import describe_failure, location
from indexer.store.maturity import MaturityChange
from indexer.store.pictures import Picture, picture_key
from indexer.store.store import Store
from indexer.store.values import (
    CatalogueStats,
    CatalogueTimeline,
    Change,
    ChangeKind,
    CrawlJob,
    CrawlRun,
    Lease,
    RecordMeta,
    Relation,
    RelationKind,
    UpsertSummary,
)
from schemas.errors import ConfigurationError, StoreError, StoreNotMigratedError

__all__ = [
    "CatalogueStats",
    "CatalogueTimeline",
    "Change",
    "ChangeKind",
    "CrawlJob",
    "CrawlRun",
    "Lease",
    "MaturityChange",
    "Picture",
    "RecordMeta",
    "Relation",
    "RelationKind",
    "Store",
    "UpsertSummary",
    "create_store",
    "picture_key",
    "upgrade_database",
]


def create_store(
    database_url: str,
    *,
    migrate: bool | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Store:
    """Open the store at `database_url` (any SQLAlchemy URL of SQLite or PostgreSQL).

    `migrate`: None (default) migrates SQLite databases to the newest schema and only checks
    PostgreSQL ones; True migrates any database; False only checks.

    Raises:
        ConfigurationError: the URL is unusable (not SQLite/PostgreSQL, missing directory).
        StoreNotMigratedError: the schema is not the one this codereuse needs.
        StoreError: the database cannot be reached.
    """
    url = parse_database_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database not in {None, "", ":memory:"}:
        directory = Path(str(url.database)).expanduser().resolve().parent
        if not directory.is_dir():
            raise ConfigurationError(
                f"database URL {safe_url(url)}: directory {directory} does not exist; "
                "create it or point CODEREUSE_DATABASE_URL elsewhere"
            )
    engine = make_engine(url)
    try:
        _ensure_schema(engine, migrate=sqlite if migrate is None else migrate)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine) if clock is None else Store(engine, clock=clock)


def upgrade_database(database_url: str) -> tuple[str | None, str]:
    """Apply every pending migration to `database_url`; return (revision before, after)."""
    engine = make_engine(parse_database_url(database_url))
    try:
        before = _revision(engine)
        _ensure_known(engine, before)
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            raise StoreError(describe_failure(exc, location(engine.url))) from exc
        return before, head_revision()
    finally:
        engine.dispose()


def _revision(engine: Engine) -> str | None:
    try:
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise StoreError(
            describe_failure(
                exc,
                location(engine.url),
                otherwise="check CODEREUSE_DATABASE_URL and that the database server runs",
            )
        ) from exc


def _ensure_known(engine: Engine, revision: str | None) -> None:
    if revision is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError as exc:
        raise StoreNotMigratedError(
            f"the store at {safe_url(engine.url)} is at schema revision {revision!r}, which "
            "this codereuse does not know (a newer codereuse wrote it); upgrade codereuse"
        ) from exc


def _ensure_schema(engine: Engine, *, migrate: bool) -> None:
    revision = _revision(engine)
    head = head_revision()
    if revision == head:
        return
    _ensure_known(engine, revision)
    if not migrate:
        raise StoreNotMigratedError(
            f"the store at {safe_url(engine.url)} is at schema revision "
            f"{revision or '(empty database)'}, this codereuse needs {head}; run "
            "`codereuse db upgrade` (it reads CODEREUSE_DATABASE_URL or --database-url)"
        )
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        raise StoreError(describe_failure(exc, location(engine.url))) from exc
