"""Relations between records, URL lookup through aliases, and catalogue statistics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, case, delete, extract, func, insert, or_, select, text

from indexer.store import crawl_state, records
from indexer.store.models import AliasRow, ForgeRow, RecordRow, RelationRow, RepositoryRow
from indexer.store.values import (
    RELATION_KINDS,
    CatalogueStats,
    CatalogueTimeline,
    Relation,
    RelationKind,
)
from schemas.errors import StoreError
from schemas.organisation import name_id
from schemas.record import canonical_id

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


# One row per (record, list element) of a JSON list column, per dialect. The column name comes
# from `_LIST_COLUMNS` only, never from input.
_LIST_ELEMENT_COUNTS = {
    "sqlite": (
        "SELECT item.value AS key, count(DISTINCT records.id) AS n "
        "FROM records, json_each(records.{column}) AS item "
        "WHERE records.deleted_at IS NULL GROUP BY item.value"
    ),
    "postgresql": (
        "SELECT item AS key, count(DISTINCT records.id) AS n "
        "FROM records, json_array_elements_text(records.{column}) AS item "
        "WHERE records.deleted_at IS NULL GROUP BY item"
    ),
}
_LIST_COLUMNS = ("licences", "languages", "categories")


def _ranked(rows: Iterable[Row[Any]]) -> dict[str, int]:
    pairs = [(str(row.key), int(row.n)) for row in rows if row.key is not None and row.key != ""]
    return dict(sorted(pairs, key=lambda item: (-item[1], item[0])))


def _count_by(connection: Connection, column: Any) -> dict[str, int]:
    query = (
        select(column.label("key"), func.count().label("n"))
        .where(RecordRow.deleted_at.is_(None))
        .group_by(column)
    )
    return _ranked(connection.execute(query))


def _by_organisation(connection: Connection) -> tuple[dict[str, int], dict[str, str]]:
    """Organisation id → live records, and id → the name most of them carry (persons left
    out: a user namespace is not an organisation). Grouped by id, not name, so two
    organisations of the same display name stay apart; a record not federated yet (a name and
    no id) counts under the name's id (`schemas.organisation.name_id`)."""
    query = (
        select(RecordRow.organisation_id, RecordRow.organisation, func.count())
        .where(
            RecordRow.deleted_at.is_(None),
            or_(RecordRow.organisation_id.is_not(None), RecordRow.organisation.is_not(None)),
            or_(RecordRow.organisation_kind.is_(None), RecordRow.organisation_kind != "person"),
        )
        .group_by(RecordRow.organisation_id, RecordRow.organisation)
    )
    totals: dict[str, int] = {}
    names: dict[str, tuple[int, str]] = {}
    for found, name, count in connection.execute(query):
        oid = found or (name_id(name) if name and name.strip() else None)
        if not oid:
            continue
        totals[oid] = totals.get(oid, 0) + int(count)
        if name and (oid not in names or (-int(count), name) < names[oid]):
            names[oid] = (-int(count), name)
    ranked = dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))
    return ranked, {oid: name for oid, (_, name) in names.items()}


def _count_elements(connection: Connection, column: str) -> dict[str, int]:
    if column not in _LIST_COLUMNS:
        raise ValueError(f"{column!r} is not a JSON list column of records")
    sql = _LIST_ELEMENT_COUNTS[connection.dialect.name].format(column=column)
    return _ranked(connection.execute(text(sql)))


def stats(connection: Connection) -> CatalogueStats:
    """Counts over the live catalogue and its size after each finished crawl run.

    Grouping happens in the database over the denormalised columns (JSON lists are unnested
    with SQLite's ``json_each`` / PostgreSQL's ``json_array_elements_text``), so the result is
    the same on both and no record document is loaded.
    """
    totals = connection.execute(
        select(
            func.count().label("records"),
            func.sum(case((RecordRow.declared, 1), else_=0)).label("declared"),
            func.sum(case((RecordRow.valid, 1), else_=0)).label("valid"),
        ).where(RecordRow.deleted_at.is_(None))
    ).one()
    repositories = connection.scalar(
        select(func.count()).select_from(RepositoryRow).where(RepositoryRow.tombstoned_at.is_(None))
    )
    forge_count = connection.scalar(select(func.count()).select_from(ForgeRow))
    by_organisation, organisation_names = _by_organisation(connection)
    return CatalogueStats(
        records=int(totals.records or 0),
        declared=int(totals.declared or 0),
        valid=int(totals.valid or 0),
        forges=int(forge_count or 0),
        repositories=int(repositories or 0),
        by_forge=_count_by(connection, RecordRow.forge),
        by_organisation=by_organisation,
        organisation_names=organisation_names,
        by_licence=_count_elements(connection, "licences"),
        by_language=_count_elements(connection, "languages"),
        by_category=_count_elements(connection, "categories"),
        history=crawl_state.finished_runs(connection, HISTORY_RUNS),
    )


def timeline(connection: Connection) -> CatalogueTimeline:
    """First-seen months and last-activity years of the live records, grouped in the database.

    ``extract`` compiles to ``strftime`` on SQLite and ``EXTRACT`` on PostgreSQL, so both give
    the same figures without loading a record.
    """
    live = RecordRow.deleted_at.is_(None)
    year, month = extract("year", RecordRow.first_seen), extract("month", RecordRow.first_seen)
    seen = connection.execute(
        select(year, month, func.count()).where(live).group_by(year, month).order_by(year, month)
    ).all()
    active_year = extract("year", RecordRow.last_activity)
    active = connection.execute(
        select(active_year, func.count())
        .where(live, RecordRow.last_activity.is_not(None))
        .group_by(active_year)
        .order_by(active_year)
    ).all()
    no_activity = connection.scalar(
        select(func.count()).select_from(RecordRow).where(live, RecordRow.last_activity.is_(None))
    )
    invalid = connection.scalar(
        select(func.count())
        .select_from(RecordRow)
        .where(live, RecordRow.declared.is_(True), RecordRow.valid.is_(False))
    )
    return CatalogueTimeline(
        first_seen_by_month={f"{int(y):04d}-{int(m):02d}": int(n) for y, m, n in seen},
        activity_by_year={f"{int(y):04d}": int(n) for y, n in active},
        no_activity=int(no_activity or 0),
        declared_invalid=int(invalid or 0),
    )
