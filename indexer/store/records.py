"""Record rows and the change feed: encode, upsert in batches, tombstone, read back.

Functions here take an open `Connection` inside a transaction the caller (the `Store`) owns, so
`save_page` can upsert records in the same transaction as the crawl state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from indexer.store import maturity, reuse
from indexer.store.models import AliasRow, ChangeRow, RecordRow
from indexer.store.values import Change, ChangeKind, RecordFacets, RecordMeta, UpsertSummary
from schemas.copying import from_attributes
from schemas.record import Record

BATCH_SIZE = 1000
_COMPUTED_FIELDS: set[str] = set(Record.model_computed_fields)
_HASH_EXCLUDED: dict[str, Any] = {
    **dict.fromkeys(_COMPUTED_FIELDS, True),
    "provenance": {"fetched_at": True},
}


@dataclass(frozen=True)
class EncodedRecord:
    """A record with its content hash; `values` builds its full row only when it is written."""

    record: Record
    content_hash: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def values(self) -> dict[str, Any]:
        """The row of the `records` table (without the seen/changed/deleted times)."""
        record = self.record
        licences: list[str] = []
        if record.licence is not None and record.licence.ids:
            licences = list(record.licence.ids)
        elif record.repository.licence:
            licences = [record.repository.licence]
        return {
            "id": record.id,
            "document": record.model_dump_json(exclude=_COMPUTED_FIELDS),
            "content_hash": self.content_hash,
            "name": record.name,
            "declared": record.declared,
            "valid": record.valid,
            "forge": record.repository.forge,
            "organisation": record.organisation.name if record.organisation else None,
            "organisation_id": record.organisation.id if record.organisation else None,
            "organisation_kind": record.organisation.kind if record.organisation else None,
            "owner": record.repository.owner,
            "licences": licences,
            "languages": list(record.repository.languages),
            "categories": list(record.categories),
            "last_activity": record.repository.last_activity,
            "maturity_due": maturity.due(record),
        }


def encode(record: Record) -> EncodedRecord:
    """`record` with its content hash.

    The stored document is the record's JSON without computed fields (so
    `Record.model_validate_json` reads it back). The content hash covers the same JSON minus
    `provenance.fetched_at`, which moves on every crawl without anything a reader sees
    changing. Both are serialised by pydantic's compiled serializer in field order (the hot
    path of a crawl); mappings keep their insertion order, so a crawler that rebuilds the same
    record the same way always gets the same hash.
    """
    content = record.model_dump_json(exclude=_HASH_EXCLUDED)
    return EncodedRecord(record=record, content_hash=hashlib.sha256(content.encode()).hexdigest())


def decode(document: str) -> Record:
    """The record stored as `document`."""
    return Record.model_validate_json(document)


def upsert_batch(connection: Connection, records: Iterable[Record], now: datetime) -> UpsertSummary:
    """Upsert one batch of records (any size; queried in chunks of `BATCH_SIZE`).

    A new id is inserted (created); a known id whose content hash differs, or which was
    tombstoned, is rewritten (changed, `last_changed` = now); an equal one only gets
    `last_seen` = now (unchanged) — unless its stored `maturity_due` has passed by the new
    record's fetch time: its assessment changed with time alone (a repository gone dormant is
    no longer ``active``), so it is rewritten as changed, with the new fetch time and a new
    maturity history row. Created and changed records get an ``upserted`` entry in the
    change feed. Within one call, the last record of an id wins.
    """
    latest: dict[str, Record] = {}
    for record in records:
        latest.pop(record.id, None)
        latest[record.id] = record
    summary = UpsertSummary()
    batch = list(latest.values())
    for start in range(0, len(batch), BATCH_SIZE):
        chunk = with_aliases(connection, batch[start : start + BATCH_SIZE])
        summary += _upsert_chunk(connection, [encode(record) for record in chunk], now)
    return summary


def with_aliases(connection: Connection, batch: list[Record]) -> list[Record]:
    """`batch` with the stored alias URLs of each record merged into `relations.aliases`."""
    known: dict[str, list[str]] = {}
    for row in connection.execute(
        select(AliasRow.record_id, AliasRow.url).where(
            AliasRow.record_id.in_([record.id for record in batch])
        )
    ):
        known.setdefault(row.record_id, []).append(row.url)
    if not known:
        return batch
    merged: list[Record] = []
    for record in batch:
        urls = known.get(record.id)
        if urls and not set(urls) <= set(record.relations.aliases):
            aliases = list(dict.fromkeys([*record.relations.aliases, *sorted(urls)]))
            relations = record.relations.model_copy(update={"aliases": aliases})
            record = record.model_copy(update={"relations": relations})
        merged.append(record)
    return merged


def _upsert_chunk(
    connection: Connection, items: list[EncodedRecord], now: datetime
) -> UpsertSummary:
    known = {
        row.id: (row.content_hash, row.deleted_at, row.maturity_due)
        for row in connection.execute(
            select(
                RecordRow.id, RecordRow.content_hash, RecordRow.deleted_at, RecordRow.maturity_due
            ).where(RecordRow.id.in_([item.id for item in items]))
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged: list[str] = []
    changed_ids: list[str] = []
    for item in items:
        previous = known.get(item.id)
        if previous is None:
            inserts.append(
                item.values
                | {"first_seen": now, "last_seen": now, "last_changed": now, "deleted_at": None}
            )
            changed_ids.append(item.id)
        elif (
            previous[0] == item.content_hash
            and previous[1] is None
            and (previous[2] is None or previous[2] > _aware(item.record.provenance.fetched_at))
        ):
            unchanged.append(item.id)
        else:
            values = {key: value for key, value in item.values.items() if key != "id"}
            updates.append(
                values
                | {"b_id": item.id, "last_seen": now, "last_changed": now, "deleted_at": None}
            )
            changed_ids.append(item.id)
    if inserts:
        connection.execute(insert(RecordRow), inserts)
    if updates:
        connection.execute(update(RecordRow).where(RecordRow.id == bindparam("b_id")), updates)
    if unchanged:
        connection.execute(
            update(RecordRow).where(RecordRow.id.in_(unchanged)).values(last_seen=now)
        )
    append_changes(connection, changed_ids, "upserted", now)
    written = set(changed_ids)
    reuse.write_packages(connection, [item.record for item in items if item.id in written])
    maturity.note_assessments(connection, [item.record for item in items if item.id in written])
    return UpsertSummary(
        created=len(inserts),
        changed=len(updates),
        unchanged=len(unchanged),
        changed_ids=tuple(changed_ids),
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def reassess_due(
    connection: Connection, now: datetime, forges: Collection[str] | None = None
) -> list[str]:
    """The live records (of `forges`; None: all) due for re-assessment at `now`.

    Due: their stored `maturity_due` has passed, or it was never computed (rows from before
    migration 0011; it is computed here from the stored document and kept). Ids only, read
    through the `maturity_due` index, so a catalogue of 100,000 records where nothing is due
    costs two index lookups.
    """
    base = select(RecordRow.id).where(RecordRow.deleted_at.is_(None))
    if forges is not None:
        base = base.where(RecordRow.forge.in_(sorted(forges)))
    ids = list(connection.scalars(base.where(RecordRow.maturity_due <= now)))
    unknown = list(connection.scalars(base.where(RecordRow.maturity_due.is_(None))))
    for start in range(0, len(unknown), BATCH_SIZE):
        chunk = unknown[start : start + BATCH_SIZE]
        computed = {
            id_: maturity.due(decode(document))
            for id_, document in documents_of(connection, chunk, include_deleted=False).items()
        }
        if computed:
            connection.execute(
                update(RecordRow)
                .where(RecordRow.id == bindparam("b_id"))
                .values(maturity_due=bindparam("due")),
                [{"b_id": id_, "due": moment} for id_, moment in computed.items()],
            )
        ids += [id_ for id_, moment in computed.items() if moment <= now]
    return sorted(set(ids))


def reassess(connection: Connection, ids: Sequence[str], now: datetime) -> UpsertSummary:
    """Re-assess records `ids` at `now`: each is stored again as fetched at `now` (its
    content unchanged), which `upsert_batch` writes as changed where `maturity_due` passed —
    a change-feed entry (the search index follows) and a maturity history row."""
    records = [
        maturity.at(decode(document), now)
        for document in documents_of(connection, ids, include_deleted=False).values()
    ]
    return upsert_batch(connection, records, now)


def append_changes(
    connection: Connection, ids: Sequence[str], kind: ChangeKind, now: datetime
) -> None:
    """Add one change-feed entry per id, in order."""
    if ids:
        connection.execute(
            insert(ChangeRow), [{"record_id": id_, "kind": kind, "at": now} for id_ in ids]
        )


def tombstone(connection: Connection, ids: Iterable[str], now: datetime) -> list[str]:
    """Mark the live records among `ids` deleted and feed a ``deleted`` change for each.

    Returns the ids actually tombstoned (unknown and already deleted ids are skipped), in the
    order given.
    """
    wanted = list(dict.fromkeys(ids))
    deleted: list[str] = []
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        live = set(
            connection.scalars(
                select(RecordRow.id).where(RecordRow.id.in_(chunk), RecordRow.deleted_at.is_(None))
            )
        )
        found = [id_ for id_ in chunk if id_ in live]
        if found:
            connection.execute(
                update(RecordRow).where(RecordRow.id.in_(found)).values(deleted_at=now)
            )
            append_changes(connection, found, "deleted", now)
            reuse.forget(connection, found)
            deleted.extend(found)
    return deleted


def get_document(connection: Connection, id_: str, *, include_deleted: bool) -> str | None:
    """The stored JSON document of record `id_`, or None."""
    query = select(RecordRow.document).where(RecordRow.id == id_)
    if not include_deleted:
        query = query.where(RecordRow.deleted_at.is_(None))
    return connection.scalar(query)


_META_COLUMNS = (
    RecordRow.id,
    RecordRow.first_seen,
    RecordRow.last_seen,
    RecordRow.last_changed,
    RecordRow.deleted_at,
)


def get_meta(connection: Connection, id_: str) -> RecordMeta | None:
    """First/last seen, last changed and deletion time of record `id_` (deleted ones too)."""
    row = connection.execute(select(*_META_COLUMNS).where(RecordRow.id == id_)).first()
    if row is None:
        return None
    return from_attributes(RecordMeta, row)


def metas_of(connection: Connection, ids: Sequence[str]) -> dict[str, RecordMeta]:
    """`get_meta` of those `ids` that exist, by id, in one query."""
    query = select(*_META_COLUMNS).where(RecordRow.id.in_(ids))
    return {row.id: from_attributes(RecordMeta, row) for row in connection.execute(query)}


def documents_after(
    connection: Connection, after: str | None, limit: int
) -> list[tuple[str, str, bool]]:
    """Up to `limit` (id, document, deleted) rows with id > `after`, ordered by id.

    Keyset paging on the primary key alone, deleted rows included: any filter beside it lets
    a planner without fresh statistics (PostgreSQL after a bulk load) pick a scan-and-sort
    plan that reads the rest of the table for every page. Callers drop deleted rows.
    """
    query = (
        select(RecordRow.id, RecordRow.document, RecordRow.deleted_at)
        .order_by(RecordRow.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(RecordRow.id > after)
    return [(row.id, row.document, row.deleted_at is not None) for row in connection.execute(query)]


def facets_after(
    connection: Connection, after: str | None, limit: int
) -> list[tuple[RecordFacets, bool]]:
    """Up to `limit` (facet columns, deleted) rows with id > `after`, ordered by id (keyset
    paging on the primary key alone, as `documents_after`; callers drop deleted rows)."""
    query = (
        select(
            RecordRow.id,
            RecordRow.forge,
            RecordRow.organisation_id,
            RecordRow.organisation_kind,
            RecordRow.licences,
            RecordRow.languages,
            RecordRow.categories,
            RecordRow.deleted_at,
        )
        .order_by(RecordRow.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(RecordRow.id > after)
    return [
        (
            RecordFacets(
                row.id,
                row.forge,
                row.organisation_id if row.organisation_kind != "person" else None,
                tuple(row.licences or ()),
                tuple(row.languages or ()),
                tuple(row.categories or ()),
            ),
            row.deleted_at is not None,
        )
        for row in connection.execute(query)
    ]


def documents_of(
    connection: Connection, ids: Sequence[str], *, include_deleted: bool
) -> dict[str, str]:
    """The documents of those `ids` that exist, by id."""
    query = select(RecordRow.id, RecordRow.document).where(RecordRow.id.in_(ids))
    if not include_deleted:
        query = query.where(RecordRow.deleted_at.is_(None))
    return {row.id: row.document for row in connection.execute(query)}


def ids_naming(connection: Connection, ids: Collection[str]) -> set[str]:
    """The live records whose document names a repository of `ids` by URL (``"…://ID"``): the
    records listing it as a mirror, fork, variant or upstream (JSON text search, case-blind)."""
    found: set[str] = set()
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 50):
        patterns = [
            "%://" + i.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
            for i in wanted[start : start + 50]
        ]
        query = select(RecordRow.id).where(
            RecordRow.deleted_at.is_(None),
            or_(*(RecordRow.document.ilike(pattern, escape="\\") for pattern in patterns)),
        )
        found.update(connection.scalars(query))
    return found


def live_ids(connection: Connection) -> set[str]:
    """The ids of every live record (ids only: cheap next to reading the documents)."""
    return set(connection.scalars(select(RecordRow.id).where(RecordRow.deleted_at.is_(None))))


def count(
    connection: Connection,
    *,
    include_deleted: bool,
    forge: str | None,
    declared: bool | None,
    valid: bool | None,
) -> int:
    """How many records match the filters."""
    query = select(func.count()).select_from(RecordRow)
    if not include_deleted:
        query = query.where(RecordRow.deleted_at.is_(None))
    if forge is not None:
        query = query.where(RecordRow.forge == forge)
    if declared is not None:
        query = query.where(RecordRow.declared == declared)
    if valid is not None:
        query = query.where(RecordRow.valid == valid)
    return int(connection.scalar(query) or 0)


def changes_since(connection: Connection, since: int | datetime, limit: int) -> list[Change]:
    """Change-feed entries after seq `since` (an int) or after time `since`, oldest first."""
    query = select(ChangeRow).order_by(ChangeRow.seq).limit(limit)
    if isinstance(since, datetime):
        query = query.where(ChangeRow.at > since)
    else:
        query = query.where(ChangeRow.seq > since)
    return [
        Change(seq=row.seq, id=row.record_id, kind=row.kind, at=row.at)
        for row in connection.execute(query)
    ]


def latest_change_seq(connection: Connection) -> int:
    """The seq of the newest change-feed entry, 0 when the feed is empty."""
    return int(connection.scalar(select(func.max(ChangeRow.seq))) or 0)


def is_live(connection: Connection, id_: str) -> bool:
    """True when record `id_` exists and is not tombstoned."""
    return (
        connection.scalar(
            select(RecordRow.id).where(RecordRow.id == id_, RecordRow.deleted_at.is_(None))
        )
        is not None
    )
