"""The pages in a real browser (Debian's chromium through Playwright), on a real HTTP server.

Flow: search → filter by a facet → open a record → switch language → follow the CSV link; and
the record whose name and description hold ``<script>`` / ``<img onerror>`` renders inert.
Screenshots go to ``$CODEREUSE_SCREENSHOTS_DIR`` (``docs/screenshots`` for the committed ones)
or to the test's temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import DESKTOP, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("CODEREUSE_SCREENSHOTS_DIR", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def static_page(browser: Any) -> Iterator[Any]:
    """A desktop page with JavaScript switched off."""
    opened = open_page(browser, DESKTOP, javascript=False)
    yield opened
    opened.context.close()


def test_search_filter_open_switch_language_download(
    static_page: Any, base_url: str, screenshots: Path, tmp_path: Path
) -> None:
    """search → facet filter → record page → German → CSV link, with JavaScript switched off."""
    page = static_page
    page.goto(f"{base_url}/?lang=en")
    page.fill("#q", "platform")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "q=platform" in page.url
    page.screenshot(path=str(screenshots / "search.png"), full_page=False)

    licence_box = page.locator('fieldset.facet input[name="licence"]').first
    licence = licence_box.get_attribute("value")
    expected = page.locator(
        'fieldset.facet input[name="licence"] + label .count'
    ).first.inner_text()
    licence_box.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert f"licence={licence}".replace("+", "%2B") in page.url.replace("+", "%2B")
    assert page.locator(".chip").count() == 1
    assert page.locator("#results-heading").inner_text().startswith(f"{expected} result")

    page.locator("ol.cards h3 a").first.click()
    page.wait_for_load_state()
    assert "/software/" in page.url
    page.get_by_role("link", name="Back to the search").click()
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 1 and "q=platform" in page.url
    page.go_back()
    page.wait_for_load_state()
    page.screenshot(path=str(screenshots / "software.png"), full_page=False)

    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_load_state()
    assert "de" == page.locator("html").get_attribute("lang")
    assert page.get_by_role("heading", name="Steckbrief").is_visible()

    page.goto(f"{base_url}/?lang=de&licence={licence}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Diese Ergebnisse herunterladen (CSV)").click()
    saved = tmp_path / "results.csv"
    download_info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,url,name,")
    assert len(lines) >= 2


def test_xss_record_renders_inert(page: Any, base_url: str) -> None:
    """Markup in a record's name and description shows as text: no dialog, no injected element."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("/?q=participation&lang=en", "/software/gitlab.opencode.de/xss/demo?lang=en"):
        page.goto(base_url + path)
        page.wait_for_load_state()
        injected = page.evaluate(
            """() => ({
                scripts: [...document.querySelectorAll('script')].filter(
                    (s) => !s.src.startsWith(location.origin + '/static/') || s.text).length,
                onerror: document.querySelectorAll('[onerror]').length,
                bold: document.querySelectorAll('main b').length,
            })"""
        )
        assert {"scripts": 0, "onerror": 0, "bold": 0} == injected
        assert '<script>alert("name")</script>' in page.locator("main").inner_text()
    assert [] == dialogs


def test_keyboard_reaches_the_search_box_and_focus_is_visible(page: Any, base_url: str) -> None:
    """Tab from the top reaches the skip link first; it leads to the main landmark."""
    page.goto(f"{base_url}/?lang=en")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert "Skip to content" == focused
    outline = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert "none" != outline
