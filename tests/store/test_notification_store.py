"""The store's notification tables on SQLite and PostgreSQL: events, webhooks, forge issues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from indexer.store import Store
from indexer.store import events as event_rows
from indexer.store import webhooks as webhook_rows
from schemas.errors import NotFoundError
from schemas.findings import Finding
from schemas.forge import ForgeRegistration
from schemas.forge_issue import ForgeIssue
from schemas.webhooks import event_kinds
from tests.api.records import make_record

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
URL = "https://gitlab.opencode.de/kreis/eakte"
ERROR = Finding(type="error", key="legal.license", line=7, column=12, message="bad licence")


def test_store_derives_events_from_successive_writes(store: Store) -> None:
    """First write: new; same content: nothing; broken: invalid; out of scope: removed."""
    other = "https://github.com/land/portal"
    first = store.note_changes(
        [make_record(URL, "E-Akte"), make_record(other, "Portal", forge="github")],
        scope=None,
        now=AT,
    )
    assert ["new", "new"] == [event.kind for event in first]
    assert [] == store.note_changes([make_record(URL, "E-Akte")], scope={URL[8:]}, now=AT)
    later = AT + timedelta(hours=1)
    events = store.note_changes(
        [make_record(URL, "E-Akte", findings=(ERROR,))], scope=None, now=later
    )
    assert [
        ("invalid", "gitlab.opencode.de/kreis/eakte"),
        ("removed", "github.com/land/portal"),
    ] == [(event.kind, event.record_id) for event in events]
    newest = store.events(limit=10)
    assert ["removed", "invalid", "new", "new"] == [event.kind for event in newest]
    assert ["removed"] == [event.kind for event in store.events(forge="github", after_seq=2)]
    assert store.latest_event_seq() == newest[0].seq
    assert later == newest[0].at


def test_events_are_pruned_by_age_and_count(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Events older than the retention go; beyond MAX_EVENTS, the oldest go."""
    store.note_changes([make_record(URL, "E-Akte")], scope=None, now=AT)
    later = AT + event_rows.RETENTION + timedelta(days=1)
    store.note_changes([make_record(URL, "E-Akte", short_en="x")], scope=None, now=later)
    assert ["changed"] == [event.kind for event in store.events()]
    monkeypatch.setattr(event_rows, "MAX_EVENTS", 2)
    for text in ("a", "b", "c"):
        store.note_changes([make_record(URL, "E-Akte", short_en=text)], scope=None, now=later)
    assert 2 == len(store.events())


def test_removing_a_forge_records_removed_events(store: Store) -> None:
    """`remove_forge` tombstones the forge's records and notes a ``removed`` event for each."""
    store.add_forge(
        ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
    )
    record = make_record(URL, "E-Akte")
    store.save_page("opencode", "all", [], [record], None)
    store.note_changes([record], scope=None, now=AT)
    store.remove_forge("opencode")
    assert ["removed", "new"] == [event.kind for event in store.events()]


def test_webhooks_and_their_delivery_log(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A webhook starts at the newest event; the log keeps the newest deliveries; removal."""
    store.note_changes([make_record(URL, "E-Akte")], scope=None, now=AT)
    hook = store.add_webhook(
        "https://hooks.example.org/x",
        events=event_kinds(["invalid"]),
        filters={"forge": ["opencode"]},
        secret="s" * 32,
        now=AT,
    )
    assert (1, ("invalid",), {"forge": ["opencode"]}) == (hook.cursor, hook.events, hook.filters)
    assert [hook] == store.list_webhooks()
    store.advance_webhook(hook.id, 5)
    store.advance_webhook(hook.id, 3)  # never backwards
    assert 5 == store.get_webhook(hook.id).cursor  # type: ignore[union-attr]
    monkeypatch.setattr(webhook_rows, "MAX_DELIVERIES", 2)
    for attempt in (1, 2, 3):
        store.log_delivery(
            hook.id,
            events=1,
            first_seq=1,
            last_seq=1,
            status_code=500,
            attempts=attempt,
            error="answered 500",
            delivered=False,
        )
    assert [3, 2] == [delivery.attempts for delivery in store.webhook_deliveries(hook.id)]
    store.remove_webhook(hook.id)
    assert [] == store.list_webhooks() and [] == store.webhook_deliveries(hook.id)
    with pytest.raises(NotFoundError):
        store.remove_webhook(hook.id)


def test_forge_issues_one_per_repository(store: Store) -> None:
    """Saving again replaces the repository's issue; listing is per forge."""
    issue = ForgeIssue(
        forge="lab",
        repository_url="https://gitlab.example.org/city/app",
        record_id="gitlab.example.org/city/app",
        number=1,
        url="https://gitlab.example.org/city/app/-/issues/1",
        state="open",
        digest="d" * 64,
        opened_at=AT,
        updated_at=AT,
    )
    store.save_forge_issue(issue)
    closed = ForgeIssue(**{**issue.__dict__, "state": "closed", "closed_at": AT})
    store.save_forge_issue(closed)
    assert closed == store.get_forge_issue("lab", "https://gitlab.example.org/city/app")
    assert [closed] == store.list_forge_issues("lab")
    assert [] == store.list_forge_issues("hub")


def test_notify_issues_survives_a_registration_round_trip(store: Store) -> None:
    """The opt-in is stored with the registration and read back."""
    registration = ForgeRegistration(
        name="lab", kind="gitlab", url="https://gitlab.example.org", notify_issues=True
    )
    store.add_forge(registration)
    assert store.get_forge("lab") == registration
    store.update_forge(registration.model_copy(update={"notify_issues": False}))
    assert not store.get_forge("lab").notify_issues  # type: ignore[union-attr]
