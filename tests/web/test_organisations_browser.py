"""The organisation pages in Debian's chromium, in German and English: list → facet → one
organisation (profile, accounts, software, activity chart) → its software → back."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

HEADINGS = {
    "en": ("Organisations", "Forge accounts", "Software by year of last activity"),
    "de": ("Organisationen", "Konten auf Forges", "Software nach Jahr der letzten Aktivität"),
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_list_filter_open_organisation_and_its_software(
    page: Any, base_url: str, language: str
) -> None:
    """The list filters by kind, opens an organisation whose page shows its software and chart."""
    title, accounts, activity = HEADINGS[language]
    page.goto(f"{base_url}/organisations?lang={language}")
    assert title == page.locator("h1").inner_text()
    count = page.locator("ol.cards > li").count()
    assert count >= 3
    page.locator('input[name="kind"][value="public_body"]').check()
    page.locator("button.apply").click()
    page.wait_for_load_state()
    assert "kind=public_body" in page.url
    page.fill("#org-q", "Musterhausen")
    page.press("#org-q", "Enter")
    page.wait_for_load_state()
    cards = page.locator("ol.cards > li h3 a")
    assert ["Stadt Musterhausen"] == cards.all_inner_texts()
    cards.first.click()
    page.wait_for_load_state()
    assert "/organisations/name:stadt-musterhausen" in page.url
    assert "Stadt Musterhausen" == page.locator("h1").inner_text()
    assert accounts in page.locator("#org-accounts").inner_text()
    assert activity == page.locator("#org-activity").inner_text().strip()
    chart = page.locator('section[aria-labelledby="org-activity"] img')
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('section[aria-labelledby=\"org-activity\"] img').complete"
    )
    assert chart.evaluate("image => image.naturalWidth") > 0  # the SVG loaded under the CSP
    software = page.locator(
        'section[aria-labelledby="org-software"] ol.cards h3 a'
    ).all_inner_texts()
    assert {"Beteiligungsportal", "Wappenrolle"} == set(software)
    page.locator(
        'section[aria-labelledby="org-software"] ol.cards h3 a', has_text="Wappenrolle"
    ).click()
    page.wait_for_load_state()
    assert "/software/gitlab.opencode.de/stadt/wappen" in page.url
    page.locator("a", has_text="Stadt Musterhausen").first.click()
    page.wait_for_load_state()
    assert "/organisations/name:stadt-musterhausen" in page.url


def test_search_cards_link_their_organisation(page: Any, base_url: str) -> None:
    """A search card names its organisation and links to the search filtered by it."""
    page.goto(f"{base_url}/?q=participation&lang=en")
    link = page.locator("article.card ul.meta a", has_text="Stadt Musterhausen").first
    link.click()
    page.wait_for_load_state()
    assert "organisation=name%3Astadt-musterhausen" in page.url  # by id, not by name
