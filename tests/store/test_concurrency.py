"""Several writers at once queue instead of failing, and the change feed stays gap-free."""

from __future__ import annotations

import threading

from indexer.store import Store
from tests.store.builders import at, make_record


def test_concurrent_writers_all_succeed_with_a_gap_free_feed(store: Store) -> None:
    """Threads upserting at once (read-then-write transactions) never hit 'database is locked'."""
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for round_ in range(5):
                batch = [
                    make_record(f"https://gitlab.example.org/w{worker}/r{round_}-{n}")
                    for n in range(20)
                ]
                store.upsert_records(batch, now=at(round_))
                store.upsert_records(batch[:5], now=at(round_ + 1))
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [] == errors
    assert 4 * 5 * 20 == store.count_records()
    seqs = [change.seq for change in store.changes_since(0, limit=10_000)]
    assert list(range(1, 4 * 5 * 20 + 1)) == seqs
