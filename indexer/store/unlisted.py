"""What the store knows about one repository URL beyond its record: the status check's facts.

A crawl keeps the repositories it listed but left out (`note_unlisted`: internal, private);
`repository_states` gathers, for one canonical id, every repository row holding it (live,
missing from listings, tombstoned) and every such note, so the status check can say why a
repository is not in the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from indexer.store.models import RepositoryRow, UnlistedRow
from schemas.copying import from_attributes


@dataclass(frozen=True)
class RepositoryState:
    """One forge's view of a repository: saved (live or tombstoned) or left out (`reason`)."""

    forge: str
    url: str
    reason: str | None = None
    """``internal``/``private`` for a repository left out; None for a saved one."""
    seen_at: datetime | None = None
    missed_listings: int = 0
    tombstoned_at: datetime | None = None
    archived: bool = False
    is_fork: bool = False


def note_unlisted(
    connection: Connection, forge: str, notes: Iterable[tuple[str, str, str]], now: datetime
) -> None:
    """Remember (canonical id, url, reason) of repositories the crawl left out, replacing old notes."""
    latest = {canonical_id: (url, reason) for canonical_id, url, reason in notes}
    if not latest:
        return
    ids = list(latest)
    connection.execute(
        delete(UnlistedRow).where(UnlistedRow.forge == forge, UnlistedRow.canonical_id.in_(ids))
    )
    connection.execute(
        insert(UnlistedRow),
        [
            {"forge": forge, "canonical_id": i, "url": url, "reason": reason, "seen_at": now}
            for i, (url, reason) in latest.items()
        ],
    )


def forget_unlisted(connection: Connection, forge: str, canonical_ids: Iterable[str]) -> None:
    """Drop the notes of repositories that are saved again (they turned public)."""
    ids = list(set(canonical_ids))
    if ids:
        connection.execute(
            delete(UnlistedRow).where(UnlistedRow.forge == forge, UnlistedRow.canonical_id.in_(ids))
        )


def repository_states(connection: Connection, canonical_id: str) -> list[RepositoryState]:
    """Every repository row and every note for `canonical_id`, saved ones first."""
    saved = select(
        RepositoryRow.forge,
        RepositoryRow.url,
        RepositoryRow.fetched_at.label("seen_at"),
        RepositoryRow.missed_listings,
        RepositoryRow.tombstoned_at,
        RepositoryRow.archived,
        RepositoryRow.is_fork,
    ).where(RepositoryRow.canonical_id == canonical_id)
    notes = select(
        UnlistedRow.forge, UnlistedRow.url, UnlistedRow.reason, UnlistedRow.seen_at
    ).where(UnlistedRow.canonical_id == canonical_id)
    return [
        from_attributes(RepositoryState, row)
        for query in (saved, notes)
        for row in connection.execute(query)
    ]
