"""The maturity assessment from facts alone: every criterion at every level, and the summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from schemas.facts import Release, RepositoryFacts, RootEntry
from schemas.findings import Finding
from schemas.licence import licence_from_expression
from schemas.maturity import (
    CRITERIA,
    Assessment,
    assess,
    missing_for,
    next_change,
    reason_text,
    reasons,
    summary_level,
)
from schemas.maturity.reasons import REASONS
from schemas.record import Contact, Contractor, Maintenance, Provenance, Record, Repository

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FULL_ROOT = [
    RootEntry(name="README.md", size=4000),
    RootEntry(name="LICENSE"),
    RootEntry(name="CONTRIBUTING.md"),
    RootEntry(name="SECURITY.md"),
    RootEntry(name=".gitlab-ci.yml"),
    RootEntry(name="src", type="dir"),
]


def facts(**changes: Any) -> RepositoryFacts:
    """Facts of a well-kept repository, with `changes` applied."""
    base: dict[str, Any] = {
        "empty": False,
        "root": FULL_ROOT,
        "releases_count": 4,
        "latest_release": Release(tag="v2.1.0", published_at=NOW - timedelta(days=40)),
        "last_commit_at": NOW - timedelta(days=3),
        "commits_last_year": 120,
        "open_issues": 7,
        "readme_path": "README.md",
        "readme_size": 4000,
        "readme_text": "x" * 4000,
        "licence_path": "LICENSE",
        "licence_from_file": "EUPL-1.2",
    }
    base.update(changes)
    return RepositoryFacts(**base)


def record(
    repository_facts: RepositoryFacts | None = None,
    *,
    declared: bool = True,
    licence: str | None = "EUPL-1.2",
    forge_licence: str | None = None,
    archived: bool = False,
    last_activity: datetime | None = None,
    maintenance: Maintenance | None = None,
    findings: list[Finding] | None = None,
    release_date: date | None = None,
    version: str | None = None,
) -> Record:
    """A record fetched at NOW with the given facts and publiccode.yml values."""
    url = "https://gitlab.example.org/group/app"
    return Record(
        id="gitlab.example.org/group/app",
        url=url,
        declared=declared,
        name="App",
        licence=licence_from_expression(licence) if declared else None,
        maintenance=maintenance
        or Maintenance(type="internal", contacts=[Contact(name="Erika Mustermann")]),
        release_date=release_date,
        software_version=version,
        findings=findings or [],
        repository=Repository(
            forge="example",
            url=url,
            licence=forge_licence,
            archived=archived,
            last_activity=last_activity,
            facts=repository_facts,
        ),
        provenance=Provenance(
            forge="example",
            fetched_at=NOW,
            file_path="publiccode.yml" if declared else None,
            parser_version="test",
        ),
    )


def level_of(item: Record, name: str) -> tuple[str, str]:
    """(level, reason code) of criterion `name` in the assessment of `item`."""
    criterion = assess(item).criterion(name)  # type: ignore[arg-type]
    return criterion.level, criterion.reason


CASES: list[tuple[str, Record, str, str]] = [
    # active
    ("active", record(facts(last_commit_at=NOW - timedelta(days=90))), "met", "active.commit_recent"),
    ("active", record(facts(last_commit_at=NOW - timedelta(days=91))), "partly", "active.commit_year"),
    ("active", record(facts(last_commit_at=NOW - timedelta(days=400))), "not_met", "active.commit_old"),
    (
        "active",
        record(facts(last_commit_at=None), last_activity=NOW - timedelta(days=10)),
        "met",
        "active.activity_recent",
    ),
    ("active", record(facts(last_commit_at=None, empty=True)), "not_met", "active.empty"),
    ("active", record(None), "unknown", "active.unknown"),
    # released
    ("released", record(facts()), "met", "released.release_recent"),
    (
        "released",
        record(facts(latest_release=Release(tag="v1", published_at=NOW - timedelta(days=800)))),
        "partly",
        "released.release_old",
    ),
    (
        "released",
        record(facts(latest_release=Release(tag="v1"))),
        "partly",
        "released.undated",
    ),
    (
        "released",
        record(facts(latest_release=None, releases_count=None), release_date=date(2026, 5, 1)),
        "met",
        "released.publiccode_recent",
    ),
    (
        "released",
        record(facts(latest_release=None, releases_count=0)),
        "not_met",
        "released.none",
    ),
    ("released", record(facts(latest_release=None, releases_count=None)), "unknown", "released.unknown"),
    ("released", record(None), "unknown", "released.unknown"),
    # licensed
    ("licensed", record(facts()), "met", "licensed.publiccode"),
    (
        "licensed",
        record(facts(licence_from_file=None), declared=False, forge_licence="MIT"),
        "met",
        "licensed.forge",
    ),
    ("licensed", record(facts(), declared=False), "met", "licensed.file"),
    ("licensed", record(facts(licence_from_file=None), licence="CC-BY-NC-4.0"), "partly", "licensed.not_approved"),
    ("licensed", record(facts(licence_from_file=None), licence="Proprietary licence"), "partly", "licensed.invalid"),
    (
        "licensed",
        record(facts(licence_from_file=None), declared=False),
        "partly",
        "licensed.unrecognised",
    ),
    (
        "licensed",
        record(
            facts(licence_from_file=None, licence_path=None, root=[RootEntry(name="README.md")]),
            declared=False,
        ),
        "not_met",
        "licensed.none",
    ),
    ("licensed", record(None, declared=False), "unknown", "licensed.unknown"),
    # documented
    ("documented", record(facts()), "met", "documented.both"),
    (
        "documented",
        record(facts(root=[RootEntry(name="README.md")])),
        "partly",
        "documented.readme_only",
    ),
    (
        "documented",
        record(facts(readme_text="short", readme_size=5)),
        "partly",
        "documented.contributing_only",
    ),
    (
        "documented",
        record(facts(root=[RootEntry(name="README.md")], readme_text="x" * 999)),
        "not_met",
        "documented.short_readme",
    ),
    (
        "documented",
        record(facts(root=[RootEntry(name="src", type="dir")], readme_path=None, readme_text=None)),
        "not_met",
        "documented.none",
    ),
    (
        "documented",
        record(facts(readme_text=None, readme_size=None)),
        "partly",
        "documented.readme_unmeasured",
    ),
    (
        "documented",
        record(facts(root=[RootEntry(name="README.md")], readme_text=None, readme_size=None)),
        "unknown",
        "documented.readme_unmeasured",
    ),
    ("documented", record(facts(root=None)), "unknown", "documented.unknown"),
    ("documented", record(facts(empty=True, root=[])), "not_met", "documented.empty"),
    # tested
    ("tested", record(facts()), "met", "tested.present"),
    ("tested", record(facts(root=[RootEntry(name="README.md")])), "not_met", "tested.none"),
    ("tested", record(facts(root=None)), "unknown", "tested.unknown"),
    ("tested", record(None), "unknown", "tested.unknown"),
    # secure
    ("secure", record(facts()), "met", "secure.present"),
    ("secure", record(facts(root=[RootEntry(name="README.md")])), "not_met", "secure.none"),
    ("secure", record(facts(root=None)), "unknown", "secure.unknown"),
    ("secure", record(facts(empty=True, root=[])), "not_met", "secure.empty"),
    # described
    ("described", record(facts()), "met", "described.valid"),
    (
        "described",
        record(facts(), findings=[Finding(type="error", key="name", message="missing")]),
        "partly",
        "described.invalid",
    ),
    ("described", record(facts(), declared=False), "not_met", "described.none"),
    # maintained
    ("maintained", record(facts()), "met", "maintained.contacts"),
    (
        "maintained",
        record(
            facts(),
            maintenance=Maintenance(type="contract", contractors=[Contractor(name="ACME")]),
        ),
        "met",
        "maintained.contacts",
    ),
    ("maintained", record(facts(), maintenance=Maintenance(type="community")), "partly", "maintained.no_contacts"),
    ("maintained", record(facts(), maintenance=Maintenance(type="none")), "not_met", "maintained.none"),
    ("maintained", record(facts(), maintenance=Maintenance(type=None)), "not_met", "maintained.missing"),
    ("maintained", record(facts(), declared=False), "unknown", "maintained.undeclared"),
    # not archived
    ("not_archived", record(facts()), "met", "not_archived.active"),
    ("not_archived", record(facts(), archived=True), "not_met", "not_archived.archived"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "item", "level", "reason"),
    CASES,
    ids=[f"{case[0]}-{case[2]}-{case[3].split('.')[1]}" for case in CASES],
)
def test_each_criterion_gives_its_level_from_facts_alone(
    name: str, item: Record, level: str, reason: str
) -> None:
    """Each criterion reads only the record's facts and gives the documented level and reason."""
    assert (level, reason) == level_of(item, name)


def test_every_criterion_reaches_every_level_it_can_have() -> None:
    """The cases cover met, partly, not_met and unknown for every criterion that has them."""
    covered = {(name, level) for name, _, level, _ in CASES}
    never_partly = {"tested", "secure", "not_archived"}  # a file is there or it is not
    never_unknown = {"described", "not_archived"}  # always known from the record itself
    for name in CRITERIA:
        for level in ("met", "partly", "not_met", "unknown"):
            if (level == "partly" and name in never_partly) or (
                level == "unknown" and name in never_unknown
            ):
                continue
            assert (name, level) in covered, f"{name} never {level}"


def test_every_reason_code_has_a_sentence_in_both_languages() -> None:
    """Every reason code the cases produce renders in German and English without placeholders."""
    for _, item, _, _ in CASES:
        for criterion in assess(item).criteria:
            assert criterion.reason in REASONS
            for language, text in reasons(criterion).items():
                assert "{" not in text, (criterion.reason, language, text)
                assert text.endswith("."), text


def test_reason_sentences_name_the_evidence() -> None:
    """The sentence says the date, the days and the file, in each language's own format."""
    item = record(facts(last_commit_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC)))
    criterion = assess(item).criterion("active")
    assert "2026-11-01" in reason_text(criterion, "en")
    assert "29 days" in reason_text(criterion, "en")
    assert "1.11.2026" in reason_text(criterion, "de")
    readme = assess(record(facts(readme_text="x" * 1234))).criterion("documented")
    assert "1,234 characters" in reason_text(readme, "en")
    assert "1.234 Zeichen" in reason_text(readme, "de")
    assert "CONTRIBUTING.md" in reason_text(readme, "en")


def test_assessment_is_reproducible_at_the_fetch_time() -> None:
    """Without `now` the record is measured at its fetch time; the result never changes."""
    item = record(facts(last_commit_at=NOW - timedelta(days=100)))
    assert assess(item) == assess(item)
    assert NOW == assess(item).assessed_at
    assert "partly" == assess(item).criterion("active").level
    later = assess(item, NOW + timedelta(days=300)).criterion("active")
    assert "not_met" == later.level


def test_next_change_is_the_first_moment_time_alone_changes_a_level() -> None:
    """Commit 3 days and release 40 days before the fetch: `active` changes first, at 91 days."""
    item = record(facts())
    due = next_change(item)
    assert NOW - timedelta(days=3) + timedelta(days=91) == due
    assert assess(item).levels() == assess(item, due - timedelta(microseconds=1)).levels()
    assert "partly" == assess(item, due).criterion("active").level
    then = next_change(item, due)
    assert NOW - timedelta(days=40) + timedelta(days=366) == then
    assert "partly" == assess(item, then).criterion("released").level
    assert NOW - timedelta(days=3) + timedelta(days=366) == next_change(item, then)
    assert None is next_change(item, NOW + timedelta(days=400))
    assert None is next_change(record(None, declared=False))


def test_an_unread_repository_is_unknown_never_guessed() -> None:
    """A record whose facts were not read has unknown root criteria, not 'not met'."""
    assessment = assess(record(None, declared=False))
    for name in ("documented", "tested", "secure", "released", "licensed"):
        assert "unknown" == assessment.criterion(name).level, name  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 3),
        ({"secure": "not_met", "described": "partly", "maintained": "unknown"}, 2),
        ({"released": "partly"}, 2),
        ({"active": "partly"}, 2),
        ({"documented": "partly"}, 2),
        ({"tested": "unknown"}, 1),
        ({"active": "not_met"}, 1),
        ({"licensed": "partly"}, 0),
        ({"not_archived": "not_met"}, 0),
        ({"documented": "not_met"}, 0),
        ({"documented": "unknown"}, 0),
    ],
)
def test_summary_level_follows_the_written_rule(changes: dict[str, str], expected: int) -> None:
    """Level 3 needs everything of level 2 plus recency, a release, docs and one extra."""
    levels = dict.fromkeys(CRITERIA, "met") | changes
    assert expected == summary_level(levels)  # type: ignore[arg-type]


def test_missing_conditions_name_what_keeps_a_record_below_a_level() -> None:
    """What stands between a record and the next level is listed by criterion."""
    levels = dict.fromkeys(CRITERIA, "met") | {"tested": "not_met", "secure": "not_met"}
    assert ["tested:met"] == missing_for(levels, 2)  # type: ignore[arg-type]
    levels |= {"described": "not_met", "maintained": "unknown"}
    assert ["tested:met", "any:secure,described,maintained"] == missing_for(levels, 3)  # type: ignore[arg-type]


def test_well_kept_repository_is_mature_and_an_archived_one_is_not() -> None:
    """All criteria met give level 3; archiving the same repository drops it to 0."""
    well_kept: Assessment = assess(record(facts()))
    assert 3 == well_kept.level
    assert set(CRITERIA) == set(well_kept.levels())
    assert 0 == assess(record(facts(), archived=True)).level
    assert 0 == assess(record(facts(empty=True, root=[], last_commit_at=None))).level


def test_licence_expressions_need_every_licence_approved() -> None:
    """``EUPL-1.2 OR MIT`` is approved, an expression naming a non-free licence is not."""
    assert (
        "met"
        == level_of(record(facts(licence_from_file=None), licence="EUPL-1.2 OR MIT"), "licensed")[0]
    )
    mixed = record(facts(licence_from_file=None), licence="MIT AND CC-BY-NC-4.0")
    assert ("partly", "licensed.not_approved") == level_of(mixed, "licensed")
    deprecated = record(facts(licence_from_file=None), licence="GPL-3.0+")
    assert "met" == level_of(deprecated, "licensed")[0]
