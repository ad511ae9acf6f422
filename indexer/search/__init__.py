"""Search backends behind one protocol (see `indexer.search.protocol`)."""

from indexer.search.protocol import (
    FACET_FIELDS,
    FILTER_FIELDS,
    SORT_KEYS,
    ActivityRange,
    Hit,
    SearchBackend,
    SearchResult,
)

__all__ = [
    "FACET_FIELDS",
    "FILTER_FIELDS",
    "SORT_KEYS",
    "ActivityRange",
    "Hit",
    "SearchBackend",
    "SearchResult",
]
