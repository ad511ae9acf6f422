"""The page tests use the API tests' catalogue, store, search, app and client fixtures, and the
browser fixtures of ``tests/web/browser.py``."""

from tests.api.conftest import app, client, search, store
from tests.web.browser import base_url, browser, page

__all__ = ["app", "base_url", "browser", "client", "page", "search", "store"]
