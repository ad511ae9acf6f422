"""Crawl runs with their findings, per-scope checkpoints, and crawl jobs asked for over the API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from indexer.store.models import (
    CheckpointRow,
    CrawlJobRow,
    CrawlRunRow,
    FindingRow,
    ForgeRow,
    LeaseRow,
    RecordRow,
)
from indexer.store.values import CrawlJob, CrawlRun
from schemas.copying import from_attributes
from schemas.errors import NotFoundError, StoreError
from schemas.findings import Finding
from schemas.redaction import redact, secret_values

JOB_FINAL_STATUSES = ("succeeded", "failed")


def start_run(connection: Connection, forge: str, *, full: bool, now: datetime) -> int:
    """Insert a running crawl run of `forge`; return its id."""
    result = connection.execute(
        insert(CrawlRunRow)
        .values(forge=forge, full=full, started_at=now, status="running", stats={}, requests=0)
        .returning(CrawlRunRow.id)
    )
    return int(result.scalar_one())


def close_interrupted(connection: Connection, forge: str) -> int:
    """Mark `forge`'s runs still ``running`` as ``interrupted``; return how many.

    Called when a new run of the forge starts: a run still open then belonged to a process that
    was killed. Its `finished_at` stays empty, since when it stopped is not known.
    """
    result = connection.execute(
        update(CrawlRunRow)
        .where(CrawlRunRow.forge == forge, CrawlRunRow.status == "running")
        .values(status="interrupted")
    )
    return int(result.rowcount or 0)


def finish_run(
    connection: Connection,
    run_id: int,
    *,
    status: str,
    stats: Mapping[str, Any],
    findings: Sequence[Finding],
    record_findings: Mapping[str, Sequence[Finding]],
    requests: int,
    now: datetime,
) -> None:
    """Close run `run_id` and keep its findings and the catalogue size at this moment.

    Every finding's key and message is redacted first (`schemas.redaction`): the values of
    secret-named variables and of every registered forge's ``token_env``, and token shapes,
    never reach the table (findings are served without authentication).
    """
    forge = connection.scalar(select(CrawlRunRow.forge).where(CrawlRunRow.id == run_id))
    if forge is None:
        raise NotFoundError(f"no crawl run {run_id}; start one with start_crawl_run")
    live = connection.scalar(
        select(func.count()).select_from(RecordRow).where(RecordRow.deleted_at.is_(None))
    )
    connection.execute(
        update(CrawlRunRow)
        .where(CrawlRunRow.id == run_id)
        .values(
            finished_at=now,
            status=status,
            stats=dict(stats),
            requests=requests,
            records_total=int(live or 0),
        )
    )
    secrets = _secrets(connection)
    rows = [_finding_row(run_id, forge, None, finding, secrets) for finding in findings]
    for record_id, items in record_findings.items():
        rows.extend(_finding_row(run_id, forge, record_id, finding, secrets) for finding in items)
    if rows:
        connection.execute(insert(FindingRow), rows)


def _secrets(connection: Connection) -> list[str]:
    """Values to mask: secret-named variables and every registered forge's ``token_env``."""
    names = connection.scalars(select(ForgeRow.token_env).where(ForgeRow.token_env.is_not(None)))
    return secret_values(names=[name for name in names if name])


def _finding_row(
    run_id: int, forge: str, record_id: str | None, finding: Finding, secrets: list[str]
) -> dict[str, Any]:
    return {
        "crawl_run_id": run_id,
        "forge": forge,
        "record_id": record_id,
        "type": finding.type,
        "key": redact(finding.key, secrets),
        "line": finding.line,
        "column": finding.column,
        "message": redact(finding.message, secrets),
        "code": finding.code,
        "params": _redacted_params(finding.params, secrets),
    }


def _redacted_params(params: Mapping[str, str | int] | None, secrets: list[str]) -> dict[str, Any]:
    """`params` with every text value redacted (a forge's error text may echo a token)."""
    return {
        key: redact(value, secrets) if isinstance(value, str) else value
        for key, value in (params or {}).items()
    }


def _run(row: Any) -> CrawlRun:
    return from_attributes(CrawlRun, row, stats=dict(row.stats or {}))


def runs(connection: Connection, forge: str | None, limit: int) -> list[CrawlRun]:
    """The newest `limit` runs (of `forge`, or of all forges), newest first."""
    query = select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(limit)
    if forge is not None:
        query = query.where(CrawlRunRow.forge == forge)
    return [_run(row) for row in connection.execute(query)]


def finished_runs(connection: Connection, limit: int) -> list[CrawlRun]:
    """The newest `limit` finished runs, oldest first (the catalogue's size over time)."""
    query = (
        select(CrawlRunRow)
        .where(CrawlRunRow.finished_at.is_not(None))
        .order_by(CrawlRunRow.id.desc())
        .limit(limit)
    )
    return [_run(row) for row in reversed(connection.execute(query).all())]


def run_findings(connection: Connection, run_id: int) -> list[tuple[str | None, Finding]]:
    """The findings of run `run_id` as (record id or None, finding), in the order saved.

    Redacted again on the way out, so rows written before findings were redacted on write
    (older releases stored what a forge echoed) are never served with a secret in them.
    """
    query = select(FindingRow).where(FindingRow.crawl_run_id == run_id).order_by(FindingRow.id)
    secrets = _secrets(connection)
    return [
        (
            row.record_id,
            Finding(
                type=row.type,
                key=redact(row.key, secrets),
                line=row.line,
                column=row.column,
                message=redact(row.message, secrets),
                code=row.code,
                params=_redacted_params(row.params, secrets),
            ),
        )
        for row in connection.execute(query)
    ]


def get_checkpoint(connection: Connection, forge: str, scope: str) -> dict[str, Any] | None:
    """The saved state of (forge, scope), or None."""
    state = connection.scalar(
        select(CheckpointRow.state).where(
            CheckpointRow.forge == forge, CheckpointRow.scope == scope
        )
    )
    return None if state is None else dict(state)


def put_checkpoint(
    connection: Connection, forge: str, scope: str, state: dict[str, Any] | None, now: datetime
) -> None:
    """Replace the state of (forge, scope); None deletes it."""
    clear_checkpoint(connection, forge, scope)
    if state is not None:
        connection.execute(
            insert(CheckpointRow).values(forge=forge, scope=scope, state=state, updated_at=now)
        )


def clear_checkpoint(connection: Connection, forge: str, scope: str) -> None:
    """Delete the state of (forge, scope), if any."""
    connection.execute(
        delete(CheckpointRow).where(CheckpointRow.forge == forge, CheckpointRow.scope == scope)
    )


def _job(row: Any) -> CrawlJob:
    return from_attributes(CrawlJob, row)


def request_job(connection: Connection, forge: str, now: datetime) -> int:
    """Queue a crawl of `forge`; a crawl of it already queued is reused. Returns the job id."""
    queued = connection.scalar(
        select(CrawlJobRow.id)
        .where(CrawlJobRow.forge == forge, CrawlJobRow.status == "queued")
        .order_by(CrawlJobRow.id)
        .limit(1)
    )
    if queued is not None:
        return int(queued)
    result = connection.execute(
        insert(CrawlJobRow)
        .values(forge=forge, status="queued", requested_at=now)
        .returning(CrawlJobRow.id)
    )
    return int(result.scalar_one())


RUNNERLESS_GRACE = timedelta(minutes=10)
"""How long a running job claimed without a runner (before migration 0012, or by a caller that
holds no lease) is given before it counts as orphaned: its claimant may still be at work, and
no lease tells whether it lives."""


def close_orphaned_jobs(connection: Connection, now: datetime) -> list[int]:
    """Settle the jobs left ``running`` by a process that died (SIGKILL, a lost host); returns
    their ids.

    Jobs run only under a lease (`indexer.store.leases`, renewed while the runner lives): a
    running job whose runner holds no unexpired lease any more — it expired, or another process
    took it over — has no one left to finish it. A job without a runner counts as orphaned only
    when no lease is held at all and it has been running for `RUNNERLESS_GRACE`.

    An orphaned job that started a crawl of its forge is closed as ``failed``, and the forge's
    crawl runs still open since the job started as ``interrupted`` (their checkpoints stay, so
    the next crawl of the forge resumes where the killed one stopped). One that never started a
    crawl (its runner died between the claim and the crawl) did not fail: it is queued again,
    for the next runner to carry out.
    """
    running = connection.execute(
        select(CrawlJobRow.id, CrawlJobRow.forge, CrawlJobRow.started_at, CrawlJobRow.runner)
        .where(CrawlJobRow.status == "running")
        .order_by(CrawlJobRow.id)
    ).all()
    if not running:
        return []
    alive = set(connection.scalars(select(LeaseRow.holder).where(LeaseRow.expires_at > now)))

    def orphaned(job: Any) -> bool:
        if job.runner:
            return job.runner not in alive
        started = job.started_at
        return not alive and (started is None or now - started >= RUNNERLESS_GRACE)

    settled = [job for job in running if orphaned(job)]
    for job in settled:
        crawled = job.started_at is not None and _crawl_started_since(
            connection, job.forge, job.started_at
        )
        values: dict[str, Any] = (
            {"status": "failed", "finished_at": now}
            if crawled
            else {"status": "queued", "started_at": None, "runner": None}
        )
        connection.execute(
            update(CrawlJobRow)
            .where(CrawlJobRow.id == job.id, CrawlJobRow.status == "running")
            .values(**values)
        )
        if crawled:
            connection.execute(
                update(CrawlRunRow)
                .where(
                    CrawlRunRow.forge == job.forge,
                    CrawlRunRow.status == "running",
                    CrawlRunRow.started_at >= job.started_at,
                )
                .values(status="interrupted")
            )
    return [job.id for job in settled]


def _crawl_started_since(connection: Connection, forge: str, since: datetime) -> bool:
    """Whether a crawl run of `forge` started at or after `since`."""
    return (
        connection.scalar(
            select(CrawlRunRow.id)
            .where(CrawlRunRow.forge == forge, CrawlRunRow.started_at >= since)
            .limit(1)
        )
        is not None
    )


def claim_next_job(
    connection: Connection, now: datetime, runner: str | None = None
) -> CrawlJob | None:
    """Mark the oldest queued job running (claimed by lease holder `runner`) and return it;
    None when nothing waits."""
    job_id = connection.scalar(
        select(CrawlJobRow.id)
        .where(CrawlJobRow.status == "queued")
        .order_by(CrawlJobRow.id)
        .limit(1)
    )
    if job_id is None:
        return None
    connection.execute(
        update(CrawlJobRow)
        .where(CrawlJobRow.id == job_id, CrawlJobRow.status == "queued")
        .values(status="running", started_at=now, runner=runner)
    )
    return get_job(connection, int(job_id))


def finish_job(connection: Connection, job_id: int, status: str, now: datetime) -> None:
    """Mark job `job_id` succeeded or failed."""
    if status not in JOB_FINAL_STATUSES:
        raise StoreError(
            f"crawl job status {status!r} is not a final status; use one of {JOB_FINAL_STATUSES}"
        )
    result = connection.execute(
        update(CrawlJobRow).where(CrawlJobRow.id == job_id).values(status=status, finished_at=now)
    )
    if result.rowcount == 0:
        raise NotFoundError(f"no crawl job {job_id}")


def get_job(connection: Connection, job_id: int) -> CrawlJob | None:
    """Job `job_id`, or None."""
    row = connection.execute(select(CrawlJobRow).where(CrawlJobRow.id == job_id)).first()
    return None if row is None else _job(row)


def jobs(connection: Connection, forge: str | None, limit: int) -> list[CrawlJob]:
    """The newest `limit` jobs (of `forge`, or of all), newest first."""
    query = select(CrawlJobRow).order_by(CrawlJobRow.id.desc()).limit(limit)
    if forge is not None:
        query = query.where(CrawlJobRow.forge == forge)
    return [_job(row) for row in connection.execute(query)]
