"""The software endpoints: search with filters and facets, one record, its publiccode.yml."""

from __future__ import annotations

import yaml

from indexer.store import Store
from tests.api.client import AppClient


def test_search_returns_all_records_with_requested_facet_counts(client: AppClient) -> None:
    """An empty query lists the catalogue and counts the facets asked for."""
    body = client.get("/api/v1/software", params={"facets": "licence,forge"}).json()
    assert 5 == body["total"]
    licences = {item["value"]: item["count"] for item in body["facets"]["licence"]}
    assert {"EUPL-1.2": 3, "AGPL-3.0-or-later": 1, "MIT": 1} == licences
    assert {"opencode": 4, "github": 1} == {
        item["value"]: item["count"] for item in body["facets"]["forge"]
    }


def test_filters_of_one_field_or_and_fields_and(client: AppClient) -> None:
    """licence=MIT&licence=AGPL… ORs the values; adding forge=github ANDs."""
    params = [("licence", "MIT"), ("licence", "AGPL-3.0-or-later")]
    both = client.get("/api/v1/software", params=params).json()
    assert {"E-Akte", "Beteiligung Plus"} == {hit["name"] for hit in both["hits"]}
    narrowed = client.get("/api/v1/software", params=[*params, ("forge", "github")]).json()
    assert ["Beteiligung Plus"] == [hit["name"] for hit in narrowed["hits"]]


def test_boolean_and_activity_filters(client: AppClient) -> None:
    """declared=false finds the inferred record; active_until keeps only old activity."""
    inferred = client.get("/api/v1/software", params={"declared": "false"}).json()
    assert ["Terminkalender"] == [hit["name"] for hit in inferred["hits"]]
    old = client.get("/api/v1/software", params={"active_until": "2025-01-01"}).json()
    assert ["E-Akte"] == [hit["name"] for hit in old["hits"]]


def test_paging_links_keep_the_query(client: AppClient) -> None:
    """per_page=2 gives three pages; next keeps the filters and the CSV link the selection."""
    body = client.get("/api/v1/software", params={"forge": "opencode", "per_page": 2}).json()
    assert (4, 2, 2) == (body["total"], body["pages"], len(body["hits"]))
    assert "/api/v1/software?forge=opencode&page=2&per_page=2" == body["links"]["next"]
    assert "/api/v1/export?format=csv&forge=opencode" == body["links"]["export_csv"]


def test_per_page_over_100_is_a_problem(client: AppClient) -> None:
    """per_page above 100 answers 422 problem+json naming the parameter."""
    response = client.get("/api/v1/software", params={"per_page": 101})
    assert 422 == response.status_code
    assert "application/problem+json" == response.headers["content-type"]
    assert ["query.per_page"] == [error["location"] for error in response.json()["errors"]]


def test_too_deep_page_is_a_400_problem(client: AppClient) -> None:
    """page × per_page beyond the search's depth limit is refused with the backend's reason."""
    response = client.get("/api/v1/software", params={"page": 500, "per_page": 100})
    assert 400 == response.status_code
    assert "too deep" in response.json()["detail"]


def test_unknown_facet_is_refused(client: AppClient) -> None:
    """An unknown facet name is a 422 naming the facets parameter."""
    response = client.get("/api/v1/software", params={"facets": "colour"})
    assert 422 == response.status_code
    assert "query.facets" == response.json()["errors"][0]["location"]


def test_detail_has_record_times_and_resolved_relations(client: AppClient) -> None:
    """The detail carries provenance, findings, store times and related records by name."""
    body = client.get("/api/v1/software/gitlab.opencode.de/stadt/beteiligung").json()
    assert "Beteiligungsportal" == body["record"]["name"]
    assert "opencode" == body["record"]["provenance"]["forge"]
    assert body["first_seen"] is not None
    assert [
        {
            "kind": "variant",
            "url": "https://github.com/land/beteiligung-plus",
            "id": "github.com/land/beteiligung-plus",
            "name": "Beteiligung Plus",
            "listed": True,
        }
    ] == body["related"]


def test_detail_of_invalid_record_lists_its_findings(client: AppClient) -> None:
    """Findings come with key, line and column."""
    body = client.get("/api/v1/software/gitlab.opencode.de/kreis/eakte").json()
    assert [("error", "legal.license", 7, 12)] == [
        (f["type"], f["key"], f["line"], f["column"]) for f in body["record"]["findings"]
    ]
    assert body["record"]["valid"] is False


def test_unknown_record_is_a_404_problem(client: AppClient) -> None:
    """An unknown id answers 404 problem+json that says how ids look."""
    response = client.get("/api/v1/software/gitlab.example.org/no/such")
    assert 404 == response.status_code
    assert "host/path" in response.json()["detail"]


def test_original_publiccode_bytes(client: AppClient) -> None:
    """…/publiccode.yml returns the crawled bytes unchanged."""
    from tests.api.conftest import PUBLICCODE

    response = client.get("/api/v1/software/gitlab.opencode.de/stadt/beteiligung/publiccode.yml")
    assert 200 == response.status_code
    assert PUBLICCODE == response.content
    assert response.headers["content-type"].startswith("application/yaml")


def test_normalised_publiccode_rewrites_deprecated_keys(client: AppClient) -> None:
    """…/publiccode upgrades to 0.7: repoOwner → organisation.name, it → supports and uri."""
    response = client.get("/api/v1/software/gitlab.opencode.de/stadt/beteiligung/publiccode")
    document = yaml.safe_load(response.text)
    assert "0.7" == document["publiccodeYmlVersion"]
    assert {"name": "Stadt Musterhausen", "uri": "urn:x-italian-pa:c_h501"} == document[
        "organisation"
    ]
    assert [{"id": "alias:gdpr"}, {"id": "alias:spid"}] == document["supports"]
    assert "it" not in document and "repoOwner" not in document["legal"]


def test_inferred_record_has_no_publiccode(client: AppClient) -> None:
    """A record without publiccode.yml answers a 404 problem saying it is inferred."""
    response = client.get("/api/v1/software/gitlab.opencode.de/kreis/kalender/publiccode.yml")
    assert 404 == response.status_code
    assert "inferred" in response.json()["detail"]


def test_moved_repository_redirects_to_its_current_record(client: AppClient, store: Store) -> None:
    """After a rename the old id answers 301 to the new one, in the API and on the page."""
    store.rename_repository("opencode", "101", "https://gitlab.opencode.de/stadt/beteiligung-neu")
    api = client.get("/api/v1/software/gitlab.opencode.de/stadt/beteiligung")
    page = client.get("/software/gitlab.opencode.de/stadt/beteiligung?lang=de")
    assert (301, "/api/v1/software/gitlab.opencode.de/stadt/beteiligung-neu") == (
        api.status_code,
        api.headers["location"],
    )
    assert (301, "/software/gitlab.opencode.de/stadt/beteiligung-neu?lang=de") == (
        page.status_code,
        page.headers["location"],
    )
