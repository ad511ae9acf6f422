"""`codereuse export --format csv|json|ndjson|parquet` writes what the API exports, with the same filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.store import Store
from tests.api.client import AppClient


def _run(store: Store, *args: str) -> tuple[int, bytes, str]:
    runner = CliRunner()
    result = runner.invoke(
        app, ["export", *args], env={"CODEREUSE_DATABASE_URL": str(store.engine.url)}
    )
    return result.exit_code, result.stdout_bytes, result.stderr


def test_csv_file_equals_the_api_download(store: Store, client: AppClient, tmp_path: Path) -> None:
    """The CSV file of a filtered export has the same bytes as the API's (dates aside)."""
    target = tmp_path / "mit.csv"
    code, _, _ = _run(store, "--format", "csv", "--licence", "MIT", "-o", str(target))
    from_api = client.get("/api/v1/export", params={"format": "csv", "licence": "MIT"}).content
    assert 0 == code
    assert from_api == target.read_bytes()


@pytest.mark.parametrize("form", ["json", "ndjson"])
def test_json_forms_to_stdout(store: Store, form: str) -> None:
    """json and ndjson go to stdout when no file is named."""
    code, out, _ = _run(store, "--format", form, "--forge", "github")
    records = json.loads(out) if form == "json" else [json.loads(line) for line in out.splitlines()]
    assert (0, ["Beteiligung Plus"]) == (code, [record["name"] for record in records])


def test_parquet_file_with_boolean_filter(store: Store, tmp_path: Path) -> None:
    """--inferred exports only inferred records, as Parquet."""
    target = tmp_path / "inferred.parquet"
    code, _, err = _run(store, "--format", "parquet", "--inferred", "-o", str(target))
    assert 0 == code, err
    assert ["Terminkalender"] == pq.read_table(target).column("name").to_pylist()


def test_activity_filter(store: Store) -> None:
    """--active-until keeps records whose last activity is before the day."""
    code, out, _ = _run(store, "--format", "csv", "--active-until", "2025-01-01")
    assert 0 == code
    assert ["E-Akte"] == [row["name"] for row in csv.DictReader(io.StringIO(out.decode()))]


def test_bad_option_value_exits_2(store: Store) -> None:
    """A filter value the API would refuse (empty) exits 2 naming the option."""
    code, _, err = _run(store, "--format", "csv", "--licence", "")
    assert 2 == code
    assert "--licence" in err
