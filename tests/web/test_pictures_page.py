"""Pictures on the pages: served from our origin under a no-script policy, with alt text,
lazy loading and a placeholder when there is none."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from indexer.store import Store, picture_key
from tests.api.client import AppClient
from tests.api.records import make_record
from tests.web.browser import LOGO_RECORD, LOGO_URL, logo_picture


@pytest.fixture
def with_logo(store: Store) -> Store:
    """The API tests' store plus a record whose logo the crawl stored."""
    store.upsert_records([LOGO_RECORD])
    store.save_picture(logo_picture())
    return store


def test_software_page_shows_the_stored_logo_from_our_origin(
    client: AppClient, with_logo: Store
) -> None:
    """The logo is an <img> on /pictures/KEY with alt text, size and lazy loading."""
    html = client.get("/software/gitlab.opencode.de/stadt/wappen?lang=de").text
    tag = re.search(r'<img class="logo"[^>]*>', html)
    assert tag is not None
    assert f'src="/pictures/{picture_key(LOGO_URL)}"' in tag.group(0)
    assert 'alt="Logo von Wappenrolle"' in tag.group(0) and 'loading="lazy"' in tag.group(0)


def test_a_record_without_stored_logo_gets_a_placeholder(client: AppClient) -> None:
    """No picture yet (or refused): a letter placeholder, hidden from screen readers."""
    html = client.get("/software/gitlab.opencode.de/kreis/eakte?lang=en").text
    assert '<span class="logo logo-placeholder" aria-hidden="true">E</span>' in html
    assert "/pictures/" not in html


def test_picture_is_served_with_a_no_script_policy(client: AppClient, with_logo: Store) -> None:
    """The bytes come with their type, nosniff and a policy that runs nothing."""
    response = client.get(f"/pictures/{picture_key(LOGO_URL)}")
    assert (200, "image/png") == (response.status_code, response.headers["content-type"])
    assert "nosniff" == response.headers["x-content-type-options"]
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert logo_picture().data == response.content


@pytest.mark.parametrize("key", ["0" * 64, "not-a-key", picture_key("https://x.example/refused")])
def test_unknown_or_refused_pictures_are_404(client: AppClient, store: Store, key: str) -> None:
    """Keys that are malformed, unknown or name a refused picture answer 404."""
    refused = logo_picture()
    store.save_picture(
        type(refused)(
            "https://x.example/refused", None, None, None, None, "HTTP 404", refused.fetched_at
        )
    )
    assert 404 == client.get(f"/pictures/{key}").status_code


def test_software_page_shows_stored_screenshots_only(client: AppClient, store: Store) -> None:
    """Screenshots the crawl stored show as lazy same-origin images with numbered alt text,
    each linking to the full picture; one not fetched (or refused) is left out."""
    shown, missing = "https://example.org/shot-1.png", "https://example.org/shot-2.png"
    record = make_record(
        "https://gitlab.opencode.de/stadt/galerie", "Galerie", short_de="Bilder der Stadt"
    )
    german = record.descriptions["de"].model_copy(update={"screenshots": [missing, shown]})
    store.upsert_records([record.model_copy(update={"descriptions": {"de": german}})])
    store.save_picture(dataclasses.replace(logo_picture(), url=shown))
    html = client.get("/software/gitlab.opencode.de/stadt/galerie?lang=de").text
    images = re.findall(r'<ul class="screenshots">.*?</ul>', html, flags=re.S)
    assert 1 == len(images)
    key = picture_key(shown)
    assert f'<a href="/pictures/{key}"><img src="/pictures/{key}"' in images[0]
    assert 'alt="Bildschirmfoto 2 von Galerie"' in images[0] and 'loading="lazy"' in images[0]
    assert picture_key(missing) not in html


@pytest.mark.browser
def test_logo_loads_from_our_origin_in_chromium(page: Any, base_url: str) -> None:
    """In chromium the logo image loads from the catalogue's own origin."""
    page.goto(f"{base_url}/software/gitlab.opencode.de/stadt/wappen?lang=en")
    logo = page.locator("img.logo")
    logo.scroll_into_view_if_needed()
    width = logo.evaluate("(img) => img.decode().then(() => img.naturalWidth)")
    source = logo.evaluate("(img) => img.currentSrc")
    assert 64 == width and source.startswith(f"{base_url}/pictures/")
