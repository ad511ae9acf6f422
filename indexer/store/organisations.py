"""Organisations in the store: the entities federation derives, the registry entries ``forges
import`` keeps, and the per-organisation counts read from `records.organisation_id`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, case, delete, exists, func, insert, select

from indexer.store.models import (
    OrganisationRow,
    RecordRow,
    RegistryOrganisationRow,
    RepositoryRow,
)
from schemas.organisation import ForgeAccount, OrganisationEntity, RegistryOrganisation


@dataclass(frozen=True)
class OrganisationCounts:
    """Live records of one organisation: all, declared, declared and valid; forges used."""

    software: int
    declared: int
    valid: int
    forges: tuple[str, ...]


def save(connection: Connection, entities: Iterable[OrganisationEntity], now: datetime) -> int:
    """Insert or replace `entities`; accounts known before and not named again are kept (an
    incremental federation sees only some of an organisation's records). Returns the count."""
    batch = list(entities)
    if not batch:
        return 0
    known = {
        row.id: OrganisationEntity.model_validate_json(row.document)
        for row in connection.execute(
            select(OrganisationRow.id, OrganisationRow.document).where(
                OrganisationRow.id.in_([entity.id for entity in batch])
            )
        )
    }
    rows = []
    for entity in batch:
        previous = known.get(entity.id)
        if previous is not None:
            accounts: dict[str, ForgeAccount] = {a.owner: a for a in previous.accounts}
            accounts.update({a.owner: a for a in entity.accounts})
            entity = entity.model_copy(
                update={"accounts": [accounts[key] for key in sorted(accounts)]}
            )
        rows.append(
            {
                "id": entity.id,
                "document": entity.model_dump_json(),
                "name": entity.name,
                "kind": entity.kind,
                "country": entity.country,
                "updated_at": now,
            }
        )
    connection.execute(delete(OrganisationRow).where(OrganisationRow.id.in_(list(known))))
    connection.execute(insert(OrganisationRow), rows)
    return len(rows)


def get(connection: Connection, id_: str) -> OrganisationEntity | None:
    """The organisation `id_`, or None."""
    document = connection.scalar(select(OrganisationRow.document).where(OrganisationRow.id == id_))
    return None if document is None else OrganisationEntity.model_validate_json(document)


def every(connection: Connection) -> list[OrganisationEntity]:
    """Every stored organisation, by id."""
    return [
        OrganisationEntity.model_validate_json(document)
        for document in connection.scalars(
            select(OrganisationRow.document).order_by(OrganisationRow.id)
        )
    ]


def counts(connection: Connection) -> dict[str, OrganisationCounts]:
    """Organisation id → its live records' counts (organisations with none are absent)."""
    query = (
        select(
            RecordRow.organisation_id,
            RecordRow.forge,
            func.count(),
            func.sum(case((RecordRow.declared, 1), else_=0)),
            func.sum(case((RecordRow.declared & RecordRow.valid, 1), else_=0)),
        )
        .where(RecordRow.deleted_at.is_(None), RecordRow.organisation_id.is_not(None))
        .group_by(RecordRow.organisation_id, RecordRow.forge)
    )
    totals: dict[str, list[int]] = {}
    forges: dict[str, set[str]] = {}
    for oid, forge, software, declared, valid in connection.execute(query):
        total = totals.setdefault(oid, [0, 0, 0])
        total[0] += software
        total[1] += int(declared or 0)
        total[2] += int(valid or 0)
        forges.setdefault(oid, set()).add(forge)
    return {
        oid: OrganisationCounts(t[0], t[1], t[2], tuple(sorted(forges[oid])))
        for oid, t in totals.items()
    }


def unresolved(connection: Connection) -> int:
    """Live records stored before organisations were resolved — no owner path and no
    organisation id — whose repository has a stored snapshot (so federation can resolve them).
    A record federated since always has an owner path, so this stays 0 once they are."""
    query = (
        select(func.count())
        .select_from(RecordRow)
        .where(
            RecordRow.deleted_at.is_(None),
            RecordRow.owner.is_(None),
            RecordRow.organisation_id.is_(None),
            exists().where(RepositoryRow.canonical_id == RecordRow.id),
        )
    )
    return int(connection.scalar(query) or 0)


def record_ids(connection: Connection, id_: str) -> list[str]:
    """Ids of the live records of organisation `id_`, by id."""
    return list(
        connection.scalars(
            select(RecordRow.id)
            .where(RecordRow.organisation_id == id_, RecordRow.deleted_at.is_(None))
            .order_by(RecordRow.id)
        )
    )


def declared_by_owner(connection: Connection) -> dict[str, str]:
    """Owner path → the organisation id most of its live declared records name."""
    query = (
        select(RecordRow.owner, RecordRow.organisation_id, func.count())
        .where(
            RecordRow.deleted_at.is_(None),
            RecordRow.declared,
            RecordRow.owner.is_not(None),
            RecordRow.organisation_id.is_not(None),
            RecordRow.organisation_id.not_like("account:%"),
            RecordRow.organisation_kind != "person",
        )
        .group_by(RecordRow.owner, RecordRow.organisation_id)
    )
    best: dict[str, tuple[int, str]] = {}  # owner → (-count, id): the smallest wins
    for owner, oid, count in connection.execute(query):
        rank = (-int(count), str(oid))
        if owner is None:
            continue
        if owner not in best or rank < best[owner]:
            best[owner] = rank
    return {owner: rank[1] for owner, rank in best.items()}


def save_registry(
    connection: Connection, entries: Iterable[RegistryOrganisation], now: datetime
) -> int:
    """Keep registry `entries`, replacing what the same source said before. Returns the count."""
    batch = list(entries)
    sources = {entry.source for entry in batch}
    if sources:
        connection.execute(
            delete(RegistryOrganisationRow).where(RegistryOrganisationRow.source.in_(sources))
        )
    rows = {}
    for entry in batch:
        key = f"{entry.source}|{entry.accounts[0] if entry.accounts else entry.identifiers}"
        rows[key] = {
            "key": key[:1024],
            "source": entry.source,
            "document": entry.model_dump_json(),
            "updated_at": now,
        }
    if rows:
        connection.execute(insert(RegistryOrganisationRow), list(rows.values()))
    return len(rows)


def registry(connection: Connection) -> list[RegistryOrganisation]:
    """Every kept registry entry, by key."""
    return [
        RegistryOrganisation.model_validate_json(document)
        for document in connection.scalars(
            select(RegistryOrganisationRow.document).order_by(RegistryOrganisationRow.key)
        )
    ]
