"""Fixtures for the search contract suite: a registry of backend factories and the corpus.

Every test that takes `backend` (or `make_backend`) runs once per registered backend. To add a
backend, add one line to `BACKEND_FACTORIES`: a name and a function building a backend from a
temporary directory and a list of records (indexed and ready to search). A backend that needs
a server names the environment variable of its URL in `NEEDS_SERVER`; without it the tests are
skipped with that reason. ``postgresql+embedded`` is the embedded index beside a PostgreSQL
store (its own file, filled from the store by a rebuild and the change feed), skipped where no
PostgreSQL server answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.search.embedded import EmbeddedSearch
from indexer.search.protocol import SearchBackend
from schemas.record import Record
from tests.search.corpus import REAL_WORLD, load_corpus

BackendFactory = Callable[[Path, list[Record]], SearchBackend]


def embedded_backend(directory: Path, records: list[Record]) -> SearchBackend:
    """The embedded backend in a fresh SQLite file, built from `records`."""
    backend = EmbeddedSearch(directory / "search.db", lambda: records)
    backend.rebuild()
    return backend


def meilisearch_backend(directory: Path, records: list[Record]) -> SearchBackend:
    """The Meilisearch backend on the live server at ``CODEREUSE_MEILI_URL``, in a fresh index."""
    from indexer.search.meilisearch import create_meilisearch_backend
    from schemas.settings import Settings

    settings = Settings(
        meili_url=os.environ["CODEREUSE_MEILI_URL"],
        meili_key=os.environ.get("CODEREUSE_MEILI_KEY"),  # type: ignore[arg-type]
        meili_index=f"codereuse-test-{uuid.uuid4().hex[:12]}",
    )
    backend: Any = create_meilisearch_backend(settings, lambda: records)
    backend.rebuild()
    return backend  # type: ignore[no-any-return]


def postgresql_embedded_backend(
    directory: Path, records: list[Record], *, store_url: str
) -> SearchBackend:
    """The embedded backend beside a PostgreSQL store, wired and filled as in production.

    The records go into the (emptied) store at `store_url`; the factory puts the index in its
    own file (``CODEREUSE_SEARCH_PATH``), and `sync_search` builds it: half the records by a
    rebuild from the store, the other half through the store's change feed.
    """
    from indexer.search.factory import create_search_backend
    from indexer.store import create_store
    from indexer.sync import sync_search
    from schemas.settings import Settings
    from tests.postgres import empty_postgres

    empty_postgres(store_url)
    settings = Settings(database_url=store_url, search_path=str(directory / "search.db"))
    store = create_store(store_url)
    try:
        backend = create_search_backend(settings, store)
        half = len(records) // 2
        store.upsert_records(records[:half])
        sync_search(backend, store)
        store.upsert_records(records[half:])
        sync_search(backend, store)
    finally:
        store.close()  # the backend reconnects for a rebuild; nothing stays checked out
    return backend


BACKEND_FACTORIES: dict[str, BackendFactory] = {
    "embedded": embedded_backend,
    "meilisearch": meilisearch_backend,
    "postgresql+embedded": postgresql_embedded_backend,  # type: ignore[dict-item]
}
NEEDS_SERVER: dict[str, str] = {"meilisearch": "CODEREUSE_MEILI_URL"}
NEEDS_POSTGRES = {"postgresql+embedded"}
"""Backends whose factory also takes ``store_url``: a migrated schema on the test server."""

# Relevance pass rates per backend, printed at the end of the run (see pytest_terminal_summary).
RELEVANCE_RESULTS: dict[str, tuple[int, int]] = {}


def _require(name: str) -> None:
    variable = NEEDS_SERVER.get(name)
    if variable and not os.environ.get(variable):
        pytest.skip(f"the {name} backend needs a live server: set {variable} to run these tests")


@pytest.fixture(scope="session")
def corpus() -> list[Record]:
    """The fixed corpus built from ../shared/data/publiccode-real-world."""
    if not REAL_WORLD.is_dir():
        pytest.skip(f"the real-world publiccode.yml files are missing at {REAL_WORLD}")
    return load_corpus()


@pytest.fixture(
    scope="session",
    params=[
        pytest.param(name, marks=pytest.mark.postgres) if name in NEEDS_POSTGRES else name
        for name in sorted(BACKEND_FACTORIES)
    ],
)
def backend_name(request: pytest.FixtureRequest) -> str:
    """The name of the backend under test (each registered backend in turn)."""
    name: str = request.param
    _require(name)
    return name


@pytest.fixture(scope="session")
def store_schemas(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Migrated PostgreSQL schemas by purpose (the corpus, the tests' small lists)."""
    from indexer.store import upgrade_database

    made: dict[str, str] = {}

    def schema(purpose: str) -> str:
        if purpose not in made:
            made[purpose] = request.getfixturevalue("postgres_schema_factory")()
            upgrade_database(made[purpose])
        return made[purpose]

    return schema


def _factory(name: str, request: pytest.FixtureRequest, purpose: str) -> BackendFactory:
    factory = BACKEND_FACTORIES[name]
    if name not in NEEDS_POSTGRES:
        return factory
    store_url = request.getfixturevalue("store_schemas")(purpose)
    return lambda directory, records: factory(directory, records, store_url=store_url)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def backend(
    backend_name: str,
    corpus: list[Record],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[SearchBackend]:
    """The backend under test, holding the whole corpus (built once per session)."""
    factory = _factory(backend_name, request, "corpus")
    built = factory(tmp_path_factory.mktemp(backend_name.replace("+", "-")), corpus)
    yield built
    close = getattr(built, "close", None)
    if close:
        close()


@pytest.fixture
def make_backend(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[list[Record]], SearchBackend]:
    """Build the backend under test over a small record list of the test's own."""
    factory = _factory(backend_name, request, "small")

    def make(records: list[Record]) -> SearchBackend:
        return factory(tmp_path, records)

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the relevance pass rate of each backend that ran the judged set."""
    for name, (passed, total) in sorted(RELEVANCE_RESULTS.items()):
        terminalreporter.write_line(
            f"search relevance ({name}): {passed}/{total} queries pass ({100 * passed / total:.0f}%)"
        )
