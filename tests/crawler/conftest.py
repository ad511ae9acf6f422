"""Shared helpers of the crawler tests: fake time, a crawl runner, a minimal normaliser."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from tenacity import wait_none

from crawler.base import CrawlReport
from crawler.kinds import api_locations
from crawler.run import CrawlOptions, crawl_forges
from crawler.spec import ApiLocations
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Provenance, Record, Repository
from tests.crawler.fakeforge import BASE_TIME, FakeForge
from tests.crawler.memory_sink import MemorySink


def minimal_records(
    snapshots: Sequence[RepositorySnapshot], *, registration: ForgeRegistration
) -> list[Record]:
    """A stand-in for `crawler.normalise.records_from_snapshots`: one bare record per snapshot."""
    return [
        Record(
            id=s.canonical_id,
            url=f"https://{s.canonical_id}",
            declared=s.publiccode is not None,
            name=str(s.payload.get("name")),
            repository=Repository(forge=registration.name, url=s.url, forge_id=s.forge_id),
            provenance=Provenance(
                forge=registration.name,
                fetched_at=s.fetched_at,
                file_path=s.publiccode_path,
                blob_id=s.blob_id,
                parser_version="test",
            ),
        )
        for s in snapshots
    ]


@dataclass
class FakeTime:
    """An epoch clock that only moves when something sleeps; sleeps are recorded, not slept."""

    now: float = BASE_TIME.timestamp()
    sleeps: list[float] = field(default_factory=list)
    waits: list[tuple[str, float, str]] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def on_wait(self, host: str, left: float, reason: str) -> None:
        self.waits.append((host, left, reason))


def public_resolver(host: str) -> list[str]:
    """A DNS stand-in answering a public address for every host (no network in tests)."""
    return ["93.184.216.34"]


def locate(registration: ForgeRegistration) -> ApiLocations:
    """API locations of the fakes: the kind's own, but github.com-like hosts use an ``api.`` host."""
    if registration.kind != "github":
        return api_locations(registration)
    host = registration.url.removeprefix("https://")
    return ApiLocations(f"https://api.{host}", f"https://api.{host}/graphql")


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def crawl(
    fake: FakeForge,
    registration: ForgeRegistration,
    sink: MemorySink,
    fake_time: FakeTime,
    *,
    full: bool = False,
    environ: dict[str, str] | None = None,
    **options: Any,
) -> CrawlReport:
    """Crawl `registration` against `fake` (mounted with respx) into `sink`; no real sleeping."""
    api_host = httpx.URL(locate(registration).rest).host
    with respx.mock(assert_all_called=False) as router:
        router.route(host=api_host).mock(side_effect=fake)
        reports = asyncio.run(
            crawl_forges(
                [registration],
                sink,
                CrawlOptions(
                    full=full,
                    wait=wait_none(),
                    sleep=fake_time.sleep,
                    clock=fake_time.clock,
                    on_wait=fake_time.on_wait,
                    **{"resolver": public_resolver, **options},
                ),
                normalise=minimal_records,
                locate=locate,
                environ=environ if environ is not None else {"TOKEN": "secret-token"},
            )
        )
    return reports[0]


def now() -> datetime:
    return datetime.now(UTC)
