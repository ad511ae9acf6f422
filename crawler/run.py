"""Crawl several registered forges: build the clients, pick the forge kind, run the loop.

Each registration's kind comes from the registry (`crawler.kinds`): its crawler class, API
locations, token header and polite concurrency. Tokens are read from the environment variable
each registration names, at crawl time only.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx
from tenacity.wait import wait_base

from crawler.addresses import Resolver, request_guard
from crawler.base import (
    RECONCILE_EVERY,
    CrawlReport,
    Normaliser,
    ProgressCallback,
    crawl_forge,
)
from crawler.deadline import Deadline
from crawler.http import GIVE_UP_AFTER_TIMEOUTS, ForgeClient, create_http_client
from crawler.kinds import api_locations, kind_spec
from crawler.pinning import PinnedBackend, PinnedTransport
from crawler.ratelimit import DEFAULT_CONCURRENCY, GovernorRegistry, WaitCallback
from crawler.sink import CrawlSink
from crawler.spec import ApiLocations
from schemas.errors import ConfigurationError
from schemas.findings import Finding
from schemas.forge import ForgeRegistration
from schemas.token_env import token_env_problem

Locator = Callable[[ForgeRegistration], ApiLocations]
FORGES_AT_ONCE = 4
"""Forges crawled concurrently by default: a slow forge holds only its own slot."""


@dataclass
class CrawlOptions:
    """Knobs of a crawl; the defaults are what `codereuse crawl` uses."""

    user_agent: str = "codereuse"
    full: bool = False
    prefer_rest: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    reconcile_every: int = RECONCILE_EVERY
    transport: httpx.AsyncBaseTransport | None = None
    wait: wait_base | None = None
    sleep: Callable[[float], Awaitable[None]] | None = None
    clock: Callable[[], float] | None = None
    on_wait: WaitCallback | None = None
    on_page: ProgressCallback | None = None
    on_notice: Callable[[str], None] | None = None
    """Called at once with notices such as "no token: 60 requests per hour"."""
    resolver: Resolver | None = None
    """DNS resolver of the SSRF guard (tests inject one; None: the system's)."""
    deadline: float | None = None
    """Seconds each forge's crawl may take before it stops at a checkpoint (None: no limit)."""
    network_backend: httpcore.AsyncNetworkBackend | None = None
    """What opens TCP connections to the checked addresses (None: anyio); used without `transport`."""
    give_up_after: int | None = GIVE_UP_AFTER_TIMEOUTS
    """Answers in a row not in time after which a forge's crawl stops (`crawler.http`)."""
    forges_at_once: int = FORGES_AT_ONCE
    """Forges crawled at the same time; each has its own governor per host and token."""
    facts: bool = True
    """Read repository facts (root files, README, LICENSE, manifests, releases, commits, open
    issues) with the listings (`crawler.facts`; setting ``CODEREUSE_CRAWL_FACTS``)."""


def token_for(
    registration: ForgeRegistration, environ: Mapping[str, str] | None = None
) -> str | None:
    """The token of a registration, read from the variable it names; None for anonymous.

    Raises:
        ConfigurationError: the variable is named but unset or empty, or is one of codereuse's
            own settings (the message names the variable, never a value).
    """
    if not registration.token_env:
        return None
    # Checked again here: a registration stored before the check existed may name a secret.
    problem = token_env_problem(registration.token_env)
    if problem:
        raise ConfigurationError(f"forge {registration.name!r}: {problem}; nothing was sent")
    value = (environ if environ is not None else os.environ).get(registration.token_env, "")
    if not value.strip():
        raise ConfigurationError(
            f"forge {registration.name!r}: the environment variable {registration.token_env} "
            "holds no token; export it or register the forge without --token-env"
        )
    return value.strip()


async def crawl_forges(
    registrations: Sequence[ForgeRegistration],
    sink: CrawlSink,
    options: CrawlOptions | None = None,
    *,
    normalise: Normaliser | None = None,
    locate: Locator | None = None,
    environ: Mapping[str, str] | None = None,
    on_report: Callable[[CrawlReport], Awaitable[None]] | None = None,
) -> list[CrawlReport]:
    """Crawl each registration into `sink`, forges concurrently, and return their reports.

    At most `CrawlOptions.forges_at_once` forges are crawled at a time. `on_report` is awaited
    with each forge's report as soon as that forge is done (the pipeline federates and indexes
    it then, while slower forges go on); when others are still being crawled, a notice says
    which, and since when.
    """
    options = options or CrawlOptions()
    locator = locate or api_locations
    governor_options: dict[str, Any] = {
        "concurrency": options.concurrency,
        "on_wait": options.on_wait,
    }
    if options.sleep is not None:
        governor_options["sleep"] = options.sleep
    if options.clock is not None:
        governor_options["clock"] = options.clock
    governors = GovernorRegistry(**governor_options)

    async def one(registration: ForgeRegistration) -> CrawlReport:
        try:
            token = token_for(registration, environ)
        except ConfigurationError as error:
            # One forge's missing token must not keep the others from being crawled.
            finding = Finding(
                type="error",
                key="forge.token_env",
                message=str(error),
                code="crawl.token",
                params={"error": str(error)},
            )
            return CrawlReport(
                forge=registration.name, full=False, status="failed", findings=[finding]
            )
        where = locator(registration)
        host = httpx.URL(where.rest).host
        # Every request and redirect hop is checked against private addresses at crawl time
        # too, unless the registration allows them (on-premises forges).
        where_text = f"forge {registration.name!r} ({registration.url})"
        guard = request_guard(
            where=where_text, allow_private=registration.allow_private, resolver=options.resolver
        )
        # Connections go to the addresses the guard checked, never to a second DNS answer.
        transport = options.transport or PinnedTransport(
            PinnedBackend(
                where=where_text,
                allow_private=registration.allow_private,
                resolver=options.resolver,
                base=options.network_backend,
            )
        )
        async with create_http_client(
            user_agent=options.user_agent, transport=transport, request_hooks=[guard]
        ) as http:
            spec = kind_spec(registration.kind)
            governor = governors.for_host(host, token)
            on_notice = options.on_notice
            client = ForgeClient(
                http,
                governor,
                api_urls=[url for url in (where.rest, where.graphql) if url],
                token=token,
                auth_scheme=spec.auth_scheme,
                wait=options.wait,
                sleep=options.sleep,
                deadline=Deadline(options.deadline, governor.clock) if options.deadline else None,
                give_up_after=options.give_up_after,
                on_notice=(
                    (lambda message: on_notice(f"{registration.name}: {message}"))
                    if on_notice is not None
                    else None
                ),
            )
            crawler = spec.crawler(
                registration,
                client,
                rest_url=where.rest,
                graphql_url=where.graphql,
                prefer_rest=options.prefer_rest,
                on_notice=options.on_notice,
                facts=options.facts,
            )
            return await crawl_forge(
                crawler,
                sink,
                full=options.full,
                normalise=normalise,
                reconcile_every=options.reconcile_every,
                on_page=options.on_page,
            )

    slots = asyncio.Semaphore(max(1, options.forges_at_once))
    running: dict[str, datetime] = {}

    async def bounded(registration: ForgeRegistration) -> CrawlReport:
        async with slots:
            running[registration.name] = datetime.now(UTC)
            try:
                report = await one(registration)
            finally:
                running.pop(registration.name, None)
        if on_report is not None:
            await on_report(report)
        if running and options.on_notice is not None:
            options.on_notice(f"{registration.name}: {report.status}; {waiting_for(running)}")
        return report

    return list(await asyncio.gather(*(bounded(r) for r in registrations)))


def waiting_for(running: Mapping[str, datetime], now: datetime | None = None) -> str:
    """``still crawling slow (since 16:05:09 UTC, 12 min)``: the forges a run waits for."""
    moment = now or datetime.now(UTC)
    parts = []
    for name, since in sorted(running.items(), key=lambda item: item[1]):
        seconds = max(0, int((moment - since).total_seconds()))
        took = f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"
        parts.append(f"{name} (since {since:%H:%M:%S} UTC, {took})")
    return "still crawling " + ", ".join(parts)
