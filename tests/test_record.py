"""The catalogue record and canonical repository identity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.errors import InvalidURLError
from schemas.findings import Finding
from schemas.record import Provenance, Record, Repository, canonical_id, canonical_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://gitlab.opencode.de/group/project", "https://gitlab.opencode.de/group/project"),
        (
            "https://GitLab.OpenCode.de/group/project.git",
            "https://gitlab.opencode.de/group/project",
        ),
        (
            "http://gitlab.opencode.de:443/group/project/",
            "https://gitlab.opencode.de/group/project",
        ),
        ("https://user:secret@github.com/Org/Repo", "https://github.com/Org/Repo"),
        ("git@github.com:Org/Repo.git", "https://github.com/Org/Repo"),
        ("ssh://git@gitlab.example.org:2222/a/b.git", "https://gitlab.example.org/a/b"),
        ("https://gitlab.opencode.de/a/b/-/tree/main", "https://gitlab.opencode.de/a/b"),
        ("https://github.com/org/repo/tree/main/docs", "https://github.com/org/repo"),
        ("https://git.example.org:8443/a/b?x=1#top", "https://git.example.org:8443/a/b"),
        ("github.com/org/repo", "https://github.com/org/repo"),
    ],
)
def test_canonical_url_normalises_repository_urls(given: str, expected: str) -> None:
    """Clone, browser and credential-bearing URLs all normalise to one https URL."""
    assert expected == canonical_url(given)


@pytest.mark.parametrize(
    "bad", ["", "https://", "https://github.com/", "ftp://host/a", "mailto:x@y"]
)
def test_canonical_url_refuses_urls_without_repository(bad: str) -> None:
    """A URL with no host or no path is refused with the URL in the message."""
    with pytest.raises(InvalidURLError):
        canonical_url(bad)


def test_canonical_id_is_case_folded_host_and_path() -> None:
    """The id folds case so the same repository spelled two ways is one record."""
    assert "github.com/org/repo" == canonical_id("https://GitHub.com/Org/Repo.git")


def _record(**changes: object) -> Record:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    fields: dict[str, object] = {
        "id": "github.com/org/repo",
        "url": "https://github.com/org/repo",
        "declared": True,
        "name": "Repo",
        "repository": Repository(forge="gh", url="https://github.com/org/repo", last_activity=now),
        "provenance": Provenance(forge="gh", fetched_at=now, parser_version="1"),
    }
    fields.update(changes)
    return Record.model_validate(fields)


def test_record_top_level_export_fields() -> None:
    """The JSON shape carries valid, forge, mirrors and last_activity at the top level."""
    record = _record(
        findings=[Finding(type="error", key="name", line=1, column=1, message="x")],
        relations={"mirrors": ["https://gitlab.example.org/org/repo"]},
    )
    dumped = record.model_dump(mode="json")
    assert False is dumped["valid"]
    assert "gh" == dumped["forge"]
    assert ["https://gitlab.example.org/org/repo"] == dumped["mirrors"]
    assert "2026-01-02T00:00:00Z" == dumped["last_activity"]


def test_description_in_falls_back_by_language() -> None:
    """A description is picked by tag, then primary subtag, then English, then the first."""
    record = _record(descriptions={"de-DE": {"short": "kurz"}, "en": {"short": "short"}})
    assert "kurz" == record.description_in("de").short  # type: ignore[union-attr]
    assert "short" == record.description_in("fr").short  # type: ignore[union-attr]


def test_json_schema_files_are_current() -> None:
    """schemas/json/ matches the models; run `python -m schemas.export_json_schema` when it fails."""
    from schemas.export_json_schema import SCHEMA_DIR, SCHEMAS, render

    for name in SCHEMAS:
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert render(name) == committed, f"{name} is stale: python -m schemas.export_json_schema"


def test_record_dump_validates_against_exported_schema() -> None:
    """A dumped record is valid under the exported JSON Schema (what exports promise)."""
    import json

    import jsonschema

    from schemas.export_json_schema import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "record.schema.json").read_text(encoding="utf-8"))
    record = _record(descriptions={"en": {"short": "x", "features": ["a"]}})
    jsonschema.validate(record.model_dump(mode="json"), schema)


@pytest.mark.parametrize("bad", ["https://[::1/x", "https://host:99999/a/b", "http://[fe80::1%/x"])
def test_canonical_url_refuses_malformed_hosts_and_ports(bad: str) -> None:
    """Malformed IPv6 hosts and ports are an InvalidURLError, never a bare ValueError."""
    with pytest.raises(InvalidURLError):
        canonical_url(bad)


def test_drafted_flag_marks_exactly_the_inferred_records() -> None:
    """`provenance.drafted` is true for an inferred record (its publiccode.yml view is a
    draft), false for a declared one even when invalid; stored JSON without the flag, or with a
    wrong one, reads right; exports carry it as a column."""
    import json
    from pathlib import Path

    from api.exports.columns import COLUMN_NAMES, record_row
    from schemas.findings import Finding
    from schemas.record import Record
    from tests.api.records import make_record

    inferred = make_record("https://gitlab.example.org/a/inferred", "Inferred", declared=False)
    invalid = make_record(
        "https://gitlab.example.org/a/invalid",
        "Invalid",
        findings=(Finding(type="error", key="legal.license", message="missing"),),
    )
    assert (True, False) == (inferred.provenance.drafted, invalid.provenance.drafted)
    stored = json.loads(inferred.model_dump_json(exclude=set(Record.model_computed_fields)))
    del stored["provenance"]["drafted"]  # as a release before the flag stored it
    assert Record.model_validate(stored).provenance.drafted
    stored = json.loads(invalid.model_dump_json(exclude=set(Record.model_computed_fields)))
    stored["provenance"]["drafted"] = True
    assert not Record.model_validate(stored).provenance.drafted
    assert "drafted" in COLUMN_NAMES
    assert (True, False) == (record_row(inferred)["drafted"], record_row(invalid)["drafted"])
    schema = json.loads(Path("schemas/json/record.schema.json").read_text(encoding="utf-8"))
    assert "drafted" in schema["$defs"]["Provenance"]["properties"]
