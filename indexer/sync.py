"""Keep the search index in step with the store (the store is the truth; the index is derived).

`sync_search` applies the store's change feed when the backend can follow it (both backends
keep the last applied change sequence beside the index), and otherwise rebuilds the index from
the store (for Meilisearch a zero-downtime rebuild followed by an index swap). An index that is
empty while the store is not (its format changed, or it was deleted) is rebuilt, never left
silently empty.
"""

from __future__ import annotations

from typing import Any

from indexer.search.protocol import SearchBackend


def sync_search(search: SearchBackend, store: Any, *, rebuild: bool = False) -> int | None:
    """Bring `search` up to date with `store`.

    Returns how many records the incremental sync touched, or ``None`` after a full rebuild.
    """
    follow = getattr(search, "sync_from_store", None)
    if rebuild or follow is None or _index_lost(search, store):
        search.rebuild()
        return None
    return int(follow(store))


def _index_lost(search: SearchBackend, store: Any) -> bool:
    """True when the index is empty but the store is not (a new index format, a deleted index).

    Following the change feed from where it stood would leave the catalogue unsearchable.
    """
    return search.search(per_page=1).total == 0 and store.count_records() > 0
