"""``/api/v1/software/{id}/maturity`` and the README badges: criteria, evidence, SVG, caching."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import timedelta

import pytest

from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.facts import Release, RepositoryFacts, RootEntry
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.api.records import FETCHED, make_record

WELL_KEPT = "gitlab.opencode.de/stadt/fachverfahren"
SVG = "{http://www.w3.org/2000/svg}"


def well_kept_facts() -> RepositoryFacts:
    """Facts of a repository meeting every criterion at the corpus fetch time."""
    return RepositoryFacts(
        empty=False,
        root=[
            RootEntry(name="README.md", size=5000),
            RootEntry(name="CONTRIBUTING.md"),
            RootEntry(name="SECURITY.md"),
            RootEntry(name="LICENSE"),
            RootEntry(name=".gitlab-ci.yml"),
        ],
        releases_count=12,
        latest_release=Release(tag="v3.2.0", published_at=FETCHED - timedelta(days=20)),
        last_commit_at=FETCHED - timedelta(days=2),
        commits_last_year=340,
        open_issues=9,
        readme_path="README.md",
        readme_size=5000,
        readme_text="Fachverfahren " * 300,
        licence_path="LICENSE",
        licence_from_file="EUPL-1.2",
    )


@pytest.fixture
def maturity_client(store: Store) -> Iterator[AppClient]:
    """The API over the corpus plus one well-kept record with repository facts."""
    record = make_record(f"https://{WELL_KEPT}", "Fachverfahren", short_de="Ein Fachverfahren")
    record.repository.facts = well_kept_facts()
    store.upsert_records([record])
    search: SearchBackend = built_search(store)
    client = AppClient(build_app(store, search))
    yield client
    client.close()


def test_maturity_lists_every_criterion_with_evidence_and_both_reasons(
    maturity_client: AppClient,
) -> None:
    """The answer holds nine criteria, each with level, evidence and a sentence in de and en."""
    body = maturity_client.get(f"/api/v1/software/{WELL_KEPT}/maturity").json()
    assert 3 == body["level"]
    assert {"de": "ausgereift", "en": "mature"} == body["level_name"]
    assert [] == body["missing_for_next"]
    names = [criterion["name"] for criterion in body["criteria"]]
    assert [
        "active",
        "released",
        "licensed",
        "documented",
        "tested",
        "secure",
        "described",
        "maintained",
        "not_archived",
    ] == names
    tested = next(c for c in body["criteria"] if c["name"] == "tested")
    assert ("met", "tested.present", ".gitlab-ci.yml") == (
        tested["level"],
        tested["reason_code"],
        tested["evidence"]["path"],
    )
    assert "CI-Konfiguration" in tested["reason"]["de"]
    assert "CI configuration" in tested["reason"]["en"]
    assert 4 == len(body["rule"]["en"]) - 1 and body["rule"]["de"][3].startswith("Stufe 3")
    facts = body["facts"]
    assert (True, 12, "v3.2.0", 9) == (
        facts["read"],
        facts["releases_count"],
        facts["latest_release"]["tag"],
        facts["open_issues"],
    )
    assert {"readme", "contributing", "security", "licence", "ci"} == {
        item["kind"] for item in facts["root_files"]
    }


def test_record_without_facts_says_unknown_not_missing(maturity_client: AppClient) -> None:
    """A record whose repository facts were not read has unknown root criteria."""
    body = maturity_client.get("/api/v1/software/gitlab.opencode.de/kreis/kalender/maturity").json()
    levels = {criterion["name"]: criterion["level"] for criterion in body["criteria"]}
    assert "unknown" == levels["tested"] == levels["secure"] == levels["documented"]
    assert "not_met" == levels["described"]
    assert False is body["facts"]["read"]
    assert 0 == body["level"]
    assert "licensed:met" not in body["missing_for_next"]  # the forge licence EUPL is approved
    assert "documented:partly" in body["missing_for_next"]


def test_unknown_software_is_a_problem(maturity_client: AppClient) -> None:
    """An id nobody crawled answers 404 problem+json."""
    response = maturity_client.get("/api/v1/software/example.org/nobody/maturity")
    assert 404 == response.status_code
    assert response.headers["content-type"].startswith("application/problem+json")


def _svg(text: str) -> ElementTree.Element:
    root = ElementTree.fromstring(text)
    assert f"{SVG}svg" == root.tag
    return root


def test_badge_is_an_accessible_self_contained_svg(maturity_client: AppClient) -> None:
    """The summary badge has role=img, an aria-label equal to its title, and no external link."""
    response = maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge.svg")
    assert 200 == response.status_code
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = _svg(response.text)
    title = root.find(f"{SVG}title")
    assert title is not None
    assert "Maturity: level 3 of 3, mature" == title.text == root.get("aria-label")
    assert "img" == root.get("role")
    assert not re.search(r"href|url\(|@import|<image|<script", response.text)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert ["maturity", "level 3 · mature"] == texts


def test_badge_speaks_german_and_shows_one_criterion(maturity_client: AppClient) -> None:
    """?lang=de gives German text; ?criterion= and /badge/{criterion}.svg show one criterion."""
    german = _svg(maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge.svg?lang=de").text)
    assert "Reife: Stufe 3 von 3, ausgereift" == german.get("aria-label")
    by_query = maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge.svg?criterion=tested")
    by_path = maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge/tested.svg")
    assert by_query.text == by_path.text
    assert "Maturity criterion tested: met" == _svg(by_path.text).get("aria-label")
    unknown = maturity_client.get(
        "/api/v1/software/gitlab.opencode.de/kreis/kalender/badge/secure.svg?lang=de"
    )
    assert "Reifekriterium Sicherheitsrichtlinie: unbekannt" == _svg(unknown.text).get("aria-label")


def test_badge_is_cached_and_revalidated_by_etag(maturity_client: AppClient) -> None:
    """Cache-Control allows an hour; a matching If-None-Match answers 304 without a body."""
    url = f"/api/v1/software/{WELL_KEPT}/badge.svg"
    first = maturity_client.get(url)
    assert "public, max-age=3600" == first.headers["cache-control"]
    etag = first.headers["etag"]
    again = maturity_client.get(url, headers={"If-None-Match": etag})
    assert 304 == again.status_code
    assert b"" == again.content


def test_badge_refuses_unknown_criteria_and_languages(maturity_client: AppClient) -> None:
    """An unknown criterion or language is a 422 problem, not a broken picture."""
    assert 422 == maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge/speed.svg").status_code
    assert 422 == maturity_client.get(f"/api/v1/software/{WELL_KEPT}/badge.svg?lang=fr").status_code
    assert 404 == maturity_client.get("/api/v1/software/example.org/no/badge.svg").status_code


def test_history_says_when_a_criterion_changed(store: Store) -> None:
    """After a crawl that added a CI configuration, `tested` has changed_at at that crawl."""
    before = make_record(f"https://{WELL_KEPT}", "Fachverfahren", short_de="Ein Fachverfahren")
    facts = well_kept_facts()
    before.repository.facts = facts.model_copy(
        update={"root": [entry for entry in facts.root or [] if entry.name != ".gitlab-ci.yml"]}
    )
    store.upsert_records([before])
    after = before.model_copy(deep=True)
    after.repository.facts = facts
    after.provenance.fetched_at = FETCHED + timedelta(days=7)
    store.upsert_records([after])
    client = AppClient(build_app(store, built_search(store)))
    try:
        body = client.get(f"/api/v1/software/{WELL_KEPT}/maturity").json()
    finally:
        client.close()
    assert [1, 3] == [change["level"] for change in body["history"]]
    assert ["not_met", "met"] == [change["criteria"]["tested"] for change in body["history"]]
    changed = {criterion["name"]: criterion["changed_at"] for criterion in body["criteria"]}
    assert (FETCHED + timedelta(days=7)).isoformat().replace("+00:00", "Z") == changed["tested"]
    assert changed["licensed"] is None


def test_search_filters_facets_and_sorts_by_maturity(maturity_client: AppClient) -> None:
    """The search API takes the maturity filters, counts their facets and sorts by level."""
    body = maturity_client.get(
        "/api/v1/software",
        params={"has_ci": "true", "facets": "maturity,has_ci,active_within"},
    ).json()
    assert [WELL_KEPT] == [hit["id"] for hit in body["hits"]]
    assert [{"value": "3", "count": 1, "label": None}] == body["facets"]["maturity"]
    unknown = maturity_client.get("/api/v1/software", params={"has_ci": "false"}).json()
    assert 0 == unknown["total"]  # records whose root was not read are neither true nor false
    ranked = maturity_client.get("/api/v1/software", params={"sort": "maturity"}).json()
    assert WELL_KEPT == ranked["hits"][0]["id"]
    assert 422 == maturity_client.get("/api/v1/software", params={"maturity": "5"}).status_code
    assert 422 == maturity_client.get("/api/v1/software?active_within=30d").status_code
    export = maturity_client.get("/api/v1/export", params={"format": "csv", "maturity": "3"})
    assert 2 == len(export.text.strip().splitlines())  # header and the one mature record
