"""`codereuse webhooks list|add|remove|test`: webhooks told about change events.

A thin shell over the store (`Store.add_webhook` …), `crawler.webhooks.check_webhook_url` (the
SSRF check of a forge registration) and `cli.webhooks_step` (signing, posting, the log).
Deliveries themselves happen after each crawl (`crawl`, `run`); `test` sends one now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import typer

from api.saved_filter import saved_filter
from cli import ui
from cli.storage import open_store
from cli.webhooks_step import default_poster, send
from crawler.webhooks import check_webhook_url
from schemas.errors import CodereuseError, NotFoundError
from schemas.notifications import EVENT_KINDS, ChangeEvent
from schemas.settings import load_settings
from schemas.webhooks import event_kinds, new_secret

SINGLE_VALUED = ("declared", "archived", "active_since", "active_until")
webhooks_app = typer.Typer(
    help="Webhooks told about new, changed, invalid, fixed, archived and removed software.",
    no_args_is_help=True,
)


def _filters(values: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` options as a stored filter (`api.saved_filter`); values of a name OR-ed."""
    filters: dict[str, Any] = {}
    for item in values:
        name, _, value = item.partition("=")
        if not name or not value:
            raise ui.fail(f"--filter {item!r}: write NAME=VALUE, like forge=opencode", 2)
        if name in SINGLE_VALUED:
            filters[name] = value
        else:
            filters.setdefault(name, []).append(value)
    try:
        return saved_filter(filters)
    except ValueError as error:
        raise ui.fail(f"--filter: {error}", 2) from None


@webhooks_app.command("list")
def list_command() -> None:
    """List the webhooks with their event kinds, filter and last delivery.

    Example: codereuse webhooks list
    """
    with open_store(load_settings().database_url) as store:
        for webhook in store.list_webhooks():
            last = store.webhook_deliveries(webhook.id, limit=1)
            state = "never delivered"
            if last:
                delivery = last[0]
                state = (
                    f"last delivery {delivery.at:%Y-%m-%d %H:%M} "
                    f"{'ok' if delivery.delivered else 'FAILED'} "
                    f"({delivery.status_code or '-'}, {delivery.attempts} attempts"
                    + (f", {delivery.error}" if delivery.error else "")
                    + ")"
                )
            filters = " ".join(f"{k}={v}" for k, v in webhook.filters.items()) or "everything"
            ui.echo(
                f"{webhook.id:>4}  {webhook.url}  [{', '.join(webhook.events)}]  {filters}  {state}"
            )


@webhooks_app.command("add")
def add_command(
    url: str = typer.Argument(..., help="Where to POST the events (http or https)."),
    events: list[str] = typer.Option(
        [], "--event", help=f"Event kind to send ({', '.join(EVENT_KINDS)}); repeat; default all."
    ),
    filters: list[str] = typer.Option(
        [], "--filter", help="A search filter NAME=VALUE (forge=opencode, licence=MIT); repeat."
    ),
    secret: str | None = typer.Option(
        None, "--secret", help="HMAC key (16+ characters); generated and printed when not given."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow a loopback or private address (on-premises)."
    ),
) -> None:
    """Register a webhook; its secret is printed once.

    Example: codereuse webhooks add https://hooks.example.org/codereuse --event invalid --filter forge=opencode
    """
    try:
        kinds = event_kinds(events)
    except ValueError as error:
        raise ui.fail(f"--event: {error}", 2) from None
    if secret is not None and len(secret) < 16:
        raise ui.fail("--secret: use at least 16 characters", 2)
    chosen = _filters(filters)
    try:
        checked = check_webhook_url(url, allow_private=allow_private)
    except CodereuseError as error:
        raise ui.fail(str(error), 2) from None
    key = secret or new_secret()
    with open_store(load_settings().database_url) as store:
        webhook = store.add_webhook(
            checked, events=kinds, filters=chosen, secret=key, allow_private=allow_private
        )
    ui.echo(f"webhook {webhook.id}: {webhook.url}")
    if secret is None:
        ui.echo(f"secret (shown once, keep it to check signatures): {key}")


@webhooks_app.command("remove")
def remove_command(webhook_id: int = typer.Argument(..., help="The webhook's id.")) -> None:
    """Remove a webhook and its delivery log.

    Example: codereuse webhooks remove 3
    """
    with open_store(load_settings().database_url) as store:
        try:
            store.remove_webhook(webhook_id)
        except NotFoundError as error:
            raise ui.fail(str(error), 1) from None
    ui.say(f"webhook {webhook_id} removed")


@webhooks_app.command("test")
def test_command(webhook_id: int = typer.Argument(..., help="The webhook's id.")) -> None:
    """Send a webhook its newest event now (or an empty list), signed, and show the answer.

    Example: codereuse webhooks test 3
    """
    settings = load_settings()
    with open_store(settings.database_url) as store:
        webhook = store.get_webhook(webhook_id)
        if webhook is None:
            raise ui.fail(
                f"webhook {webhook_id}: no such webhook; see `codereuse webhooks list`", 1
            )
        newest: list[ChangeEvent] = store.events(limit=1)
        result = send(
            store,
            webhook,
            newest,
            default_poster(user_agent=settings.user_agent),
            clock=lambda: datetime.now(UTC),
        )
    answer = f"answered {result.status_code}" if result.status_code else "no answer"
    ui.echo(f"webhook {webhook_id}: {answer} after {result.attempts} attempts")
    if not result.delivered:
        raise ui.fail(result.error or "not delivered", 1)


def register(app: typer.Typer) -> None:
    """Add `webhooks` to the codereuse command."""
    app.add_typer(webhooks_app, name="webhooks")
