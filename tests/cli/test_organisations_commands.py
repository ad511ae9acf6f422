"""`codereuse organisations`, `show --organisation`, `export --organisations` on a small store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli.app import app
from crawler.normalise.organisations import organisation_entities
from indexer.store import create_store
from tests.api.conftest import corpus

runner = CliRunner()


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store with the API tests' corpus and its organisations."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    records = corpus()
    with create_store(url) as store:
        store.upsert_records(records)
        store.save_organisations(organisation_entities(records, {}))
    yield tmp_path


def test_organisations_lists_and_searches(catalogue: Path) -> None:
    """The list shows each organisation with its counts; words narrow it; --json gives rows."""
    listed = runner.invoke(app, ["organisations"])
    assert 0 == listed.exit_code, listed.output
    assert "4 organisation(s)" in listed.output and "Kreis Muster" in listed.output
    found = runner.invoke(app, ["organisations", "kreis", "--json"])
    rows = json.loads(found.output)
    assert [("name:kreis-muster", "Kreis Muster", 1, 1, 0)] == [
        (r["id"], r["name"], r["software"], r["declared"], r["valid"]) for r in rows
    ]
    none = runner.invoke(app, ["organisations", "--kind", "company"])
    assert (1, "0 organisation(s)") == (none.exit_code, none.output.strip())


def test_show_organisation(catalogue: Path) -> None:
    """`show --organisation ID` prints the profile with sources; an unknown id fails clearly."""
    shown = runner.invoke(app, ["show", "--organisation", "name:land-beispiel"])
    assert 0 == shown.exit_code, shown.output
    assert "Land Beispiel" in shown.output and "publiccode" in shown.output
    missing = runner.invoke(app, ["show", "--organisation", "name:nobody"])
    assert 1 == missing.exit_code
    assert "codereuse organisations" in missing.output
    neither = runner.invoke(app, ["show"])
    assert 2 == neither.exit_code


def test_export_organisations_in_every_format(catalogue: Path) -> None:
    """One row per organisation with counts, as CSV, JSON, NDJSON and Parquet."""
    as_csv = runner.invoke(app, ["export", "--organisations", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert 4 == len(rows)
    kreis = next(row for row in rows if row["id"] == "name:kreis-muster")
    assert ("1", "1", "0", "opencode") == (
        kreis["software"],
        kreis["declared"],
        kreis["valid"],
        kreis["forges"],
    )
    as_json = json.loads(
        runner.invoke(app, ["export", "--organisations", "--format", "json"]).stdout
    )
    lines = runner.invoke(app, ["export", "--organisations", "--format", "ndjson"]).stdout
    assert (4, 4) == (len(as_json), len(lines.splitlines()))
    target = catalogue / "organisations.parquet"
    written = runner.invoke(
        app, ["export", "--organisations", "--format", "parquet", "-o", str(target)]
    )
    assert 0 == written.exit_code, written.output
    table = pq.read_table(target)
    assert (4, "list<element: string>") == (table.num_rows, str(table.schema.field("forges").type))
