"""Build the configured search backend: ``CODEREUSE_SEARCH_BACKEND=embedded|meilisearch``.

Backends are registered explicitly by name in `BACKENDS` (no discovery). Each is imported only
when chosen, so the embedded default never loads the Meilisearch client and vice versa.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from indexer.search.protocol import SearchBackend
from schemas.errors import ConfigurationError
from schemas.record import Record
from schemas.settings import Settings


class RecordStore(Protocol):
    """What a backend needs from the store: its records and where its change feed stands."""

    def iter_records(self) -> Iterator[Record]: ...

    def latest_change_seq(self) -> int: ...


def embedded_location(settings: Settings) -> tuple[str, str | None]:
    """Where the embedded index lives, and the store it must record as its source.

    A SQLite store holds the index in its own file (no source: the two cannot drift apart);
    any other store gets the local file ``CODEREUSE_SEARCH_PATH``, derived from the store
    named by its URL (password masked).

    Raises:
        ConfigurationError: the search file's directory does not exist.
    """
    from indexer.store.engine import parse_database_url, safe_url

    url = parse_database_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return settings.database_url, None
    path = Path(settings.search_path).expanduser()
    if not path.resolve().parent.is_dir():
        raise ConfigurationError(
            f"CODEREUSE_SEARCH_PATH {path}: directory {path.resolve().parent} does not exist; "
            "create it or point CODEREUSE_SEARCH_PATH elsewhere"
        )
    return str(path), safe_url(url)


def _embedded(settings: Settings, store: RecordStore) -> SearchBackend:
    from indexer.search.embedded import EmbeddedSearch

    location, source = embedded_location(settings)
    return EmbeddedSearch(
        location,
        store.iter_records,
        store.latest_change_seq,
        document_source=getattr(store, "iter_documents", None),
        source=source,
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

    The embedded backend lives in the store's SQLite file, or beside any other store in the
    local file ``CODEREUSE_SEARCH_PATH`` (see `embedded_location`).

    Raises:
        ConfigurationError: the backend name is unknown, or the search file's directory is
            missing.
    """
    name = settings.search_backend
    if name not in BACKENDS:
        raise ConfigurationError(
            f"unknown search backend {name!r} (CODEREUSE_SEARCH_BACKEND); "
            f"use one of: {', '.join(BACKENDS)}"
        )
    return BACKENDS[name](settings, store)
