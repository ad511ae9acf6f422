"""Named leases in the store: one holder at a time, taken over only after it expired.

`run`'s scheduler holds the lease ``scheduler`` while it runs, so a second `codereuse run` on
the same store (on this host or another) serves but never crawls. A row rather than a
PostgreSQL advisory lock: it works the same on SQLite and PostgreSQL, it does not need one
database connection held open for the life of the process (pools recycle connections, and a
PgBouncer in transaction mode would silently drop a session lock), and an operator can see who
holds it. What it costs: a holder that died without releasing blocks the job until the lease
expires (a minute), and the hosts' clocks must agree to well within that.

Every call runs inside the store's write transaction, which writers take one at a time
(SQLite ``BEGIN IMMEDIATE``, PostgreSQL an advisory transaction lock), so reading the row and
then writing it is atomic.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from indexer.store.models import LeaseRow
from indexer.store.values import Lease


def acquire(connection: Connection, name: str, holder: str, seconds: float, now: datetime) -> Lease:
    """Take or renew lease `name` for `holder` until now + `seconds`, unless another holds it.

    Returns the lease as it stands afterwards: held by `holder` when it was free, expired, or
    already `holder`'s; otherwise the other holder's lease, unchanged.
    """
    row = connection.execute(select(LeaseRow).where(LeaseRow.name == name)).one_or_none()
    until = now + timedelta(seconds=seconds)
    if row is None:
        connection.execute(
            insert(LeaseRow).values(name=name, holder=holder, acquired_at=now, expires_at=until)
        )
        return Lease(name, holder, now, until)
    if row.holder != holder and row.expires_at > now:
        return Lease(name, row.holder, row.acquired_at, row.expires_at)
    acquired = row.acquired_at if row.holder == holder else now
    connection.execute(
        update(LeaseRow)
        .where(LeaseRow.name == name)
        .values(holder=holder, acquired_at=acquired, expires_at=until)
    )
    return Lease(name, holder, acquired, until)


def release(connection: Connection, name: str, holder: str) -> None:
    """Give lease `name` up if `holder` holds it (so a successor need not wait for expiry)."""
    connection.execute(delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder))


def current(connection: Connection, name: str) -> Lease | None:
    """Lease `name` as stored (possibly expired), or None."""
    row = connection.execute(select(LeaseRow).where(LeaseRow.name == name)).one_or_none()
    return None if row is None else Lease(name, row.holder, row.acquired_at, row.expires_at)
