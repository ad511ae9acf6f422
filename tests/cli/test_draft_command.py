"""`codereuse draft URL|ID [-o FILE]` on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

from schemas.publiccode import parse
from tests.cli.test_catalogue_commands import _run, database

__all__ = ["database"]  # the catalogue commands' store fixture, shared


def test_draft_by_url_prints_a_valid_draft(database: str) -> None:
    """By repository URL: the YAML on stdout, 0 validator errors."""
    code, out, _ = _run(database, "draft", "https://gitlab.opencode.de/kreis/kalender")
    assert 0 == code
    assert "name: Terminkalender" in out
    assert [] == parse(out.encode()).errors


def test_draft_by_id_to_a_file(database: str, tmp_path: Path) -> None:
    """-o writes the file and says how many values to check."""
    target = tmp_path / "publiccode.yml"
    code, _, err = _run(database, "draft", "gitlab.opencode.de/kreis/kalender", "-o", str(target))
    assert 0 == code
    assert [] == parse(target.read_bytes()).errors
    assert "marked TODO" in err


def test_declared_and_unknown_records_exit_1(database: str) -> None:
    """A record with its own file and an unknown id are refused with a clear line."""
    code, _, err = _run(database, "draft", "gitlab.opencode.de/stadt/beteiligung")
    assert 1 == code
    assert "has its own publiccode.yml and nothing to fix" in err
    code, _, err = _run(database, "draft", "gitlab.opencode.de/no/such")
    assert 1 == code
    assert "no record" in err
