"""`codereuse export --format ndjson`: one record per line, from the store, no secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from crawler.normalise import federate, records_from_snapshots
from indexer.store import create_store
from tests.normalise.helpers import publiccode, registration, snapshot


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_SeCrEtToKeN")
    return url


def _fill(url: str) -> list[str]:
    forge = registration("opencode", "gitlab", "https://gitlab.example.org")
    original = "https://gitlab.example.org/team/formserver"
    records = federate(
        records_from_snapshots(
            [
                snapshot(
                    original,
                    publiccode=publiccode("Formserver", original),
                    payload={"last_activity_at": "2025-10-01T14:03:27Z"},
                ),
                snapshot(
                    "https://gitlab.example.org/team/copy",
                    publiccode=publiccode("Formserver", original),
                ),
                snapshot(
                    "https://gitlab.example.org/team/plain",
                    payload={"name": "plain", "description": "No file"},
                ),
            ],
            registration=forge,
        )
    )
    with create_store(url) as store:
        store.add_forge(forge)
        store.upsert_records(records)
    return [record.id for record in records]


def test_ndjson_to_file_has_one_record_per_line(database: str, tmp_path: Path) -> None:
    """Each line is one record's JSON with the documented top-level fields."""
    ids = _fill(database)
    target = tmp_path / "catalogue.ndjson"
    result = CliRunner().invoke(
        app, ["export", "--format", "ndjson", "-o", str(target)], catch_exceptions=False
    )
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    first = lines[0]
    assert (
        0,
        ids,
        {"id", "url", "name", "declared", "valid", "forge", "mirrors", "last_activity"}
        - first.keys(),
        (
            "gitlab.example.org/team/formserver",
            "https://gitlab.example.org/team/formserver",
            True,
            True,
            "opencode",
            ["https://gitlab.example.org/team/copy"],
            "2025-10-01T14:03:27Z",
        ),
        (False, "plain"),
    ) == (
        result.exit_code,
        [line["id"] for line in lines],
        set(),
        (
            first["id"],
            first["url"],
            first["declared"],
            first["valid"],
            first["forge"],
            first["mirrors"],
            first["last_activity"],
        ),
        (lines[1]["declared"], lines[1]["name"]),
    )


def test_ndjson_to_stdout_and_no_secret(database: str) -> None:
    """Without -o the records go to stdout; the token in the environment appears nowhere."""
    _fill(database)
    result = CliRunner().invoke(app, ["export", "--format", "ndjson"], catch_exceptions=False)
    assert (0, 2, False) == (
        result.exit_code,
        len(result.stdout.splitlines()),
        "SeCrEt" in result.output,
    )


def test_unknown_format_is_a_usage_error(database: str) -> None:
    """Formats not built yet are refused as unusable arguments (exit code 2)."""
    result = CliRunner().invoke(app, ["export", "--format", "xml"])
    assert 2 == result.exit_code


def test_empty_store_exports_nothing(database: str, tmp_path: Path) -> None:
    """An empty catalogue gives an empty file, not an error."""
    create_store(database).close()
    target = tmp_path / "empty.ndjson"
    result = CliRunner().invoke(
        app, ["export", "--format", "ndjson", "-o", str(target)], catch_exceptions=False
    )
    assert (0, "") == (result.exit_code, target.read_text(encoding="utf-8"))
