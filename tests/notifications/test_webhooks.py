"""Webhook deliveries to a real HTTP listener on loopback: signed, retried, refused, logged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli.webhooks_step import default_poster, deliver_webhooks
from crawler.webhooks import check_webhook_url
from indexer.store import Store, create_store
from schemas.errors import RegistrationError
from schemas.webhooks import event_kinds
from tests.api.records import make_record
from tests.notifications.listener import listening

SECRET = "a-test-secret-of-the-webhook-tests"
AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = create_store(f"sqlite:///{tmp_path / 'hooks.db'}")
    yield opened
    opened.close()


def _events(store: Store) -> None:
    """Two records written as federation writes them: stored, then their events noted."""
    records = [
        make_record("https://gitlab.opencode.de/kreis/eakte", "E-Akte"),
        make_record("https://github.com/land/portal", "Portal", forge="github"),
    ]
    store.upsert_records(records)
    store.note_changes(records, scope=None, now=AT)


class Waits(list[float]):
    """Records the backoff waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_delivery_is_signed_and_logged(store: Store) -> None:
    """The listener verifies the HMAC over the raw body and the timestamp; the log says 200."""
    with listening(SECRET) as listener:
        hook = store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=True
        )
        _events(store)
        [report] = deliver_webhooks(store, default_poster(wait=Waits()))
        assert [] == deliver_webhooks(store, default_poster(wait=Waits()))  # nothing new
    [received] = listener.received
    assert received.verified
    body = received.json()
    assert ["new", "new"] == [event["kind"] for event in body["events"]]
    assert "github.com/land/portal" == body["events"][0]["record_id"]
    assert (1, 2) == (report.delivered, report.events)
    [logged] = store.webhook_deliveries(hook.id)
    assert (True, 200, 1, None, 2) == (
        logged.delivered,
        logged.status_code,
        logged.attempts,
        logged.error,
        logged.events,
    )


def test_a_500_is_retried_with_backoff(store: Store) -> None:
    """500, then 200: two attempts, one wait of 1 s (injected, no sleep), delivered."""
    waits = Waits()
    with listening(SECRET) as listener:
        listener.statuses = [(500, {})]
        hook = store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=True
        )
        _events(store)
        deliver_webhooks(store, default_poster(wait=waits))
    assert 2 == len(listener.received)
    assert all(received.verified for received in listener.received)
    assert [1.0] == waits
    [logged] = store.webhook_deliveries(hook.id)
    assert (True, 200, 2) == (logged.delivered, logged.status_code, logged.attempts)


def test_a_failing_receiver_keeps_its_events_for_the_next_run(store: Store) -> None:
    """Five 503s: waits 1, 2, 4, 8 s, logged as failed; the events are offered again next time."""
    waits = Waits()
    with listening(SECRET) as listener:
        listener.statuses = [(503, {})] * 5
        hook = store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=True
        )
        _events(store)
        [report] = deliver_webhooks(store, default_poster(wait=waits))
        assert (0, 1) == (report.delivered, report.failed)
        assert [1.0, 2.0, 4.0, 8.0] == waits
        [failed] = store.webhook_deliveries(hook.id)
        assert (False, 503, 5) == (failed.delivered, failed.status_code, failed.attempts)
        assert "gave up after 5 attempts" in (failed.error or "")
        deliver_webhooks(store, default_poster(wait=waits))
    assert 2 == len(listener.received[-1].json()["events"])
    assert store.latest_event_seq() == store.get_webhook(hook.id).cursor  # type: ignore[union-attr]


def test_private_address_is_refused_without_allow_private(store: Store) -> None:
    """Loopback without allow_private: refused at registration and at delivery, nothing sent."""
    with listening(SECRET) as listener:
        with pytest.raises(RegistrationError, match=r"non-public address 127\.0\.0\.1"):
            check_webhook_url(listener.url, allow_private=False)
        assert listener.url == check_webhook_url(listener.url, allow_private=True)
        hook = store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=False
        )
        _events(store)
        [report] = deliver_webhooks(store, default_poster(wait=Waits()))
    assert [] == listener.received
    assert 1 == report.failed
    [logged] = store.webhook_deliveries(hook.id)
    assert (None, 1) == (logged.status_code, logged.attempts)
    assert "refused" in (logged.error or "") and "127.0.0.1" in (logged.error or "")


def test_redirects_are_not_followed(store: Store) -> None:
    """A 302 to the metadata address is a failed delivery, and the one request made."""
    with listening(SECRET) as listener:
        listener.statuses = [(302, {"Location": "http://169.254.169.254/latest/meta-data"})]
        hook = store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=True
        )
        _events(store)
        deliver_webhooks(store, default_poster(wait=Waits()))
    assert 1 == len(listener.received)
    [logged] = store.webhook_deliveries(hook.id)
    assert (False, 302) == (logged.delivered, logged.status_code)
    assert "not followed" in (logged.error or "")


def test_event_kinds_and_filter_select_what_is_sent(store: Store) -> None:
    """A webhook for github's removals gets only that event, not the new records."""
    with listening(SECRET) as listener:
        store.add_webhook(
            listener.url,
            events=event_kinds(["removed"]),
            filters={"forge": ["github"]},
            secret=SECRET,
            allow_private=True,
        )
        _events(store)
        assert [] == deliver_webhooks(store, default_poster(wait=Waits()))
        store.delete_records(["github.com/land/portal"])
        store.note_changes([], scope={"github.com/land/portal"}, now=AT)
        deliver_webhooks(store, default_poster(wait=Waits()))
    [received] = listener.received
    assert [("removed", "github.com/land/portal")] == [
        (event["kind"], event["record_id"]) for event in received.json()["events"]
    ]


def test_a_new_webhook_starts_at_the_newest_event(store: Store) -> None:
    """Events from before a webhook existed are not sent to it."""
    _events(store)
    with listening(SECRET) as listener:
        store.add_webhook(
            listener.url, events=event_kinds([]), filters={}, secret=SECRET, allow_private=True
        )
        assert [] == deliver_webhooks(store, default_poster(wait=Waits()))
    assert [] == listener.received
