"""codereuse: indexer/store."""
