"""Publisher views in Debian's chromium (issue 13): an organisation's files with errors, and a
forge's page with its invalid count, in German and English."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

WORDS = {
    "en": ("Files with errors", "with errors: 1", "Error"),
    "de": ("Dateien mit Fehlern", "mit Fehlern: 1", "Fehler"),
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_organisation_lists_its_files_with_errors(page: Any, base_url: str, language: str) -> None:
    """The organisation page has a "files with errors" section counting and listing its invalid
    records with their findings; the file links to its software page."""
    heading, counted, badge = WORDS[language]
    page.goto(f"{base_url}/organisations/name:kreis-muster?lang={language}")
    section = page.locator('section[aria-labelledby="org-errors"]')
    assert heading == section.locator("h2").inner_text()
    assert counted in section.inner_text()
    files = section.locator("ol.error-files > li")
    assert 1 == files.count()
    finding = files.first.locator("li.finding")
    text = finding.inner_text()
    assert "legal.license" in text and badge.lower() in text.lower()  # the badge is styled
    files.first.locator("a").first.click()
    page.wait_for_load_state()
    assert "/software/gitlab.opencode.de/kreis/eakte" in page.url


@pytest.mark.parametrize("language", ["en", "de"])
def test_forge_page_shows_invalid_count_and_links_the_filter(
    page: Any, base_url: str, language: str
) -> None:
    """From the forges list to a forge's page: its invalid count links to valid=false search."""
    heading = WORDS[language][0]
    page.goto(f"{base_url}/forges?lang={language}")
    page.locator("table a", has_text="opencode").first.click()
    page.wait_for_load_state()
    assert "/forges/opencode" in page.url
    assert heading == page.locator("#forge-errors").inner_text()
    invalid = page.locator('a[href*="valid=false"]')
    count = int(invalid.inner_text())
    assert count >= 1
    invalid.click()
    page.wait_for_load_state()
    assert "valid=false" in page.url
    assert count == page.locator("ol.cards > li").count()
