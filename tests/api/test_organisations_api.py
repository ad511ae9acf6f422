"""``/api/v1/organisations`` and the ``/organisations`` pages over the API tests' catalogue."""

from __future__ import annotations

from tests.api.client import AppClient

MUSTERHAUSEN = "name:stadt-musterhausen"


def test_list_counts_software_declared_and_valid(client: AppClient) -> None:
    """Organisations come with their counts; facets count kind and forge."""
    body = client.get("/api/v1/organisations").json()
    first = next(item for item in body["items"] if item["id"] == MUSTERHAUSEN)
    assert (MUSTERHAUSEN, "Stadt Musterhausen", 1, 1, 1, ["opencode"]) == (
        first["id"],
        first["name"],
        first["software"],
        first["declared"],
        first["valid"],
        first["forges"],
    )
    assert 4 == body["total"]
    assert {"value": "public_body", "count": 4} in body["facets"]["kind"]
    assert {"value": "github", "count": 1} in body["facets"]["forge"]


def test_list_search_and_filters(client: AppClient) -> None:
    """Words match names; a forge filter keeps the organisations publishing there."""
    assert ["Kreis Muster"] == [
        item["name"] for item in client.get("/api/v1/organisations?q=kreis").json()["items"]
    ]
    on_github = client.get("/api/v1/organisations?forge=github").json()
    assert (["Land Beispiel"], 1) == ([i["name"] for i in on_github["items"]], on_github["total"])
    assert 0 == client.get("/api/v1/organisations?kind=person").json()["total"]


def test_one_organisation_with_its_software_and_usage(client: AppClient) -> None:
    """One organisation: profile with sources, counts, licences and categories, its software."""
    body = client.get("/api/v1/organisations/name:kreis-muster").json()
    assert (
        "Kreis Muster",
        1,
        0,
        [{"value": "MIT", "count": 1}],
        [{"value": "document-management", "count": 1}],
        [{"year": "2024", "records": 1}],
        ["gitlab.opencode.de/kreis/eakte"],
    ) == (
        body["organisation"]["name"],
        body["software_count"],
        body["valid"],
        body["licences"],
        body["categories"],
        body["activity"],
        [hit["id"] for hit in body["software"]["hits"]],
    )
    assert "publiccode" == body["organisation"]["sources"]["name"]["kind"]


def test_unknown_organisation_is_a_problem(client: AppClient) -> None:
    """An unknown id answers 404 problem+json naming the list."""
    response = client.get("/api/v1/organisations/name:nobody")
    assert (404, "application/problem+json") == (
        response.status_code,
        response.headers["content-type"],
    )
    assert "/api/v1/organisations" in response.json()["detail"]


def test_pages_in_both_languages(client: AppClient) -> None:
    """The list and one organisation render in German and English, with the activity chart."""
    german = client.get("/organisations?lang=de").text
    english = client.get("/organisations?lang=en").text
    assert "Organisationen" in german and "Öffentliche Stelle" in german
    assert "Public body" in english and "Stadt Musterhausen" in english
    page = client.get("/organisations/name:kreis-muster?lang=de").text
    assert "Kreis Muster" in page and "E-Akte" in page and "Lizenzen" in page
    chart = client.get("/organisations/name:kreis-muster/activity.svg?lang=en")
    assert ("image/svg+xml", "<script" in chart.text) == (
        chart.headers["content-type"],
        False,
    )
    assert 404 == client.get("/organisations/name:nobody?lang=en").status_code


def test_script_in_an_organisation_name_is_escaped(client: AppClient) -> None:
    """A hostile organisation name is shown as text."""
    html = client.get("/organisations?lang=en").text
    assert '<script>alert("org")</script>' not in html
    assert "&lt;script&gt;" in html


def test_organisation_page_labels_links_and_names_each_software(client: AppClient) -> None:
    """Categories show their label (the link keeps the slug), licences and categories open the
    organisation's search with that filter, each card names its repository (so copies on two
    forges differ), and the software comes before the files with errors."""
    html = client.get("/organisations/name:kreis-muster?lang=de").text
    search = "/?organisation=name%3Akreis-muster&amp;"
    assert (
        f'<a href="{search}category=document-management&amp;lang=de">Dokumentenmanagement</a>'
        in html
    )
    assert f'<a href="{search}licence=MIT&amp;lang=de">MIT</a>' in html
    assert '<p class="path">gitlab.opencode.de/kreis/eakte</p>' in html
    assert html.index('id="org-software"') < html.index('id="org-errors"')
