"""``/api/v1/webhooks``: webhooks told about change events (admin token for everything).

``POST`` registers one (URL, event kinds, a filter in the search's vocabulary, an optional
secret, ``allow_private``); the URL gets the check a forge registration gets (SSRF refusal of
private addresses unless ``allow_private``) through the `check_webhook_url` callable the CLI
wires in. The secret, generated unless given, is in the ``POST`` answer only. Deliveries happen
in the runner after each crawl (``codereuse run``/``crawl``), never in a request; their log is
at ``/{id}/deliveries``. Signing and the body: `schemas.webhooks`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AdminDep, ContextDep, StoreDep
from api.problems import ApiProblem, problem_responses
from api.saved_filter import saved_filter
from schemas.copying import from_attributes
from schemas.errors import CodereuseError
from schemas.notifications import EVENT_KINDS, EventKind
from schemas.webhooks import Delivery, Webhook, WebhookDelivery, event_kinds, new_secret

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
WebhookId = Annotated[int, Path(ge=1, description="webhook id")]


class WebhookCreate(BaseModel):
    """A webhook to register."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="where to POST, http(s)")
    events: list[EventKind] = Field(
        default_factory=list,
        description=f"event kinds to send ({', '.join(EVENT_KINDS)}); all when empty",
    )
    filter: dict[str, Any] = Field(
        default_factory=dict,
        description='the search\'s filters, e.g. {"forge": ["opencode"], "licence": '
        '["EUPL-1.2"], "declared": true}; words (q) are not taken',
    )
    secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=255,
        description="HMAC-SHA256 key; generated (and shown once) when not given",
    )
    allow_private: bool = Field(
        default=False, description="allow a loopback or private address (on-premises receivers)"
    )


class WebhookOut(BaseModel):
    """A registered webhook (never with its secret)."""

    id: int
    url: str
    events: list[EventKind]
    filter: dict[str, Any]
    allow_private: bool
    created_at: datetime
    cursor: int = Field(description="newest change event seq sent or skipped")


class WebhookCreated(WebhookOut):
    """The answer to POST: the webhook and its secret, shown this once."""

    secret: str


def _out(webhook: Webhook) -> WebhookOut:
    return from_attributes(
        WebhookOut, webhook, events=list(webhook.events), filter=dict(webhook.filters)
    )


def _delivery_out(delivery: WebhookDelivery) -> Delivery:
    return from_attributes(Delivery, delivery)


def checked_filter(values: dict[str, Any]) -> dict[str, Any]:
    """`values` as stored (`api.saved_filter`); an unusable filter is a 422 problem."""
    try:
        return saved_filter(values)
    except ValueError as error:
        raise ApiProblem(422, "invalid-filter", f"filter: {error}") from None


def _webhook_or_404(store: StoreDep, webhook_id: int) -> Webhook:
    webhook = store.get_webhook(webhook_id)
    if webhook is None:
        raise ApiProblem(
            404, "not-found", f"webhook {webhook_id}: no such webhook; see /api/v1/webhooks"
        )
    return webhook


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook (admin token)",
    responses=problem_responses(401, 403, 422, 503),
)
def create_webhook(context: ContextDep, _admin: AdminDep, body: WebhookCreate) -> WebhookCreated:
    """Check the URL (private addresses refused unless `allow_private`), store the webhook,
    and answer it with its secret: keep it, it is not shown again."""
    if context.check_webhook_url is None:
        raise ApiProblem(
            503,
            "webhooks-unavailable",
            "this server cannot check webhook URLs; register with `codereuse webhooks add`",
        )
    try:
        url = context.check_webhook_url(body.url, allow_private=body.allow_private)
    except CodereuseError as error:
        raise ApiProblem(422, "webhook-refused", str(error)) from None
    filters = checked_filter(body.filter)
    secret = body.secret or new_secret()
    webhook = context.store.add_webhook(
        url,
        events=event_kinds(body.events),
        filters=filters,
        secret=secret,
        allow_private=body.allow_private,
    )
    return WebhookCreated(**_out(webhook).model_dump(), secret=secret)


@router.get(
    "",
    response_model=list[WebhookOut],
    summary="Registered webhooks (admin token)",
    responses=problem_responses(401, 403),
)
def list_webhooks(store: StoreDep, _admin: AdminDep) -> list[WebhookOut]:
    """Every webhook, oldest first, without secrets."""
    return [_out(webhook) for webhook in store.list_webhooks()]


@router.get(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="One webhook (admin token)",
    responses=problem_responses(401, 403, 404, 422),
)
def get_webhook(store: StoreDep, _admin: AdminDep, webhook_id: WebhookId) -> WebhookOut:
    """The webhook, without its secret."""
    return _out(_webhook_or_404(store, webhook_id))


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook (admin token)",
    responses=problem_responses(401, 403, 404, 422),
)
def delete_webhook(store: StoreDep, _admin: AdminDep, webhook_id: WebhookId) -> Response:
    """Remove the webhook and its delivery log."""
    _webhook_or_404(store, webhook_id)
    store.remove_webhook(webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=list[Delivery],
    summary="A webhook's delivery log (admin token)",
    responses=problem_responses(401, 403, 404, 422),
)
def webhook_deliveries(store: StoreDep, _admin: AdminDep, webhook_id: WebhookId) -> list[Delivery]:
    """The newest 50 deliveries: time, events, status code, attempts, error, delivered."""
    _webhook_or_404(store, webhook_id)
    return [_delivery_out(delivery) for delivery in store.webhook_deliveries(webhook_id)]
