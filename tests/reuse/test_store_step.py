"""Package rows, stored links and the federation step that settles them (SQLite, PostgreSQL)."""

from __future__ import annotations

from cli.reuse_step import settle_reuse
from indexer.store import Store
from schemas.record import Relations
from tests.reuse.builders import PUBLISHED, published, record_with, use
from tests.store.builders import at

PUBLISHER = "https://gitlab.example.org/land/formular"
USER = "https://github.com/stadt-a/antrag"
OWN = "https://gitlab.example.org/land/portal"


def test_package_rows_follow_the_records(store: Store) -> None:
    """Upserted records' packages are looked up by key; a tombstoned record's rows go."""
    store.upsert_records(
        [record_with(PUBLISHER, publishes=[published()]), record_with(USER, uses=[use()])]
    )
    holders = store.package_holders([PUBLISHED])
    assert [
        ("github.com/stadt-a/antrag", "uses", 7),
        ("gitlab.example.org/land/formular", "publishes", 2),
    ] == [(h.record_id, h.role, h.line) for h in holders]
    store.delete_records(["github.com/stadt-a/antrag"])
    assert ["publishes"] == [h.role for h in store.package_holders([PUBLISHED])]


def test_settle_links_summaries_and_first_seen(store: Store) -> None:
    """A crawl touching the user links it to the stored publisher, whose summary is rewritten;
    the next settlement keeps first_seen and moves last_seen."""
    software = record_with(PUBLISHER, publishes=[published()])
    store.upsert_records([software, record_with(OWN, uses=[use()])])
    settled = settle_reuse(store, [store.get_record("gitlab.example.org/land/portal")], now=at(0))  # type: ignore[list-item]
    store.upsert_records(settled)
    user = record_with(USER, uses=[use()])
    settled = settle_reuse(store, [user], now=at(5))
    assert [user.id, software.id] == [record.id for record in settled]
    store.upsert_records(settled)
    summary = store.get_record(software.id).reuse  # type: ignore[union-attr]
    assert (1, 1, 1) == (
        summary.used_by_repositories,
        summary.used_by_organisations,
        summary.internal_repositories,
    )
    assert 1 == store.get_record(user.id).reuse.uses_software  # type: ignore[union-attr]
    again = settle_reuse(store, [user], now=at(9))
    assert [user.id] == [record.id for record in again]  # the publisher's summary is unchanged
    link = next(x for x in store.reuse_links_of([user.id]) if x.user_id == user.id)
    assert (at(5), at(9)) == (link.first_seen, link.last_seen)
    assert 2 == len(list(store.iter_reuse_links(batch_size=1)))


def test_links_of_a_tombstoned_user_go_and_the_summary_follows(store: Store) -> None:
    """A user that disappears loses its links; the publisher's summary drops to zero."""
    software = record_with(PUBLISHER, publishes=[published()])
    user = record_with(USER, uses=[use()])
    store.upsert_records(settle_reuse(store, [software, user], now=at(0)))
    assert 1 == store.get_record(software.id).reuse.used_by_repositories  # type: ignore[union-attr]
    settled = settle_reuse(store, [software], stale=[user.id], now=at(1))
    store.upsert_records(settled)
    store.delete_records([user.id])
    assert 0 == store.get_record(software.id).reuse.used_by_repositories  # type: ignore[union-attr]
    assert [] == list(store.iter_reuse_links())


def test_fork_links_are_settled_from_either_side(store: Store) -> None:
    """A fork crawled after its parent links to it; the parent's summary counts it."""
    software = record_with(PUBLISHER)
    store.upsert_records([software])
    fork = record_with(
        "https://github.com/kreis-b/formular", relations=Relations(fork_of=software.url)
    )
    store.upsert_records(settle_reuse(store, [fork], now=at(0)))
    assert [("fork_of", False)] == [
        (x.kind, x.internal) for x in store.reuse_links_of([software.id])
    ]
    assert 1 == store.get_record(software.id).reuse.used_by_organisations  # type: ignore[union-attr]
