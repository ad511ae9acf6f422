"""The plain values the store hands back: summaries, metadata, change-feed entries, crawl runs.

Frozen dataclasses, not ORM objects, so callers never hold a database session and never
trigger lazy loads (the API reads while the crawler writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ChangeKind = Literal["upserted", "deleted"]
RelationKind = Literal["mirror", "alias", "variant", "fork"]
RELATION_KINDS: tuple[RelationKind, ...] = ("mirror", "alias", "variant", "fork")
CrawlJobStatus = Literal["queued", "running", "succeeded", "failed"]


@dataclass(frozen=True)
class UpsertSummary:
    """What an upsert did: records new to the catalogue, really changed, and only seen again.

    `changed_ids` lists the ids of created and changed records in input order, so an index can
    sync exactly those; a record that reappears after a tombstone counts as changed.
    """

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    changed_ids: tuple[str, ...] = ()

    def __add__(self, other: UpsertSummary) -> UpsertSummary:
        return UpsertSummary(
            created=self.created + other.created,
            changed=self.changed + other.changed,
            unchanged=self.unchanged + other.unchanged,
            changed_ids=self.changed_ids + other.changed_ids,
        )

    @property
    def total(self) -> int:
        """Records handled (created + changed + unchanged)."""
        return self.created + self.changed + self.unchanged


@dataclass(frozen=True)
class RecordMeta:
    """When the store first saw a record, last saw it, last saw it change, and deleted it."""

    id: str
    first_seen: datetime
    last_seen: datetime
    last_changed: datetime
    deleted_at: datetime | None

    @property
    def deleted(self) -> bool:
        """True when the record is tombstoned."""
        return self.deleted_at is not None


@dataclass(frozen=True)
class Change:
    """One entry of the change feed: record `id` was upserted or deleted at `at`.

    `seq` increases strictly in commit order, so "everything after seq N" never misses an entry.
    """

    seq: int
    id: str
    kind: ChangeKind
    at: datetime


@dataclass(frozen=True)
class Relation:
    """A link between two records: `from_id` is a mirror, alias, variant or fork of `to_id`.

    Kinds: ``mirror`` (from is a copy of to), ``alias`` (from's repository was once at to),
    ``variant`` (from is based on to, publiccode ``isBasedOn``), ``fork`` (from is a forge fork of to).
    """

    from_id: str
    to_id: str
    kind: RelationKind


@dataclass(frozen=True)
class CrawlRun:
    """One crawl of one forge: when, full or incremental, how it ended, what it counted.

    `records_total` is the number of live records in the whole catalogue when the run finished,
    so a list of runs is the catalogue's size over time.
    """

    id: int
    forge: str
    full: bool
    started_at: datetime
    finished_at: datetime | None
    status: str
    stats: dict[str, Any] = field(default_factory=dict)
    requests: int = 0
    records_total: int | None = None


@dataclass(frozen=True)
class CrawlJob:
    """A crawl asked for over the API, waiting for the runner (`codereuse run`) to pick it up."""

    id: int
    forge: str
    status: CrawlJobStatus
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class CatalogueStats:
    """Counts over the live catalogue plus its size after each crawl run, oldest first.

    Each ``by_*`` mapping is ordered by count descending, then key. Records without a value
    (no organisation, no licence...) are not counted in that mapping.
    """

    records: int
    declared: int
    valid: int
    forges: int
    repositories: int
    by_forge: dict[str, int]
    by_organisation: dict[str, int]
    """Organisation id → records (persons left out): two organisations of the same display
    name stay apart; `organisation_names` names each id."""
    by_licence: dict[str, int]
    by_language: dict[str, int]
    by_category: dict[str, int]
    history: Sequence[CrawlRun]
    organisation_names: dict[str, str] = field(default_factory=dict)
    """Organisation id of `by_organisation` → the name its records carry (most of them)."""


@dataclass(frozen=True)
class Lease:
    """Who holds a named lease, since when, and until when (`indexer.store.leases`)."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class CatalogueTimeline:
    """When the live records were first seen (by month) and last active (by year).

    Keys are ``YYYY-MM`` and ``YYYY``, oldest first; `declared_invalid` counts the records whose
    publiccode.yml has errors (the one split `CatalogueStats` does not give).
    """

    first_seen_by_month: dict[str, int]
    activity_by_year: dict[str, int]
    no_activity: int
    declared_invalid: int


@dataclass(frozen=True)
class RecordFacets:
    """A live record's filterable values as the store keeps them in columns beside its JSON:
    forge, organisation id (None for a person), licence ids (declared, else the forge's),
    languages, categories — the values the search's facets hold."""

    id: str
    forge: str
    organisation: str | None
    licences: tuple[str, ...]
    languages: tuple[str, ...]
    categories: tuple[str, ...]
