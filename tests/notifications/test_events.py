"""Change events: the pure comparison (the store's part: tests/store/test_notification_store.py)."""

from __future__ import annotations

from datetime import UTC, datetime

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
