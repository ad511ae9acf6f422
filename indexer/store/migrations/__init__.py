"""Alembic migrations of the store, applied by `indexer.store.engine.upgrade` (no alembic.ini).

To add a migration after changing `indexer/store/models.py`::

    .venv/bin/python -m indexer.store.migrations "add records.stars"

which autogenerates a revision into `versions/` against a scratch SQLite database at head;
review it before committing (a test checks that models and migrations agree).
"""
