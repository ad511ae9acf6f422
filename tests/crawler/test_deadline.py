"""A forge that never answers in time is cut off at its deadline; the others are not held up."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import respx
from tenacity import wait_none

from crawler.base import CrawlReport
from crawler.run import CrawlOptions, crawl_forges
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, locate, minimal_records, public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos
from tests.crawler.memory_sink import MemorySink

DEADLINE = 300.0
CLIENT_TIMEOUT = 30.0


def _crawl(
    registrations: list[ForgeRegistration], sink: MemorySink, fake_time: FakeTime, **options: Any
) -> dict[str, CrawlReport]:
    """Crawl with the deadline on fake time (nothing sleeps); reports by forge name."""
    reports = asyncio.run(
        crawl_forges(
            registrations,
            sink,
            CrawlOptions(
                wait=wait_none(),
                sleep=fake_time.sleep,
                clock=fake_time.clock,
                resolver=public_resolver,
                deadline=DEADLINE,
                **options,
            ),
            normalise=minimal_records,
            locate=locate,
        )
    )
    return {report.forge: report for report in reports}


def test_a_forge_answering_after_the_client_timeout_is_cut_off_at_its_deadline(
    fake_time: FakeTime,
) -> None:
    """Every request of the slow forge times out: it stops at its deadline with a finding,
    says what it waits for meanwhile, and the healthy forge's crawl is complete."""
    slow = ForgeRegistration(name="slow", kind="gitlab", url="https://slow.example.org")
    healthy = ForgeRegistration(name="ok", kind="gitlab", url="https://ok.example.org")
    fake = FakeGitLab("ok.example.org", make_repos(150, owners=2))
    sent_to_slow: list[httpx.Request] = []
    notices: list[str] = []
    healthy_done = asyncio.Event()

    async def never_in_time(request: httpx.Request) -> httpx.Response:
        sent_to_slow.append(request)
        # Concurrent forges share the fake clock: let the healthy one finish before time jumps.
        await asyncio.wait_for(healthy_done.wait(), timeout=10)
        fake_time.now += CLIENT_TIMEOUT  # the answer would come after 40 s
        raise httpx.ReadTimeout("timed out", request=request)

    sink = MemorySink()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="slow.example.org").mock(side_effect=never_in_time)
        router.route(host="ok.example.org").mock(side_effect=fake)
        started = fake_time.now
        by_forge = _crawl(
            [slow, healthy],
            sink,
            fake_time,
            on_notice=notices.append,
            on_page=lambda forge, _scope, seen: healthy_done.set() if seen >= 150 else None,
            give_up_after=None,  # the deadline, not the timeouts in a row, ends it here
        )
    assert ("partial", "succeeded") == (by_forge["slow"].status, by_forge["ok"].status)
    assert 150 == len(sink.fingerprints("ok"))
    assert "deadline of 5 min" in by_forge["slow"].findings[-1].message
    assert fake_time.now - started <= DEADLINE + CLIENT_TIMEOUT
    assert len(sent_to_slow) == DEADLINE // CLIENT_TIMEOUT
    waits = [n for n in notices if n.startswith("slow: no answer from https://slow.example.org")]
    assert len(sent_to_slow) == len(waits)
    assert "deadline left" in waits[0]
    assert "running" not in [run["status"] for run in sink.runs]


def test_a_rate_limit_resetting_after_the_deadline_is_not_waited_for(fake_time: FakeTime) -> None:
    """A forge whose rate limit reopens only after the deadline stops at once, without sleeping."""
    registration = ForgeRegistration(name="busy", kind="gitlab", url="https://busy.example.org")
    reset = int(fake_time.now + 2 * DEADLINE)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="busy.example.org").respond(
            429, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)}
        )
        report = _crawl([registration], MemorySink(), fake_time)["busy"]
    assert "partial" == report.status
    assert "resets only after the deadline" in report.findings[-1].message
    assert 0 == sum(fake_time.sleeps)
