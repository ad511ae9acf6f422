"""`Store`: the one object the crawler adapter, the API and the search indexer talk to.

Every method runs in its own short transaction (the API reads while the crawler writes), except
`upsert_records`, which commits every 1,000 records, and the iterators, which read
one batch per transaction. Writers are serialised: SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a
transaction-level advisory lock, so change-feed sequence numbers are handed out in commit order.
Database failures surface as `StoreError` naming the database (password masked).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from indexer.store import (
    catalogue,
    crawl_state,
    forges,
    leases,
    maturity,
    organisations,
    pictures,
    proposals,
    repositories,
    unlisted,
)
from indexer.store import records as record_rows
from indexer.store.engine import WRITE_OPTION, lock_for_writing
from indexer.store.events import EventStoreMethods, note_changes
from indexer.store.forge_issues import ForgeIssueStoreMethods
from indexer.store.health import IntegrityProbe, describe_failure, location
from indexer.store.maturity import MaturityChange
from indexer.store.organisations import OrganisationCounts
from indexer.store.pictures import Picture
from indexer.store.reuse import ReuseStoreMethods
from indexer.store.values import (
    CatalogueStats,
    CatalogueTimeline,
    Change,
    CrawlJob,
    CrawlRun,
    Lease,
    RecordFacets,
    RecordMeta,
    Relation,
    RelationKind,
    UpsertSummary,
)
from indexer.store.webhooks import WebhookStoreMethods
from schemas.errors import StoreError
from schemas.findings import Finding
from schemas.forge import ForgeRegistration, RepositoryFingerprint, RepositorySnapshot
from schemas.organisation import OrganisationEntity, RegistryOrganisation
from schemas.proposal import Proposal
from schemas.record import Record


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store(ReuseStoreMethods, EventStoreMethods, WebhookStoreMethods, ForgeIssueStoreMethods):
    """The catalogue's source of truth on SQLite or PostgreSQL; build it with `create_store`.

    `clock` gives the time for every ``now`` not passed explicitly (tests inject one).
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._engine = engine
        self._clock = clock
        self._integrity = IntegrityProbe(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (the embedded search keeps its tables in the same database)."""
        return self._engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def check_integrity(self) -> None:
        """Raise `StoreError` when the store's pages cannot be read (checked at most once a minute).

        For readiness checks and before streaming exports: see `indexer.store.health`.
        """
        self._integrity.check()

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        try:
            with self._engine.connect() as connection:
                if write:
                    connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    if write:
                        lock_for_writing(connection)
                    yield connection
        except SQLAlchemyError as exc:
            raise StoreError(describe_failure(exc, location(self._engine.url))) from exc

    def _now(self, now: datetime | None) -> datetime:
        return now if now is not None else self._clock()

    # --- records -------------------------------------------------------------------------

    def upsert_records(
        self, records: Iterable[Record], *, now: datetime | None = None
    ) -> UpsertSummary:
        """Insert or update records keyed by canonical id; idempotent.

        Unchanged records (same content apart from `provenance.fetched_at`) only get
        `last_seen`; changed and new ones also `last_changed` and a change-feed entry. Commits
        every 1,000 records, streaming `records` (an iterator is fine).
        """
        moment = self._now(now)
        summary = UpsertSummary()
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= record_rows.BATCH_SIZE:
                with self._transaction(write=True) as connection:
                    summary += record_rows.upsert_batch(connection, batch, moment)
                batch = []
        if batch:
            with self._transaction(write=True) as connection:
                summary += record_rows.upsert_batch(connection, batch, moment)
        return summary

    def reassess_maturity(
        self, *, forges: Collection[str] | None = None, now: datetime | None = None
    ) -> UpsertSummary:
        """Re-assess the records (of `forges`; None: all) whose maturity changed with time
        alone by `now` (default: the clock): a repository nobody touched for 91 days stops
        being ``active`` although a recrawl finds it unchanged.

        Only records whose stored `maturity_due` has passed are read (an index lookup; rows
        from before it existed get it computed once); each is stored as fetched at `now`, with
        a change-feed entry and a maturity history row (`records.reassess`). The crawl
        pipeline calls it for the forges it crawled. Returns what was rewritten (``changed``).
        """
        moment = self._now(now)
        with self._transaction(write=True) as connection:
            ids = record_rows.reassess_due(connection, moment, forges)
        summary = UpsertSummary()
        for start in range(0, len(ids), record_rows.BATCH_SIZE):
            with self._transaction(write=True) as connection:
                summary += record_rows.reassess(
                    connection, ids[start : start + record_rows.BATCH_SIZE], moment
                )
        return summary

    def get_record(self, id: str, *, include_deleted: bool = False) -> Record | None:
        """The record with canonical id `id`; None when unknown or tombstoned."""
        with self._transaction(write=False) as connection:
            document = record_rows.get_document(connection, id, include_deleted=include_deleted)
        return None if document is None else record_rows.decode(document)

    def maturity_history(self, id: str) -> list[MaturityChange]:
        """The stored maturity assessments of record `id`, oldest first (only changes)."""
        return self._read(maturity.history, id)

    def get_record_meta(self, id: str) -> RecordMeta | None:
        """first_seen, last_seen, last_changed and deleted_at of record `id` (even deleted)."""
        return self._read(record_rows.get_meta, id)

    def record_metas(self, ids: Iterable[str], *, batch_size: int = 500) -> dict[str, RecordMeta]:
        """`get_record_meta` of those `ids` that exist (deleted ones too), by id: one query
        per `batch_size` ids instead of one per record (the Atom feed reads 50)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, RecordMeta] = {}
        for start in range(0, len(wanted), batch_size):
            with self._transaction(write=False) as connection:
                found.update(record_rows.metas_of(connection, wanted[start : start + batch_size]))
        return found

    def iter_records(
        self,
        *,
        ids: Iterable[str] | None = None,
        include_deleted: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[Record]:
        """Stream records in constant memory, one short read transaction per batch.

        Without `ids`: every record ordered by id. With `ids`: those that exist, in the order
        given (unknown ids are skipped).
        """
        for document in self.iter_documents(
            ids=ids, include_deleted=include_deleted, batch_size=batch_size
        ):
            yield record_rows.decode(document)

    def iter_documents(
        self,
        *,
        ids: Iterable[str] | None = None,
        include_deleted: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[str]:
        """The stored JSON of the records `iter_records` yields, in the same order, unparsed.

        Each document is a record's JSON without its computed fields (`Record.model_validate_json`
        reads it back). For bulk readers that need speed more than models: tabular exports, and
        filters that screen the text before parsing.
        """
        if ids is not None:
            wanted = list(dict.fromkeys(ids))
            for start in range(0, len(wanted), batch_size):
                chunk = wanted[start : start + batch_size]
                with self._transaction(write=False) as connection:
                    found = record_rows.documents_of(
                        connection, chunk, include_deleted=include_deleted
                    )
                for record_id in chunk:
                    if record_id in found:
                        yield found[record_id]
            return
        after: str | None = None
        while True:
            with self._transaction(write=False) as connection:
                page = record_rows.documents_after(connection, after, batch_size)
            for _record_id, document, deleted in page:
                if include_deleted or not deleted:
                    yield document
            if len(page) < batch_size:
                return
            after = page[-1][0]

    def iter_facets(self, *, batch_size: int = 1000) -> Iterator[RecordFacets]:
        """Every live record's filterable columns (`RecordFacets`), ordered by id, without its
        JSON: what a filtered export reads first to find the few documents it needs."""
        after: str | None = None
        while True:
            with self._transaction(write=False) as connection:
                page = record_rows.facets_after(connection, after, batch_size)
            yield from (facets for facets, deleted in page if not deleted)
            if len(page) < batch_size:
                return
            after = page[-1][0].id

    def count_records(
        self,
        *,
        include_deleted: bool = False,
        forge: str | None = None,
        declared: bool | None = None,
        valid: bool | None = None,
    ) -> int:
        """How many records match (live only unless `include_deleted`)."""
        with self._transaction(write=False) as connection:
            return record_rows.count(
                connection,
                include_deleted=include_deleted,
                forge=forge,
                declared=declared,
                valid=valid,
            )

    def record_ids(self) -> set[str]:
        """The ids of every live record."""
        return self._read(record_rows.live_ids)

    def delete_records(self, ids: Iterable[str], *, now: datetime | None = None) -> list[str]:
        """Tombstone the live records among `ids`; return those ids (each gets a feed entry)."""
        return self._write(record_rows.tombstone, ids, self._now(now))

    def changes_since(self, seq_or_time: int | datetime, limit: int = 1000) -> list[Change]:
        """Up to `limit` change-feed entries after a seq number or a time, oldest first.

        Pass the last `Change.seq` you processed (0 for everything) to page through the feed.
        """
        return self._read(record_rows.changes_since, seq_or_time, limit)

    def latest_change_seq(self) -> int:
        """The newest change-feed seq; 0 when nothing ever changed."""
        return self._read(record_rows.latest_change_seq)

    def find_record_by_url(self, url: str) -> str | None:
        """The live record id for a repository URL, current or earlier (alias); else None.

        Raises:
            InvalidURLError: `url` does not name a repository.
        """
        return self._read(catalogue.find_record_by_url, url)

    # --- forges --------------------------------------------------------------------------

    def add_forge(self, registration: ForgeRegistration) -> None:
        """Register a forge. Raises `ForgeExistsError` when the name is taken."""
        self._write(forges.add, registration, self._clock())

    def update_forge(self, registration: ForgeRegistration) -> None:
        """Replace a registration by name. Raises `NotFoundError` when it is not registered."""
        self._write(forges.update_registration, registration, self._clock())

    def get_forge(self, name: str) -> ForgeRegistration | None:
        """The registration called `name`, or None."""
        return self._read(forges.get, name)

    def list_forges(self) -> list[ForgeRegistration]:
        """Every registration, ordered by name."""
        return self._read(forges.list_all)

    def remove_forge(self, name: str, *, now: datetime | None = None) -> list[str]:
        """Unregister a forge with its repositories, runs, checkpoints and jobs.

        Records only that forge held are tombstoned (each with a ``removed`` change event);
        returns their ids. Raises `NotFoundError`.
        """
        moment = self._now(now)
        with self._transaction(write=True) as connection:
            removed = forges.remove(connection, name, moment)
            note_changes(connection, [], scope=removed, now=moment)
            return removed

    # --- crawl state ---------------------------------------------------------------------

    def start_crawl_run(self, forge: str, *, full: bool, now: datetime | None = None) -> int:
        """Open a crawl run of a registered forge; return its id. Raises `NotFoundError`."""
        with self._transaction(write=True) as connection:
            forges.require(connection, forge)
            return crawl_state.start_run(connection, forge, full=full, now=self._now(now))

    def close_interrupted_runs(self, forge: str) -> int:
        """Close `forge`'s runs left ``running`` by a killed process as ``interrupted``."""
        return self._write(crawl_state.close_interrupted, forge)

    def finish_crawl_run(
        self,
        run_id: int,
        *,
        status: str,
        stats: Mapping[str, Any],
        findings: Sequence[Finding] = (),
        requests: int = 0,
        record_findings: Mapping[str, Sequence[Finding]] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Close a run with its status (e.g. succeeded, failed, partial), counters and findings.

        `findings` concern the forge; `record_findings` concern single records, by record id.
        """
        with self._transaction(write=True) as connection:
            crawl_state.finish_run(
                connection,
                run_id,
                status=status,
                stats=stats,
                findings=findings,
                record_findings=record_findings or {},
                requests=requests,
                now=self._now(now),
            )

    def crawl_runs(self, forge: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """The newest runs, newest first."""
        return self._read(crawl_state.runs, forge, limit)

    def crawl_findings(self, run_id: int) -> list[tuple[str | None, Finding]]:
        """The findings of one run as (record id or None for the forge, finding)."""
        return self._read(crawl_state.run_findings, run_id)

    def fingerprints(self, forge: str) -> dict[str, RepositoryFingerprint]:
        """What the last crawl saw of each live repository of `forge`, by forge id."""
        return self._read(repositories.fingerprints, forge)

    def save_page(
        self,
        forge: str,
        scope: str,
        snapshots: Sequence[RepositorySnapshot],
        records: Sequence[Record],
        checkpoint: dict[str, Any] | None,
        *,
        unlisted_repositories: Sequence[tuple[str, str, str]] = (),
        now: datetime | None = None,
    ) -> UpsertSummary:
        """Save one crawled page in ONE transaction: snapshots, records, then the checkpoint.

        Either all of it is saved or none of it (a crash or SIGKILL leaves the previous
        checkpoint, so the crawl resumes at this page). `checkpoint` None deletes the scope's
        checkpoint (its listing is done). Snapshots whose forge id now maps to another
        canonical id are renames: the old URL becomes an alias of the new record and the old
        record is tombstoned unless another repository holds it. `unlisted_repositories`
        holds (canonical id, url, reason) of repositories the page left out of the catalogue
        (see `repository_states`). Raises `NotFoundError` for an unregistered forge.
        """
        moment = self._now(now)
        with self._transaction(write=True) as connection:
            forges.require(connection, forge)
            left_behind = repositories.save_snapshots(connection, forge, snapshots, moment)
            unlisted.forget_unlisted(connection, forge, (s.canonical_id for s in snapshots))
            unlisted.note_unlisted(connection, forge, unlisted_repositories, moment)
            summary = record_rows.upsert_batch(connection, records, moment)
            if left_behind:
                held = forges.held_elsewhere(connection, set(left_behind))
                record_rows.tombstone(connection, [i for i in left_behind if i not in held], moment)
            crawl_state.put_checkpoint(connection, forge, scope, checkpoint, moment)
            return summary

    def repository_states(self, canonical_id: str) -> list[unlisted.RepositoryState]:
        """What the crawls saw of the repository `canonical_id`, per forge (the status check)."""
        return self._read(unlisted.repository_states, canonical_id)

    def get_checkpoint(self, forge: str, scope: str) -> dict[str, Any] | None:
        """The checkpoint of (forge, scope) saved by the last `save_page`, or None."""
        return self._read(crawl_state.get_checkpoint, forge, scope)

    def clear_checkpoint(self, forge: str, scope: str) -> None:
        """Forget the checkpoint of (forge, scope), so the next crawl starts the scope afresh."""
        self._write(crawl_state.clear_checkpoint, forge, scope)

    def record_listing(
        self,
        forge: str,
        seen_forge_ids: Collection[str],
        *,
        complete: bool,
        tombstone_after: int = 3,
        now: datetime | None = None,
    ) -> list[str]:
        """Count a listing of `forge`; return the record ids it tombstoned.

        Only a `complete` listing (every page answered) counts: unseen live repositories miss
        once more, seen ones are reset, and a repository missed `tombstone_after` complete
        listings in a row is tombstoned with its record (unless another forge's repository
        still holds it). An incomplete listing changes nothing: errors never delete.
        """
        if not complete:
            return []
        if tombstone_after < 1:
            raise StoreError(f"tombstone_after must be at least 1, not {tombstone_after}")
        with self._transaction(write=True) as connection:
            forges.require(connection, forge)
            return repositories.record_listing(
                connection,
                forge,
                seen_forge_ids,
                tombstone_after=tombstone_after,
                now=self._now(now),
            )

    def rename_repository(
        self, forge: str, forge_id: str, new_url: str, *, now: datetime | None = None
    ) -> str:
        """Follow a rename or move of (forge, forge_id) to `new_url`; return the new record id.

        The old URL stays as an alias (`find_record_by_url` still finds the record), the record
        moves to the new canonical id, and an alias relation links new to old.
        """
        return self._write(repositories.rename, forge, forge_id, new_url, self._now(now))

    def iter_snapshots(
        self, forge: str | None = None, *, batch_size: int = 500
    ) -> Iterator[RepositorySnapshot]:
        """Stream the raw snapshots of live repositories (re-normalisation without network).

        Ordered by the order they were first saved, or by forge id when `forge` is given.
        """
        after: int | str | None = None
        while True:
            with self._transaction(write=False) as connection:
                page = repositories.snapshots_after(connection, forge, after, batch_size)
            for _cursor, snapshot in page:
                if snapshot is not None:
                    yield snapshot
            if len(page) < batch_size:
                return
            after = page[-1][0]

    def snapshots_of(self, canonical_ids: Collection[str]) -> list[RepositorySnapshot]:
        """The live snapshots of the repositories with these canonical ids, on any forge."""
        return self._read(repositories.snapshots_of, canonical_ids)

    def records_naming(self, ids: Collection[str]) -> set[str]:
        """Ids of the live records whose document names one of the repositories `ids` by URL
        (as a mirror, fork, variant or upstream): what must be re-federated when they change."""
        return self._read(record_rows.ids_naming, ids)

    def get_publiccode(self, record_id: str) -> bytes | None:
        """The raw publiccode.yml bytes of the live repository behind record `record_id`.

        When several live repositories map to the id (the same repository on two registered
        forges), the most recently fetched one wins. None when there is no such file.
        """
        return self._read(repositories.publiccode_of, record_id)

    # --- crawl jobs ----------------------------------------------------------------------

    def request_crawl(self, forge: str, *, now: datetime | None = None) -> int:
        """Queue a crawl of a registered forge (reusing one already queued); return the job id."""
        with self._transaction(write=True) as connection:
            forges.require(connection, forge)
            return crawl_state.request_job(connection, forge, self._now(now))

    def next_crawl_job(
        self, *, runner: str | None = None, now: datetime | None = None
    ) -> CrawlJob | None:
        """Claim the oldest queued job for lease holder `runner` (it becomes running); None
        when none waits. Jobs a killed runner left running are closed first
        (`close_orphaned_crawl_jobs`)."""
        with self._transaction(write=True) as connection:
            moment = self._now(now)
            crawl_state.close_orphaned_jobs(connection, moment)
            return crawl_state.claim_next_job(connection, moment, runner)

    def close_orphaned_crawl_jobs(self, *, now: datetime | None = None) -> list[int]:
        """Settle the running jobs whose runner holds no lease any more (it was killed): one
        that started a crawl fails, and its forge's open crawl runs become interrupted; one
        that never started a crawl is queued again. Returns the job ids."""
        return self._write(crawl_state.close_orphaned_jobs, self._now(now))

    def finish_crawl_job(self, job_id: int, status: str, *, now: datetime | None = None) -> None:
        """Mark a job ``succeeded`` or ``failed``. Raises `NotFoundError` for an unknown id."""
        self._write(crawl_state.finish_job, job_id, status, self._now(now))

    def get_crawl_job(self, job_id: int) -> CrawlJob | None:
        """One job, or None."""
        return self._read(crawl_state.get_job, job_id)

    def crawl_jobs(self, forge: str | None = None, limit: int = 20) -> list[CrawlJob]:
        """The newest jobs, newest first."""
        return self._read(crawl_state.jobs, forge, limit)

    # --- leases --------------------------------------------------------------------------

    def acquire_lease(
        self, name: str, holder: str, *, seconds: float, now: datetime | None = None
    ) -> Lease:
        """Take or renew lease `name` for `holder`; returns who holds it now (`leases.acquire`)."""
        return self._write(leases.acquire, name, holder, seconds, self._now(now))

    def release_lease(self, name: str, holder: str) -> None:
        """Give lease `name` up if `holder` holds it."""
        self._write(leases.release, name, holder)

    def get_lease(self, name: str) -> Lease | None:
        """Lease `name` as stored (possibly expired), or None."""
        return self._read(leases.current, name)

    # --- relations and statistics --------------------------------------------------------

    def set_relations(self, from_id: str, kind: RelationKind, to_ids: Iterable[str]) -> None:
        """Replace the `kind` links leaving `from_id` with links to `to_ids`."""
        self._write(catalogue.set_relations, from_id, kind, to_ids)

    def relations_of(self, id: str) -> list[Relation]:
        """Every relation leaving or reaching record `id`."""
        return self._read(catalogue.relations_of, id)

    def stats(self) -> CatalogueStats:
        """Counts by forge, organisation, licence, language, category; size per crawl run."""
        return self._read(catalogue.stats)

    def save_picture(self, picture: Picture) -> None:
        """Keep a fetched (or refused) picture; replaces what was stored for its URL."""
        self._write(pictures.save, picture)

    def get_picture(self, key: str) -> Picture | None:
        """The picture stored under `key` (`picture_key` of its URL), or None."""
        return self._read(pictures.get, key)

    def known_pictures(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` already fetched or refused (so not to fetch again)."""
        return self._read(pictures.known, urls)

    def picture_sizes(self, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Width and height of the usable pictures among `keys` (one query for a page)."""
        return self._read(pictures.summaries, keys)

    def timeline(self) -> CatalogueTimeline:
        """Records first seen per month, last active per year, and declared-but-invalid."""
        return self._read(catalogue.timeline)

    # --- proposals -----------------------------------------------------------------------

    def save_proposal(self, proposal: Proposal) -> None:
        """Remember a merge/pull request opened for a record (replaces its earlier state)."""
        self._write(proposals.save, proposal)

    def get_proposal(self, record_id: str) -> Proposal | None:
        """The proposal made for `record_id`, or None."""
        return self._read(proposals.get, record_id)

    def list_proposals(self, forge: str | None = None) -> list[Proposal]:
        """Every proposal (of one forge), oldest first."""
        return self._read(proposals.listing, forge)

    # --- organisations ------------------------------------------------------------------

    def save_organisations(
        self, entities: Iterable[OrganisationEntity], *, now: datetime | None = None
    ) -> int:
        """Insert or replace organisations (accounts known before are kept); returns the count."""
        return self._write(organisations.save, entities, self._now(now))

    def get_organisation(self, id: str) -> OrganisationEntity | None:
        """The organisation `id`, or None."""
        return self._read(organisations.get, id)

    def list_organisations(self) -> list[OrganisationEntity]:
        """Every stored organisation (persons included), by id."""
        return self._read(organisations.every)

    def organisation_counts(self) -> dict[str, OrganisationCounts]:
        """Organisation id → counts of its live records (software, declared, valid, forges)."""
        return self._read(organisations.counts)

    def count_unresolved_organisations(self) -> int:
        """Live records stored before organisations existed that a re-federation from their
        stored snapshots would resolve (`cli.pipeline.ensure_organisations`)."""
        return self._read(organisations.unresolved)

    def organisation_record_ids(self, id: str) -> list[str]:
        """Ids of the live records of organisation `id`."""
        return self._read(organisations.record_ids, id)

    def declared_organisations_by_owner(self) -> dict[str, str]:
        """Owner path → organisation id its declared records name most (for federation)."""
        return self._read(organisations.declared_by_owner)

    def save_registry_organisations(
        self, entries: Iterable[RegistryOrganisation], *, now: datetime | None = None
    ) -> int:
        """Keep what registry files say about organisations (replaces each source's entries)."""
        return self._write(organisations.save_registry, entries, self._now(now))

    def registry_organisations(self) -> list[RegistryOrganisation]:
        """Every registry entry ``forges import`` kept."""
        return self._read(organisations.registry)
