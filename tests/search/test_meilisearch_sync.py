"""Incremental sync of the Meilisearch index from the real SQLite store's change feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.search.meilisearch.sync import state_index
from indexer.store import create_store
from tests.search.meili_corpus import CORPUS, DECIDIM, GEOPORTAL, OPENDESK, TERMINE
from tests.search.meili_server import SERVER_KINDS, MeiliServer, open_server


@pytest.fixture(params=SERVER_KINDS)
def server(request: pytest.FixtureRequest) -> Iterator[MeiliServer]:
    yield from open_server(request.param)


def ids(server: MeiliServer) -> list[str]:
    return [hit.id for hit in server.backend().search(sort="name").hits]


def test_first_sync_rebuilds_then_changes_and_deletions_follow(
    server: MeiliServer, tmp_path: Path
) -> None:
    """The first sync rebuilds; later ones apply only the changed and deleted records."""
    store = create_store(f"sqlite:///{tmp_path / 'codereuse.db'}")
    store.upsert_records([DECIDIM, TERMINE])
    backend = server.backend()
    assert 2 == backend.sync_from_store(store)
    assert [DECIDIM.id, TERMINE.id] == ids(server)
    assert any(r.path == "/swap-indexes" for r in server.transport.requests)

    renamed = DECIDIM.model_copy(update={"name": "Zivilgesellschaft"})
    store.upsert_records([renamed, OPENDESK])
    store.delete_records([TERMINE.id])
    server.transport.requests.clear()
    assert 3 == backend.sync_from_store(store)
    assert [OPENDESK.id, DECIDIM.id] == ids(server)
    assert not any(r.path == "/swap-indexes" for r in server.transport.requests)
    assert 0 == backend.sync_from_store(store)
    store.close()


def test_rebuild_remembers_the_store_position(server: MeiliServer, tmp_path: Path) -> None:
    """After a rebuild with a store position, a sync has nothing left to do."""
    store = create_store(f"sqlite:///{tmp_path / 'codereuse.db'}")
    store.upsert_records(CORPUS)
    backend = server.backend(CORPUS, store_seq=store.latest_change_seq)
    backend.rebuild()
    assert 0 == backend.sync_from_store(store)
    store.upsert_records([GEOPORTAL.model_copy(update={"name": "Stadtplan"})])
    assert 1 == backend.sync_from_store(store)
    assert "Stadtplan" in [hit.name for hit in server.backend().search("Stadtplan").hits]
    if server.fake is not None:
        assert {server.index, state_index(server.index)} == set(server.fake.indexes)
    store.close()


def test_an_index_synced_with_an_older_document_layout_is_rebuilt(
    server: MeiliServer, tmp_path: Path
) -> None:
    """A sync position written by an older release (organisation facet by name, no
    ``format``) is not trusted: the next sync rebuilds, so the facet holds ids."""
    import json

    from indexer.search.meilisearch.settings import PRIMARY_KEY
    from indexer.search.meilisearch.sync import STATE_KEY

    store = create_store(f"sqlite:///{tmp_path / 'codereuse.db'}")
    store.upsert_records(CORPUS)
    backend = server.backend()
    backend.sync_from_store(store)
    older = json.dumps([{PRIMARY_KEY: STATE_KEY, "store_seq": store.latest_change_seq()}])
    client = backend.client  # type: ignore[attr-defined]
    client.wait(
        client.submit(
            "POST", f"/indexes/{state_index(server.index)}/documents", content=older.encode()
        )
    )
    server.transport.requests.clear()
    assert len(CORPUS) == backend.sync_from_store(store)
    assert any(r.path == "/swap-indexes" for r in server.transport.requests)
    assert 0 == backend.sync_from_store(store)
    store.close()
