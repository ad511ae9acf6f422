"""`StorePart`: the base of the parts of `indexer.store.Store` written in their own modules.

Each part (reuse, events, webhooks, forge issues) is a mixin of `Store`; this base declares what
`Store` supplies to them (its transactions and its clock), so the parts type-check alone.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import Connection


class StorePart:
    """A mixin of `indexer.store.Store`; `Store` supplies `_transaction` and `_now`."""

    def _transaction(self, *, write: bool) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # supplied by Store

    def _now(self, now: datetime | None) -> datetime:
        raise NotImplementedError  # supplied by Store
