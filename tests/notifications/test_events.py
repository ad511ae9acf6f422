"""Change events: the pure comparison, and how the store derives, keeps and prunes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indexer.store import Store, create_store
from indexer.store import events as event_rows
from schemas.findings import Finding
from schemas.notifications import change_events, record_state, removed_state
from tests.api.records import make_record

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
URL = "https://gitlab.opencode.de/kreis/eakte"
ERROR = Finding(type="error", key="legal.license", line=7, column=12, message="bad licence")


def _kinds(before: object, after: object) -> list[str]:
    return [event.kind for event in change_events(before, after, AT)]  # type: ignore[arg-type]


def test_a_record_seen_first_is_new() -> None:
    """No state before: one ``new`` event naming the record, its forge and organisation."""
    [event] = change_events(None, record_state(make_record(URL, "E-Akte")), AT)
    assert ("new", "gitlab.opencode.de/kreis/eakte", "opencode", AT) == (
        event.kind,
        event.record_id,
        event.forge,
        event.at,
    )
    assert "stadt-musterhausen" in (event.organisation_id or "")


def test_fetch_time_stars_and_activity_are_no_change() -> None:
    """A recrawl that only moves fetch time, stars and last activity gives no event."""
    before = record_state(make_record(URL, "E-Akte"))
    after = record_state(
        make_record(URL, "E-Akte", stars=99, last_activity=datetime(2026, 11, 30, tzinfo=UTC))
    )
    assert [] == _kinds(before, after)


def test_a_new_description_is_a_change() -> None:
    """Content a reader sees (the description) changing gives ``changed``."""
    before = record_state(make_record(URL, "E-Akte", short_en="Files"))
    after = record_state(make_record(URL, "E-Akte", short_en="Electronic files"))
    assert ["changed"] == _kinds(before, after)


def test_an_error_makes_it_newly_invalid_and_its_fix_fixed() -> None:
    """valid → invalid is ``invalid`` (with the error count), invalid → valid is ``fixed``."""
    valid = record_state(make_record(URL, "E-Akte"))
    broken = record_state(make_record(URL, "E-Akte", findings=(ERROR,)))
    [event] = change_events(valid, broken, AT)
    assert ("invalid", "publiccode.yml of E-Akte: 1 error") == (event.kind, event.summary)
    assert ["fixed"] == _kinds(broken, valid)
    assert [] == _kinds(broken, broken)


def test_archiving_and_removal() -> None:
    """Archiving gives ``archived``; leaving gives ``removed`` once; coming back is ``new``."""
    live = record_state(make_record(URL, "E-Akte"))
    archived = record_state(make_record(URL, "E-Akte", archived=True))
    assert ["archived"] == _kinds(live, archived)
    assert ["removed"] == _kinds(live, None)
    assert [] == _kinds(removed_state(live), None)
    assert ["new"] == _kinds(removed_state(live), live)


def test_a_state_without_digest_reports_only_validity() -> None:
    """States carried over by the migration (no digest) give no ``changed``, but ``invalid``."""
    carried = record_state(make_record(URL, "E-Akte", short_en="Old"))
    carried = type(carried)(**{**carried.__dict__, "digest": None, "archived": None})
    assert [] == _kinds(carried, record_state(make_record(URL, "E-Akte", archived=True)))
    assert ["invalid"] == _kinds(
        carried, record_state(make_record(URL, "E-Akte", findings=(ERROR,)))
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return create_store(f"sqlite:///{tmp_path / 'events.db'}")


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
    from schemas.forge import ForgeRegistration

    store.add_forge(
        ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
    )
    record = make_record(URL, "E-Akte")
    store.save_page("opencode", "all", [], [record], None)
    store.note_changes([record], scope=None, now=AT)
    store.remove_forge("opencode")
    assert ["removed", "new"] == [event.kind for event in store.events()]
