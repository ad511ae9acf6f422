"""The page tests use the API tests' catalogue, store, search, app and client fixtures."""

from tests.api.conftest import app, client, search, store

__all__ = ["app", "client", "search", "store"]
