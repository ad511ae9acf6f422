"""The one crawl pipeline: crawl forges → federate what changed → bring the search index up to date.

`codereuse crawl`, the scheduler of `codereuse run` and the crawl jobs queued over the API all
call `run_pipeline`. The crawler and the store do not know each other (layer rule): the store is
the crawl loop's sink as it is (`crawler.sink.CrawlSink`), and federation, which needs both,
is wired here.

Federation works on what changed, not on the whole store: the ids the crawl touched
(`crawler.base.CrawlReport.touched`) and every record changed since the forge was last federated
(the store's change feed, so pages saved by a crawl that was killed are not forgotten), closed
over their relations — the stored records they name or that name them (mirrors, forks,
variants, upstreams) and the records their snapshots now claim — until nothing new joins. The
reuse links of what is written are settled on the way (`cli.reuse_step`). A
full reconciliation crawl, a forge never federated, or a change touching more than a fifth of
the catalogue (or 5,000 records) federates everything in one pass instead (cheaper then); while
other forges of the same run are still crawled, that pass waits for the last of them (the forge
is federated among what it touched meanwhile), so a first crawl of N forges makes one pass.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cli.issues_step import IssueRun, issues_after_crawl
from cli.pictures_step import fetch_new_pictures
from cli.reuse_step import settle_reuse
from cli.webhooks_step import WebhookReport, default_poster, deliver_webhooks
from crawler.base import CrawlReport
from crawler.normalise import OrganisationDirectory, federated_catalogue, record_from_snapshot
from crawler.normalise.streaming import stream_catalogue
from crawler.run import CrawlOptions, crawl_forges
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from indexer.sync import sync_search
from schemas.errors import CodereuseError
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record, canonical_id
from schemas.settings import Settings, interval_seconds

FEDERATED_SCOPE = "_federated"
"""Checkpoint scope of each forge holding the change-feed seq its last federation reached."""
FULL_PASS_SHARE = 0.2
"""Above this share of the catalogue touched, one full federation pass is cheaper."""
CLOSURE_LIMIT = 5000
"""Above this many touched ids, too (the closure searches stored records per 50 ids)."""
WRITE_CHUNK = 250
"""Records a full federation pass writes (and settles the reuse links of) at a time."""

Runner = Callable[[Coroutine[Any, Any, list[CrawlReport]]], list[CrawlReport]]


@dataclass
class PipelineResult:
    """What one pipeline run did: the crawl reports, federation and the index sync."""

    reports: list[CrawlReport]
    federated: int = 0
    """Records written by federation."""
    removed: int = 0
    """Records federation tombstoned (no snapshot produces them any more)."""
    full_federation: bool = False
    indexed: int | None = 0
    """Records the index sync touched; None after a rebuild."""
    index_error: str | None = None
    """Why the index was not updated (the crawl is saved all the same)."""
    pictures_kept: int = 0
    pictures_refused: int = 0
    """New logos and screenshots fetched (kept) or refused, with the reason stored."""
    pictures_error: str | None = None
    issues: list[IssueRun] = field(default_factory=list)
    """Issue runs of the registrations that opted in (`cli.issues_step`)."""
    webhooks: list[WebhookReport] = field(default_factory=list)
    """Webhooks sent change events after the crawl (`cli.webhooks_step`)."""
    notify_error: str | None = None
    """Why issues or webhooks stopped (a store failure); the crawl is saved all the same."""
    organisations_resolved: int = 0
    """Records stored before organisations existed, resolved first (`ensure_organisations`)."""


def crawl_options(settings: Settings, **options: Any) -> CrawlOptions:
    """The crawl options the settings give (user agent, deadline, repository facts), with
    `options` on top: what `crawl`, `run` and the API's crawl jobs crawl with."""
    given: dict[str, Any] = {
        "user_agent": settings.user_agent,
        "deadline": interval_seconds(settings.crawl_deadline),
        "facts": settings.crawl_facts,
    }
    return CrawlOptions(**(given | options))


def lower_crawl_priority(settings: Settings, *, thread_only: bool = False) -> int:
    """Lower the calling thread's CPU priority by ``settings.crawl_nice`` (Linux gives each
    thread a priority of its own; elsewhere the whole process is lowered, which `thread_only`
    refuses: then nothing changes). Threads started afterwards inherit it. Call it only in a
    thread or process that does nothing but crawl. Returns the niceness reached (0 when
    unchanged or not possible).

    Why: a crawl is paced by the forges' rate limits, not by the CPU, while requests wait for
    the CPU; at a lower priority the crawl takes what the server leaves (issue 9, load with a
    crawl writing).
    """
    linux = sys.platform == "linux"
    if settings.crawl_nice <= 0 or not hasattr(os, "setpriority") or (thread_only and not linux):
        return 0
    target = threading.get_native_id() if linux else 0
    try:
        current = os.getpriority(os.PRIO_PROCESS, target)
        wanted = min(19, max(current, 0) + settings.crawl_nice)
        if wanted > current:
            os.setpriority(os.PRIO_PROCESS, target, wanted)
        return os.getpriority(os.PRIO_PROCESS, target)
    except OSError:  # not permitted here (a sandbox): crawl at the priority we have
        return 0


def run_pipeline(
    store: Store,
    registrations: Sequence[ForgeRegistration],
    options: CrawlOptions,
    *,
    search: SearchBackend | None = None,
    federate: bool = True,
    pictures: bool = True,
    notify: bool = True,
    run: Runner = asyncio.run,
) -> PipelineResult:
    """Crawl `registrations` into `store`, federate what changed, and sync `search` (if given).

    Forges are crawled concurrently (`crawler.run.crawl_forges`); each forge's changes are
    federated and indexed as soon as it is done, so a slow forge holds up only its own records.
    `run` runs the crawl coroutine (the scheduler passes one it can cancel). Raises what the
    crawl raises before anything was federated (`CodereuseError` for unusable settings,
    `asyncio.CancelledError` when cancelled); an index that cannot be updated is reported in
    the result, not raised, since the crawl is saved. Last, the logos and screenshots not
    fetched yet are fetched through the crawl's own transport and SSRF guard
    (`cli.pictures_step`); a failure there is reported in the result too. With `notify`, the
    registrations that opted in get their issues about broken publiccode.yml files opened,
    updated and closed (`cli.issues_step`), and the webhooks are sent the change events of the
    run (`cli.webhooks_step`); failures are in the result and the delivery logs, never raised.
    """
    result = PipelineResult(reports=[])
    if federate:
        result.organisations_resolved = ensure_organisations(store)
    pending: list[CrawlReport] = []
    settled: set[int] = set()
    owed: list[str] = []
    """Forges whose full federation pass waits for the last forge of this run (`_settle`)."""

    async def settle(report: CrawlReport) -> None:
        # Forges finishing together are settled together, one settle at a time: everything
        # runs on the crawl's event loop, so the store keeps a single writer.
        pending.append(report)
        await asyncio.sleep(0)
        if pending:
            done = list(pending)
            pending.clear()
            settled.update(id(report) for report in done)
            others = len(settled) < len(registrations)
            _settle(store, done, result, search=search, federate=federate, owed=owed, defer=others)

    result.reports = run(crawl_forges(registrations, store, options, on_report=settle))
    unsettled = [report for report in result.reports if id(report) not in settled]
    if unsettled or not result.reports or owed:
        _settle(
            store,
            unsettled,
            result,
            search=search,
            federate=federate and bool(unsettled or owed),
            owed=owed,
        )
    if pictures:
        try:
            result.pictures_kept, result.pictures_refused = fetch_new_pictures(
                store,
                user_agent=options.user_agent,
                transport=options.transport,
                resolver=options.resolver,
                network_backend=options.network_backend,
            )
        except CodereuseError as error:
            result.pictures_error = str(error)
    if notify:
        try:
            result.issues = issues_after_crawl(store, registrations)
            result.webhooks = deliver_webhooks(
                store, default_poster(user_agent=options.user_agent, resolver=options.resolver)
            )
        except CodereuseError as error:  # the store failed meanwhile: the crawl is saved
            result.notify_error = str(error)
    return result


def _settle(
    store: Store,
    reports: Sequence[CrawlReport],
    result: PipelineResult,
    *,
    search: SearchBackend | None,
    federate: bool,
    owed: list[str],
    defer: bool = False,
) -> None:
    """Federate what the finished forges of `reports` changed and sync the index, adding the
    counts to `result`; slower forges are still being crawled meanwhile.

    A full federation pass one of them needs (a first or a reconciliation crawl) waits while
    other forges of the run are still crawled (`defer`): their records are federated among
    what they touched now, and the forges are noted in `owed`; the settle of the run's last
    forge makes the one full pass for all of them. So a first crawl of N forges federates the
    whole catalogue once, not N times.
    """
    if federate:
        touched = set().union(*(report.touched for report in reports))
        full = any(report.full and report.status == "succeeded" for report in reports)
        forges = [report.forge for report in reports]
        written, removed, whole, deferred = federate_changes(
            store,
            forges if defer else [*forges, *owed],
            touched,
            full=full or (bool(owed) and not defer),
            reassess=[report.forge for report in reports if report.status != "failed"],
            defer_full=defer,
        )
        if deferred:
            owed.extend(forges)
        elif whole:
            owed.clear()
        result.federated += written
        result.removed += removed
        result.full_federation = result.full_federation or whole
    if search is not None:
        try:
            indexed = sync_search(search, store)
        except CodereuseError as error:
            result.index_error = str(error)
            return
        if indexed is None or result.indexed is None:
            result.indexed = None
        else:
            result.indexed += indexed


def federate_changes(
    store: Store,
    forges: Iterable[str],
    touched: set[str],
    *,
    full: bool = False,
    reassess: Iterable[str] = (),
    defer_full: bool = False,
) -> tuple[int, int, bool, bool]:
    """Federate the records `touched` and what changed since `forges` were last federated.

    Then the records of the forges `reassess` (those crawled) whose maturity changed with time
    alone are re-assessed (`Store.reassess_maturity`): an incremental crawl never sees a
    dormant repository again, yet it stops being ``active``. That happens before the forges'
    federation cursor is saved, as it changes nothing federation needs to look at again.

    With `defer_full`, a full pass this needs is not made: `touched` is federated as a closure
    (when it is at most `CLOSURE_LIMIT` ids) and no cursor is saved, so the caller owes the
    forges a full pass (a later call with them in `forges` and `full`; a run that never makes
    it leaves them never federated, and the next run makes it).
    Returns (records written, records tombstoned, whether it was a full pass, whether a full
    pass was deferred).
    """
    forges = list(forges)
    cursors = [(store.get_checkpoint(forge, FEDERATED_SCOPE) or {}).get("seq") for forge in forges]
    seqs = [cursor for cursor in cursors if isinstance(cursor, int)]
    if len(seqs) < len(cursors):
        full = True  # a forge never federated: its earlier pages are not known
    else:
        touched = touched | _changed_since(store, min([store.latest_change_seq(), *seqs]))
    full = full or len(touched) > min(CLOSURE_LIMIT, FULL_PASS_SHARE * store.count_records())
    deferred = full and defer_full
    if deferred:
        written, removed = (
            _federate_closure(store, touched) if len(touched) <= CLOSURE_LIMIT else (0, 0)
        )
    else:
        written, removed = federate_all(store) if full else _federate_closure(store, touched)
    reassess = list(reassess)
    if reassess:
        store.reassess_maturity(forges=reassess)
    seq = store.latest_change_seq()
    for forge in [] if deferred else forges:
        if store.get_forge(forge) is not None:
            store.save_page(forge, FEDERATED_SCOPE, [], [], {"seq": seq})
    return written, removed, full and not deferred, deferred


def federate_all(store: Store) -> tuple[int, int]:
    """Re-normalise every stored snapshot, federate across forges, upsert; tombstone what no
    snapshot produces any more. Returns (records written, records tombstoned).

    In bounded memory: the catalogue is derived as JSON text (`stream_catalogue`) and written
    `WRITE_CHUNK` records at a time, each chunk's reuse links settled against the store as an
    incremental federation does (a link to a record of a later chunk is settled with that one).
    """
    catalogue, organisations = stream_catalogue(
        store.iter_snapshots, store.list_forges(), organisation_directory(store)
    )
    live = store.record_ids()
    remembered = store.remembered_ids()
    ids = set(catalogue.ids())
    for chunk in catalogue.chunks(WRITE_CHUNK):
        settled = settle_reuse(store, chunk)
        if settled:
            store.upsert_records(settled)
        store.note_changes(chunk, scope={record.id for record in chunk})
    stale = sorted(live - ids)
    if stale:
        settled = settle_reuse(store, [], stale)
        if settled:
            store.upsert_records(settled)
        store.delete_records(stale)
    store.note_changes([], scope=remembered - ids)
    store.save_organisations(organisations)
    return len(catalogue), len(stale)


def ensure_organisations(store: Store) -> int:
    """Resolve the organisations of a catalogue stored before organisations existed (an
    upgrade): when live records lack an owner and an organisation but have stored snapshots
    (`Store.count_unresolved_organisations`), federate everything from the snapshots once —
    afterwards every such record has its owner, so later calls do nothing. Returns how many
    records were unresolved (0: nothing was done). `serve` and the crawl pipeline call it."""
    unresolved = store.count_unresolved_organisations()
    if unresolved:
        federate_all(store)
    return unresolved


def organisation_directory(store: Store) -> OrganisationDirectory:
    """The registries' organisations and the accounts' declared ones, as the store keeps them."""
    return OrganisationDirectory.from_registry(
        store.registry_organisations(), store.declared_organisations_by_owner()
    )


def _changed_since(store: Store, seq: int) -> set[str]:
    ids: set[str] = set()
    while True:
        page = store.changes_since(seq, limit=5000)
        ids.update(change.id for change in page)
        if len(page) < 5000:
            return ids
        seq = page[-1].seq


def _linked(record: Record) -> set[str]:
    """Ids of the repositories a record names: mirrors, aliases, forks, variants, upstreams."""
    relations = record.relations
    urls = [
        *relations.mirrors,
        *relations.aliases,
        *relations.is_based_on,
        *relations.variants,
        *relations.forks,
        *([relations.fork_of] if relations.fork_of else []),
        record.repository.url,
    ]
    return {record.id, *(canonical_id(url) for url in urls)}


def _federate_closure(store: Store, touched: set[str]) -> tuple[int, int]:
    registrations = {registration.name: registration for registration in store.list_forges()}
    directory = organisation_directory(store)
    ids: set[str] = set()
    snapshots: dict[tuple[str, str], RepositorySnapshot] = {}
    frontier = set(touched)
    while frontier:
        ids |= frontier
        found: set[str] = set(store.records_naming(frontier))
        for record in store.iter_records(ids=sorted(frontier)):
            found |= _linked(record)
        for snapshot in store.snapshots_of(frontier | found):
            key = (snapshot.forge, snapshot.forge_id)
            registration = registrations.get(snapshot.forge)
            if key in snapshots or registration is None:
                continue
            snapshots[key] = snapshot
            found |= _linked(record_from_snapshot(snapshot, registration=registration))
        frontier = found - ids
    merged, organisations = federated_catalogue(snapshots.values(), registrations, directory)
    live = {record.id for record in store.iter_records(ids=sorted(ids))}
    written = _write(store, merged, live, scope=ids)
    store.save_organisations(organisations)
    return written


def _write(
    store: Store, merged: list[Record], live: set[str], *, scope: set[str] | None
) -> tuple[int, int]:
    """Upsert `merged` with their reuse links settled (`cli.reuse_step`), tombstone the rest of
    `live`. Records whose reuse summary changed through `merged` are written too. Last, the
    change events of the write are noted (`Store.note_changes`): records of `scope` (None: the
    whole catalogue) that federation no longer produces count as removed."""
    stale = sorted(live - {record.id for record in merged})
    settled = settle_reuse(store, merged, stale) if merged or stale else []
    if settled:
        store.upsert_records(settled)
    if stale:
        store.delete_records(stale)
    store.note_changes(merged, scope=scope)  # reuse summaries are no event: merged suffice
    return len(merged), len(stale)
