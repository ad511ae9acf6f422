"""Screenshots of every page at desktop and phone width, for the README and docs.

``scripts/screenshots`` runs this module with ``CODEREUSE_SCREENSHOTS_DIR=docs/screenshots``
to regenerate the committed pictures; in a normal test run they go to a temporary directory,
and the test checks each page rendered (a heading, no sideways scroll).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import DESKTOP, MOBILE, horizontal_overflow, open_page

pytestmark = pytest.mark.browser
PAGES = {
    "search": "/?q=platform&lang=en",
    "software": "/software/gitlab.opencode.de/stadt/wappen?lang=en",
    "organisations": "/organisations?lang=en",
    "organisation": "/organisations/name:stadt-musterhausen?lang=en",
    "status": "/forges?lang=en&url=https://gitlab.opencode.de/kreis/eakte",
    "stats": "/stats?lang=en",
}


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_screenshot(browser: Any, base_url: str, tmp_path: Path, name: str, width: str) -> None:
    """Each page renders with a level-one heading and no sideways scroll, and is photographed."""
    directory = Path(os.environ.get("CODEREUSE_SCREENSHOTS_DIR", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    opened = open_page(browser, DESKTOP if width == "desktop" else MOBILE)
    try:
        response = opened.goto(base_url + PAGES[name])
        assert response is not None and 200 == response.status
        assert 1 == opened.locator("h1").count() and 0 == horizontal_overflow(opened)
        suffix = "" if width == "desktop" else "-mobile"
        opened.screenshot(path=str(directory / f"{name}{suffix}.png"), full_page=False)
    finally:
        opened.context.close()
