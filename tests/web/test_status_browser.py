"""The status check on the forges page in Debian's chromium (issue 13): three reasons, in
German and English, typed into the form as a registrant would."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

CASES = [
    # URL, language, the reason's heading, a phrase of its message
    (
        "https://gitlab.opencode.de/kreis/eakte",
        "en",
        "Listed, but its publiccode.yml has errors",
        "1 error",
    ),
    (
        "https://gitlab.opencode.de/kreis/eakte",
        "de",
        "Gelistet, aber die publiccode.yml hat Fehler",
        "1 Fehler",
    ),
    (
        "https://git.elsewhere.example/amt/tool",
        "en",
        "No registered forge covers this address",
        "git.elsewhere.example",
    ),
    (
        "https://git.elsewhere.example/amt/tool",
        "de",
        "Keine registrierte Forge deckt diese Adresse ab",
        "git.elsewhere.example",
    ),
    ("https://gitlab.opencode.de/kreis/neu", "en", "Not crawled yet", "opencode"),
    ("https://gitlab.opencode.de/kreis/neu", "de", "Noch nicht gecrawlt", "opencode"),
]


@pytest.mark.parametrize(("url", "language", "heading", "phrase"), CASES)
def test_status_form_names_the_reason(
    page: Any, base_url: str, url: str, language: str, heading: str, phrase: str
) -> None:
    """Typing a repository URL into the status form shows its reason and what to do."""
    page.goto(f"{base_url}/forges?lang={language}")
    page.fill("#status-url", url)
    page.locator('form[action^="/forges"] button[type="submit"]').click()
    page.wait_for_load_state()
    result = page.locator('.status-result[role="status"]')
    assert heading == result.locator(".status-title").inner_text()
    assert phrase in result.inner_text()
    assert f"lang={language}" in page.url
