"""SQLAlchemy models of the store: the same tables on SQLite and PostgreSQL.

The migrations under `indexer/store/migrations/versions/` create exactly these tables (a test
runs alembic's autogenerate against them and expects no difference). Change a model, then add a
migration.

Datetimes are stored in UTC and always come back timezone-aware (`UTCDateTime`), whatever the
database. Record documents are stored as JSON text (`Record.model_dump_json`), read back with
`Record.model_validate_json`: the fastest path, and identical on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored in UTC and returned timezone-aware, on SQLite as on PostgreSQL.

    Naive datetimes given to the store are taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        # SQLite has no time zones: store the naive UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    # The column type of each Python type, so a plain column needs only its annotation
    # (``url: Mapped[str]`` is TEXT); other string lengths are given where they are declared.
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text,
        bool: Boolean,
        int: Integer,
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class ForgeRow(Base):
    """A registered forge: the fields of `schemas.forge.ForgeRegistration`."""

    __tablename__ = "forges"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str]
    groups: Mapped[list[str]]
    orgs: Mapped[list[str]]
    repos: Mapped[list[str]]
    exclude: Mapped[list[str]]
    token_env: Mapped[str | None] = mapped_column(String(255))
    allow_private: Mapped[bool]
    notify_issues: Mapped[bool] = mapped_column(server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RepositoryRow(Base):
    """A repository as the last crawl saw it: raw payload, raw publiccode bytes, fingerprint.

    `missed_listings` counts complete listings in a row that did not contain the repository;
    `tombstoned_at` is set once it reaches the threshold. `aliases` holds earlier URLs (renames).
    """

    __tablename__ = "repositories"
    __table_args__ = (
        UniqueConstraint("forge", "forge_id", name="uq_repositories_forge_forge_id"),
        Index("ix_repositories_canonical_id", "canonical_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forge: Mapped[str] = mapped_column(String(63), ForeignKey("forges.name", ondelete="CASCADE"))
    forge_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str]
    canonical_id: Mapped[str] = mapped_column(String(1024))
    payload: Mapped[dict[str, Any]]
    publiccode: Mapped[bytes | None] = mapped_column(LargeBinary)
    publiccode_path: Mapped[str | None] = mapped_column(String(255))
    blob_id: Mapped[str | None] = mapped_column(String(255))
    etag: Mapped[str | None] = mapped_column(String(255))
    last_activity: Mapped[datetime | None]
    archived: Mapped[bool]
    is_fork: Mapped[bool]
    fetched_at: Mapped[datetime]
    missed_listings: Mapped[int]
    tombstoned_at: Mapped[datetime | None]
    aliases: Mapped[list[str]]


class UnlistedRow(Base):
    """A repository a crawl listed but left out of the catalogue, and why (internal, private).

    Kept so the status check can say why a repository is missing; a repository that is saved
    again (it turned public) loses its row.
    """

    __tablename__ = "unlisted_repositories"

    forge: Mapped[str] = mapped_column(
        String(63), ForeignKey("forges.name", ondelete="CASCADE"), primary_key=True
    )
    canonical_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    url: Mapped[str]
    reason: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime]


class RecordRow(Base):
    """One catalogue record: the full `Record` as JSON plus columns to filter, order and count by.

    `content_hash` is a SHA-256 over the record without its fetch time: equal hashes mean
    nothing a reader could see changed, so only `last_seen` moves — unless `maturity_due` has
    passed by the new fetch time: then the document takes the new fetch time, since its
    assessment (measured at the fetch time) changed. `deleted_at` has no index on
    purpose: nearly every row is live, and an index on it led PostgreSQL's planner to a bitmap
    plan that re-sorted the rest of the table for every page of `iter_records` (migration 0002).
    """

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_forge", "forge"),
        Index("ix_records_last_activity", "last_activity"),
        Index("ix_records_organisation_id", "organisation_id"),
        Index("ix_records_maturity_due", "maturity_due"),
    )

    id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    document: Mapped[str]
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str]
    declared: Mapped[bool]
    valid: Mapped[bool]
    forge: Mapped[str] = mapped_column(String(63))
    organisation: Mapped[str | None]
    organisation_id: Mapped[str | None] = mapped_column(String(255))
    organisation_kind: Mapped[str | None] = mapped_column(String(16))
    owner: Mapped[str | None] = mapped_column(String(1024))
    licences: Mapped[list[str]]
    languages: Mapped[list[str]]
    categories: Mapped[list[str]]
    last_activity: Mapped[datetime | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_changed: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    maturity_due: Mapped[datetime | None]
    """When the maturity assessment next changes with time alone (`schemas.maturity.next_change`):
    `NEVER` when it does not, None when not computed yet (rows older than migration 0011)."""


class OrganisationRow(Base):
    """An organisation (`schemas.organisation.OrganisationEntity` as JSON), as the last
    federation derived it from records, registries and forge profiles; counts come from
    `records.organisation_id`."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    document: Mapped[str]
    name: Mapped[str | None]
    kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime]


class RegistryOrganisationRow(Base):
    """What one registry file says about an organisation
    (`schemas.organisation.RegistryOrganisation` as JSON), kept by ``forges import``."""

    __tablename__ = "registry_organisations"

    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    source: Mapped[str]
    document: Mapped[str]
    updated_at: Mapped[datetime]


class AliasRow(Base):
    """An earlier canonical id and URL of a record (its repository was renamed or moved).

    The store merges these URLs into `relations.aliases` of every record it upserts, so a
    crawler that only knows the new URL never drops them.
    """

    __tablename__ = "record_aliases"
    __table_args__ = (Index("ix_record_aliases_record_id", "record_id"),)

    alias_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    url: Mapped[str]
    record_id: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime]


class RelationRow(Base):
    """A link between two records (mirror, alias, variant, fork); see `values.Relation`."""

    __tablename__ = "relations"
    __table_args__ = (Index("ix_relations_to_id", "to_id"),)

    from_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    to_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


class PictureRow(Base):
    """A logo or screenshot named by a record, fetched, checked and re-encoded by the crawl.

    Keyed by the SHA-256 of its URL (the pages' ``/pictures/KEY``). `data` is None when the
    picture was refused (`problem` says why), so a bad URL is not fetched on every crawl.
    """

    __tablename__ = "pictures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str]
    media_type: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    width: Mapped[int | None]
    height: Mapped[int | None]
    problem: Mapped[str | None]
    fetched_at: Mapped[datetime]


class PackageRow(Base):
    """A package a live record publishes or uses (`indexer.store.reuse`), one row per manifest."""

    __tablename__ = "record_packages"
    __table_args__ = (Index("ix_record_packages_key", "key"),)

    record_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    path: Mapped[str] = mapped_column(String(255), primary_key=True)
    purl: Mapped[str]
    line: Mapped[int | None]
    scope: Mapped[str | None] = mapped_column(String(16))


class ReuseLinkRow(Base):
    """One reuse link (`schemas.reuse.ReuseLink`), keyed by software, kind, user and package."""

    __tablename__ = "reuse_links"
    __table_args__ = (Index("ix_reuse_links_user_id", "user_id"),)

    software_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    purl_key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(1024))
    software_organisation: Mapped[str]
    user_organisation: Mapped[str]
    user_url: Mapped[str | None]
    purl: Mapped[str | None]
    path: Mapped[str | None] = mapped_column(String(255))
    line: Mapped[int | None]
    evidence_url: Mapped[str | None]
    confidence: Mapped[str] = mapped_column(String(16))
    self_declared: Mapped[bool]
    internal: Mapped[bool]
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]


class ChangeRow(Base):
    """The change feed: every real upsert and every deletion of a record, in commit order."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_at", "at"), Index("ix_changes_record_id", "record_id"))

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(1024))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class CrawlRunRow(Base):
    """One crawl of one forge."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_forge_started_at", "forge", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forge: Mapped[str] = mapped_column(String(63), ForeignKey("forges.name", ondelete="CASCADE"))
    full: Mapped[bool]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(32))
    stats: Mapped[dict[str, Any]]
    requests: Mapped[int]
    records_total: Mapped[int | None]


class FindingRow(Base):
    """A finding of a crawl run about its forge or one repository/record (`schemas.findings`).

    Validation findings of a publiccode.yml live inside the record itself; this table holds
    what a crawl reports (a page that kept failing, a forge answering 403...).
    """

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_crawl_run_id", "crawl_run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="CASCADE")
    )
    forge: Mapped[str | None] = mapped_column(String(63))
    record_id: Mapped[str | None] = mapped_column(String(1024))
    type: Mapped[str] = mapped_column(String(16))
    key: Mapped[str]
    line: Mapped[int | None]
    column: Mapped[int | None]
    message: Mapped[str]
    code: Mapped[str | None] = mapped_column(String(64))
    """The finding catalogue's code (`Finding.code`); None on rows older than migration 0013."""
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CheckpointRow(Base):
    """Where an interrupted crawl of one forge scope (a group, an org, the instance) goes on."""

    __tablename__ = "crawl_checkpoints"

    forge: Mapped[str] = mapped_column(
        String(63), ForeignKey("forges.name", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(512), primary_key=True)
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class CrawlJobRow(Base):
    """A crawl asked for over the API; `codereuse run` claims and runs it."""

    __tablename__ = "crawl_jobs"
    __table_args__ = (Index("ix_crawl_jobs_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forge: Mapped[str] = mapped_column(String(63), ForeignKey("forges.name", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    runner: Mapped[str | None] = mapped_column(String(255))
    """The lease holder that claimed the job (`cli.scheduler_lease`): a running job whose
    runner holds no lease any more was killed (`crawl_state.close_orphaned_jobs`)."""


class LeaseRow(Base):
    """A named lease: which process may do a job only one process may do (`run`'s scheduler)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ProposalRow(Base):
    """A merge/pull request codereuse opened to add a drafted publiccode.yml (one per record).

    Kept after the record goes (never ask a repository twice); `status` is open, merged or
    closed as last read from the forge.
    """

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_forge", "forge"),)

    record_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    forge: Mapped[str] = mapped_column(String(63))
    repository_url: Mapped[str]
    number: Mapped[int]
    url: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))
    branch: Mapped[str] = mapped_column(String(255))
    opened_at: Mapped[datetime]
    checked_at: Mapped[datetime]


class MaturityRow(Base):
    """One maturity assessment of a record (`schemas.maturity`), kept only when it changed.

    Written with the record (`records.upsert_batch`) whenever the summary level or a criterion's
    level differs from the record's previous row; `criteria` maps criterion name → level, the
    compact form (evidence and reasons are derived from the record again when shown).
    """

    __tablename__ = "maturity_history"
    __table_args__ = (Index("ix_maturity_history_record_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(1024))
    assessed_at: Mapped[datetime]
    level: Mapped[int]
    criteria: Mapped[dict[str, Any]]


# The notification tables (migration 0010) live in their own module on the same `Base`; importing
# it here puts them in `Base.metadata` wherever the models are used (migrations, tests).
from indexer.store import notification_models as _notification_models  # noqa: E402, F401
