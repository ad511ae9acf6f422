"""The crawl loop: checkpoints and resume, deletions (tombstones), renames, reconciliation."""

from __future__ import annotations

import json

import httpx

from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitLab, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "gitlab.example.org"
REGISTRATION = ForgeRegistration(
    name="lab", kind="gitlab", url=f"https://{HOST}", token_env="TOKEN"
)


def _fail_after_cursor(cursor: str) -> object:
    def fail(request: httpx.Request) -> httpx.Response | None:
        if (
            request.url.path == "/api/graphql"
            and json.loads(request.content)["variables"].get("after") == cursor
        ):
            return httpx.Response(500, json={"message": "500 Internal Server Error"})
        return None

    return fail


def test_a_failing_page_keeps_its_checkpoint_and_the_next_run_resumes_there(
    fake_time: FakeTime,
) -> None:
    """A page that keeps failing stops the scope; the next run continues from its cursor, no duplicates."""
    fake = FakeGitLab(HOST, make_repos(300, owners=3, facts=False), fail=_fail_after_cursor("200"))  # type: ignore[arg-type]
    sink = MemorySink()
    first = crawl(fake, REGISTRATION, sink, fake_time)
    assert ("partial", 200) == (first.status, len(sink.snapshots))
    assert {"after": "200", "full": True} == sink.get_checkpoint("lab", "instance")
    fake.fail = None
    fake.counts.clear()
    second = crawl(fake, REGISTRATION, sink, fake_time)
    assert ("succeeded", 1, 100) == (second.status, fake.total, second.repositories)
    assert 300 == len(sink.snapshots)
    assert sink.get_checkpoint("lab", "instance") is None


def test_deleted_repository_is_tombstoned_after_three_complete_listings(
    fake_time: FakeTime,
) -> None:
    """A repository missing from complete listings is tombstoned on the third miss, not before."""
    fake = FakeGitLab(HOST, make_repos(30, owners=1, facts=False))
    sink = MemorySink()
    crawl(fake, REGISTRATION, sink, fake_time)
    fake.delete(5)
    tombstoned = [
        crawl(fake, REGISTRATION, sink, fake_time, full=True).tombstoned for _ in range(3)
    ]
    assert [[], [], ["5"]] == tombstoned
    assert "5" not in sink.fingerprints("lab")


def test_a_listing_with_an_error_never_counts_towards_tombstones(fake_time: FakeTime) -> None:
    """Full crawls that hit an error do not count as a miss."""
    fake = FakeGitLab(HOST, make_repos(30, owners=1, facts=False))
    sink = MemorySink()
    crawl(fake, REGISTRATION, sink, fake_time)
    fake.delete(5)
    fake.fail = lambda r: httpx.Response(503) if r.url.path == "/api/graphql" else None
    reports = [crawl(fake, REGISTRATION, sink, fake_time, full=True) for _ in range(3)]
    assert [("partial", [])] * 3 == [(r.status, r.tombstoned) for r in reports]
    assert {} == sink.misses


def test_renamed_repository_is_followed_by_id_and_keeps_its_old_url(fake_time: FakeTime) -> None:
    """A rename seen in a listing moves the repository and keeps the old URL as an alias."""
    fake = FakeGitLab(HOST, make_repos(30, owners=1, facts=False))
    sink = MemorySink()
    crawl(fake, REGISTRATION, sink, fake_time)
    fake.rename(7, "renamed-project")
    report = crawl(fake, REGISTRATION, sink, fake_time, full=True)
    assert 1 == report.renamed
    assert [f"https://{HOST}/org0/project-7"] == sink.aliases[("lab", "7")]
    assert f"https://{HOST}/org0/renamed-project" == sink.snapshots[("lab", "7")].url
    assert 30 == len(sink.fingerprints("lab"))


def test_every_nth_run_is_a_full_reconciliation(fake_time: FakeTime) -> None:
    """With reconcile_every=3, a full reconciliation follows every two incremental runs."""
    fake = FakeGitLab(HOST, make_repos(30, owners=1, facts=False))
    sink = MemorySink()
    modes = [crawl(fake, REGISTRATION, sink, fake_time, reconcile_every=3).full for _ in range(4)]
    assert [True, False, False, True] == modes


def test_crawl_run_is_closed_with_stats_and_findings(fake_time: FakeTime) -> None:
    """The run record carries status, figures, request count and findings."""
    fake = FakeGitLab(HOST, make_repos(300, owners=1, facts=False), fail=_fail_after_cursor("100"))  # type: ignore[arg-type]
    sink = MemorySink()
    crawl(fake, REGISTRATION, sink, fake_time)
    run = sink.runs[-1]
    assert ("partial", 100, 1) == (
        run["status"],
        run["stats"]["repositories"],
        len(run["findings"]),
    )
    assert 6 == run["requests"]  # one page, then 5 attempts at the failing one
