"""What every forge kind must do, run for each registered kind against its fake (respx).

A forge that fails mid-crawl leaves a partial crawl that the next run completes (nothing
tombstoned, nothing lost); an incremental crawl fetches only what moved. The SIGKILL test
(`test_kill_resume.py`) is parametrized over the kinds the same way.
"""

from __future__ import annotations

import httpx
import pytest

from crawler.kinds import kind_names
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeForge, FakeGitea, FakeGitHub, FakeGitLab, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "forge.example.org"
FAKES: dict[str, type[FakeForge]] = {
    "gitlab": FakeGitLab,
    "github": FakeGitHub,
    "gitea": FakeGitea,
    "forgejo": FakeGitea,
}


def _registration(kind: str) -> ForgeRegistration:
    owners = ["org0", "org1", "org2"] if kind == "github" else []
    return ForgeRegistration(
        name="forge", kind=kind, url=f"https://{HOST}", orgs=owners, token_env="TOKEN"
    )


def test_every_registered_kind_has_a_fake_here() -> None:
    """A new kind must join these tests (and the SIGKILL test) with a fake of its own."""
    assert sorted(kind_names()) == sorted(FAKES)


@pytest.mark.parametrize("kind", sorted(FAKES))
def test_a_forge_failing_mid_crawl_is_completed_by_the_next_run(
    fake_time: FakeTime, kind: str
) -> None:
    """500s after a few answers: a partial run that tombstones nothing; the rerun completes it."""
    fake = FAKES[kind](HOST, make_repos(250, owners=3))
    answered = 0

    def down_after_a_while(request: httpx.Request) -> httpx.Response | None:
        nonlocal answered
        answered += 1
        return httpx.Response(500) if answered > 2 else None

    fake.fail = down_after_a_while
    sink = MemorySink()
    first = crawl(fake, _registration(kind), sink, fake_time)
    assert first.status in {"partial", "failed"}
    assert ([], True) == (first.tombstoned, len(sink.snapshots) < 250)
    fake.fail = None
    second = crawl(fake, _registration(kind), sink, fake_time)
    clean = MemorySink()
    crawl(fake, _registration(kind), clean, fake_time)
    assert ("succeeded", []) == (second.status, second.tombstoned)
    assert sorted(clean.snapshots) == sorted(sink.snapshots)
    assert {k: s.blob_id for k, s in clean.snapshots.items()} == {
        k: s.blob_id for k, s in sink.snapshots.items()
    }


@pytest.mark.parametrize("kind", sorted(FAKES))
def test_incremental_crawl_fetches_only_what_moved(fake_time: FakeTime, kind: str) -> None:
    """After a full crawl, two repositories with new activity are all a recrawl fetches."""
    fake = FAKES[kind](HOST, make_repos(250, owners=3))
    sink = MemorySink()
    assert crawl(fake, _registration(kind), sink, fake_time, facts=False).full
    fake.touch([7, 200])
    # Without facts: the listing's own cost (facts: `test_facts_crawl`, Gitea pays per file).
    report = crawl(fake, _registration(kind), sink, fake_time, facts=False)
    assert (False, "succeeded", 2) == (report.full, report.status, report.repositories)
    assert report.requests < 10
    stored = sink.snapshots[("forge", "200")]
    assert (fake.by_id()[200].activity, fake.by_id()[200].blob(HOST)) == (
        stored.last_activity,
        stored.blob_id,
    )
