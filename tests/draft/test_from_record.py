"""`draft_facts` reads the repository facts a record keeps (issue 14 wiring)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.draft import draft_facts, draft_for_record
from schemas.facts import Release, RepositoryFacts, RootEntry
from schemas.publiccode import parse
from schemas.record import Provenance, Record, Repository

FETCHED = datetime(2026, 6, 1, tzinfo=UTC)


def _record(facts: RepositoryFacts | None, licence: str | None = None) -> Record:
    return Record(
        id="gitlab.example.org/org/tool",
        url="https://gitlab.example.org/org/tool",
        declared=False,
        name="tool",
        repository=Repository(
            forge="lab",
            url="https://gitlab.example.org/org/tool",
            licence=licence,
            last_activity=datetime(2026, 5, 30, tzinfo=UTC),
            facts=facts,
        ),
        provenance=Provenance(forge="lab", fetched_at=FETCHED, parser_version="test"),
    )


FACTS = RepositoryFacts(
    root=[
        RootEntry(name="README.md"),
        RootEntry(name="Dockerfile"),
        RootEntry(name="src", type="dir"),
    ],
    readme_path="README.md",
    readme_text="# Tool\n\nTool helps municipalities publish their council minutes as open data.\n",
    licence_path="LICENSE",
    licence_from_file="GPL-3.0-only",
    latest_release=Release(tag="v2.1.0", published_at=datetime(2026, 4, 1, tzinfo=UTC)),
    releases_count=7,
    last_commit_at=datetime(2026, 5, 20, tzinfo=UTC),
    commits_last_year=120,
)


def test_draft_facts_come_from_the_record_facts() -> None:
    """README, root names, release, counts, last commit and the LICENSE file's licence."""
    facts = draft_facts(_record(FACTS))
    assert facts.readme == FACTS.readme_text
    assert ("README.md", "Dockerfile", "src") == facts.root_names
    assert facts.latest_release is not None and "v2.1.0" == facts.latest_release.tag
    assert (7, 120) == (facts.releases_count, facts.commits_last_year)
    assert datetime(2026, 5, 20, tzinfo=UTC) == facts.last_commit_at
    assert facts.licence is not None
    assert ("GPL-3.0-only", "LICENSE", True) == (
        facts.licence.expression,
        facts.licence.source,
        facts.licence.version_choice_unknown,
    )


def test_the_forge_licence_wins_and_no_facts_leave_them_unknown() -> None:
    """The forge's detection is preferred; a record without facts drafts from metadata."""
    facts = draft_facts(_record(FACTS, licence="MIT"))
    assert facts.licence is not None and ("MIT", "forge") == (
        facts.licence.expression,
        facts.licence.source,
    )
    bare = draft_facts(_record(None))
    assert (None, None, None) == (bare.readme, bare.root_names, bare.latest_release)
    assert datetime(2026, 5, 30, tzinfo=UTC) == bare.last_commit_at


def test_a_draft_from_facts_is_valid_and_says_its_sources() -> None:
    """The draft takes the release and the LICENSE file's licence, and our validator accepts it."""
    draft = draft_for_record(_record(FACTS))
    assert "GPL-3.0-only" == draft.document["legal"]["license"]
    assert "LICENSE" in draft.notes["legal.license"].source
    assert "2.1.0" in str(draft.document.get("softwareVersion"))
    result = parse(draft.to_yaml().encode())
    assert [] == [f for f in result.findings if f.type == "error"]
