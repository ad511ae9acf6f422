"""The `store` fixture of the store tests (SQLite and PostgreSQL), for the reuse tests too."""

from tests.store.conftest import database_url, store

__all__ = ["database_url", "store"]
