"""PostgreSQL for tests: the server at ``CODEREUSE_TEST_POSTGRES_URL``, throw-away schemas.

Default server: ``postgresql+psycopg://postgres@127.0.0.1:5432/test``. Each test session works
in its own uniquely named schemas (selected through ``search_path``), so parallel runs on the
same server never collide; they are dropped at the end. Where no server answers, tests that
need one are skipped with the reason. Loaded for the whole suite by ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from indexer.store import upgrade_database
from indexer.store.models import Base

POSTGRES_URL = os.environ.get(
    "CODEREUSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The base URL of a PostgreSQL server that answers, or a skip saying why not."""
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL} ({reason})")
    finally:
        engine.dispose()
    yield POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_schema_factory(postgres_server: str) -> Iterator[Callable[[], str]]:
    """Creates uniquely named empty schemas on the server; drops them all at the end."""
    created: list[str] = []
    engine = create_engine(postgres_server)

    def new_schema() -> str:
        schema = f"codereuse_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        created.append(schema)
        return _schema_url(postgres_server, schema)

    yield new_schema
    with engine.begin() as connection:
        for schema in created:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def empty_postgres(url: str) -> None:
    """Empty every table of the migrated schema at `url` (sequences restart at 1)."""
    engine = create_engine(url)
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_schema_factory: Callable[[], str]) -> str:
    """URL of this session's migrated PostgreSQL schema."""
    url = postgres_schema_factory()
    upgrade_database(url)
    return url
