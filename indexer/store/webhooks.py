"""Stored webhooks and their delivery log; `WebhookStoreMethods` is the part of `Store` using them.

A webhook's secret is stored (the runner signs with it) but only `create` hands it back; the
delivery log keeps the newest `MAX_DELIVERIES` deliveries of each webhook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from indexer.store.events import latest_seq
from indexer.store.notification_models import WebhookDeliveryRow, WebhookRow
from indexer.store.part import StorePart
from schemas.copying import from_attributes
from schemas.errors import NotFoundError
from schemas.notifications import EventKind
from schemas.webhooks import Webhook, WebhookDelivery

MAX_DELIVERIES = 200
"""Deliveries kept per webhook (the oldest go)."""


def _webhook(row: Any) -> Webhook:
    return from_attributes(Webhook, row, events=tuple(row.events), filters=dict(row.filters))


def _delivery(row: Any) -> WebhookDelivery:
    return from_attributes(WebhookDelivery, row)


class WebhookStoreMethods(StorePart):
    """The webhook part of `indexer.store.Store` (a mixin: `Store` supplies the rest)."""

    def add_webhook(
        self,
        url: str,
        *,
        events: Sequence[EventKind],
        filters: Mapping[str, Any],
        secret: str,
        allow_private: bool = False,
        now: datetime | None = None,
    ) -> Webhook:
        """Register a webhook; it is sent the events that happen from now on."""
        with self._transaction(write=True) as connection:
            webhook_id = connection.execute(
                insert(WebhookRow)
                .values(
                    url=url,
                    events=list(events),
                    filters=dict(filters),
                    secret=secret,
                    allow_private=allow_private,
                    cursor=latest_seq(connection),
                    created_at=self._now(now),
                )
                .returning(WebhookRow.id)
            ).scalar_one()
            row = connection.execute(select(WebhookRow).where(WebhookRow.id == webhook_id)).one()
            return _webhook(row)

    def get_webhook(self, webhook_id: int) -> Webhook | None:
        """The webhook `webhook_id`, or None."""
        with self._transaction(write=False) as connection:
            row = connection.execute(
                select(WebhookRow).where(WebhookRow.id == webhook_id)
            ).one_or_none()
            return None if row is None else _webhook(row)

    def list_webhooks(self) -> list[Webhook]:
        """Every webhook, oldest first."""
        with self._transaction(write=False) as connection:
            rows = connection.execute(select(WebhookRow).order_by(WebhookRow.id))
            return [_webhook(row) for row in rows]

    def remove_webhook(self, webhook_id: int) -> None:
        """Delete a webhook with its delivery log. Raises `NotFoundError` for an unknown id."""
        with self._transaction(write=True) as connection:
            connection.execute(
                delete(WebhookDeliveryRow).where(WebhookDeliveryRow.webhook_id == webhook_id)
            )
            gone = connection.execute(delete(WebhookRow).where(WebhookRow.id == webhook_id))
            if not gone.rowcount:
                raise NotFoundError(f"webhook {webhook_id}: no such webhook")

    def advance_webhook(self, webhook_id: int, cursor: int) -> None:
        """Note that `webhook_id` has been sent (or had no use for) the events up to `cursor`."""
        with self._transaction(write=True) as connection:
            connection.execute(
                update(WebhookRow)
                .where(WebhookRow.id == webhook_id, WebhookRow.cursor < cursor)
                .values(cursor=cursor)
            )

    def log_delivery(
        self,
        webhook_id: int,
        *,
        events: int,
        first_seq: int,
        last_seq: int,
        status_code: int | None,
        attempts: int,
        error: str | None,
        delivered: bool,
        now: datetime | None = None,
    ) -> WebhookDelivery:
        """Add a delivery to the webhook's log (keeping the newest `MAX_DELIVERIES`)."""
        with self._transaction(write=True) as connection:
            delivery_id = connection.execute(
                insert(WebhookDeliveryRow)
                .values(
                    webhook_id=webhook_id,
                    at=self._now(now),
                    events=events,
                    first_seq=first_seq,
                    last_seq=last_seq,
                    status_code=status_code,
                    attempts=attempts,
                    error=error,
                    delivered=delivered,
                )
                .returning(WebhookDeliveryRow.id)
            ).scalar_one()
            oldest_kept = connection.execute(
                select(func.min(WebhookDeliveryRow.id)).where(
                    WebhookDeliveryRow.id.in_(
                        select(WebhookDeliveryRow.id)
                        .where(WebhookDeliveryRow.webhook_id == webhook_id)
                        .order_by(WebhookDeliveryRow.id.desc())
                        .limit(MAX_DELIVERIES)
                    )
                )
            ).scalar_one()
            connection.execute(
                delete(WebhookDeliveryRow).where(
                    WebhookDeliveryRow.webhook_id == webhook_id,
                    WebhookDeliveryRow.id < oldest_kept,
                )
            )
            row = connection.execute(
                select(WebhookDeliveryRow).where(WebhookDeliveryRow.id == delivery_id)
            ).one()
            return _delivery(row)

    def webhook_deliveries(self, webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
        """The newest deliveries of a webhook, newest first."""
        with self._transaction(write=False) as connection:
            rows = connection.execute(
                select(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.webhook_id == webhook_id)
                .order_by(WebhookDeliveryRow.id.desc())
                .limit(limit)
            )
            return [_delivery(row) for row in rows]
