"""Deletions only after complete listings, and renames that keep the old URL findable."""

from __future__ import annotations

import pytest

from indexer.store import Store
from schemas.errors import NotFoundError
from schemas.record import canonical_id
from tests.store.builders import at, make_forge, make_record, make_snapshot

URL_A = "https://gitlab.example.org/kommunen/beteiligung"
URL_B = "https://gitlab.example.org/kommunen/portal"
NEW_A = "https://gitlab.example.org/land/Buergerbeteiligung"


@pytest.fixture
def crawled(store: Store) -> Store:
    """Forge ``gitlab`` with repositories 1 (URL_A) and 2 (URL_B) and their records."""
    store.add_forge(make_forge("gitlab"))
    store.save_page(
        "gitlab",
        "all",
        [make_snapshot(URL_A, "1"), make_snapshot(URL_B, "2")],
        [make_record(URL_A), make_record(URL_B)],
        None,
        now=at(1),
    )
    return store


def test_repository_is_tombstoned_after_three_complete_listings_miss_it(crawled: Store) -> None:
    """Two misses keep the record; the third complete miss tombstones it and feeds a deletion."""
    gone = canonical_id(URL_B)
    assert [] == crawled.record_listing("gitlab", {"1"}, complete=True, now=at(2))
    assert [] == crawled.record_listing("gitlab", {"1"}, complete=True, now=at(3))
    assert None is not crawled.get_record(gone)
    assert [gone] == crawled.record_listing("gitlab", {"1"}, complete=True, now=at(4))
    assert None is crawled.get_record(gone)
    assert (gone, "deleted") == (crawled.changes_since(0)[-1].id, crawled.changes_since(0)[-1].kind)
    assert {"1"} == set(crawled.fingerprints("gitlab"))
    assert [] == crawled.record_listing("gitlab", {"1"}, complete=True, now=at(5))


def test_incomplete_listings_never_count(crawled: Store) -> None:
    """Any number of incomplete listings (errors) changes nothing."""
    for minute in range(2, 8):
        assert [] == crawled.record_listing("gitlab", set(), complete=False, now=at(minute))
    assert 2 == crawled.count_records()
    assert [] == crawled.record_listing("gitlab", set(), complete=True, now=at(9))
    assert 2 == crawled.count_records()


def test_seeing_a_repository_again_resets_its_misses(crawled: Store) -> None:
    """Misses must be consecutive: a listing that contains the repository resets the count."""
    crawled.record_listing("gitlab", {"1"}, complete=True)
    crawled.record_listing("gitlab", {"1"}, complete=True)
    crawled.record_listing("gitlab", {"1", "2"}, complete=True)
    crawled.record_listing("gitlab", {"1"}, complete=True)
    assert [] == crawled.record_listing("gitlab", {"1"}, complete=True)
    assert 2 == crawled.count_records()


def test_record_another_forge_holds_survives_the_tombstone(crawled: Store) -> None:
    """A repository tombstoned on one forge keeps its record while another forge holds it."""
    crawled.add_forge(make_forge("mirror"))
    crawled.save_page("mirror", "all", [make_snapshot(URL_B, "9", forge="mirror")], [], None)
    assert [] == crawled.record_listing("gitlab", {"1"}, complete=True, tombstone_after=1)
    assert None is not crawled.get_record(canonical_id(URL_B))


def test_a_tombstoned_repository_that_reappears_is_live_again(crawled: Store) -> None:
    """Saving a tombstoned repository again clears its tombstone and revives the record."""
    crawled.record_listing("gitlab", {"1"}, complete=True, tombstone_after=1, now=at(2))
    summary = crawled.save_page(
        "gitlab", "all", [make_snapshot(URL_B, "2")], [make_record(URL_B)], None, now=at(3)
    )
    assert 1 == summary.changed
    assert {"1", "2"} == set(crawled.fingerprints("gitlab"))
    assert None is not crawled.get_record(canonical_id(URL_B))


def test_rename_keeps_the_old_url_as_alias(crawled: Store) -> None:
    """After a rename the record lives under the new id and the old URL still finds it."""
    old_id, new_id = canonical_id(URL_A), canonical_id(NEW_A)
    assert new_id == crawled.rename_repository("gitlab", "1", NEW_A, now=at(2))
    moved = crawled.get_record(new_id)
    assert moved is not None
    assert ("https://gitlab.example.org/land/Buergerbeteiligung", NEW_A) == (
        moved.url,
        moved.repository.url,
    )
    assert [URL_A] == moved.relations.aliases
    assert None is crawled.get_record(old_id)
    assert new_id == crawled.find_record_by_url(URL_A + ".git")
    assert new_id == crawled.find_record_by_url(NEW_A)
    assert None is crawled.find_record_by_url("https://gitlab.example.org/x/unknown")
    assert [(new_id, old_id, "alias")] == [
        (r.from_id, r.to_id, r.kind) for r in crawled.relations_of(new_id)
    ]
    assert NEW_A == crawled.fingerprints("gitlab")["1"].url
    with pytest.raises(NotFoundError):
        crawled.rename_repository("gitlab", "404", NEW_A)


def test_a_renamed_snapshot_in_a_page_is_followed_and_aliases_stick(crawled: Store) -> None:
    """A page whose snapshot moved (same forge id) keeps the old URL on the new record."""
    old_id, new_id = canonical_id(URL_A), canonical_id(NEW_A)
    crawled.set_relations("other/x", "variant", [old_id])
    crawled.save_page(
        "gitlab", "all", [make_snapshot(NEW_A, "1")], [make_record(NEW_A)], None, now=at(2)
    )
    record = crawled.get_record(new_id)
    assert record is not None and [URL_A] == record.relations.aliases
    assert None is crawled.get_record(old_id)
    assert new_id == crawled.find_record_by_url(URL_A)
    assert [("other/x", new_id, "variant")] == [
        (r.from_id, r.to_id, r.kind) for r in crawled.relations_of("other/x")
    ]
    unchanged = crawled.save_page(
        "gitlab", "all", [make_snapshot(NEW_A, "1")], [make_record(NEW_A)], None, now=at(3)
    )
    assert 1 == unchanged.unchanged
