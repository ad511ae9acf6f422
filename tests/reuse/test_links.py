"""Reuse links between records (pure): kinds, internal use, forks, confidence, summaries."""

from __future__ import annotations

from crawler.normalise.reuse import links_among, organisation_key, summarise
from schemas.record import Relations
from tests.reuse.builders import PUBLISHED, published, record_with, use

PUBLISHER = "https://gitlab.example.org/land/formular"
USER = "https://github.com/stadt-a/antrag"
INTERNAL = "https://gitlab.example.org/land/portal"


def pool_of(*records):  # type: ignore[no-untyped-def]
    return {record.id: record for record in records}


def test_dependency_of_another_organisation_is_reuse_with_evidence() -> None:
    """A manifest naming a published package links user → software with the manifest line."""
    software = record_with(PUBLISHER, publishes=[published()])
    user = record_with(USER, uses=[use()])
    links = links_among(pool_of(software, user), [user.id])
    assert 1 == len(links)
    link = links[0]
    assert ("depends_on", software.id, user.id) == (link.kind, link.software_id, link.user_id)
    assert ("gitlab.example.org/land", "github.com/stadt-a") == (
        link.software_organisation,
        link.user_organisation,
    )
    assert (PUBLISHED, "package.json", 7) == (link.purl, link.path, link.line)
    assert f"{USER}/blob/main/package.json#L7" == link.evidence_url
    assert ("high", False, False) == (link.confidence, link.internal, link.self_declared)


def test_publishers_own_repository_is_internal_use() -> None:
    """A repository of the publisher's organisation using its package is internal, not reuse."""
    software = record_with(PUBLISHER, publishes=[published()])
    own = record_with(INTERNAL, uses=[use()])
    other = record_with(USER, uses=[use()])
    links = links_among(pool_of(software, own, other), [software.id])
    assert {own.id: True, other.id: False} == {link.user_id: link.internal for link in links}
    summary = summarise(software.id, links)
    assert (1, 1, 1) == (
        summary.used_by_repositories,
        summary.used_by_organisations,
        summary.internal_repositories,
    )
    assert 1 == summarise(other.id, links).uses_software
    assert 0 == summarise(own.id, links).uses_software


def test_fork_by_another_organisation_and_by_the_publisher() -> None:
    """A forge fork owned elsewhere is a fork_of link; one of the publisher's own is internal."""
    software = record_with(PUBLISHER, publishes=[published()])
    fork = record_with(
        "https://gitlab.example.org/kreis-b/formular",
        publishes=[published()],
        relations=Relations(fork_of=software.url),
    )
    own_fork = record_with(
        "https://gitlab.example.org/land/formular-test", relations=Relations(fork_of=software.url)
    )
    links = links_among(pool_of(software, fork, own_fork), [software.id])
    kinds = {(link.user_id, link.kind): link.internal for link in links}
    assert {(fork.id, "fork_of"): False, (own_fork.id, "fork_of"): True} == kinds


def test_fork_publishing_its_parents_name_is_not_a_second_publisher() -> None:
    """A user of the name links to the parent only, at high confidence."""
    software = record_with(PUBLISHER, publishes=[published()])
    fork = record_with(
        "https://github.com/kreis-b/formular",
        publishes=[published()],
        relations=Relations(fork_of=software.url),
    )
    user = record_with(USER, uses=[use()])
    links = [link for link in links_among(pool_of(software, fork, user), [user.id])]
    assert [(software.id, "high")] == [(link.software_id, link.confidence) for link in links]


def test_lock_file_names_are_medium_and_forks_low_confidence() -> None:
    """An indirect (lock-file) use is medium; a fork naming its parent's package is low."""
    software = record_with(PUBLISHER, publishes=[published()])
    lock_user = record_with(USER, uses=[use(scope="indirect", path="package-lock.json")])
    fork_user = record_with(
        "https://github.com/kreis-c/formular",
        uses=[use()],
        relations=Relations(fork_of=software.url),
    )
    links = links_among(pool_of(software, lock_user, fork_user), [software.id])
    confidence = {(link.user_id, link.kind): link.confidence for link in links}
    assert "medium" == confidence[(lock_user.id, "depends_on")]
    assert "low" == confidence[(fork_user.id, "depends_on")]


def test_based_on_and_declared_users() -> None:
    """isBasedOn makes a based_on link; usedBy entries are self-declared, low, not counted."""
    software = record_with(PUBLISHER, used_by=["Stadt Köln", "stadt  köln", "Kreis Lippe"])
    variant = record_with(USER, relations=Relations(is_based_on=[software.url]))
    links = links_among(pool_of(software, variant), [software.id, variant.id])
    declared = [link for link in links if link.kind == "declared_used_by"]
    assert ["Kreis Lippe", "Stadt Köln"] == sorted(link.user_organisation for link in declared)
    assert all(link.self_declared and "low" == link.confidence for link in declared)
    assert ["based_on"] == [link.kind for link in links if link.user_id == variant.id]
    summary = summarise(software.id, links)
    assert (1, 1, 2) == (
        summary.used_by_repositories,
        summary.used_by_organisations,
        summary.declared_users,
    )


def test_links_not_touching_the_touched_ids_are_left_out() -> None:
    """Only links involving a touched id are computed (the rest stay as stored)."""
    software = record_with(PUBLISHER, publishes=[published()])
    user = record_with(USER, uses=[use()])
    unrelated = record_with("https://github.com/x/y")
    assert [] == links_among(pool_of(software, user, unrelated), [unrelated.id])


def test_organisation_key_is_the_owner_path() -> None:
    """Without an organisation entity, the organisation is host and first path segment."""
    record = record_with("https://gitlab.example.org/Land/Sub/Formular")
    assert "gitlab.example.org/land" == organisation_key(record)
