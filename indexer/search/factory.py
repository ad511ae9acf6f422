"""Build the configured search backend: ``CODEREUSE_SEARCH_BACKEND=embedded|meilisearch``.

Backends are registered explicitly by name in `BACKENDS` (no discovery). Each is imported only
when chosen, so the embedded default never loads the Meilisearch client and vice versa.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from indexer.search.protocol import SearchBackend
from schemas.errors import ConfigurationError
from schemas.record import Record
from schemas.settings import Settings


class RecordStore(Protocol):
    """What a backend needs from the store: its records and where its change feed stands."""

    def iter_records(self) -> Iterator[Record]: ...

    def latest_change_seq(self) -> int: ...


def _embedded(settings: Settings, store: RecordStore) -> SearchBackend:
    from indexer.search.embedded import EmbeddedSearch

    return EmbeddedSearch(
        settings.database_url,
        store.iter_records,
        store.latest_change_seq,
        document_source=getattr(store, "iter_documents", None),
    )


def _meilisearch(settings: Settings, store: RecordStore) -> SearchBackend:
    module: Any = importlib.import_module("indexer.search.meilisearch")
    backend: SearchBackend = module.create_meilisearch_backend(
        settings, store.iter_records, store_seq=store.latest_change_seq
    )
    return backend


BACKENDS: dict[str, Callable[[Settings, RecordStore], SearchBackend]] = {
    "embedded": _embedded,
    "meilisearch": _meilisearch,
}


def create_search_backend(settings: Settings, store: RecordStore) -> SearchBackend:
    """The search backend `settings.search_backend` names, reading its records from `store`.

    The embedded backend lives in the store's SQLite file (``CODEREUSE_DATABASE_URL``).

    Raises:
        ConfigurationError: the backend name is unknown, or the embedded backend was asked for
            with a database that is not SQLite.
    """
    name = settings.search_backend
    if name not in BACKENDS:
        raise ConfigurationError(
            f"unknown search backend {name!r} (CODEREUSE_SEARCH_BACKEND); "
            f"use one of: {', '.join(BACKENDS)}"
        )
    return BACKENDS[name](settings, store)
