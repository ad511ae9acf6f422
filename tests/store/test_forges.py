"""Forge registrations: add, read, update, remove, and what removal does to records."""

from __future__ import annotations

import pytest

from indexer.store import Store
from schemas.errors import ForgeExistsError, NotFoundError
from tests.store.builders import at, make_forge, make_record, make_snapshot


def test_forge_round_trip_and_listing_by_name(store: Store) -> None:
    """A registration is stored whole and listed by name."""
    second, first = make_forge("zeta"), make_forge("alpha", orgs=["a"], allow_private=True)
    store.add_forge(second)
    store.add_forge(first)
    assert first == store.get_forge("alpha")
    assert [first, second] == store.list_forges()
    assert None is store.get_forge("missing")


def test_adding_a_taken_name_is_refused(store: Store) -> None:
    """A second forge with the same name raises ForgeExistsError naming it."""
    store.add_forge(make_forge("opencode"))
    with pytest.raises(ForgeExistsError, match="opencode"):
        store.add_forge(make_forge("opencode", url="https://other.example.org"))
    assert "https://opencode.example.org" == store.get_forge("opencode").url  # type: ignore[union-attr]


def test_update_replaces_the_registration(store: Store) -> None:
    """update_forge replaces every field; an unknown name raises NotFoundError."""
    store.add_forge(make_forge("opencode"))
    changed = make_forge("opencode", groups=["land", "bund"], exclude=["land/archiv"])
    store.update_forge(changed)
    assert changed == store.get_forge("opencode")
    with pytest.raises(NotFoundError, match="nowhere"):
        store.update_forge(make_forge("nowhere"))


def test_remove_forge_tombstones_only_records_no_other_forge_holds(store: Store) -> None:
    """Removing a forge deletes its repositories; a record another forge holds stays live."""
    store.add_forge(make_forge("one"))
    store.add_forge(make_forge("two"))
    only = "https://gitlab.example.org/g/only-one"
    shared = "https://gitlab.example.org/g/shared"
    store.save_page(
        "one",
        "all",
        [make_snapshot(only, "1", forge="one"), make_snapshot(shared, "2", forge="one")],
        [make_record(only, forge="one"), make_record(shared, forge="one")],
        {"after": 2},
        now=at(1),
    )
    store.save_page("two", "all", [make_snapshot(shared, "77", forge="two")], [], None, now=at(1))
    run = store.start_crawl_run("one", full=True)
    store.request_crawl("one")
    assert [make_record(only).id] == store.remove_forge("one", now=at(2))
    assert None is store.get_forge("one")
    assert None is store.get_record(make_record(only).id)
    assert None is not store.get_record(make_record(shared).id)
    assert {} == store.fingerprints("one")
    assert None is store.get_checkpoint("one", "all")
    assert [] == store.crawl_runs("one")
    assert [] == store.crawl_jobs("one")
    assert run not in [r.id for r in store.crawl_runs()]
    with pytest.raises(NotFoundError):
        store.remove_forge("one")
