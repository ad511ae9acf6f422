"""The crawl loop: a base class owns pages → records → sink; each forge kind fills in the blanks.

A forge kind writes `scopes()`, `pages()` (the I/O) and `snapshots_from_page()` (pure). The loop
(`crawl_forge`) decides full or incremental, resumes each scope from its checkpoint, normalises
every page, writes it with its checkpoint in one transaction (`CrawlSink.save_page`), follows
renames, counts complete listings for tombstones and always closes the crawl run in `finally`
(pattern: swh-lister ``swh/lister/pattern.py``).

Full or incremental: the first crawl of a forge is full; later ones are incremental (only
repositories whose activity moved since the newest activity already stored, minus an overlap
window, are fetched again), and every `reconcile_every`-th run — or ``full=True`` — is a full
reconciliation that finds deletions and renames. A scope resumed from a checkpoint keeps the
mode it was started in; a resumed full listing does not count towards tombstones (it did not
see the repositories listed before the interruption), so nothing is ever deleted on a partial view.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.http import ForgeClient, GraphQLResult
from crawler.itemwise import page_records, page_snapshots
from crawler.sink import CrawlSink
from schemas.errors import (
    CodereuseError,
    DeadlineExceededError,
    ForgeResponseError,
    ForgeUnresponsiveError,
    GraphQLQueryError,
    RateLimitedError,
    TransientForgeError,
)
from schemas.findings import Finding
from schemas.forge import ForgeRegistration, RepositoryFingerprint, RepositorySnapshot
from schemas.record import Record, canonical_id, canonical_url

logger = logging.getLogger(__name__)

MAX_GRAPHQL_BATCH = 100
"""Both forges page at most 100 items; the adaptive batch starts and tops out here."""

_UNKNOWN_FIELD = re.compile(
    r"doesn't exist on type|doesn't accept argument|Cannot query field|Unknown argument", re.I
)
"""A GraphQL refusal for a field or argument an older forge version does not have: the
repository facts (`crawler.facts`) are turned off for the crawl instead of failing it."""
NOT_PUBLIC = frozenset({"private", "internal"})
"""Visibilities left out of the catalogue."""
SCHEDULE_SCOPE = "_schedule"
"""Checkpoint scope holding how many runs passed since the last complete full listing."""
RECONCILE_EVERY = 7
"""Every 7th run is a full reconciliation (a week of daily runs)."""
OVERLAP = timedelta(hours=1)
"""Activity timestamps are coarse: an incremental crawl looks this much further back."""

Normaliser = Callable[..., list[Record]]
ProgressCallback = Callable[[str, str, int], None]
"""on_page(forge, scope, repositories_so_far)."""


@dataclass
class Plan:
    """What this run of one scope does: full or incremental, from when, knowing what."""

    full: bool
    since: datetime | None
    fingerprints: dict[str, RepositoryFingerprint]


@dataclass
class Page:
    """One page a forge kind produced: raw items, the checkpoint after it, the ids it listed."""

    scope: str
    items: list[dict[str, Any]]
    checkpoint: dict[str, Any] | None
    listed_ids: list[str] = field(default_factory=list)


@dataclass
class CrawlReport:
    """What one forge's crawl did; also stored with the crawl run."""

    forge: str
    full: bool
    status: str = "running"
    pages: int = 0
    repositories: int = 0
    with_publiccode: int = 0
    with_errors: int = 0  # records saved with an error finding / with a warning finding
    with_warnings: int = 0
    renamed: int = 0
    tombstoned: list[str] = field(default_factory=list)
    requests: int = 0
    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    interrupted_before: int = 0
    """Earlier runs of the forge found still open (killed) and closed as ``interrupted``."""
    touched: set[str] = field(default_factory=set)
    """Canonical ids this crawl changed: saved repositories, their records' ids, the old ids of
    renamed repositories and the ids of tombstoned ones (what federation must look at again)."""

    def stats(self) -> dict[str, Any]:
        """The figures stored with the crawl run."""
        return {
            "pages": self.pages,
            "repositories": self.repositories,
            "with_publiccode": self.with_publiccode,
            "with_errors": self.with_errors,
            "with_warnings": self.with_warnings,
            "renamed": self.renamed,
            "tombstoned": len(self.tombstoned),
            "requests": self.requests,
        }


class ForgeCrawler(abc.ABC):
    """Base of the forge kinds. Subclasses implement `pages` and `snapshots_from_page`.

    `report(...)` records a finding on the forge and marks the scope incomplete, which keeps its
    checkpoint for the next run and keeps the listing from counting towards tombstones.
    """

    kind: str = ""
    owner_scope: str | None = None
    """The scope word of one owner (``group`` gives ``group:<path>``); None: one ``owners`` scope."""

    def __init__(
        self,
        registration: ForgeRegistration,
        client: ForgeClient,
        *,
        rest_url: str,
        graphql_url: str | None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        prefer_rest: bool = False,
        on_notice: Callable[[str], None] | None = None,
        facts: bool = True,
    ) -> None:
        self.registration = registration
        self.use_rest = prefer_rest
        self.facts = facts
        """Read the repository facts (`crawler.facts`) with the listings; off saves requests."""
        self.on_notice = on_notice
        self.client = client
        self.rest_url = rest_url.rstrip("/")
        self.graphql_url = graphql_url or ""
        """The GraphQL endpoint; empty for kinds without GraphQL (they never call it)."""
        self.clock = clock
        self.findings: list[Finding] = []
        self.notices: list[str] = []
        self.incomplete_scopes: set[str] = set()
        self.batch = MAX_GRAPHQL_BATCH
        self.used_batch = MAX_GRAPHQL_BATCH

    def scopes(self) -> list[str]:
        """The independent listings of this registration: ``instance`` for a whole forge, else
        one ``<owner_scope>:<owner>`` per group or organisation (one ``owners`` scope for all
        of them when `owner_scope` is None), then ``repos`` for single repositories."""
        registration = self.registration
        if registration.whole_instance:
            return ["instance"]
        owners = [*registration.groups, *registration.orgs]
        if self.owner_scope is None:
            scopes = ["owners"] if owners else []
        else:
            scopes = [f"{self.owner_scope}:{owner}" for owner in owners]
        return [*scopes, "repos"] if registration.repos else scopes

    def skipped_page(self, scope: str) -> Callable[[str, BaseException], None]:
        """The `crawler.listing.listing` callback reporting a listing page stepped over."""

        def on_skip(url: str, error: BaseException) -> None:
            self.report(
                scope,
                f"skipped a listing page of {url} that kept failing ({error}); it is retried "
                "on the next run",
                code="crawl.page_skipped",
            )

        return on_skip

    @abc.abstractmethod
    def pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        """Yield the scope's pages, starting after `checkpoint` when given (the I/O)."""

    @abc.abstractmethod
    def snapshots_from_page(self, page: Page) -> list[RepositorySnapshot]:
        """Turn one page's raw items into snapshots (pure)."""

    def refused_optional_field(self, messages: Sequence[str]) -> bool:
        """True when a GraphQL refusal (`messages`) names a field the kind asks for only where
        the forge has it, which the crawler has now stopped asking for (the query is sent
        again); False otherwise. None here: a kind with such a field overrides this."""
        return False

    async def adaptive_graphql(
        self, scope: str, build: Callable[[int], tuple[str, dict[str, Any]]]
    ) -> GraphQLResult | None:
        """Run ``build(batch) -> (query, variables)`` with the adaptive batch size.

        The batch halves on complexity errors and timeouts and doubles back (up to
        `MAX_GRAPHQL_BATCH`) after a success; a request that fails otherwise is reported on the
        scope (which becomes incomplete, so nothing is tombstoned) and gives None.
        """
        while True:
            text, variables = build(self.batch)
            self.used_batch = self.batch
            try:
                result = await self.client.graphql(
                    self.graphql_url, text, variables, shrinkable=self.batch > 1
                )
            except GraphQLQueryError as error:
                if error.complexity and self.batch > 1:
                    self.batch = max(1, self.batch // 2)
                    continue
                if self.refused_optional_field(error.messages):
                    continue
                if self.facts and _UNKNOWN_FIELD.search(" ".join(error.messages)):
                    self.facts = False
                    self.notify(
                        f"{self.registration.name}: the forge's GraphQL API lacks a field the "
                        f"repository facts need ({'; '.join(error.messages)[:200]}); crawling "
                        "without repository facts"
                    )
                    continue
                self.report(scope, error)
                return None
            except TransientForgeError as error:
                if error.timeout and self.batch > 1:
                    self.batch = max(1, self.batch // 2)
                    continue
                self.report(
                    scope, f"{error}; the page is retried on the next run", code="crawl.unreachable"
                )
                return None
            self.batch = min(MAX_GRAPHQL_BATCH, self.batch * 2)
            return result

    def notify(self, message: str) -> None:
        """Tell the user something about this crawl now (e.g. a slow fallback), and keep it."""
        self.notices.append(message)
        if self.on_notice is not None:
            self.on_notice(message)

    def report(
        self,
        scope: str,
        error: BaseException | str,
        *,
        incomplete: bool = True,
        code: str | None = None,
    ) -> None:
        """Record a problem as a finding on the forge; by default the scope becomes incomplete.

        The finding's code (`forge_finding_code`: rate limit, refusal, unreachable, deadline…,
        or `code` when given) keys its message in the finding catalogue, as record findings'
        codes do; ``scope`` and ``error`` (the English detail) are its parameters. The message
        is redacted (the token, the environment's secrets, token shapes): a forge may echo
        what it was sent.
        """
        message = self.client.redact(str(error))
        self.findings.append(
            Finding(
                type="error",
                key=f"crawl.{scope}",
                message=message,
                code=code or forge_finding_code(error),
                params={"scope": scope, "error": message},
            )
        )
        if incomplete:
            self.incomplete_scopes.add(scope)

    def excluded(self, full_path: str | None) -> bool:
        """True when the registration's `exclude` list leaves this path out."""
        if not full_path:
            return False
        lowered = full_path.lower().strip("/")
        return any(
            lowered == item.lower().strip("/") or lowered.startswith(item.lower().strip("/") + "/")
            for item in self.registration.exclude
        )


FORGE_FINDING_CODES: tuple[tuple[type[BaseException], str], ...] = (
    (RateLimitedError, "crawl.rate_limited"),
    (ForgeUnresponsiveError, "crawl.unresponsive"),
    (DeadlineExceededError, "crawl.deadline"),
    (ForgeResponseError, "crawl.refused"),
    (TransientForgeError, "crawl.unreachable"),
    (GraphQLQueryError, "crawl.graphql"),
)
"""The finding code of a forge-level problem by its error class, most specific first; any other
problem is ``crawl.failed``. Each code has its message in the finding catalogue
(``schemas/i18n/findings_de.json``), like the codes of record findings."""


def forge_finding_code(error: BaseException | str) -> str:
    """The finding code of a problem the crawl reports on its forge (`FORGE_FINDING_CODES`)."""
    for kind, code in FORGE_FINDING_CODES:
        if isinstance(error, kind):
            return code
    return "crawl.failed"


async def prefetched(pages: AsyncIterator[Page]) -> AsyncIterator[Page]:
    """Yield `pages` in order while the next one is already being fetched.

    Normalising and saving a page is synchronous work; asking for the following page before it
    starts hides one network round trip per page. Only one page is ever held ahead, so a crash
    loses at most a page that was never checkpointed (and is fetched again on resume).
    """
    queue: asyncio.Queue[Page | BaseException | None] = asyncio.Queue(maxsize=1)

    async def produce() -> None:
        try:
            async for page in pages:
                await queue.put(page)
        except Exception as error:  # handed to the consumer, which raises it in order
            await queue.put(error)
            return
        await queue.put(None)

    task = asyncio.create_task(produce())
    try:
        while True:
            item = await queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _since(fingerprints: dict[str, RepositoryFingerprint]) -> datetime | None:
    times = [fp.last_activity for fp in fingerprints.values() if fp.last_activity is not None]
    return (max(times) - OVERLAP) if times else None


def _scope_key(registration: ForgeRegistration) -> str:
    parts = [registration.url, registration.groups, registration.orgs, registration.repos]
    return json.dumps([sorted(p) if isinstance(p, list) else p for p in parts])


def _default_normaliser() -> Normaliser:
    from crawler.normalise import records_from_snapshots  # the sibling module, by agreement

    return records_from_snapshots


async def crawl_forge(
    crawler: ForgeCrawler,
    sink: CrawlSink,
    *,
    full: bool = False,
    normalise: Normaliser | None = None,
    reconcile_every: int = RECONCILE_EVERY,
    on_page: ProgressCallback | None = None,
) -> CrawlReport:
    """Crawl one registered forge into `sink` and return what happened (see module docstring).

    Errors of single pages and scopes become findings (status ``partial``); an error that ends
    the whole crawl marks the run ``failed`` with a finding (unexpected ones are logged with
    their traceback). Only interruptions (Ctrl-C, cancellation) propagate, after the run is
    closed.
    """
    registration = crawler.registration
    forge = registration.name
    normaliser = normalise or _default_normaliser()
    schedule = sink.get_checkpoint(forge, SCHEDULE_SCOPE) or {}
    runs_since_full = int(schedule.get("runs_since_full", 0))
    fingerprints = sink.fingerprints(forge)
    # A registration whose scope changed (a group or organisation added) needs a full listing:
    # an incremental one would only see the new scope's recent repositories.
    scope_key = _scope_key(registration)
    run_full = (
        full
        or not fingerprints
        or runs_since_full + 1 >= reconcile_every
        or schedule.get("scope") != scope_key
    )
    report = CrawlReport(forge=forge, full=run_full)
    report.interrupted_before = sink.close_interrupted_runs(forge)
    if report.interrupted_before:
        crawler.notify(
            f"{forge}: the previous crawl never finished (its process was killed); it is closed "
            "as interrupted and this run continues from its last checkpoint"
        )
    run_id = sink.start_crawl_run(forge, full=run_full)
    seen: set[str] = set()
    resumed_full = False
    try:
        for scope in crawler.scopes():
            checkpoint = sink.get_checkpoint(forge, scope)
            scope_full = run_full
            if checkpoint is not None:
                if checkpoint.get("full") and not run_full:
                    scope_full = True  # finish the interrupted full listing first
                elif run_full and not checkpoint.get("full"):
                    checkpoint = None  # an interrupted incremental run is superseded
            if checkpoint is not None and scope_full:
                resumed_full = True
            since = None
            if not scope_full:
                stored = (checkpoint or {}).get("since")
                since = datetime.fromisoformat(stored) if stored else _since(fingerprints)
            plan = Plan(full=scope_full, since=since, fingerprints=fingerprints)
            async for page in prefetched(crawler.pages(scope, plan, checkpoint)):
                snapshots = page_snapshots(crawler, page)
                # Private and internal repositories (a token may see them) stay out of a
                # public catalogue; not counting them as seen lets one that went private be
                # tombstoned like a deleted one.
                hidden = {
                    s.forge_id for s in snapshots if s.payload.get("visibility") in NOT_PUBLIC
                }
                unlisted = [
                    (s.canonical_id, s.url, str(s.payload.get("visibility")))
                    for s in snapshots
                    if s.forge_id in hidden
                ]
                snapshots = [s for s in snapshots if s.forge_id not in hidden]
                for snapshot in snapshots:
                    known = fingerprints.get(snapshot.forge_id)
                    if known is not None and canonical_url(known.url) != canonical_url(
                        snapshot.url
                    ):
                        sink.rename_repository(forge, snapshot.forge_id, snapshot.url)
                        report.renamed += 1
                        report.touched.add(canonical_id(known.url))
                snapshots, records = page_records(crawler, normaliser, scope, snapshots)
                state = dict(page.checkpoint) if page.checkpoint is not None else None
                if state is not None:
                    state["full"] = scope_full
                    if since is not None:
                        state["since"] = since.isoformat()
                sink.save_page(
                    forge, scope, snapshots, records, state, unlisted_repositories=unlisted
                )
                report.touched.update(s.canonical_id for s in snapshots)
                report.touched.update(r.id for r in records)
                seen.update(i for i in page.listed_ids if i not in hidden)
                report.pages += 1
                report.repositories += len(snapshots)
                report.with_publiccode += sum(1 for s in snapshots if s.publiccode is not None)
                report.with_errors += sum(not r.valid for r in records)
                report.with_warnings += sum(
                    any(f.type == "warning" for f in r.findings) for r in records
                )
                if on_page is not None:
                    on_page(forge, scope, report.repositories)
            if scope not in crawler.incomplete_scopes:
                sink.clear_checkpoint(forge, scope)
        complete = not crawler.incomplete_scopes and not resumed_full
        if run_full:
            report.tombstoned = sink.record_listing(forge, seen, complete=complete)
            report.touched.update(
                canonical_id(fingerprints[i].url) for i in report.tombstoned if i in fingerprints
            )
        if run_full and complete:
            runs_since_full = 0
        else:
            runs_since_full += 1
        sink.save_page(
            forge,
            SCHEDULE_SCOPE,
            [],
            [],
            {"runs_since_full": runs_since_full, "scope": scope_key},
        )
        report.status = "partial" if crawler.findings else "succeeded"
    except CodereuseError as error:
        crawler.report("forge", error)
        # Past its deadline, what was saved stays and the next run resumes: partial, not failed.
        report.status = "partial" if isinstance(error, DeadlineExceededError) else "failed"
    except Exception as error:
        # A forge answering in a shape we did not foresee must not take the other forges of
        # the run down: the run fails with a finding, and the traceback goes to the log.
        logger.exception("crawl of forge %s failed unexpectedly", forge)
        crawler.report(
            "forge",
            f"unexpected {type(error).__name__}: {error}; please report it",
            code="crawl.unexpected",
        )
        report.status = "failed"
    except BaseException:
        report.status = "failed"
        raise
    finally:
        report.findings = list(crawler.findings)
        report.notices = list(crawler.notices)
        report.requests = crawler.client.requests
        sink.finish_crawl_run(
            run_id,
            status=report.status,
            stats=report.stats(),
            findings=report.findings,
            requests=report.requests,
        )
    return report


def summarise(reports: Sequence[CrawlReport]) -> str:
    """One line per forge: mode, status, repositories, records with errors and with warnings,
    requests, tombstones, and the crawl's own problems (forge errors, not record findings)."""
    lines = []
    for r in reports:
        mode = "full" if r.full else "incremental"
        closed = f", {r.interrupted_before} interrupted run closed" if r.interrupted_before else ""
        lines.append(
            f"{r.forge}: {mode} crawl {r.status}: {r.repositories} repositories "
            f"({r.with_publiccode} with publiccode.yml) in {r.requests} requests, "
            f"records: {r.with_errors} with errors, {r.with_warnings} with warnings, "
            f"{r.renamed} renamed, {len(r.tombstoned)} tombstoned, "
            f"{len(r.findings)} crawl problems{closed}"
        )
    return "\n".join(lines)
