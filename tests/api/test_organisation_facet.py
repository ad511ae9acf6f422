"""The organisation facet and filter work by organisation id: two organisations of one name
stay apart on the search API and page, the organisation's own software list and the exports;
the facet shows names; a name in an older link still selects (every organisation of it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.normalise.organisations import organisation_entities
from indexer.store import Store, create_store
from schemas.record import Organisation, Record
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.api.records import make_record

NORTH = "account:gitlab.opencode.de:nord-it"
SOUTH = "tooi:gm0001"


def _owned(url: str, name: str, organisation: Organisation) -> Record:
    return make_record(url, name).model_copy(update={"organisation": organisation})


@pytest.fixture
def client(tmp_path: Path) -> Iterator[AppClient]:
    north = Organisation(id=NORTH, name="IT-Dienstleister", kind="unknown", source="forge")
    south = Organisation(id=SOUTH, name="IT-Dienstleister", kind="public_body", source="registry")
    records = [
        _owned("https://gitlab.opencode.de/nord-it/akte", "Nordakte", north),
        _owned("https://gitlab.opencode.de/nord-it/termin", "Nordtermin", north),
        _owned("https://gitlab.opencode.de/sued-it/portal", "Suedportal", south),
    ]
    store: Store = create_store(f"sqlite:///{tmp_path / 'catalogue.db'}")
    store.upsert_records(records)
    store.save_organisations(organisation_entities(records, {}))
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()
    store.close()


def _names(body: dict[str, object]) -> list[str]:
    return sorted(hit["name"] for hit in body["hits"])  # type: ignore[attr-defined,index]


def test_search_api_facet_counts_ids_with_names_and_filters_by_id(client: AppClient) -> None:
    body = client.get("/api/v1/software?facets=organisation").json()
    assert [
        {"value": NORTH, "count": 2, "label": "IT-Dienstleister"},
        {"value": SOUTH, "count": 1, "label": "IT-Dienstleister"},
    ] == body["facets"]["organisation"]
    south = client.get(f"/api/v1/software?organisation={SOUTH}").json()
    assert (["Suedportal"], [SOUTH]) == (
        _names(south),
        [hit["organisation_id"] for hit in south["hits"]],
    )
    assert f"organisation={SOUTH.replace(':', '%3A')}" in south["links"]["self"]


def test_a_name_from_an_older_link_selects_every_organisation_of_that_name(
    client: AppClient,
) -> None:
    body = client.get("/api/v1/software?organisation=it-dienstleister").json()
    assert ["Nordakte", "Nordtermin", "Suedportal"] == _names(body)


def test_organisation_pages_and_api_list_only_their_own_software(client: AppClient) -> None:
    north = client.get(f"/api/v1/organisations/{NORTH}").json()
    assert ["Nordakte", "Nordtermin"] == _names(north["software"])
    page = client.get(f"/organisations/{SOUTH}?lang=en").text
    assert "Suedportal" in page and "Nordakte" not in page


def test_search_page_shows_names_and_links_by_id(client: AppClient) -> None:
    page = client.get(f"/?organisation={NORTH}&lang=en").text
    assert "Nordakte" in page and "Suedportal" not in page
    assert f'value="{NORTH}"' in page  # the facet's checkbox carries the id
    assert "IT-Dienstleister" in page  # ...and shows the name
    assert f"organisation={NORTH.replace(':', '%3A')}" in page  # cards link by id


def test_csv_export_filters_by_id(client: AppClient) -> None:
    text = client.get(f"/api/v1/export?format=csv&organisation={SOUTH}").text
    assert "Suedportal" in text and "Nordakte" not in text
