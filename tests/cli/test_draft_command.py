"""`codereuse draft URL|ID [-o FILE]` on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.store import Store, create_store
from schemas.publiccode import parse
from tests.api.conftest import corpus


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    store: Store = create_store(url)
    with store:
        store.upsert_records(corpus())
    yield url


def _run(database: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, list(args), env={"CODEREUSE_DATABASE_URL": database, "COLUMNS": "200"}
    )
    return result.exit_code, result.stdout, result.stderr


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
