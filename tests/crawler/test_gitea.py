"""The Gitea and Forgejo crawler against a fake Gitea at the transport (respx)."""

from __future__ import annotations

import httpx
import pytest

from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitea, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "git.example.org"


def _registration(kind: str = "gitea", **fields: object) -> ForgeRegistration:
    options: dict[str, object] = {"token_env": "TOKEN"}
    options.update(fields)
    return ForgeRegistration(name="tea", kind=kind, url=f"https://{HOST}", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["gitea", "forgejo"])
def test_whole_instance_costs_a_listing_per_50_plus_a_root_per_repository_and_a_request_per_file(
    fake_time: FakeTime, kind: str
) -> None:
    """120 repositories (36 with a file): 3 listing pages, 120 root listings, 36 file requests,
    and one ``/orgs`` page telling the 3 owners' profiles."""
    fake = FakeGitea(HOST, make_repos(120, owners=3, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(kind), sink, fake_time, facts=False)
    assert ("succeeded", 120, 36) == (report.status, report.repositories, report.with_publiccode)
    assert 3 + 120 + 36 + 1 == report.requests
    stored = sink.snapshots[("tea", "21")]
    assert ("publiccode.yaml", fake.by_id()[21].blob(HOST)) == (
        stored.publiccode_path,
        stored.blob_id,
    )
    assert fake.by_id()[21].content(HOST) == (stored.publiccode or b"").decode()
    assert (kind, ["egov"], ["Go"]) == (
        stored.payload["kind"],
        stored.payload["topics"],
        stored.payload["languages"],
    )


def test_the_token_goes_in_a_token_authorization_header(fake_time: FakeTime) -> None:
    """Gitea reads ``Authorization: token …``."""
    seen: list[str] = []
    fake = FakeGitea(HOST, make_repos(3, owners=1, facts=False))
    fake.fail = lambda request: seen.append(request.headers.get("authorization", "")) or None  # type: ignore[func-returns-value]
    crawl(fake, _registration(), MemorySink(), fake_time)
    assert {"token secret-token"} == set(seen)


def test_organisations_and_single_repositories(fake_time: FakeTime) -> None:
    """An organisation's repositories and one repository of another owner; a missing one is a finding."""
    fake = FakeGitea(HOST, make_repos(60, owners=3, facts=False))
    sink = MemorySink()
    report = crawl(
        fake,
        _registration(orgs=["org1"], repos=["org2/project-3", "org2/nothing"]),
        sink,
        fake_time,
    )
    assert 21 == len(sink.snapshots)
    assert "partial" == report.status
    assert ["repository 'org2/nothing' not found on https://git.example.org"] == [
        f.message for f in report.findings
    ]


def test_an_unknown_organisation_is_a_finding(fake_time: FakeTime) -> None:
    """An organisation the forge does not know leaves the crawl partial with a clear finding."""
    fake = FakeGitea(HOST, make_repos(10, owners=1, facts=False))
    report = crawl(fake, _registration(orgs=["nobody"]), MemorySink(), fake_time)
    assert "partial" == report.status
    assert "organisation or user 'nobody' not found" in report.findings[0].message


def test_incremental_crawl_reads_newest_updated_first_and_fetches_only_what_moved(
    fake_time: FakeTime,
) -> None:
    """After a full crawl, 2 updated repositories cost one listing page and their files only."""
    fake = FakeGitea(HOST, make_repos(200, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(), sink, fake_time, facts=False)
    fake.touch([5, 150])
    seen: list[httpx.Request] = []
    fake.fail = lambda request: seen.append(request)  # type: ignore[func-returns-value]
    report = crawl(fake, _registration(), sink, fake_time, facts=False)
    assert (False, 2) == (report.full, report.repositories)
    assert "sort=updated" in str(seen[0].url)
    # one listing page, two roots, the file of 150, one /orgs page for the owners' profiles
    assert 1 + 2 + 1 + 1 == report.requests
    assert fake.by_id()[150].activity == sink.snapshots[("tea", "150")].last_activity


def test_429_with_retry_after_is_waited_out(fake_time: FakeTime) -> None:
    """Gitea sends no rate-limit headers; a 429 with Retry-After is waited out, then retried."""
    fake = FakeGitea(HOST, make_repos(5, owners=1, facts=False))
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"})])
    fake.fail = lambda request: next(answers, None)
    report = crawl(fake, _registration(), MemorySink(), fake_time)
    assert ("succeeded", 5) == (report.status, report.repositories)
    assert any(7 <= seconds <= 8 for seconds in fake_time.sleeps)
