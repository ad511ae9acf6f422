"""Server-rendered pages without a browser: content, language, state in the URL, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi import FastAPI

from api.pages import STYLE_URL
from indexer.store import Store
from tests.api.client import AppClient


class _Collector(HTMLParser):
    """Collects tags (with attributes) and scripts, to check what the browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def test_search_page_has_facets_cards_and_csv_link(client: AppClient) -> None:
    """The search page shows facet checkboxes with counts, result cards and the CSV link."""
    html = client.get("/?lang=en").text
    checkboxes = [a for t, a in _tags(html) if t == "input" and a.get("type") == "checkbox"]
    assert {"name": "licence", "value": "MIT"} in [
        {"name": a["name"], "value": a["value"]} for a in checkboxes
    ]
    assert "5 results" in html
    assert 'href="/api/v1/export?format=csv"' in html


def test_filter_state_lives_in_the_url(client: AppClient) -> None:
    """A filtered search checks its box, shows a chip that removes it, and exports the same slice."""
    html = client.get("/?licence=MIT&q=akte&lang=en").text
    tags = _tags(html)
    checked = [
        a["value"]
        for t, a in tags
        if t == "input" and a.get("name") == "licence" and "checked" in a
    ]
    assert ["MIT"] == checked
    chip = next(a for t, a in tags if t == "a" and "chip" == a.get("class"))
    assert [("q", "akte"), ("lang", "en")] == parse_qsl(urlsplit(chip["href"] or "").query)
    csv_link = next(a["href"] for t, a in tags if t == "a" and "download" in a)
    assert [("format", "csv"), ("q", "akte"), ("licence", "MIT")] == parse_qsl(
        urlsplit(csv_link or "").query
    )


def test_search_page_in_german(client: AppClient) -> None:
    """?lang=de renders German labels and html lang=de."""
    html = client.get("/?lang=de").text
    assert '<html lang="de">' in html
    assert "Filter anwenden" in html and "5 Treffer" in html


def test_accept_language_chooses_german(client: AppClient) -> None:
    """Without ?lang=, Accept-Language picks German."""
    response = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    assert ("de", True) == (response.headers["content-language"], "Suchen" in response.text)


def test_language_switch_keeps_the_query(client: AppClient) -> None:
    """The language links keep the search state and change only lang."""
    html = client.get("/?q=akte&licence=MIT&lang=en").text
    switch = [a["href"] for t, a in _tags(html) if t == "a" and a.get("hreflang") == "de"]
    assert ["/?q=akte&licence=MIT&lang=de"] == switch


def test_pagination_links(client: AppClient) -> None:
    """With 2 per page, page 2 links to pages 1 and 3 with rel prev/next."""
    html = client.get("/?per_page=2&page=2&lang=en").text
    rels = {a["rel"]: a["href"] for t, a in _tags(html) if t == "a" and a.get("rel")}
    assert "page=1" in (rels["prev"] or "") and "page=3" in (rels["next"] or "")


def test_software_page_in_page_language_with_fallback(client: AppClient) -> None:
    """German page shows the German text; a record without German falls back and says so."""
    german = client.get("/software/gitlab.opencode.de/stadt/beteiligung?lang=de").text
    assert "Plattform für Bürgerbeteiligung in Kommunen" in german
    fallback = client.get("/software/gitlab.opencode.de/kreis/kalender?lang=de").text
    assert "Appointment booking for citizen offices" in fallback
    assert 'lang="en"' in fallback


def test_software_page_shows_findings_relations_and_raw_link(client: AppClient) -> None:
    """Findings with line/column, the variant link and the raw publiccode.yml link are shown."""
    invalid = client.get("/software/gitlab.opencode.de/kreis/eakte?lang=en").text
    assert "line 7, column 12" in invalid and "invalid SPDX expression" in invalid
    page = client.get("/software/gitlab.opencode.de/stadt/beteiligung?lang=en").text
    assert 'href="/software/github.com/land/beteiligung-plus?lang=en"' in page
    assert 'href="/api/v1/software/gitlab.opencode.de/stadt/beteiligung/publiccode.yml"' in page


def test_unknown_software_page_is_an_html_404(client: AppClient) -> None:
    """An unknown record renders a 404 page."""
    response = client.get("/software/gitlab.opencode.de/no/such?lang=en")
    assert (404, True) == (response.status_code, "text/html" in response.headers["content-type"])


@pytest.mark.parametrize(
    "path",
    ["/?lang=en", "/?q=participation&lang=en", "/software/gitlab.opencode.de/xss/demo?lang=en"],
)
def test_markup_from_data_is_inert(client: AppClient, path: str) -> None:
    """<script> and <img onerror> in names and descriptions render as text, never as elements."""
    html = client.get(path).text
    tags = _tags(html)
    scripts = [attrs.get("src") for tag, attrs in tags if tag == "script"]
    assert all((src or "").startswith("/static/") for src in scripts)
    assert [] == [attrs for _, attrs in tags if "onerror" in attrs]
    assert "&lt;script&gt;alert(" in html


def test_pages_send_a_strict_content_security_policy(client: AppClient) -> None:
    """Pages allow only same-origin script files and images (no inline script, no CDN)."""
    policy = client.get("/?lang=en").headers["content-security-policy"]
    assert re.search(r"default-src 'none'", policy)
    assert re.search(r"script-src 'self';", policy) and "unsafe-inline" not in policy
    assert re.search(r"img-src 'self' data:;", policy)


def test_forges_page_and_status_form(client: AppClient) -> None:
    """The forges page lists forges and answers the status form for a URL."""
    html = client.get("/forges?lang=en&url=https://gitlab.opencode.de/kreis/eakte").text
    assert "opencode" in html and "github" in html
    assert "Listed, but its publiccode.yml has errors" in html
    assert "legal.license" in html


def test_forges_page_status_not_covered_in_german(client: AppClient) -> None:
    """A host no forge covers is explained, in German on a German page."""
    html = client.get("/forges?lang=de&url=https://gitlab.unbekannt.example/a/b").text
    assert "Keine registrierte Forge deckt gitlab.unbekannt.example ab" in html


def test_crawl_outcome_is_in_the_page_language(client: AppClient, store: Store) -> None:
    """The last crawl's outcome reads "erfolgreich" on German pages (forges list, forge page,
    status answer), not the stored word "succeeded"."""
    run = store.start_crawl_run("opencode", full=False)
    store.finish_crawl_run(run, status="succeeded", stats={"repositories": 4})
    status = "/forges?lang=de&url=https://gitlab.opencode.de/kreis/eakte"
    for path in ("/forges?lang=de", "/forges/opencode?lang=de", status):
        html = client.get(path).text
        assert "erfolgreich" in html, path
        assert ">succeeded<" not in html and "(succeeded)" not in html, path
    assert ">succeeded<" in client.get("/forges?lang=en").text


def test_pages_link_the_mounted_style_sheet_without_a_route_lookup(
    app: FastAPI, client: AppClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page links the style sheet of the ``/static`` mount, written once (STYLE_URL)
    rather than looked up among all routes on each page."""
    expected = str(app.url_path_for("static", path="style.css"))

    def looked_up(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("url_path_for on a page")

    monkeypatch.setattr(app, "url_path_for", looked_up)
    for path in ("/", "/?q=opendesk&lang=de", "/forges", "/stats"):
        response = client.get(path)
        assert (200, True) == (response.status_code, f'href="{expected}"' in response.text), path
    assert expected == STYLE_URL


def test_css_is_served_locally(client: AppClient) -> None:
    """The stylesheet comes from /static, not from a CDN."""
    response = client.get("/static/style.css")
    assert (200, True) == (response.status_code, ":focus-visible" in response.text)
