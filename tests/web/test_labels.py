"""Localised labels for the standard's vocabularies, the description fallback, and the search
page's pure parts (facets with "more", the way back to a search, advice for no results)."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from api.i18n import VOCABULARY_LANGUAGES, Label, vocabulary, vocabulary_label
from api.query import CatalogueQuery, SearchPage
from api.search_view import FACET_OPTIONS, advice, back_href, back_state, facets
from api.software_view import choose_description
from indexer.search.protocol import SearchResult
from schemas.publiccode import vocabularies
from schemas.record import Description
from tests.api.client import AppClient
from tests.api.records import make_record
from tests.web.browser import DESKTOP, MOBILE, open_page

STANDARD = {
    "category": vocabularies.CATEGORIES,
    "scope": vocabularies.SCOPES,
    "software_type": vocabularies.SOFTWARE_TYPES,
    "development_status": vocabularies.DEVELOPMENT_STATUSES,
    "maintenance_type": vocabularies.MAINTENANCE_TYPES,
    "platform": vocabularies.PLATFORMS,
}


@pytest.mark.parametrize("language", VOCABULARY_LANGUAGES)
def test_every_value_of_every_vocabulary_has_a_label(language: str) -> None:
    """Each language file labels exactly the standard's values, none missing, none extra."""
    labels = vocabulary(language)
    assert {name: sorted(values) for name, values in STANDARD.items()} == {
        name: sorted(labels[name]) for name in STANDARD
    }
    assert all(text.strip() for values in labels.values() for text in values.values())


def test_page_label_files_have_the_same_keys() -> None:
    """de.json and en.json name the same labels."""
    keys = [
        set(json.loads(files("api.i18n").joinpath(f"{code}.json").read_text("utf-8")))
        for code in ("de", "en")
    ]
    assert keys[0] == keys[1]


def test_labels_fall_back_to_english_then_to_the_slug() -> None:
    """An unknown page language gets the English label; a value outside the standard stays."""
    assert Label("Appointment scheduling", "en") == vocabulary_label(
        "it", "category", "appointment-scheduling"
    )
    assert Label("Terminvergabe", "de") == vocabulary_label(
        "de", "category", "appointment-scheduling"
    )
    assert Label("amiga", None) == vocabulary_label("de", "platform", "amiga")


def test_search_page_shows_labels_and_keeps_slugs(client: AppClient) -> None:
    """Facets and chips read "Dokumentenmanagement"; the checkbox and URLs keep the slug."""
    html = client.get("/?category=document-management&lang=de").text
    assert 'value="document-management" checked' in html
    assert "Kategorie: Dokumentenmanagement" in html
    english = client.get("/?lang=en").text
    assert "Document management" in english and 'value="document-management"' in english


def test_software_page_shows_labels_linking_by_slug(client: AppClient) -> None:
    """The category on the software page is labelled and links to the slug's filter."""
    html = client.get("/software/gitlab.opencode.de/kreis/eakte?lang=de").text
    assert '<a href="/?category=document-management&amp;lang=de">Dokumentenmanagement</a>' in html


def test_fallback_names_the_language_it_shows() -> None:
    """Only English on a German page says "Nur auf Englisch"; "und" says the language is unstated."""
    english = make_record("https://example.org/a/b", "B", short_en="Text")
    note = choose_description(english, "de").note or ""
    assert note.startswith("Nur auf Englisch vorhanden")
    undetermined = make_record("https://example.org/a/c", "C")
    undetermined.descriptions["und"] = Description(short="Irgendwas")
    choice = choose_description(undetermined, "de")
    assert (None, False) == (choice.lang, " auf und" in (choice.note or ""))
    assert "gibt ihre Sprache nicht an" in (choice.note or "")


def test_inferred_record_has_no_findings_claim(client: AppClient) -> None:
    """A repository without a publiccode.yml is not "free of errors": the page says why."""
    html = client.get("/software/gitlab.opencode.de/kreis/kalender?lang=de").text
    assert "Keine Fehler oder Warnungen" not in html
    assert "hat keine publiccode.yml" in html


def test_cards_show_the_path_on_the_forge(client: AppClient) -> None:
    """Each card shows host and path, so records with the same name can be told apart."""
    html = client.get("/?lang=en").text
    assert '<p class="path">github.com/land/beteiligung-plus</p>' in html


def test_back_to_search_keeps_words_filters_and_sort(client: AppClient) -> None:
    """A result links with its search; the software page's back link restores it."""
    html = client.get("/?q=akte&licence=MIT&sort=name&lang=de").text
    start = html.index('href="/software/gitlab.opencode.de/kreis/eakte')
    href = html[start + 6 : html.index('"', start + 6)].replace("&amp;", "&")
    page = client.get(href).text
    found = re.search(r'class="breadcrumb"[^>]*><a href="([^"]+)"', page)
    back = (found.group(1) if found else "").replace("&amp;", "&")
    assert [("q", "akte"), ("licence", "MIT"), ("sort", "name"), ("lang", "de")] == parse_qsl(
        urlsplit(back).query
    )


def test_back_link_is_rebuilt_not_echoed() -> None:
    """A crafted back state becomes a search link with known parameters only."""
    assert "/?lang=en" == back_href("//evil.example/?x=1", "en")
    assert "/?q=a&lang=de" == back_href("q=a&onload=x&lang=fr", "de")
    assert "q=a&licence=MIT&page=2" == back_state(
        CatalogueQuery(q="a", licence=["MIT"]), SearchPage(page=2)
    )


def test_more_facet_values_go_behind_more_but_checked_ones_stay() -> None:
    """Beyond eight values the rest are "more"; a checked rare value stays in view."""
    counts = {f"Org {number:02}": 100 - number for number in range(20)}
    result = SearchResult(hits=[], total=5, facets={"organisation": counts}, page=1, per_page=20)
    query = CatalogueQuery(organisation=["Org 19"])
    organisation = next(f for f in facets(result, query, "en") if f["name"] == "organisation")
    shown = [option["value"] for option in organisation["options"]]
    assert [*list(counts)[:FACET_OPTIONS], "Org 19"] == shown
    assert 20 - FACET_OPTIONS - 1 == len(organisation["more"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (CatalogueQuery(q="Müllkalender"), ["Prüfen Sie die Schreibweise"]),
        (CatalogueQuery(q="Müll Kalender Abfuhr"), ["Versuchen Sie weniger"]),
        (CatalogueQuery(licence=["MIT"]), ["Entfernen Sie einen Filter"]),
    ],
)
def test_no_results_advice_fits_the_search(query: CatalogueQuery, expected: list[str]) -> None:
    """One word: check the spelling; several: fewer words; filters: remove one."""
    assert expected == [tip[: len(expected[0])] for tip in advice(query, "de")]


def test_no_results_page_has_advice_and_no_csv_link(client: AppClient) -> None:
    """Nothing found: the page says so for the words given, advises, and offers no empty CSV."""
    html = client.get("/?q=zzqqxx&lang=en").text
    assert "Nothing matches “zzqqxx”." in html and "Check the spelling" in html
    assert "/api/v1/export" not in html and "Try fewer" not in html


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/?page=abc&lang=de", "422 · Unbrauchbare Anfrage"),
        ("/software/gitlab.opencode.de/no/such?lang=de", "404 · Nicht gefunden"),
    ],
)
def test_german_error_pages_are_german(client: AppClient, path: str, title: str) -> None:
    """Error pages for German readers have German titles and advice; the English detail is marked."""
    response = client.get(path, headers={"accept": "text/html"})
    assert title in response.text and 'lang="en"' in response.text


def test_a_facet_lists_at_most_forty_values_and_says_how_many_more() -> None:
    """Thousands of organisations: forty are listed, the rest counted, not rendered."""
    counts = {f"Org {number:04}": 5000 - number for number in range(3000)}
    result = SearchResult(hits=[], total=5, facets={"organisation": counts}, page=1, per_page=20)
    organisation = facets(result, CatalogueQuery(), "en")[0]
    assert (40, 2960) == (
        len(organisation["options"]) + len(organisation["more"]),
        organisation["hidden"],
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390", "1366"])
@pytest.mark.parametrize(
    ("language", "label"), [("de", "Dokumentenmanagement"), ("en", "Document management")]
)
def test_labels_in_chromium_filter_by_slug(
    browser: Any, base_url: str, viewport: dict[str, int], language: str, label: str
) -> None:
    """In chromium, at phone and desktop width, the category facet reads the localised label;
    ticking it filters by the slug, and the software page shows the same label."""
    opened = open_page(browser, viewport, javascript=False)
    try:
        opened.goto(f"{base_url}/?lang={language}")
        summary = opened.locator("details.filters > summary")
        if viewport["width"] < DESKTOP["width"]:
            summary.click()
        option = opened.locator("label", has_text=label)
        assert option.is_visible()
        option.click()
        opened.locator("details.filters button.apply").click()
        opened.wait_for_load_state()
        assert ("category", "document-management") in parse_qsl(urlsplit(opened.url).query)
        opened.locator("ol.cards h3 a").first.click()
        opened.wait_for_load_state()
        assert opened.locator("a", has_text=label).first.is_visible()
    finally:
        opened.context.close()
