"""Forges are crawled at the same time: a slow forge holds up only itself (issue 9 item 10).

The fast forge's records are stored, federated and indexed while the slow one still waits for
its first answer; the slow one is given up after three answers in a row that did not come in
time (not halved down to a batch of 1 until the deadline); progress names the forge waited for
and since when.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import respx
from tenacity import wait_none

from cli.pipeline import run_pipeline
from crawler.http import GIVE_UP_AFTER_TIMEOUTS
from crawler.run import CrawlOptions
from indexer.search.factory import create_search_backend
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.crawler.conftest import FakeTime, public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos

CLIENT_TIMEOUT = 30.0


def test_a_slow_forge_holds_up_only_itself(tmp_path: Path, fake_time: FakeTime) -> None:
    """While the slow forge waits, the fast one is searchable; the slow one stops after 3 timeouts."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    slow = ForgeRegistration(name="slow", kind="gitlab", url="https://slow.example.org")
    fast = ForgeRegistration(name="fast", kind="gitlab", url="https://fast.example.org")
    notices: list[str] = []
    waiting = asyncio.Event()
    seen_while_waiting: list[tuple[int, int]] = []
    batches: list[int] = []

    def notice(message: str) -> None:
        notices.append(message)
        if "still crawling slow" in message:
            waiting.set()

    with create_store(url) as store:
        store.add_forge(slow)
        store.add_forge(fast)
        search = create_search_backend(Settings(database_url=url), store)

        async def never_in_time(request: httpx.Request) -> httpx.Response:
            if not waiting.is_set():
                await asyncio.wait_for(waiting.wait(), timeout=10)
                seen_while_waiting.append((store.count_records(), search.search().total))
            batches.append(json.loads(request.content)["variables"]["first"])
            fake_time.now += CLIENT_TIMEOUT  # the answer would come after 40 s
            raise httpx.ReadTimeout("timed out", request=request)

        options = CrawlOptions(
            wait=wait_none(),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            resolver=public_resolver,
            deadline=1800,
            on_notice=notice,
        )
        with respx.mock(assert_all_called=False) as router:
            router.route(host="slow.example.org").mock(side_effect=never_in_time)
            router.route(host="fast.example.org").mock(
                side_effect=FakeGitLab("fast.example.org", make_repos(20, owners=2))
            )
            result = run_pipeline(store, [slow, fast], options, search=search, pictures=False)
        by_forge = {report.forge: report for report in result.reports}
        assert [(20, 20)] == seen_while_waiting
        assert ("partial", "succeeded") == (by_forge["slow"].status, by_forge["fast"].status)
        assert [100, 50, 25] == batches  # halved twice, then given up: not down to 1
        assert GIVE_UP_AFTER_TIMEOUTS == len(batches)
        assert (
            "3 answers in a row did not come within 30 s" in by_forge["slow"].findings[-1].message
        )
        [progress] = [n for n in notices if "still crawling" in n]
        assert progress.startswith("fast: succeeded; still crawling slow (since ")
        assert " UTC, " in progress
        assert "running" not in {run.status for run in store.crawl_runs("slow")}
