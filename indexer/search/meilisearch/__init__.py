"""The Meilisearch search backend (production scale-out of the embedded default).

`create_meilisearch_backend(settings, record_source)` builds it from ``CODEREUSE_MEILI_URL``,
``CODEREUSE_MEILI_KEY`` and ``CODEREUSE_MEILI_INDEX``. Modules:

* `settings`: the index settings and the minimum server version (pure data);
* `filters`: whitelisted, quoted and escaped filter and sort expressions (pure);
* `documents`: record → document and the document key (pure);
* `results`: response → `SearchResult` with HTML-safe highlights (pure);
* `client`: HTTP, errors, task waiting, version check;
* `sync`: incremental sync from the store's change feed;
* `backend`: the `SearchBackend` itself.
"""

from indexer.search.meilisearch.backend import (
    MeilisearchBackend,
    RecordSource,
    create_meilisearch_backend,
)
from indexer.search.meilisearch.client import MeilisearchClient
from indexer.search.meilisearch.settings import MINIMUM_VERSION

__all__ = [
    "MINIMUM_VERSION",
    "MeilisearchBackend",
    "MeilisearchClient",
    "RecordSource",
    "create_meilisearch_backend",
]
