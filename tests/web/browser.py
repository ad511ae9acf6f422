"""Browser test fixtures: the app on a real loopback HTTP server, Debian's chromium, pages.

Shared by every browser test module (imported in ``tests/web/conftest.py``), so the catalogue
and the server are built once per session. Chromium is Debian's ``/usr/bin/chromium`` through
Playwright's ``executable_path``: no browser is ever downloaded.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from PIL import Image

from api.app import create_app
from crawler.normalise.organisations import organisation_entities
from indexer.store import Picture, create_store
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.api.conftest import built_search, corpus
from tests.api.records import make_record
from tests.web.corpus import REGISTRATION, readable_real_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}
DESKTOP = {"width": 1366, "height": 768}


LOGO_URL = "https://gitlab.opencode.de/stadt/wappen/-/raw/main/logo.png"
LOGO_RECORD = make_record(
    "https://gitlab.opencode.de/stadt/wappen",
    "Wappenrolle",
    short_en="Register of municipal coats of arms",
    logo=LOGO_URL,
)


def logo_picture() -> Picture:
    """A stored 64 × 64 PNG for `LOGO_URL`, as the crawl's picture step keeps it."""
    output = io.BytesIO()
    Image.new("RGB", (64, 64), (11, 92, 173)).save(output, format="PNG")
    fetched = datetime(2026, 11, 1, tzinfo=UTC)
    return Picture(LOGO_URL, "image/png", output.getvalue(), 64, 64, None, fetched)


def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` on uvicorn at 127.0.0.1 on a free port in a thread; yield its base URL."""
    # Bound and listening before the server thread starts, so no wait for start-up is needed.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a real-data catalogue (plus the API tests' corpus), served on loopback."""
    database = tmp_path_factory.mktemp("browser") / "catalogue.db"
    store = create_store(f"sqlite:///{database}")
    store.add_forge(REGISTRATION)
    store.add_forge(
        ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
    )
    snapshots, records = readable_real_world()
    store.save_page("github", "all", snapshots, records, None)
    store.upsert_records([*corpus(), LOGO_RECORD])
    store.save_organisations(organisation_entities([*records, *corpus(), LOGO_RECORD], {}))
    store.save_picture(logo_picture())
    settings = Settings(database_url=f"sqlite:///{database}")
    app = create_app(settings, store=store, search=built_search(store))
    yield from serve(app)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless; skips with the install command where it is missing.

    Module scope: Playwright's sync API keeps an event loop running in the main thread, which
    the in-process API clients of the other test modules must not find there.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def open_page(
    browser: Any, viewport: dict[str, int], *, javascript: bool = True, locale: str = "en-GB"
) -> Any:
    """A new page in its own context at `viewport`; close it with ``page.context.close()``."""
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        accept_downloads=True,
        java_script_enabled=javascript,
    )
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page (1366 × 768) with JavaScript on."""
    opened = open_page(browser, DESKTOP)
    yield opened
    opened.context.close()


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the document is wider than the viewport (0: no sideways scroll)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width
