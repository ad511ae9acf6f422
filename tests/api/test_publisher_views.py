"""Publisher views (issue 13): valid / has_findings / finding filters in the search API and the
exports, the files with errors per forge and per organisation (API and pages), and the forge's
invalid count."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app as cli_app
from indexer.store import Store
from schemas.findings import Finding
from schemas.publiccode import parse
from tests.api import conftest as api_conftest
from tests.api.client import AppClient
from tests.api.records import make_record
from tests.publiccode.test_hostile import MINIMAL

BROKEN = MINIMAL.replace(b"localisationReady: true", b"localisationReady: yes")
ORGANISATION = "name:kreis-muster"


@pytest.fixture
def store(store: Store) -> Iterator[Store]:
    """The API corpus plus a record of Kreis Muster with parser findings (codes) and one with
    a warning only."""
    broken = make_record(
        "https://gitlab.opencode.de/kreis/formular",
        "Formularserver",
        short_en="Forms for citizens",
        organisation="Kreis Muster",
    )
    warned = make_record(
        "https://gitlab.opencode.de/kreis/bescheid",
        "Bescheid",
        short_en="Notices",
        organisation="Kreis Muster",
    )
    warning = Finding(
        type="warning", key="logo", message="old key", code="publiccode.deprecated", params={}
    )
    store.upsert_records(
        [
            broken.model_copy(update={"findings": parse(BROKEN).findings}),
            warned.model_copy(update={"findings": [warning]}),
        ]
    )
    store.save_organisations(api_conftest.organisation_entities(list(store.iter_records()), {}))
    yield store


def _ids(client: AppClient, **params: str) -> list[str]:
    body = client.get("/api/v1/software", params=params).json()
    return sorted(hit["id"] for hit in body["hits"])


def test_search_api_filters_by_findings(client: AppClient) -> None:
    """valid=false lists the records with errors, has_findings also those with warnings,
    finding=<code> those with that code."""
    invalid = ["gitlab.opencode.de/kreis/eakte", "gitlab.opencode.de/kreis/formular"]
    assert invalid == _ids(client, valid="false")
    assert sorted([*invalid, "gitlab.opencode.de/kreis/bescheid"]) == _ids(
        client, has_findings="true"
    )
    assert ["gitlab.opencode.de/kreis/formular"] == _ids(client, finding="publiccode.wrong_type")
    assert ["gitlab.opencode.de/kreis/bescheid"] == _ids(
        client, finding="publiccode.deprecated", valid="true"
    )


def test_search_api_counts_finding_codes(client: AppClient) -> None:
    """The finding facet counts records per code."""
    body = client.get(
        "/api/v1/software", params={"valid": "false", "facets": "finding,valid"}
    ).json()
    assert {"publiccode.wrong_type": 1, "publiccode.required": 1} == {
        item["value"]: item["count"]
        for item in body["facets"]["finding"]
        if item["value"].startswith("publiccode.")
    }
    assert [("false", 2)] == [(item["value"], item["count"]) for item in body["facets"]["valid"]]


def test_export_takes_the_same_filters(client: AppClient) -> None:
    """The CSV export of valid=false holds exactly the records with errors."""
    response = client.get("/api/v1/export", params={"format": "csv", "valid": "false"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert ["gitlab.opencode.de/kreis/eakte", "gitlab.opencode.de/kreis/formular"] == sorted(
        row["id"] for row in rows
    )
    assert {"false"} == {row["valid"].lower() for row in rows}
    coded = client.get("/api/v1/export", params={"format": "csv", "finding": "publiccode.required"})
    assert ["gitlab.opencode.de/kreis/formular"] == [
        row["id"] for row in csv.DictReader(io.StringIO(coded.text))
    ]


def test_forge_error_list_api(client: AppClient) -> None:
    """GET /api/v1/forges/{name}/errors counts every record of the forge and lists those with
    errors, most errors first, findings in the language asked for."""
    body = client.get("/api/v1/forges/opencode/errors", params={"lang": "de"}).json()
    assert ("forge", "opencode", 2, 1) == (
        body["scope"],
        body["name"],
        body["invalid"],
        body["with_warnings"],
    )
    assert ["gitlab.opencode.de/kreis/formular", "gitlab.opencode.de/kreis/eakte"] == [
        file["id"] for file in body["files"]
    ]
    first = body["files"][0]
    assert first["errors"] >= 2 and first["findings"][0]["language"] == "de"
    assert any(f["text"].startswith("falscher Typ") for f in first["findings"])
    assert body["records"] == client.get("/api/v1/forges/opencode").json()["records"]
    assert 404 == client.get("/api/v1/forges/nosuch/errors").status_code


def test_organisation_error_list_api(client: AppClient) -> None:
    """The organisation's list covers its records across forges."""
    body = client.get(f"/api/v1/organisations/{ORGANISATION}/errors").json()
    assert ("organisation", 3, 2, 1) == (
        body["scope"],
        body["records"],
        body["invalid"],
        body["with_warnings"],
    )
    assert 404 == client.get("/api/v1/organisations/name:nobody/errors").status_code


def test_forge_shows_invalid_count(client: AppClient) -> None:
    """The forge API, the forges page and the forge page show how many records have errors."""
    assert 2 == client.get("/api/v1/forges/opencode").json()["invalid"]
    forges = client.get("/forges", params={"lang": "en"}).text
    assert "/forges/opencode?lang=en#forge-errors" in forges
    page = client.get("/forges/opencode", params={"lang": "de"}).text
    assert "Dateien mit Fehlern" in page and "Formularserver" in page
    assert "falscher Typ" in page
    assert "valid=false" in page
    assert 404 == client.get("/forges/nosuch").status_code


def test_cli_search_takes_the_publisher_filters(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`codereuse search --filter valid=false` and `--filter finding=CODE` select as the API."""
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", str(store.engine.url))
    monkeypatch.setenv("CODEREUSE_SEARCH_PATH", str(tmp_path / "cli-search.db"))
    runner = CliRunner()
    runner.invoke(cli_app, ["index", "--rebuild"])
    invalid = runner.invoke(cli_app, ["search", "--filter", "valid=false", "--json"])
    assert 0 == invalid.exit_code, invalid.output
    assert ["gitlab.opencode.de/kreis/eakte", "gitlab.opencode.de/kreis/formular"] == sorted(
        hit["id"] for hit in json.loads(invalid.stdout)["hits"]
    )
    coded = runner.invoke(
        cli_app, ["search", "--filter", "finding=publiccode.deprecated", "--json"]
    )
    assert ["gitlab.opencode.de/kreis/bescheid"] == [
        hit["id"] for hit in json.loads(coded.stdout)["hits"]
    ]


def test_error_counts_of_one_file_are_singular(client: AppClient) -> None:
    """A file with one error says "1 error", one warning "1 Warnung"; the counts line reads
    right for any number ("1 warnings" nowhere)."""
    english = client.get("/forges/opencode?lang=en").text
    assert '<span class="badge invalid">1 error</span>' in english
    assert "1 errors" not in english and "1 warnings" not in english
    assert "with warnings: 1 · errors in all: 4 · warnings in all: 1" in english
    german = client.get("/organisations/name:kreis-muster?lang=de").text
    assert "1 Warnungen" not in german and "mit Warnungen: 1" in german
