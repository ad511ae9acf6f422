"""axe-core finds no serious or critical accessibility violation on the pages, in both
languages, at desktop and phone width (axe injected by Playwright; the page's CSP is bypassed
for the injected script only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.axe import SERIOUS, axe_source
from tests.web.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.browser
PAGES = {
    "search": "/?q=platform",
    "no-results": "/?q=zzqqxx&licence=MIT",
    "software": "/software/gitlab.opencode.de/stadt/beteiligung",
    "status": "/forges?url=https://gitlab.opencode.de/kreis/eakte",
    "stats": "/stats",
    "organisations": "/organisations",
    "organisation": "/organisations/name:stadt-musterhausen",
}


@pytest.fixture(scope="module")
def axe() -> str:
    """The axe-core script (cached after the first ``npm pack``)."""
    return axe_source()


@pytest.fixture(params=[DESKTOP, MOBILE], ids=["1366", "390"])
def checked_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page at one width whose CSP lets the injected axe script run."""
    context = browser.new_context(viewport=request.param, bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(
    checked_page: Any, base_url: str, axe: str, name: str, language: str
) -> None:
    """axe reports no serious or critical violation (WCAG 2.1 A/AA rules and best practices)."""
    separator = "&" if "?" in PAGES[name] else "?"
    checked_page.goto(f"{base_url}{PAGES[name]}{separator}lang={language}")
    checked_page.add_script_tag(content=axe)
    violations = checked_page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert [] == serious
