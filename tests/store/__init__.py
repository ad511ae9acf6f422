"""Tests of the store (indexer/store), each on SQLite and on PostgreSQL."""
