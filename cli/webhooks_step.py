"""Delivering webhooks after a crawl: the events each webhook wants, signed, posted, logged.

Run by the pipeline after federation (`cli.pipeline.run_pipeline`: ``crawl``, ``run`` and API
jobs), never while answering a request. Each webhook gets the events after its cursor that are
of its kinds and whose software passes its filter (the search's filter vocabulary, checked on
the record as stored, removed ones as they were when they left), at most `BATCH` per delivery.
Its cursor moves past what was delivered or of no interest; a failed delivery leaves the cursor,
so the same events are offered again after the next crawl. Every delivery is logged
(`Store.log_delivery`: status code, attempts, error, time).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from api.query import CatalogueQuery
from api.saved_filter import saved_query
from api.selection import record_matches
from crawler.addresses import Resolver
from crawler.webhooks import DeliveryResult, post_delivery
from indexer.store import Store
from schemas.notifications import ChangeEvent
from schemas.webhooks import Webhook, delivery_body, delivery_headers

BATCH = 100
"""Events per delivery at most; more wait for the next round (after the next crawl)."""
MAX_ROUNDS = 20
"""Deliveries per webhook per run at most (a long backlog is sent over several runs)."""

Poster = Callable[[Webhook, bytes, dict[str, str]], DeliveryResult]


@dataclass(frozen=True)
class WebhookReport:
    """What one run did for one webhook: deliveries made and failed, events sent."""

    webhook_id: int
    delivered: int = 0
    failed: int = 0
    events: int = 0


def default_poster(
    *,
    wait: Callable[[float], None] = time.sleep,
    user_agent: str = "codereuse",
    resolver: Resolver | None = None,
) -> Poster:
    """Posts through `crawler.webhooks.post_delivery` (pinned, no redirects, retries)."""

    def post(webhook: Webhook, body: bytes, headers: dict[str, str]) -> DeliveryResult:
        return post_delivery(
            webhook.url,
            body,
            headers,
            allow_private=webhook.allow_private,
            resolver=resolver,
            wait=wait,
            user_agent=user_agent,
        )

    return post


def _matching(store: Store, events: list[ChangeEvent], query: CatalogueQuery) -> list[ChangeEvent]:
    filters = query.filters()
    if not filters:
        return events
    ids = sorted({event.record_id for event in events})
    passing = {
        record.id
        for record in store.iter_records(ids=ids, include_deleted=True)
        if record_matches(record, filters)
    }
    return [event for event in events if event.record_id in passing]


def send(
    store: Store,
    webhook: Webhook,
    events: list[ChangeEvent],
    post: Poster,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> DeliveryResult:
    """Sign and post `events` to `webhook` now, and log the delivery."""
    delivery = str(uuid.uuid4())
    moment = clock()
    timestamp = int(moment.timestamp())
    body = delivery_body(webhook.id, delivery, timestamp, events)
    result = post(webhook, body, delivery_headers(webhook.secret, delivery, timestamp, body))
    store.log_delivery(
        webhook.id,
        events=len(events),
        first_seq=events[0].seq if events else 0,
        last_seq=events[-1].seq if events else 0,
        status_code=result.status_code,
        attempts=result.attempts,
        error=result.error,
        delivered=result.delivered,
        now=moment,
    )
    return result


def deliver_webhooks(
    store: Store,
    post: Poster | None = None,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[WebhookReport]:
    """Send every webhook the events it has not had yet; one report per webhook with events."""
    poster = post or default_poster()
    reports: list[WebhookReport] = []
    for webhook in store.list_webhooks():
        query = saved_query(webhook.filters)
        cursor = webhook.cursor
        report = WebhookReport(webhook.id)
        for _round in range(MAX_ROUNDS):
            window = store.events(
                after_seq=cursor, kinds=webhook.events, limit=BATCH, newest_first=False
            )
            if not window:
                break
            chosen = _matching(store, window, query)
            if chosen:
                result = send(store, webhook, chosen, poster, clock=clock)
                if not result.delivered:
                    report = WebhookReport(
                        webhook.id, report.delivered, report.failed + 1, report.events
                    )
                    break
                report = WebhookReport(
                    webhook.id, report.delivered + 1, report.failed, report.events + len(chosen)
                )
            cursor = window[-1].seq
            store.advance_webhook(webhook.id, cursor)
        if report.delivered or report.failed:
            reports.append(report)
    return reports
