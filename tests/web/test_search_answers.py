"""What a search tells beyond its hits, in the API and on the page: partial matches apart."""

from __future__ import annotations

from tests.api.client import AppClient


def test_api_counts_partial_matches_apart(client: AppClient) -> None:
    """ "citizen platform": one record holds both words; one only "citizen" and comes after."""
    body = client.get("/api/v1/software", params={"q": "citizen platform "}).json()
    assert (1, 1, 1) == (body["total"], body["partial_total"], body["pages"])
    assert [("Beteiligungsportal", False), ("Terminkalender", True)] == [
        (hit["name"], hit["partial"]) for hit in body["hits"]
    ]


def test_page_lists_partial_matches_under_their_own_heading(client: AppClient) -> None:
    """The page counts "1 result" and lists the partial match after a "Partial matches (1)" heading."""
    html = client.get("/", params={"q": "citizen platform ", "lang": "en"}).text
    assert "1 result" in html
    heading = html.index("Partial matches (1)")
    assert html.index("Beteiligungsportal") < heading < html.index("Terminkalender")


def test_page_names_the_synonyms_also_searched(client: AppClient) -> None:
    """ "Partizipation" finds the Bürgerbeteiligung platform and the page says what it also searched."""
    html = client.get("/", params={"q": "Partizipation ", "lang": "en"}).text
    assert "Also searched: Bürgerbeteiligung" in html
    assert "Beteiligungsportal" in html


def test_page_offers_did_you_mean_on_no_match(client: AppClient) -> None:
    """A query beyond the typo budget shows a link to the corrected query, filters kept."""
    body = client.get("/api/v1/software", params={"q": "Beteilgngsportl "}).json()
    assert ("beteiligungsportal", 0) == (body["did_you_mean"], body["total"])
    html = client.get("/", params={"q": "Beteilgngsportl ", "lang": "en"}).text
    assert 'href="/?q=beteiligungsportal&amp;lang=en"' in html
