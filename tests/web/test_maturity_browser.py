"""The maturity panel and the README badge in Debian's chromium, in German and English.

A catalogue of its own (the API tests' corpus plus one well-kept repository crawled twice, so
the history has a change) is served on loopback: the panel lists every criterion with its
reason, the summary level and its rule, the repository facts and since when a criterion has
its level; the badge renders as an image with its accessible text; axe finds nothing serious.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from indexer.store import create_store
from schemas.facts import Release, RepositoryFacts, RootEntry
from schemas.settings import Settings
from tests.api.conftest import built_search, corpus
from tests.api.records import FETCHED, make_record
from tests.web.axe import SERIOUS, axe_source
from tests.web.browser import DESKTOP, MOBILE, horizontal_overflow, serve

pytestmark = pytest.mark.browser

RECORD_ID = "gitlab.opencode.de/stadt/fachverfahren"
LATER = FETCHED + timedelta(days=7)
TEXTS = {
    "en": {
        "heading": "Maturity",
        "summary": "Level 3 of 3: mature",
        "tested": "tested",
        "met": "met",
        "reason": "A CI configuration is present: .gitlab-ci.yml.",
        "since": f"since {LATER.date().isoformat()}",
        "rule": "Level 3 (mature)",
        "release": "Latest release",
        "badge": "Maturity: level 3 of 3, mature",
    },
    "de": {
        "heading": "Reife",
        "summary": "Stufe 3 von 3: ausgereift",
        "tested": "getestet",
        "met": "erfüllt",
        "reason": "Eine CI-Konfiguration ist vorhanden: .gitlab-ci.yml.",
        "since": f"seit {LATER.date().isoformat()}",
        "rule": "Stufe 3 (ausgereift)",
        "release": "Neuestes Release",
        "badge": "Reife: Stufe 3 von 3, ausgereift",
    },
}


def _facts(with_ci: bool) -> RepositoryFacts:
    names = ["README.md", "CONTRIBUTING.md", "SECURITY.md", "LICENSE"]
    return RepositoryFacts(
        empty=False,
        root=[RootEntry(name=name) for name in [*names, *([".gitlab-ci.yml"] if with_ci else [])]],
        releases_count=12,
        latest_release=Release(tag="v3.2.0", published_at=FETCHED - timedelta(days=20)),
        last_commit_at=FETCHED - timedelta(days=2),
        commits_last_year=340,
        open_issues=9,
        readme_path="README.md",
        readme_size=5000,
        readme_text="Fachverfahren für Kommunen. " * 200,
        licence_path="LICENSE",
        licence_from_file="EUPL-1.2",
    )


@pytest.fixture(scope="module")
def maturity_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the corpus and a well-kept record whose second crawl added CI, on loopback."""
    database = Path(tmp_path_factory.mktemp("maturity")) / "catalogue.db"
    store = create_store(f"sqlite:///{database}")
    first = make_record(f"https://{RECORD_ID}", "Fachverfahren", short_de="Ein Fachverfahren")
    first.repository.facts = _facts(with_ci=False)
    second = first.model_copy(deep=True)
    second.repository.facts = _facts(with_ci=True)
    second.provenance.fetched_at = LATER
    store.upsert_records([*corpus(), first])
    store.upsert_records([second])
    app = create_app(
        Settings(database_url=f"sqlite:///{database}"), store=store, search=built_search(store)
    )
    yield from serve(app)
    store.close()


@pytest.mark.parametrize("language", ["en", "de"])
def test_panel_explains_every_criterion_and_the_level(
    page: Any, maturity_url: str, language: str
) -> None:
    """The panel shows the level with its rule, each criterion's level and reason, the facts,
    since when a criterion has its level, and the changes between crawls."""
    text = TEXTS[language]
    page.goto(f"{maturity_url}/software/{RECORD_ID}?lang={language}")
    panel = page.locator("section#maturity")
    assert text["heading"] == panel.locator("h2").inner_text()
    assert text["summary"] == panel.locator(".maturity-summary .badge").inner_text()
    assert 9 == panel.locator("li.maturity-criterion").count()
    tested = panel.locator('li[data-criterion="tested"]')
    assert text["tested"] == tested.locator(".criterion-name").inner_text()
    assert text["met"] == tested.locator(".badge").inner_text()
    assert text["reason"] == tested.locator(".reason").inner_text()
    assert text["since"] in tested.inner_text()
    assert text["since"] not in panel.locator('li[data-criterion="licensed"]').inner_text()
    rule = panel.locator(".maturity-rule li")
    assert 5 == rule.count()
    assert rule.nth(3).inner_text().startswith(text["rule"])
    assert "current" == rule.nth(3).get_attribute("class")
    facts = panel.locator(".maturity-facts").inner_text()
    assert text["release"] in facts and "v3.2.0" in facts and "340" in facts
    assert ".gitlab-ci.yml" in facts
    assert 2 == panel.locator(".maturity-history li").count()
    badge = panel.locator("img.maturity-badge")
    badge.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('img.maturity-badge').complete")
    assert badge.evaluate("image => image.naturalWidth") > 0  # loaded under the page's CSP
    assert text["badge"] == badge.get_attribute("alt")
    assert (
        f"/api/v1/software/{RECORD_ID}/badge.svg?lang={language}"
        in panel.locator(".badge-markdown").inner_text()
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_badge_renders_with_accessible_text(page: Any, maturity_url: str, language: str) -> None:
    """Opened on its own, the badge is an SVG picture with role=img, a title and an aria-label."""
    page.goto(f"{maturity_url}/api/v1/software/{RECORD_ID}/badge.svg?lang={language}")
    svg = page.locator("svg")
    assert "img" == svg.get_attribute("role")
    assert TEXTS[language]["badge"] == svg.get_attribute("aria-label")
    assert TEXTS[language]["badge"] == page.locator("svg > title").text_content()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 100 and 20 == box["height"]
    shown = page.locator("svg text").all_text_contents()
    assert 2 == len(shown) and shown[1].startswith("level 3" if language == "en" else "Stufe 3")
    criterion = f"{maturity_url}/api/v1/software/{RECORD_ID}/badge/tested.svg?lang={language}"
    page.goto(criterion)
    assert TEXTS[language]["met"] == page.locator("svg text").nth(1).text_content()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1366", "390"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_panel_has_no_serious_accessibility_violation(
    browser: Any, maturity_url: str, language: str, viewport: dict[str, int]
) -> None:
    """axe finds no serious or critical violation on a page with the full panel; no sideways
    scrolling at phone width."""
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{maturity_url}/software/{RECORD_ID}?lang={language}")
        assert 0 == horizontal_overflow(page)
        page.add_script_tag(content=axe_source())
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        assert [] == [v for v in violations if v["impact"] in SERIOUS]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "legend", "option"),
    [("en", "Maturity level", "3 · mature"), ("de", "Reifestufe", "3 · ausgereift")],
)
def test_search_page_filters_by_maturity(
    page: Any, maturity_url: str, language: str, legend: str, option: str
) -> None:
    """The search page has a maturity facet with labelled levels; ticking one filters."""
    page.goto(f"{maturity_url}/?lang={language}")
    fieldset = page.locator("fieldset", has=page.locator("legend", has_text=legend))
    label = fieldset.locator("label", has_text=option)
    assert 1 == label.count()
    label.click()
    page.wait_for_url("**maturity=3**")
    assert ["Fachverfahren"] == page.locator("article.card h3").all_inner_texts()
