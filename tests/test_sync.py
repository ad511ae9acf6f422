"""Store → search index sync: incremental when possible, a rebuild when the index was lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.search.factory import create_search_backend
from indexer.store import create_store
from indexer.sync import sync_search
from schemas.settings import Settings
from tests.api.conftest import corpus


def test_sync_follows_the_change_feed_then_rebuilds_a_lost_index(tmp_path: Path) -> None:
    """A sync touches the changed records; an emptied index is rebuilt instead of left empty."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    settings = Settings(database_url=url)
    with create_store(url) as store:
        store.upsert_records(corpus())
        search = create_search_backend(settings, store)
        assert None is sync_search(search, store)  # a new, empty index is built whole
        assert len(corpus()) == search.search(per_page=1).total
        assert 0 == sync_search(search, store)
        changed = corpus()[0].model_copy(update={"name": "Beteiligungsportal 2"})
        store.upsert_records([changed])
        assert 1 == sync_search(search, store)
        assert "Beteiligungsportal 2" == search.search("Beteiligungsportal").hits[0].name

        search.delete(record.id for record in corpus())
        assert 0 == search.search(per_page=1).total
        assert None is sync_search(search, store)
        assert len(corpus()) == search.search(per_page=1).total


def test_serve_rebuilds_an_index_of_an_older_format_before_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade that changes the index format drops the old index tables on open; `serve`
    rebuilds it from the store instead of answering 0 results until the next crawl."""
    import sqlite3

    from cli.serve_command import check_serving

    database = tmp_path / "c.db"
    url = f"sqlite:///{database}"
    with create_store(url) as store:
        store.upsert_records(corpus())
        search = create_search_backend(Settings(database_url=url), store)
        sync_search(search, store)
        getattr(search, "close", lambda: None)()
    with sqlite3.connect(database) as connection:  # as an older release left it
        connection.execute("UPDATE search_meta SET value = '4' WHERE key = 'schema_version'")
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)

    check_serving()

    with create_store(url) as store:
        search = create_search_backend(Settings(database_url=url), store)
        assert len(corpus()) == search.search(per_page=1).total
        getattr(search, "close", lambda: None)()
