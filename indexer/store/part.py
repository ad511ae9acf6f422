"""`StorePart`: the base of the parts of `indexer.store.Store` written in their own modules.

Each part (reuse, events, webhooks, forge issues) is a mixin of `Store`; this base declares what
`Store` supplies to them (its transactions and its clock), so the parts type-check alone.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection

P = ParamSpec("P")
T = TypeVar("T")


class StorePart:
    """A mixin of `indexer.store.Store`; `Store` supplies `_transaction` and `_now`; `_read`
    and `_write` run one module function of the store in a transaction of its own."""

    def _transaction(self, *, write: bool) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # supplied by Store

    def _now(self, now: datetime | None) -> datetime:
        raise NotImplementedError  # supplied by Store

    def _read(
        self, query: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`query(connection, *args, **kwargs)` in a read transaction of its own."""
        with self._transaction(write=False) as connection:
            return query(connection, *args, **kwargs)

    def _write(
        self, change: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`change(connection, *args, **kwargs)` in a write transaction of its own."""
        with self._transaction(write=True) as connection:
            return change(connection, *args, **kwargs)
