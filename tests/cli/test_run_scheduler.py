"""`codereuse run`'s scheduler: the default registry, due forges, unreachable forges, crawl jobs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx
from tenacity import wait_none

from cli.run_command import Scheduler, due_forges, github_without_token, seed_default_registry
from cli.scheduler_lease import LEASE, SchedulerLease
from indexer.search.factory import create_search_backend
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from schemas.settings import Settings, interval_seconds
from tests.crawler.conftest import public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with create_store(f"sqlite:///{tmp_path / 'run.db'}") as opened:
        yield opened


def _scheduler(store: Store, said: list[str]) -> Scheduler:
    return Scheduler(
        settings=Settings(database_url=str(store.engine.url)),
        every=timedelta(hours=6),
        environ={},
        say=said.append,
        crawl_options={"wait": wait_none(), "resolver": public_resolver},
    )


def test_default_registry_is_seeded_once(store: Store) -> None:
    """A fresh store gets Open CoDE and the German GitHub organisations; a second start adds nothing."""
    added = seed_default_registry(store)
    assert ["opencode", "github-germany"] == [registration.name for registration in added]
    assert [] == seed_default_registry(store)
    github = store.get_forge("github-germany")
    assert github is not None and github_without_token(github, {})
    assert not github_without_token(github, {"GITHUB_TOKEN": "x" * 20})


def test_unreachable_forge_is_reported_and_the_others_are_crawled(store: Store) -> None:
    """A forge that does not answer is reported and backed off; the reachable one is crawled and indexed."""
    store.add_forge(ForgeRegistration(name="down", kind="gitlab", url="https://down.example.org"))
    store.add_forge(ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org"))
    fake = FakeGitLab("gitlab.example.org", make_repos(30, owners=2))
    said: list[str] = []
    scheduler = _scheduler(store, said)
    search = create_search_backend(scheduler.settings, store)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=fake)
        router.route(host="down.example.org").mock(side_effect=httpx.ConnectError("refused"))
        scheduler.tick(store, search)
        assert 30 == search.search(per_page=1).total
        assert "down" in scheduler.retry_at
        assert "down: next try in 1 min" in said, said
        assert "crawling lab (https://gitlab.example.org)" in said
        assert [] == [
            r.name for r in due_forges(store, scheduler.every, datetime.now(UTC)) if r.name == "lab"
        ]

        said.clear()
        scheduler.tick(store, search)  # nothing due: lab is fresh, down waits for its backoff
        assert [] == [line for line in said if line.startswith("crawling")]


def test_crawl_job_from_the_api_is_run(store: Store) -> None:
    """A crawl asked for over the API (a job row) is run by the next tick and marked finished."""
    store.add_forge(ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org"))
    fake = FakeGitLab("gitlab.example.org", make_repos(10, owners=1))
    said: list[str] = []
    scheduler = _scheduler(store, said)
    search = create_search_backend(scheduler.settings, store)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=fake)
        scheduler.tick(store, search)  # the first, scheduled crawl
        job = store.request_crawl("lab")
        scheduler.tick(store, search)
    finished = store.get_crawl_job(job)
    assert finished is not None and "succeeded" == finished.status


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("6h", 21600), ("1d", 86400)]
)
def test_interval_seconds(text: str, seconds: int) -> None:
    """--every takes s, m, h and d."""
    assert seconds == interval_seconds(text)


@pytest.mark.parametrize("text", ["", "6x", "10s", "-1h"])
def test_interval_refuses_nonsense_and_impoliteness(text: str) -> None:
    """Intervals that are not intervals, or shorter than a minute, are refused."""
    with pytest.raises(ValueError):
        interval_seconds(text)


def test_only_the_lease_holder_is_the_scheduler(store: Store) -> None:
    """Of two `run`s on one store one holds the lease; the other takes over when it stops."""
    first_said: list[str] = []
    second_said: list[str] = []
    first = SchedulerLease(store, first_said.append)
    second = SchedulerLease(store, second_said.append)
    assert first.renew() and not second.renew()
    assert ["this process runs the scheduler and the crawls"] == first_said
    assert [
        f"{first.holder} runs the scheduler and the crawls on this store; this process "
        "serves only and takes over if it stops"
    ] == second_said
    assert not second.renew()
    assert 1 == len(second_said)  # said once, not at every renewal
    first.stop()
    assert second.renew()


def test_a_run_without_the_lease_never_crawls(store: Store) -> None:
    """A scheduler whose store's lease another process holds ticks nothing, though a forge is due."""
    store.add_forge(ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org"))
    store.acquire_lease(LEASE, "another host pid 7", seconds=600)
    said: list[str] = []
    scheduler = _scheduler(store, said)
    with respx.mock(assert_all_called=False) as router:
        forge = router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", make_repos(3, owners=1))
        )
        worker = threading.Thread(target=scheduler.run_forever)
        worker.start()
        try:
            deadline = time.monotonic() + 10
            while not said and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # a holder would have started crawling by now
        finally:
            scheduler.cancel()
            worker.join(timeout=30)
    assert [] == [line for line in said if line.startswith("crawling")], said
    assert not forge.called
    assert [] == store.crawl_runs("lab")
    assert said[0].startswith("another host pid 7 runs the scheduler")


def test_default_registry_organisations_are_public_bodies(store: Store) -> None:
    """The default GitHub organisations come with what GitHub's government list says of them:
    public bodies of Germany, so their records are not of kind ``unknown``."""
    from crawler.normalise.organisations import OrganisationDirectory

    seed_default_registry(store)
    directory = OrganisationDirectory.from_registry(store.registry_organisations())
    entry = directory.account("github.com/digitalservicebund")
    assert entry is not None
    assert ("public_body", "DE", "Germany") == (entry.kind, entry.country, entry.level)
    assert directory.account("github.com/some-company") is None
