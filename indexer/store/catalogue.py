"""Relations between records, URL lookup through aliases, and catalogue statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select

from indexer.store import crawl_state, records
from indexer.store.models import AliasRow, ForgeRow, RecordRow, RelationRow, RepositoryRow
from indexer.store.values import RELATION_KINDS, CatalogueStats, Relation, RelationKind
from schemas.errors import StoreError
from schemas.record import canonical_id

STATS_BATCH = 5000
HISTORY_RUNS = 500


def set_relations(
    connection: Connection, from_id: str, kind: RelationKind, to_ids: Iterable[str]
) -> None:
    """Replace the `kind` relations leaving `from_id` by links to `to_ids` (self-links dropped)."""
    if kind not in RELATION_KINDS:
        raise StoreError(f"relation kind {kind!r} is unknown; use one of {RELATION_KINDS}")
    connection.execute(
        delete(RelationRow).where(RelationRow.from_id == from_id, RelationRow.kind == kind)
    )
    targets = [to_id for to_id in dict.fromkeys(to_ids) if to_id != from_id]
    if targets:
        connection.execute(
            insert(RelationRow),
            [{"from_id": from_id, "to_id": to_id, "kind": kind} for to_id in targets],
        )


def relations_of(connection: Connection, id_: str) -> list[Relation]:
    """Every relation leaving or reaching `id_`, ordered by kind, from_id, to_id."""
    query = (
        select(RelationRow)
        .where((RelationRow.from_id == id_) | (RelationRow.to_id == id_))
        .order_by(RelationRow.kind, RelationRow.from_id, RelationRow.to_id)
    )
    return [
        Relation(from_id=row.from_id, to_id=row.to_id, kind=row.kind)
        for row in connection.execute(query)
    ]


def find_record_by_url(connection: Connection, url: str) -> str | None:
    """The id of the live record at `url`, directly or through an earlier URL (alias).

    Raises:
        InvalidURLError: `url` does not name a repository.
    """
    id_ = canonical_id(url)
    if records.is_live(connection, id_):
        return id_
    target = connection.scalar(select(AliasRow.record_id).where(AliasRow.alias_id == id_))
    if target is not None and records.is_live(connection, target):
        return str(target)
    return None


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def stats(connection: Connection) -> CatalogueStats:
    """Counts over the live catalogue and its size after each finished crawl run.

    Reads only the denormalised columns, in keyset batches, and counts in Python: the same
    code and result on SQLite and PostgreSQL, without loading record documents.
    """
    by_forge: Counter[str] = Counter()
    by_organisation: Counter[str] = Counter()
    by_licence: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    total = declared = valid = 0
    after: str | None = None
    while True:
        query = (
            select(
                RecordRow.id,
                RecordRow.declared,
                RecordRow.valid,
                RecordRow.forge,
                RecordRow.organisation,
                RecordRow.licences,
                RecordRow.languages,
                RecordRow.categories,
            )
            .where(RecordRow.deleted_at.is_(None))
            .order_by(RecordRow.id)
            .limit(STATS_BATCH)
        )
        if after is not None:
            query = query.where(RecordRow.id > after)
        rows = connection.execute(query).all()
        if not rows:
            break
        for row in rows:
            total += 1
            declared += bool(row.declared)
            valid += bool(row.valid)
            by_forge[row.forge] += 1
            if row.organisation:
                by_organisation[row.organisation] += 1
            by_licence.update(set(row.licences or ()))
            by_language.update(set(row.languages or ()))
            by_category.update(set(row.categories or ()))
        after = rows[-1].id
    repositories = connection.scalar(
        select(func.count()).select_from(RepositoryRow).where(RepositoryRow.tombstoned_at.is_(None))
    )
    forge_count = connection.scalar(select(func.count()).select_from(ForgeRow))
    return CatalogueStats(
        records=total,
        declared=declared,
        valid=valid,
        forges=int(forge_count or 0),
        repositories=int(repositories or 0),
        by_forge=_ranked(by_forge),
        by_organisation=_ranked(by_organisation),
        by_licence=_ranked(by_licence),
        by_language=_ranked(by_language),
        by_category=_ranked(by_category),
        history=crawl_state.finished_runs(connection, HISTORY_RUNS),
    )
