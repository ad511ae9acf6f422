"""Reuse over the API and the pages: /reuse, /sbom (CycloneDX 1.6), /packages/{purl}, exports."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from cli.reuse_step import settle_reuse
from indexer.store import Store, create_store
from schemas.record import Relations
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.reuse.builders import PUBLISHED, published, record_with, use
from tests.store.builders import at

PUBLISHER = "https://gitlab.example.org/land/formular"
USER = "https://github.com/stadt-a/antrag"
OWN = "https://gitlab.example.org/land/portal"
FORK = "https://github.com/kreis-b/formular"


def reuse_store(path: Path) -> Store:
    """A store where a GitHub repository of one organisation depends on a GitLab project's package,
    the publisher uses it itself, a fork sits in another organisation, and usedBy names one."""
    store = create_store(f"sqlite:///{path / 'reuse.db'}")
    software = record_with(
        PUBLISHER,
        publishes=[published()],
        used_by=["Stadt Köln"],
        page=f"{PUBLISHER}/-/blob/main/package.json",
    )
    records = [
        software,
        record_with(
            USER,
            uses=[use(), use("pkg:pypi/django@5.0.4", path="requirements.txt", line=2)],
        ),
        record_with(OWN, uses=[use(line=9)]),
        record_with(FORK, relations=Relations(fork_of=software.url)),
    ]
    store.upsert_records(settle_reuse(store, records, now=at(0)))
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = reuse_store(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[AppClient]:
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()


def test_reuse_api_sorts_links_into_panels(client: AppClient) -> None:
    """/reuse lists the other organisations' use, internal use and usedBy apart, with evidence."""
    body = client.get("/api/v1/software/gitlab.example.org/land/formular/reuse").json()
    assert {
        "used_by_repositories": 2,
        "used_by_organisations": 2,
        "internal_repositories": 1,
        "declared_users": 1,
        "uses_software": 0,
    } == body["summary"]
    assert [
        ("depends_on", "github.com/stadt-a/antrag"),
        ("fork_of", "github.com/kreis-b/formular"),
    ] == [(link["kind"], link["user_id"]) for link in body["used_by"]]
    assert f"{USER}/blob/main/package.json#L7" == body["used_by"][0]["evidence_url"]
    assert ["gitlab.example.org/land/portal"] == [link["user_id"] for link in body["internal_use"]]
    assert [("Stadt Köln", True)] == [
        (link["user_organisation"], link["self_declared"]) for link in body["declared_users"]
    ]
    user = client.get("/api/v1/software/github.com/stadt-a/antrag/reuse").json()
    assert ["gitlab.example.org/land/formular"] == [link["software_id"] for link in user["uses"]]
    assert "formular" == user["names"]["gitlab.example.org/land/formular"]


def test_unknown_software_is_a_problem(client: AppClient) -> None:
    """/reuse and /sbom of an unknown id answer 404 problems."""
    for suffix in ("reuse", "sbom"):
        response = client.get(f"/api/v1/software/example.org/no/such/{suffix}")
        assert 404 == response.status_code
        assert "application/problem+json" == response.headers["content-type"]


def test_sbom_validates_against_cyclonedx_1_6(client: AppClient) -> None:
    """The SBOM is CycloneDX 1.6 JSON: the software as root with its licence, packages as purls."""
    response = client.get("/api/v1/software/github.com/stadt-a/antrag/sbom")
    assert 200 == response.status_code
    assert "application/vnd.cyclonedx+json" == response.headers["content-type"]
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(response.text) is None
    document = response.json()
    assert "1.6" == document["specVersion"]
    root = document["metadata"]["component"]
    assert ("antrag", [{"expression": "EUPL-1.2"}]) == (root["name"], root["licenses"]) or (
        "antrag" == root["name"] and "EUPL-1.2" == root["licenses"][0]["license"]["id"]
    )
    assert [PUBLISHED, "pkg:pypi/django@5.0.4"] == [c["purl"] for c in document["components"]]
    assert [
        {"ref": "github.com/stadt-a/antrag", "dependsOn": [PUBLISHED, "pkg:pypi/django@5.0.4"]}
    ] == [d for d in document["dependencies"] if d["ref"] == "github.com/stadt-a/antrag"]


def test_sbom_of_software_without_manifests_is_valid(client: AppClient) -> None:
    """A record without packages still gives a valid SBOM with its root component."""
    text = client.get("/api/v1/software/github.com/kreis-b/formular/sbom").text
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None


@pytest.mark.parametrize(
    "purl",
    [
        "pkg:npm/%2540land/formular@1.0.0",  # %40 escaped once more: the path decodes one level
        "pkg:npm/@land/formular",
        "pkg:npm/%40land/formular",
    ],
)
def test_package_reverse_lookup(client: AppClient, purl: str) -> None:
    """/packages/{purl} names the publisher and the users of the package, whatever the version."""
    response = client.get(f"/api/v1/packages/{purl}")
    assert 200 == response.status_code, response.text
    body = response.json()
    assert PUBLISHED == body["key"]
    assert ["gitlab.example.org/land/formular"] == [e["id"] for e in body["published_by"]]
    assert [("github.com/stadt-a/antrag", 7), ("gitlab.example.org/land/portal", 9)] == [
        (e["id"], e["line"]) for e in body["used_by"]
    ]


def test_package_lookup_refuses_what_is_no_purl(client: AppClient) -> None:
    """A text that is no package URL is a 400 problem saying how to write one."""
    response = client.get("/api/v1/packages/lodash-not-a-purl")
    assert 400 == response.status_code
    assert "pkg:TYPE/NAMESPACE/NAME" in response.json()["detail"]


def test_link_exports(client: AppClient) -> None:
    """CSV and Parquet have one row per link; the graph has nodes and one edge per link."""
    csv_text = client.get("/api/v1/export/reuse?format=csv").text
    rows = csv_text.strip().split("\r\n")
    assert rows[0].startswith("kind,software_id,software_organisation,user_id")
    assert 4 == len(rows) - 1  # depends_on twice (one internal), fork_of, declared_used_by
    table = pq.read_table(io.BytesIO(client.get("/api/v1/export/reuse?format=parquet").content))
    assert len(rows) - 1 == table.num_rows
    assert {"depends_on", "fork_of", "declared_used_by"} == set(table.column("kind").to_pylist())
    graph = json.loads(client.get("/api/v1/export/reuse?format=graph").text)["graph"]
    assert len(rows) - 1 == len(graph["edges"])
    assert "organisation" == graph["nodes"]["organisation:Stadt Köln"]["metadata"]["type"]
    edges = {(edge["source"], edge["relation"], edge["target"]) for edge in graph["edges"]}
    assert ("github.com/stadt-a/antrag", "depends_on", "gitlab.example.org/land/formular") in edges
    assert (
        "organisation:Stadt Köln",
        "declared_used_by",
        "gitlab.example.org/land/formular",
    ) in edges


def test_pages_show_used_by_and_uses_with_evidence(client: AppClient) -> None:
    """The publisher's page shows who uses it with the manifest line; the user's shows what it uses."""
    page = client.get("/software/gitlab.example.org/land/formular?lang=en").text
    assert "Used by 2 repositories of 2 other organisations in the catalogue." in page
    assert f'href="{USER}/blob/main/package.json#L7"' in page
    assert "Internal use" in page and "Stadt Köln" in page and "self-declared" in page
    user_page = client.get("/software/github.com/stadt-a/antrag?lang=de").text
    assert 'href="/software/gitlab.example.org/land/formular?lang=de"' in user_page
    assert "hängt davon ab" in user_page
    assert "/api/v1/software/github.com/stadt-a/antrag/sbom" in user_page


def test_search_filters_and_sorts_by_reuse(store: Store, client: AppClient) -> None:
    """reused_by_organisations filters by reuse level (cumulative facet) and sorts most first."""
    search = built_search(store)
    reused = search.search(
        filters={"reused_by_organisations": ("2+",)}, facets=["reused_by_organisations"]
    )
    assert ["gitlab.example.org/land/formular"] == [hit.id for hit in reused.hits]
    assert {"1+": 1, "2+": 1} == dict(reused.facets["reused_by_organisations"])
    ranked = search.search(sort="reused_by_organisations")
    assert "gitlab.example.org/land/formular" == ranked.hits[0].id
    assert (
        "gitlab.example.org/land/formular"
        == search.search(sort="-reused_by_organisations").hits[-1].id
    )
    body = client.get("/api/v1/software?reused_by_organisations=1%2B").json()
    assert ["gitlab.example.org/land/formular"] == [hit["id"] for hit in body["hits"]]
    refused = client.get("/api/v1/software?reused_by_organisations=many")
    assert 400 == refused.status_code
    assert "reuse level" in refused.json()["detail"]
