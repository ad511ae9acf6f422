"""Forge registration rows: add, update, read, remove (with their repositories and records)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from indexer.store import records
from indexer.store.models import (
    CheckpointRow,
    CrawlJobRow,
    CrawlRunRow,
    FindingRow,
    ForgeRow,
    RecordRow,
    RepositoryRow,
)
from schemas.copying import field_values, from_attributes
from schemas.errors import ForgeExistsError, NotFoundError
from schemas.forge import ForgeRegistration


def _values(registration: ForgeRegistration) -> dict[str, Any]:
    """The row values of `registration` but its name (the key)."""
    values = field_values(registration)
    del values["name"]
    return values


def _registration(row: Any) -> ForgeRegistration:
    return from_attributes(ForgeRegistration, row)


def exists(connection: Connection, name: str) -> bool:
    """True when a forge called `name` is registered."""
    return connection.scalar(select(ForgeRow.name).where(ForgeRow.name == name)) is not None


def require(connection: Connection, name: str) -> None:
    """Raise `NotFoundError` unless a forge called `name` is registered."""
    if not exists(connection, name):
        raise NotFoundError(
            f"no forge named {name!r} is registered; see `codereuse forges list` "
            "or register it with `codereuse forges add`"
        )


def add(connection: Connection, registration: ForgeRegistration, now: datetime) -> None:
    """Insert `registration`; raise `ForgeExistsError` when its name is taken."""
    if exists(connection, registration.name):
        raise _exists_error(registration)
    try:
        with connection.begin_nested():
            connection.execute(
                insert(ForgeRow).values(
                    name=registration.name, created_at=now, updated_at=now, **_values(registration)
                )
            )
    except IntegrityError as exc:  # another process registered the same name meanwhile
        raise _exists_error(registration) from exc


def _exists_error(registration: ForgeRegistration) -> ForgeExistsError:
    return ForgeExistsError(
        f"a forge named {registration.name!r} is already registered; pick another --name "
        f"or change it with `codereuse forges remove {registration.name}` and add it again"
    )


def update_registration(
    connection: Connection, registration: ForgeRegistration, now: datetime
) -> None:
    """Replace the stored registration of `registration.name`; `NotFoundError` if missing."""
    require(connection, registration.name)
    connection.execute(
        update(ForgeRow)
        .where(ForgeRow.name == registration.name)
        .values(updated_at=now, **_values(registration))
    )


def get(connection: Connection, name: str) -> ForgeRegistration | None:
    """The registration called `name`, or None."""
    row = connection.execute(select(ForgeRow).where(ForgeRow.name == name)).first()
    return None if row is None else _registration(row)


def list_all(connection: Connection) -> list[ForgeRegistration]:
    """Every registration, by name."""
    return [
        _registration(row) for row in connection.execute(select(ForgeRow).order_by(ForgeRow.name))
    ]


def remove(connection: Connection, name: str, now: datetime) -> list[str]:
    """Delete forge `name`, its repositories, runs, checkpoints and jobs.

    Records that came only from this forge (no live repository of another forge holds their
    id) are tombstoned; returns their ids. Raises `NotFoundError` when `name` is unknown.
    """
    require(connection, name)
    candidates = set(
        connection.scalars(select(RepositoryRow.canonical_id).where(RepositoryRow.forge == name))
    )
    candidates.update(
        connection.scalars(
            select(RecordRow.id).where(RecordRow.forge == name, RecordRow.deleted_at.is_(None))
        )
    )
    # Explicit deletes rather than relying on ON DELETE CASCADE alone, so a database created
    # without foreign keys enforced ends up the same.
    connection.execute(delete(RepositoryRow).where(RepositoryRow.forge == name))
    run_ids = select(CrawlRunRow.id).where(CrawlRunRow.forge == name).scalar_subquery()
    connection.execute(delete(FindingRow).where(FindingRow.crawl_run_id.in_(run_ids)))
    connection.execute(delete(CrawlRunRow).where(CrawlRunRow.forge == name))
    connection.execute(delete(CheckpointRow).where(CheckpointRow.forge == name))
    connection.execute(delete(CrawlJobRow).where(CrawlJobRow.forge == name))
    connection.execute(delete(ForgeRow).where(ForgeRow.name == name))
    held = held_elsewhere(connection, candidates)
    return records.tombstone(connection, sorted(candidates - held), now)


def held_elsewhere(
    connection: Connection, record_ids: set[str], *, except_repository: int | None = None
) -> set[str]:
    """Those `record_ids` that some live repository still holds (optionally ignoring one)."""
    held: set[str] = set()
    ids = sorted(record_ids)
    for start in range(0, len(ids), records.BATCH_SIZE):
        query = select(RepositoryRow.canonical_id).where(
            RepositoryRow.canonical_id.in_(ids[start : start + records.BATCH_SIZE]),
            RepositoryRow.tombstoned_at.is_(None),
        )
        if except_repository is not None:
            query = query.where(RepositoryRow.id != except_repository)
        held.update(connection.scalars(query))
    return held
