"""The embedded search backend: postings and bitmaps, in the store's database file.

See `indexer.search.embedded.backend` for the entry point and `ranking` for the rules.
"""

from indexer.search.embedded.backend import EmbeddedSearch

__all__ = ["EmbeddedSearch"]
