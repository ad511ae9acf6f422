"""Webhooks: who is told about change events, and how a delivery is signed (pure).

A webhook names a URL, the event kinds it wants (`schemas.notifications.EVENT_KINDS`) and a
filter in the search's vocabulary (``{"forge": ["opencode"], "licence": ["EUPL-1.2"]}``). The
runner posts the matching events after each crawl (`cli.webhooks_step`) as one JSON body,

    {"webhook": 3, "delivery": "…", "timestamp": 1764700000, "events": [{…}, …]}

with the headers ``X-Codereuse-Signature: sha256=<hex HMAC-SHA256 of the raw body with the
webhook's secret>``, ``X-Codereuse-Timestamp`` (the body's ``timestamp``, Unix seconds) and
``X-Codereuse-Delivery``. The timestamp is inside the signed body, so a receiver that checks the
signature, that the header equals the body's timestamp and that it is recent (say 5 minutes)
refuses replays; the delivery id lets it drop a retried delivery it already handled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schemas.copying import field_values
from schemas.notifications import EVENT_KINDS, ChangeEvent, EventKind

SIGNATURE_HEADER = "X-Codereuse-Signature"
TIMESTAMP_HEADER = "X-Codereuse-Timestamp"
DELIVERY_HEADER = "X-Codereuse-Delivery"
SECRET_BYTES = 32


@dataclass(frozen=True)
class Webhook:
    """A registered webhook; `cursor` is the newest event seq it has been sent (or skipped)."""

    id: int
    url: str
    events: tuple[EventKind, ...]
    filters: Mapping[str, Any]
    secret: str = field(repr=False)
    allow_private: bool
    cursor: int
    created_at: datetime


@dataclass(frozen=True)
class Delivery:
    """One POST of a webhook with its retries, as the delivery log shows it."""

    id: int
    at: datetime
    events: int
    first_seq: int
    last_seq: int
    status_code: int | None
    attempts: int
    error: str | None
    delivered: bool


@dataclass(frozen=True)
class WebhookDelivery(Delivery):
    """A `Delivery` with the webhook it belongs to, as the store keeps it."""

    webhook_id: int


def new_secret() -> str:
    """A fresh random secret (URL-safe text), shown once when a webhook is created."""
    return secrets.token_urlsafe(SECRET_BYTES)


def event_kinds(values: Sequence[str]) -> tuple[EventKind, ...]:
    """`values` as event kinds, all of them when empty; raises ValueError naming an unknown one."""
    unknown = [value for value in values if value not in EVENT_KINDS]
    if unknown:
        raise ValueError(f"unknown event kind {unknown[0]!r}; choose from {', '.join(EVENT_KINDS)}")
    chosen = set(values) or set(EVENT_KINDS)
    return tuple(kind for kind in EVENT_KINDS if kind in chosen)


def signature(secret: str, body: bytes) -> str:
    """The ``X-Codereuse-Signature`` value of `body`: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """True when `header` is the signature of `body` (compared in constant time)."""
    return hmac.compare_digest(signature(secret, body), header)


def event_json(event: ChangeEvent) -> dict[str, Any]:
    """One event as the delivery body lists it."""
    return {"seq": event.seq, **field_values(event, at=event.at.isoformat())}


def delivery_body(
    webhook_id: int, delivery: str, timestamp: int, events: Sequence[ChangeEvent]
) -> bytes:
    """The raw JSON body of one delivery (what the signature covers)."""
    document = {
        "webhook": webhook_id,
        "delivery": delivery,
        "timestamp": timestamp,
        "events": [event_json(event) for event in events],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def delivery_headers(secret: str, delivery: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of one delivery: content type, signature, timestamp and delivery id."""
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, body),
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: delivery,
    }
