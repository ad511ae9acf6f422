"""Repository rows: raw snapshots, fingerprints, complete-listing bookkeeping, renames.

A repository is one (forge, forge_id) pair. Its `canonical_id` names the record it feeds. The
forge id is stable across renames and moves, so a snapshot whose URL now maps to another
canonical id is a rename: the old URL stays as an alias and the old record id stops being live.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from indexer.store import forges, records
from indexer.store.models import AliasRow, RelationRow, RepositoryRow
from schemas.copying import field_values
from schemas.errors import NotFoundError, StoreError
from schemas.forge import RepositoryFingerprint, RepositorySnapshot
from schemas.record import canonical_id, canonical_url


def fingerprints(connection: Connection, forge: str) -> dict[str, RepositoryFingerprint]:
    """The fingerprints of the forge's live repositories, by forge id.

    Tombstoned repositories are left out, so one that reappears is fetched in full again.
    """
    query = select(
        RepositoryRow.forge_id,
        RepositoryRow.url,
        RepositoryRow.last_activity,
        RepositoryRow.blob_id,
        RepositoryRow.etag,
    ).where(RepositoryRow.forge == forge, RepositoryRow.tombstoned_at.is_(None))
    return {
        row.forge_id: RepositoryFingerprint(
            forge_id=row.forge_id,
            url=row.url,
            last_activity=row.last_activity,
            blob_id=row.blob_id,
            etag=row.etag,
        )
        for row in connection.execute(query)
    }


def _snapshot_values(snapshot: RepositorySnapshot) -> dict[str, Any]:
    """The row values of `snapshot` but its keys (forge, forge id), seen: not missed, no
    tombstone."""
    values = field_values(snapshot, missed_listings=0, tombstoned_at=None)
    del values["forge"], values["forge_id"]
    return values


def save_snapshots(
    connection: Connection, forge: str, snapshots: Iterable[RepositorySnapshot], now: datetime
) -> list[str]:
    """Insert or replace the forge's repositories from `snapshots` (last one of an id wins).

    A saved repository counts as seen: its missed-listing counter and tombstone are reset.
    Returns the record ids that renames left behind (for the caller to tombstone once the
    page's records are upserted).
    """
    latest: dict[str, RepositorySnapshot] = {}
    for snapshot in snapshots:
        if snapshot.forge != forge:
            raise StoreError(
                f"snapshot of {snapshot.url} belongs to forge {snapshot.forge!r}, "
                f"not {forge!r}; save each forge's pages under its own name"
            )
        latest[snapshot.forge_id] = snapshot
    if not latest:
        return []
    known = {
        row.forge_id: row
        for row in connection.execute(
            select(
                RepositoryRow.id,
                RepositoryRow.forge_id,
                RepositoryRow.url,
                RepositoryRow.canonical_id,
                RepositoryRow.aliases,
            ).where(RepositoryRow.forge == forge, RepositoryRow.forge_id.in_(list(latest)))
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    left_behind: list[str] = []
    for forge_id, snapshot in latest.items():
        values = _snapshot_values(snapshot)
        row = known.get(forge_id)
        if row is None:
            inserts.append(values | {"forge": forge, "forge_id": forge_id, "aliases": []})
            continue
        aliases = list(row.aliases)
        if row.url != snapshot.url and row.url not in aliases:
            aliases.append(row.url)
        if row.canonical_id != snapshot.canonical_id:
            follow_rename(connection, row.canonical_id, row.url, snapshot.canonical_id, now)
            left_behind.append(row.canonical_id)
        updates.append(values | {"b_id": row.id, "aliases": aliases})
    if inserts:
        connection.execute(insert(RepositoryRow), inserts)
    if updates:
        connection.execute(
            update(RepositoryRow).where(RepositoryRow.id == bindparam("b_id")), updates
        )
    return left_behind


def follow_rename(
    connection: Connection, old_id: str, old_url: str, new_id: str, now: datetime
) -> None:
    """Record that the repository behind record `old_id` (at `old_url`) now feeds `new_id`.

    Keeps `old_url` as an alias of `new_id` (also for aliases that pointed at `old_id`),
    moves the relations of `old_id` to `new_id` and adds the relation new --alias--> old.
    """
    old_canonical = canonical_url(old_url)
    connection.execute(delete(AliasRow).where(AliasRow.alias_id == new_id))
    connection.execute(
        update(AliasRow).where(AliasRow.record_id == old_id).values(record_id=new_id)
    )
    connection.execute(delete(AliasRow).where(AliasRow.alias_id == old_id))
    connection.execute(
        insert(AliasRow).values(
            alias_id=old_id, url=old_canonical, record_id=new_id, created_at=now
        )
    )
    moved: set[tuple[str, str, str]] = set()
    for row in connection.execute(
        select(RelationRow).where((RelationRow.from_id == old_id) | (RelationRow.to_id == old_id))
    ):
        from_id = new_id if row.from_id == old_id else row.from_id
        to_id = new_id if row.to_id == old_id else row.to_id
        if from_id != to_id:
            moved.add((from_id, to_id, row.kind))
    connection.execute(
        delete(RelationRow).where((RelationRow.from_id == old_id) | (RelationRow.to_id == old_id))
    )
    moved.add((new_id, old_id, "alias"))
    existing = {
        (row.from_id, row.to_id, row.kind)
        for row in connection.execute(
            select(RelationRow.from_id, RelationRow.to_id, RelationRow.kind).where(
                (RelationRow.from_id == new_id) | (RelationRow.to_id == new_id)
            )
        )
    }
    fresh = sorted(moved - existing)
    if fresh:
        connection.execute(
            insert(RelationRow), [{"from_id": f, "to_id": t, "kind": k} for f, t, k in fresh]
        )


def rename(connection: Connection, forge: str, forge_id: str, new_url: str, now: datetime) -> str:
    """Point repository (forge, forge_id) at `new_url` and move its record; return the new id.

    When the canonical id changes, the live record is copied under the new id (with the new
    URL and the old one among its aliases) unless a live record already holds the new id, and
    the old record is tombstoned unless another repository still holds it.

    Raises:
        NotFoundError: the forge has no repository with that id.
    """
    row = connection.execute(
        select(RepositoryRow).where(
            RepositoryRow.forge == forge, RepositoryRow.forge_id == forge_id
        )
    ).first()
    if row is None:
        raise NotFoundError(
            f"forge {forge!r} has no repository with id {forge_id!r}; crawl the forge first"
        )
    new_id = canonical_id(new_url)
    aliases = list(row.aliases)
    if row.url != new_url and row.url not in aliases:
        aliases.append(row.url)
    connection.execute(
        update(RepositoryRow)
        .where(RepositoryRow.id == row.id)
        .values(url=new_url, canonical_id=new_id, aliases=aliases)
    )
    if new_id == row.canonical_id:
        return new_id
    follow_rename(connection, row.canonical_id, row.url, new_id, now)
    document = records.get_document(connection, row.canonical_id, include_deleted=False)
    if document is not None and not records.is_live(connection, new_id):
        record = records.decode(document)
        moved_repository = record.repository.model_copy(update={"url": new_url})
        moved = record.model_copy(
            update={"id": new_id, "url": canonical_url(new_url), "repository": moved_repository}
        )
        records.upsert_batch(connection, [moved], now)
    if row.canonical_id not in forges.held_elsewhere(connection, {row.canonical_id}):
        records.tombstone(connection, [row.canonical_id], now)
    return new_id


def record_listing(
    connection: Connection,
    forge: str,
    seen_forge_ids: Collection[str],
    *,
    tombstone_after: int,
    now: datetime,
) -> list[str]:
    """Account for one complete listing of `forge` that returned `seen_forge_ids`.

    Seen repositories get their missed counter reset (and lose a tombstone); unseen live ones
    count one more miss and are tombstoned on reaching `tombstone_after`. Records of newly
    tombstoned repositories are deleted unless another live repository holds them; their ids
    are returned.
    """
    seen = set(seen_forge_ids)
    to_reset: list[int] = []
    to_miss: list[int] = []
    to_tombstone: list[int] = []
    tombstoned_ids: set[str] = set()
    query = select(
        RepositoryRow.id,
        RepositoryRow.forge_id,
        RepositoryRow.canonical_id,
        RepositoryRow.missed_listings,
        RepositoryRow.tombstoned_at,
    ).where(RepositoryRow.forge == forge)
    for row in connection.execute(query):
        if row.forge_id in seen:
            if row.missed_listings or row.tombstoned_at is not None:
                to_reset.append(row.id)
        elif row.tombstoned_at is None:
            if row.missed_listings + 1 >= tombstone_after:
                to_tombstone.append(row.id)
                tombstoned_ids.add(row.canonical_id)
            else:
                to_miss.append(row.id)
    step = records.BATCH_SIZE
    for start in range(0, len(to_reset), step):
        connection.execute(
            update(RepositoryRow)
            .where(RepositoryRow.id.in_(to_reset[start : start + step]))
            .values(missed_listings=0, tombstoned_at=None)
        )
    for start in range(0, len(to_miss), step):
        connection.execute(
            update(RepositoryRow)
            .where(RepositoryRow.id.in_(to_miss[start : start + step]))
            .values(missed_listings=RepositoryRow.missed_listings + 1)
        )
    for start in range(0, len(to_tombstone), step):
        connection.execute(
            update(RepositoryRow)
            .where(RepositoryRow.id.in_(to_tombstone[start : start + step]))
            .values(missed_listings=RepositoryRow.missed_listings + 1, tombstoned_at=now)
        )
    held = forges.held_elsewhere(connection, tombstoned_ids)
    return records.tombstone(connection, sorted(tombstoned_ids - held), now)


def publiccode_of(connection: Connection, record_id: str) -> bytes | None:
    """The raw publiccode bytes of the newest-fetched live repository feeding `record_id`."""
    raw = connection.scalar(
        select(RepositoryRow.publiccode)
        .where(
            RepositoryRow.canonical_id == record_id,
            RepositoryRow.tombstoned_at.is_(None),
            RepositoryRow.publiccode.is_not(None),
        )
        .order_by(RepositoryRow.fetched_at.desc())
        .limit(1)
    )
    return None if raw is None else bytes(raw)


def snapshots_after(
    connection: Connection, forge: str | None, after: int | str | None, limit: int
) -> list[tuple[int | str, RepositorySnapshot | None]]:
    """One keyset page of repositories as (cursor, snapshot, or None when tombstoned).

    Without `forge`, pages by row id over every forge; with it, by forge id along the
    (forge, forge_id) unique index. Only index columns are in the condition, so the plan is an
    ordered index scan whatever the statistics say (see `records.documents_after`); callers
    pass the last cursor back as `after` and skip the Nones.
    """
    query = select(RepositoryRow).limit(limit)
    if forge is None:
        query = query.order_by(RepositoryRow.id)
        if after is not None:
            query = query.where(RepositoryRow.id > after)
    else:
        query = query.where(RepositoryRow.forge == forge).order_by(RepositoryRow.forge_id)
        if after is not None:
            query = query.where(RepositoryRow.forge_id > after)
    page: list[tuple[int | str, RepositorySnapshot | None]] = []
    for row in connection.execute(query):
        cursor = row.id if forge is None else row.forge_id
        if row.tombstoned_at is not None:
            page.append((cursor, None))
            continue
        snapshot = _snapshot(row)
        page.append((cursor, snapshot))
    return page


def _snapshot(row: Any) -> RepositorySnapshot:
    return RepositorySnapshot.model_validate(row, from_attributes=True)


def snapshots_of(
    connection: Connection, canonical_ids: Collection[str]
) -> list[RepositorySnapshot]:
    """The live repositories whose canonical id is one of `canonical_ids` (any forge)."""
    found: list[RepositorySnapshot] = []
    wanted = sorted(set(canonical_ids))
    for start in range(0, len(wanted), 500):
        query = select(RepositoryRow).where(
            RepositoryRow.canonical_id.in_(wanted[start : start + 500]),
            RepositoryRow.tombstoned_at.is_(None),
        )
        found.extend(_snapshot(row) for row in connection.execute(query))
    return found
