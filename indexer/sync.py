"""Keep the search index in step with the store (the store is the truth; the index is derived).

`sync_search` applies the store's change feed when the backend can follow it (the embedded
backend keeps the last applied change sequence in its own tables), and otherwise rebuilds the
index from the store, which for Meilisearch is a zero-downtime rebuild followed by an index swap.
"""

from __future__ import annotations

from typing import Any

from indexer.search.protocol import SearchBackend


def sync_search(search: SearchBackend, store: Any, *, rebuild: bool = False) -> int | None:
    """Bring `search` up to date with `store`.

    Returns how many records the incremental sync touched, or ``None`` after a full rebuild.
    """
    follow = getattr(search, "sync_from_store", None)
    if rebuild or follow is None:
        search.rebuild()
        return None
    return int(follow(store))
