"""GitLab forks ride in the listing: ``forkedFrom { webUrl }`` tells a fork and its parent at no
extra request, so a fork by another organisation is reuse and the publisher's own fork internal
use — as on GitHub. A GitLab older than the field refuses it once and is crawled without it."""

from __future__ import annotations

from typing import Any

from crawler.normalise import federated_catalogue
from crawler.normalise.reuse import links_among
from schemas.forge import ForgeRegistration
from schemas.record import Record
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import BASE_TIME, FakeGitLab, FakeRepo
from tests.crawler.memory_sink import MemorySink

HOST = "gitlab.example.org"
PARENT = f"https://{HOST}/stadt-a/widgets"
REGISTRATION = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")


def _repo(number: int, owner: str, name: str, **extra: Any) -> FakeRepo:
    return FakeRepo(id=number, owner=owner, name=name, activity=BASE_TIME, **extra)


def _fake() -> FakeGitLab:
    return FakeGitLab(
        HOST,
        [
            _repo(1, "stadt-a", "widgets"),
            _repo(2, "kreis-c", "widgets", fork_of=PARENT),
            _repo(3, "stadt-a", "widgets-test", fork_of=PARENT),
        ],
    )


def _records(
    fake: FakeGitLab, fake_time: FakeTime, sink: MemorySink | None = None, **options: Any
) -> tuple[list[Record], Any]:
    sink = sink if sink is not None else MemorySink()
    report = crawl(fake, REGISTRATION, sink, fake_time, full=True, **options)
    assert "succeeded" == report.status, report.findings
    records, _entities = federated_catalogue(sink.snapshots.values(), [REGISTRATION])
    return records, report


def test_gitlab_forks_and_their_parent_come_with_the_listing(fake_time: FakeTime) -> None:
    """Both forks are forks of the parent; the listing is the only request."""
    records, report = _records(_fake(), fake_time, facts=False)
    by_path = {r.id.split("/", 1)[1]: r for r in records}
    assert (False, None) == (
        by_path["stadt-a/widgets"].repository.is_fork,
        by_path["stadt-a/widgets"].relations.fork_of,
    )
    parent = by_path["stadt-a/widgets"].id
    for path in ("kreis-c/widgets", "stadt-a/widgets-test"):
        record = by_path[path]
        assert record.repository.is_fork, path
        assert record.relations.fork_of is not None
        assert parent == record.relations.fork_of.split("://", 1)[-1].rstrip("/"), path
    assert 1 == report.requests


def test_a_gitlab_fork_by_another_organisation_is_reuse(fake_time: FakeTime) -> None:
    """The fork of another organisation is a fork_of link of the parent, not internal; the
    publisher's own fork is internal use."""
    records, _report = _records(_fake(), fake_time, facts=False)
    pool = {record.id: record for record in records}
    parent = f"{HOST}/stadt-a/widgets"
    links = links_among(pool, [parent])
    assert {
        (f"{HOST}/kreis-c/widgets", "fork_of"): False,
        (f"{HOST}/stadt-a/widgets-test", "fork_of"): True,
    } == {(link.user_id, link.kind): link.internal for link in links if link.software_id == parent}


def test_a_gitlab_without_forked_from_is_crawled_without_it(fake_time: FakeTime) -> None:
    """One refused request, a notice, then the same crawl without fork parents: the facts are
    still read (the refusal is not taken for theirs) and every project is there."""
    fake = _fake()
    fake.fork_parent = False
    sink = MemorySink()
    records, report = _records(fake, fake_time, sink)
    assert 3 == len(records)
    assert not any(r.repository.is_fork for r in records)
    assert any("forkedFrom" in notice for notice in report.notices)
    assert all(s.payload["repository"] is not None for s in sink.snapshots.values())
    with_field = _records(_fake(), fake_time)[1]
    assert with_field.requests + 1 == report.requests


def test_gitlab_forks_are_told_through_rest_too(fake_time: FakeTime) -> None:
    """Without GraphQL the REST listing's ``forked_from_project`` tells the forks and their
    parent as ``forkedFrom`` does, so the fork by another organisation is reuse there too."""
    fake = _fake()
    records, _report = _records(fake, fake_time, prefer_rest=True, facts=False)
    assert (0, 1) == (fake.paths["/api/graphql"], fake.paths["/api/v4/projects"])
    by_path = {r.id.split("/", 1)[1]: r for r in records}
    parent = f"{HOST}/stadt-a/widgets"
    assert (False, None) == (
        by_path["stadt-a/widgets"].repository.is_fork,
        by_path["stadt-a/widgets"].relations.fork_of,
    )
    for path in ("kreis-c/widgets", "stadt-a/widgets-test"):
        record = by_path[path]
        assert record.repository.is_fork, path
        assert record.relations.fork_of is not None, path
        assert parent == record.relations.fork_of.split("://", 1)[-1].rstrip("/"), path
    links = links_among({record.id: record for record in records}, [parent])
    assert {
        (f"{HOST}/kreis-c/widgets", "fork_of"): False,
        (f"{HOST}/stadt-a/widgets-test", "fork_of"): True,
    } == {(link.user_id, link.kind): link.internal for link in links if link.software_id == parent}
