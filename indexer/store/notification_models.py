"""Tables of the notifications (migration 0010): change events, webhooks, issues on forges.

Declared on the store's `Base` (imported by `indexer.store.models`, so the metadata and the
migration test see them). Kept apart from `models` to keep that module to its one subject.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from indexer.store.models import Base


class EventRow(Base):
    """One change event (`schemas.notifications.ChangeEvent`), newest last; pruned by age."""

    __tablename__ = "record_events"
    __table_args__ = (
        Index("ix_record_events_forge", "forge"),
        Index("ix_record_events_organisation_id", "organisation_id"),
        Index("ix_record_events_at", "at"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(1024))
    forge: Mapped[str] = mapped_column(String(63))
    organisation_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str]
    url: Mapped[str]
    summary: Mapped[str]
    at: Mapped[datetime]


class EventStateRow(Base):
    """What the last federation wrote of a record (`schemas.notifications.RecordState`)."""

    __tablename__ = "record_event_states"

    record_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    digest: Mapped[str | None] = mapped_column(String(64))
    valid: Mapped[bool]
    archived: Mapped[bool | None]
    forge: Mapped[str] = mapped_column(String(63))
    organisation_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str]
    url: Mapped[str]
    errors: Mapped[int]
    removed: Mapped[bool]
    updated_at: Mapped[datetime]


class WebhookRow(Base):
    """A webhook registered over the admin API; `cursor` is the last event seq it was sent."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    url: Mapped[str]
    events: Mapped[list[str]]
    filters: Mapped[dict[str, Any]]
    secret: Mapped[str] = mapped_column(String(255))
    allow_private: Mapped[bool]
    cursor: Mapped[int]
    created_at: Mapped[datetime]


class WebhookDeliveryRow(Base):
    """One delivery (a POST with its retries) of a webhook; kept with the webhook."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_webhook_id", "webhook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    events: Mapped[int]
    first_seq: Mapped[int]
    last_seq: Mapped[int]
    status_code: Mapped[int | None]
    attempts: Mapped[int]
    error: Mapped[str | None]
    delivered: Mapped[bool]


class ForgeIssueRow(Base):
    """The issue codereuse opened on a repository whose publiccode.yml is broken (one per
    repository, kept after it is closed so the next breakage reopens or opens anew)."""

    __tablename__ = "forge_issues"
    __table_args__ = (Index("ix_forge_issues_forge", "forge"),)

    forge: Mapped[str] = mapped_column(String(63), primary_key=True)
    repository_url: Mapped[str] = mapped_column(String(1024), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(1024))
    number: Mapped[int]
    url: Mapped[str]
    state: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
