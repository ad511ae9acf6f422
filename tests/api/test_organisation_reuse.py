"""Organisation pages and GET /api/v1/organisations/{id}: "our software used by others" and
"software of others we use", each link with its evidence; a publisher's own use is not reuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.api.organisation_reuse_data import (
    APP,
    EVIDENCE,
    FORK,
    LIBRARY,
    NORD,
    PORTAL,
    SUED,
    reuse_store,
)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[AppClient]:
    store = reuse_store(tmp_path)
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()
    store.close()


def test_api_names_reuse_both_ways_with_evidence(client: AppClient) -> None:
    reuse = client.get(f"/api/v1/organisations/{NORD}").json()["reuse"]
    assert (2, 1, 1, 1, 1) == (
        reuse["used_by_repositories"],
        reuse["used_by_organisations"],
        reuse["uses_software"],
        reuse["uses_organisations"],
        reuse["internal_links"],
    )
    assert [(PORTAL, "depends_on", APP, EVIDENCE), (PORTAL, "fork_of", FORK, None)] == [
        (link["software_id"], link["kind"], link["user_id"], link["evidence_url"])
        for link in reuse["used_by_others"]
    ]
    assert [("Kreis West", True)] == [
        (link["user_organisation"], link["self_declared"]) for link in reuse["declared_users"]
    ]
    assert [(LIBRARY, PORTAL, "requirements.txt", 3)] == [
        (link["software_id"], link["user_id"], link["path"], link["line"])
        for link in reuse["uses_others"]
    ]
    assert {SUED: "Land Süd"} == reuse["organisations"]
    assert "Südbibliothek" == reuse["names"][LIBRARY]


def test_the_other_organisation_sees_the_same_links_reversed(client: AppClient) -> None:
    reuse = client.get(f"/api/v1/organisations/{SUED}").json()["reuse"]
    assert [(LIBRARY, PORTAL)] == [
        (link["software_id"], link["user_id"]) for link in reuse["used_by_others"]
    ]
    assert [(PORTAL, "depends_on", APP), (PORTAL, "fork_of", FORK)] == [
        (link["software_id"], link["kind"], link["user_id"]) for link in reuse["uses_others"]
    ]
    assert 0 == reuse["internal_links"]


@pytest.mark.parametrize(
    ("language", "used_by", "uses"),
    [
        ("en", "Our software used by others", "Software of others we use"),
        ("de", "Unsere Software bei anderen", "Software anderer, die wir nutzen"),
    ],
)
def test_page_panels_in_both_languages(
    client: AppClient, language: str, used_by: str, uses: str
) -> None:
    page = client.get(f"/organisations/{NORD}?lang={language}").text
    panels = page[page.index('id="org-reuse"') : page.index('aria-labelledby="org-activity"')]
    assert used_by in panels and uses in panels
    assert f'href="{EVIDENCE}"' in panels
    assert "Südapp" in panels and "Portal-Fork" in panels and "Südbibliothek" in panels
    assert "Nordintranet" not in panels  # its own use is counted, not listed as reuse
