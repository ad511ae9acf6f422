"""The organisation reuse panels in Debian's chromium, in German and English: Stadt Nord's page
lists who uses its software (a dependency with its manifest line, a fork) apart from its own
use, and the software of others it uses; the other organisation's page shows the reverse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from schemas.settings import Settings
from tests.api.conftest import built_search
from tests.api.organisation_reuse_data import EVIDENCE, NORD, SUED, reuse_store
from tests.web.browser import serve

pytestmark = pytest.mark.browser

TEXTS = {
    "en": ("Our software used by others", "Software of others we use", "depends on it", "fork"),
    "de": ("Unsere Software bei anderen", "Software anderer, die wir nutzen", None, None),
}


@pytest.fixture(scope="module")
def reuse_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = reuse_store(tmp_path_factory.mktemp("reuse"))
    app = create_app(
        Settings(database_url=f"sqlite:///{Path(str(store.engine.url.database))}"),
        store=store,
        search=built_search(store),
    )
    yield from serve(app)
    store.close()


@pytest.mark.parametrize("language", ["en", "de"])
def test_both_panels_with_evidence_then_the_other_side(
    page: Any, reuse_url: str, language: str
) -> None:
    used_by, uses, depends, fork = TEXTS[language]
    page.goto(f"{reuse_url}/organisations/{NORD}?lang={language}")
    assert used_by == page.locator("#org-used-by").inner_text()
    assert uses == page.locator("#org-uses").inner_text()
    panel = page.locator('section[aria-labelledby="org-used-by"]')
    dependency = panel.locator('li[data-kind="depends_on"]')
    assert "Südapp" in dependency.inner_text() and "Land Süd" in dependency.inner_text()
    assert EVIDENCE == dependency.locator("a[rel~=nofollow]").get_attribute("href")
    assert "Portal-Fork" in panel.locator('li[data-kind="fork_of"]').inner_text()
    if depends:
        assert depends in dependency.inner_text()
        assert fork in panel.locator('li[data-kind="fork_of"]').inner_text()
    assert "Nordintranet" not in panel.inner_text()  # its own use is not reuse
    assert "Kreis West" in panel.inner_text()  # declared in usedBy, shown apart
    others = page.locator('section[aria-labelledby="org-uses"]')
    assert "Südbibliothek" in others.inner_text()
    assert "requirements.txt:3" in others.inner_text()
    others.locator("a", has_text="Land Süd").click()
    page.wait_for_load_state()
    assert f"/organisations/{SUED}" in page.url
    reverse = page.locator('section[aria-labelledby="org-uses"]').inner_text()
    assert "Nordportal" in reverse and "Südapp" in reverse and "Portal-Fork" in reverse
