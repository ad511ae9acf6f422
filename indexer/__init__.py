"""codereuse: indexer."""
