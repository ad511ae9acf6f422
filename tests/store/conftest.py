"""The `store` fixture: every store test runs on a fresh SQLite file and on PostgreSQL.

PostgreSQL (see `tests.postgres`): this session's own schema, migrated once and emptied before
each test. Where no server answers, the PostgreSQL half is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.store import Store, create_store
from tests.postgres import empty_postgres


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty, migrated store: a new SQLite file, or this session's PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A `Store` on `database_url`, closed after the test."""
    opened = create_store(database_url)
    yield opened
    opened.close()
