"""The embedded index beside a PostgreSQL store: its own file, kept current by the change feed.

Covers the wiring (`CODEREUSE_SEARCH_PATH`), what a start does with an index file already there
(follow the feed, never rebuild a current one), an index file from another store or from a
recreated database (rebuilt), several processes of one host sharing the file (exactly one
rebuilds), and the follower thread of an API process.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.search.embedded import EmbeddedSearch
from indexer.search.factory import create_search_backend
from indexer.store import Store, create_store
from indexer.sync import IndexFollower, index_follower, sync_search
from schemas.errors import ConfigurationError
from schemas.settings import Settings
from tests.api.conftest import corpus
from tests.postgres import empty_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def store_url(postgres_url: str) -> str:
    """This session's migrated PostgreSQL schema, emptied."""
    empty_postgres(postgres_url)
    return postgres_url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store on PostgreSQL holding the API test corpus."""
    with create_store(store_url) as opened:
        opened.upsert_records(corpus())
        yield opened


OPENED: list[tuple[EmbeddedSearch, Store]] = []


def _search(store_url: str, path: Path) -> EmbeddedSearch:
    """The embedded backend the factory builds for a PostgreSQL store (closed after the test)."""
    settings = Settings(database_url=store_url, search_path=str(path))
    store = create_store(store_url)
    backend = create_search_backend(settings, store)
    assert isinstance(backend, EmbeddedSearch)
    OPENED.append((backend, store))
    return backend


@pytest.fixture(autouse=True)
def _close_opened() -> Iterator[None]:
    yield
    while OPENED:
        backend, store = OPENED.pop()
        backend.close()
        store.close()


def test_the_index_lives_in_the_search_path_file(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """With a PostgreSQL store the embedded index is the CODEREUSE_SEARCH_PATH file, built from the store."""
    search = _search(store_url, tmp_path / "search.db")
    assert str(tmp_path / "search.db") == search.path
    assert None is sync_search(search, store)
    assert len(corpus()) == search.search(per_page=1).total
    assert (tmp_path / "search.db").stat().st_size > 0


def test_a_missing_search_directory_is_named(store_url: str, tmp_path: Path) -> None:
    """A search path in a directory that does not exist is refused with the setting's name."""
    settings = Settings(database_url=store_url, search_path=str(tmp_path / "no" / "search.db"))
    with create_store(store_url) as opened, pytest.raises(ConfigurationError) as raised:
        create_search_backend(settings, opened)
    assert "CODEREUSE_SEARCH_PATH" in str(raised.value)


def test_a_current_index_file_is_followed_not_rebuilt(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """A restart over a current index file syncs nothing; later changes arrive through the feed."""
    path = tmp_path / "search.db"
    assert None is sync_search(_search(store_url, path), store)
    restarted = _search(store_url, path)
    assert 0 == IndexFollower(restarted, store).catch_up()
    store.upsert_records([corpus()[0].model_copy(update={"name": "Wahlhelferportal"})])
    assert 1 == IndexFollower(restarted, store).catch_up()
    assert "Wahlhelferportal" == restarted.search("Wahlhelferportal").hits[0].name


def test_an_index_file_of_another_store_is_rebuilt(
    store: Store, store_url: str, tmp_path: Path, postgres_schema_factory: object
) -> None:
    """An index file derived from another database is rebuilt, not followed from its position."""
    path = tmp_path / "search.db"
    sync_search(_search(store_url, path), store)
    from indexer.store import upgrade_database

    other_url = postgres_schema_factory()  # type: ignore[operator]
    upgrade_database(other_url)
    with create_store(other_url) as other:
        other.upsert_records(corpus()[:2])
        assert None is sync_search(_search(other_url, path), other)
        assert 2 == _search(other_url, path).search(per_page=1).total


def test_an_index_ahead_of_a_recreated_store_is_rebuilt(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """When the store's change feed restarted below the index's position, the index is rebuilt."""
    path = tmp_path / "search.db"
    sync_search(_search(store_url, path), store)
    empty_postgres(store_url)
    with create_store(store_url) as recreated:
        recreated.upsert_records(corpus()[:1])
        assert None is sync_search(_search(store_url, path), recreated)
        assert 1 == _search(store_url, path).search(per_page=1).total


def _start_process(store_url: str, path: str, results: multiprocessing.Queue[object]) -> None:
    """One process starting over a shared index file (spawned by the test below)."""
    with create_store(store_url) as store:
        results.put(sync_search(_search(store_url, Path(path)), store))


def test_processes_sharing_one_file_rebuild_it_once(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """Three processes starting at once over a new index file: one rebuilds, the others find it current."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[object] = context.Queue()
    path = str(tmp_path / "search.db")
    processes = [
        context.Process(target=_start_process, args=(store_url, path, results)) for _ in range(3)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert 0 == process.exitcode
    outcomes = sorted((results.get(timeout=5) for _ in processes), key=repr)
    assert [0, 0, None] == outcomes
    assert len(corpus()) == _search(store_url, Path(path)).search(per_page=1).total


def test_the_follower_thread_applies_a_change_within_seconds(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """An API process's follower picks up a stored change without anyone syncing it."""
    search = _search(store_url, tmp_path / "search.db")
    follower = IndexFollower(search, store, interval=0.1)
    follower.catch_up()
    follower.start()
    try:
        store.upsert_records([corpus()[1].model_copy(update={"name": "Schulwegplaner"})])
        deadline = time.monotonic() + 10
        while not search.search("Schulwegplaner").hits and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        follower.stop()
    assert "Schulwegplaner" == search.search("Schulwegplaner").hits[0].name


def test_only_an_index_beside_a_non_sqlite_store_is_followed(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """API processes follow the per-host index file; a SQLite store's index or Meilisearch not."""
    search = _search(store_url, tmp_path / "search.db")
    settings = Settings(database_url=store_url, search_path=str(tmp_path / "search.db"))
    assert isinstance(index_follower(settings, store, search), IndexFollower)
    meili = settings.model_copy(update={"search_backend": "meilisearch"})
    assert None is index_follower(meili, store, search)
    sqlite_url = f"sqlite:///{tmp_path / 'c.db'}"
    with create_store(sqlite_url) as local:
        assert None is index_follower(Settings(database_url=sqlite_url), local, search)


def test_the_search_command_catches_up_with_the_store(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """`search` and `export --query` on a PostgreSQL host build a missing index file, then follow the feed."""
    env = {
        "CODEREUSE_DATABASE_URL": store_url,
        "CODEREUSE_SEARCH_PATH": str(tmp_path / "search.db"),
        "COLUMNS": "200",
    }

    def search(query: str) -> list[str]:
        result = CliRunner().invoke(app, ["search", query, "--json"], env=env)
        assert 0 == result.exit_code, result.stderr
        return [hit["name"] for hit in json.loads(result.stdout)["hits"]]

    assert "Beteiligungsportal" in search("Beteiligung")
    store.upsert_records([corpus()[2].model_copy(update={"name": "Friedhofsverwaltung"})])
    assert ["Friedhofsverwaltung"] == search("Friedhofsverwaltung")
    store.upsert_records([corpus()[3].model_copy(update={"name": "Hundesteuerportal"})])
    exported = CliRunner().invoke(
        app, ["export", "--format", "json", "--query", "Hundesteuerportal"], env=env
    )
    assert 0 == exported.exit_code, exported.stderr
    assert ["Hundesteuerportal"] == [item["name"] for item in json.loads(exported.stdout)]
