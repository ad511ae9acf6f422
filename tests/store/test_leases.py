"""Named leases: one holder at a time, renewals, takeover after expiry, release (both databases)."""

from __future__ import annotations

from indexer.store import Store
from tests.store.builders import at


def test_a_free_lease_is_taken_and_a_second_holder_is_refused(store: Store) -> None:
    """The first caller gets the lease; another caller gets the holder's lease back, unchanged."""
    first = store.acquire_lease("scheduler", "host-a pid 1", seconds=60, now=at(0))
    second = store.acquire_lease("scheduler", "host-b pid 2", seconds=60, now=at(0))
    assert "host-a pid 1" == first.holder == second.holder
    assert first == second
    assert first == store.get_lease("scheduler")


def test_renewal_extends_the_lease_and_keeps_its_start(store: Store) -> None:
    """The holder renewing moves the expiry on; acquired_at stays when it was first taken."""
    store.acquire_lease("scheduler", "a", seconds=60, now=at(0))
    renewed = store.acquire_lease("scheduler", "a", seconds=60, now=at(1))
    assert (at(0), at(2)) == (renewed.acquired_at, renewed.expires_at)
    assert "a" == store.acquire_lease("scheduler", "b", seconds=60, now=at(1)).holder


def test_an_expired_lease_is_taken_over(store: Store) -> None:
    """A holder that stopped renewing (killed) loses the lease once it expired."""
    store.acquire_lease("scheduler", "a", seconds=60, now=at(0))
    taken = store.acquire_lease("scheduler", "b", seconds=60, now=at(2))
    assert ("b", at(2)) == (taken.holder, taken.acquired_at)
    assert "b" == store.acquire_lease("scheduler", "a", seconds=60, now=at(2)).holder


def test_release_frees_the_lease_at_once_and_only_for_its_holder(store: Store) -> None:
    """A clean stop releases the lease; someone else's release does nothing."""
    store.acquire_lease("scheduler", "a", seconds=60, now=at(0))
    store.release_lease("scheduler", "b")
    assert "a" == store.acquire_lease("scheduler", "b", seconds=60, now=at(0)).holder
    store.release_lease("scheduler", "a")
    assert None is store.get_lease("scheduler")
    assert "b" == store.acquire_lease("scheduler", "b", seconds=60, now=at(0)).holder
