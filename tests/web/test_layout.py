"""The pages at phone and desktop widths in chromium: results first, no sideways scrolling,
filters behind a disclosure that work without JavaScript and apply on change with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.web.browser import DESKTOP, MOBILE, NARROWEST, horizontal_overflow, open_page

pytestmark = pytest.mark.browser
LONG_GERMAN = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A 390 × 844 page with JavaScript on."""
    opened = open_page(browser, MOBILE)
    yield opened
    opened.context.close()


@pytest.fixture
def phone_without_javascript(browser: Any) -> Iterator[Any]:
    """A 390 × 844 page with JavaScript switched off."""
    opened = open_page(browser, MOBILE, javascript=False)
    yield opened
    opened.context.close()


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


@pytest.mark.parametrize("language", ["de", "en"])
def test_first_result_is_above_the_fold_on_a_phone(
    phone: Any, base_url: str, language: str
) -> None:
    """At 390 px the first result card starts within the first screen, filters folded away."""
    phone.goto(f"{base_url}/?lang={language}")
    card = phone.locator("ol.cards > li").first.bounding_box()
    assert card is not None and card["y"] + 60 < MOBILE["height"]
    assert phone.locator("fieldset.facet").first.is_hidden()


@pytest.mark.parametrize("language", ["de", "en"])
def test_first_organisation_is_above_the_fold_on_a_phone(
    phone: Any, base_url: str, language: str
) -> None:
    """At 390 px the organisation list shows its first card on the first screen, its filters
    folded behind "Filter (0)" like the search's."""
    phone.goto(f"{base_url}/organisations?lang={language}")
    card = phone.locator("ol.cards > li").first.bounding_box()
    assert card is not None and card["y"] + 60 < MOBILE["height"]
    assert phone.locator("fieldset.facet").first.is_hidden()
    assert "Filter (0)" == phone.locator("details.filters > summary").inner_text()


@pytest.mark.parametrize("viewport", [NARROWEST, MOBILE], ids=["320", "390"])
@pytest.mark.parametrize(
    "path",
    [
        "/forges?lang=de&url=https://gitlab.opencode.de/kreis/eakte",
        "/organisations/name:kreis-muster?lang=de",
    ],
)
def test_findings_stay_inside_their_box_on_a_phone(
    browser: Any, base_url: str, viewport: dict[str, int], path: str
) -> None:
    """Each finding of a status answer or an error list ends inside its box's padding (a long
    key wraps; the grid once grew 19 px past the status panel at 390 px and 89 px at 320 px)."""
    opened = open_page(browser, viewport)
    try:
        opened.goto(base_url + path)
        # The corpus's keys are short; give one finding the longest key the standard has.
        opened.evaluate(
            "() => { document.querySelector('.finding code').textContent ="
            " 'localisation.localisationReady'; }"
        )
        overflows = opened.evaluate(
            """() => [...document.querySelectorAll('.finding')].map((finding) => {
                const box = finding.closest('.status-result, section');
                const inner = box.getBoundingClientRect().right
                    - parseFloat(getComputedStyle(box).paddingRight);
                return Math.round(finding.getBoundingClientRect().right - inner);
            })"""
        )
        assert overflows and all(overflow <= 0 for overflow in overflows), overflows
    finally:
        opened.context.close()


@pytest.mark.parametrize("viewport", [NARROWEST, MOBILE, DESKTOP], ids=["320", "390", "1366"])
def test_the_header_keeps_off_the_screen_edges(
    browser: Any, base_url: str, viewport: dict[str, int]
) -> None:
    """The site name and the language switch keep at least 8 px from the screen's edges."""
    opened = open_page(browser, viewport)
    try:
        opened.goto(f"{base_url}/?lang=de")
        brand = opened.locator("header .brand").bounding_box()
        switch = opened.locator("header .language-switch").bounding_box()
        assert brand is not None and switch is not None
        assert brand["x"] >= 8
        assert switch["x"] + switch["width"] <= viewport["width"] - 8
    finally:
        opened.context.close()


@pytest.mark.parametrize("viewport", [NARROWEST, MOBILE, DESKTOP], ids=["320", "390", "1366"])
@pytest.mark.parametrize(
    "path",
    [
        f"/?q={LONG_GERMAN}&lang=de",
        "/?lang=de",
        "/software/gitlab.opencode.de/xss/demo?lang=de",
        "/software/gitlab.opencode.de/kreis/eakte?lang=de",
        "/forges?lang=de&url=https://gitlab.opencode.de/kreis/eakte",
        "/forges?lang=de&url=javascript:alert(1)",  # a message quoting a long example URL
        "/organisations?lang=de",
        "/organisations/name:stadt-musterhausen?lang=de",
        "/stats?lang=de",
    ],
)
def test_no_page_scrolls_sideways(
    browser: Any, base_url: str, viewport: dict[str, int], path: str
) -> None:
    """No page is wider than the screen, even with a 67-letter German compound in the query."""
    opened = open_page(browser, viewport)
    try:
        opened.goto(base_url + path)
        summary = opened.locator("details.filters > summary")
        if viewport["width"] < DESKTOP["width"] and summary.count() and summary.is_visible():
            summary.click()  # the open filters must fit too
        assert 0 == horizontal_overflow(opened)
    finally:
        opened.context.close()


def test_filters_work_without_javascript_on_a_phone(
    phone_without_javascript: Any, base_url: str
) -> None:
    """Without JavaScript: open "Filter (0)", tick a licence, press Apply; the chip shows it."""
    page = phone_without_javascript
    page.goto(f"{base_url}/?lang=en")
    page.get_by_text("Filter (0)").click()
    box = page.locator('input[name="licence"]').first
    licence = box.get_attribute("value")
    box.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert ("licence", licence) in _query(page.url)
    assert "Filter (1)" == page.locator("details.filters > summary").inner_text()


def test_filters_apply_on_change_with_javascript(phone: Any, base_url: str) -> None:
    """With JavaScript a ticked box searches at once and the filters stay open afterwards."""
    phone.goto(f"{base_url}/?lang=en")
    assert phone.get_by_role("button", name="Apply filters").is_hidden()
    phone.get_by_text("Filter (0)").click()
    box = phone.locator('input[name="licence"]').first
    licence = box.get_attribute("value")
    with phone.expect_navigation():
        box.check()
    assert ("licence", licence) in _query(phone.url)
    assert phone.locator("details.filters").get_attribute("open") is not None
    with phone.expect_navigation():
        phone.select_option("#sort", "name")
    assert ("sort", "name") in _query(phone.url)


def test_facets_are_a_sidebar_on_desktop(page: Any, base_url: str) -> None:
    """At 1366 px the facets show beside the results without opening anything."""
    page.goto(f"{base_url}/?lang=en")
    facet = page.locator("fieldset.facet").first
    assert facet.is_visible()
    facet_box, results_box = facet.bounding_box(), page.locator("ol.cards").bounding_box()
    assert facet_box is not None and results_box is not None
    assert facet_box["x"] + facet_box["width"] <= results_box["x"]


def test_more_values_of_a_facet_behind_a_disclosure(page: Any, base_url: str) -> None:
    """A facet with more than eight values shows the rest after "N more"."""
    page.goto(f"{base_url}/?lang=en")
    more = page.locator("details.facet-more").first
    hidden = more.locator("input")
    assert hidden.count() > 0 and hidden.first.is_hidden()
    more.locator("summary").click()
    assert hidden.first.is_visible()


def test_facet_counts_never_wrap_at_320_px(browser: Any, base_url: str) -> None:
    """With the filters open on the narrowest phone, every count sits on one line."""
    opened = open_page(browser, NARROWEST)
    try:
        opened.goto(f"{base_url}/?lang=de")
        opened.locator("details.filters > summary").click()
        for more in opened.locator("details.facet-more > summary").all():
            more.click()
        heights = opened.evaluate(
            """() => [...document.querySelectorAll('.facet .count')].map((count) => {
                const style = getComputedStyle(count);
                return count.getBoundingClientRect().height / parseFloat(style.lineHeight);
            })"""
        )
        assert heights and max(heights) < 1.5
    finally:
        opened.context.close()
