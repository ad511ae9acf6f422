"""``/api/v1/jobs``: follow the crawls asked for over the API (issue 13).

``POST /api/v1/forges/{name}/crawl`` queues a job; the runner of `codereuse serve` (or the
scheduler of `codereuse run`) claims it, crawls the forge and finishes it. A job's crawl report
is the crawl run(s) of its forge that started while the job ran: status, counts (repositories,
with publiccode.yml, records with errors and with warnings, requests) and the forge's errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import FindingLanguage, StoreDep
from api.forge_view import forge_errors_of_run
from api.models import CrawlRunOut, FindingOut
from api.problems import ApiProblem, problem_responses
from api.status_check import crawl_run_out
from indexer.store import Store
from indexer.store.values import CrawlJob, CrawlJobStatus
from schemas.copying import from_attributes

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
MAX_ERRORS = 20


class JobOut(BaseModel):
    """One crawl job: its state, its timings and, once it ran, its crawl report."""

    id: int
    forge: str
    status: CrawlJobStatus = Field(description="queued, running, succeeded or failed")
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    waited_seconds: float | None = Field(description="from the request to the start")
    duration_seconds: float | None = Field(description="from the start to the end")
    report: list[CrawlRunOut] = Field(
        description="the forge's crawl run(s) of this job: status, stats, requests"
    )
    errors: list[str] = Field(
        description="the forge's errors in those runs, in the language asked for (lang)"
    )
    findings: list[FindingOut] = Field(
        description="the same errors as findings: code (crawl.refused…), params, English "
        "message, text in the language asked for"
    )
    links: dict[str, str] = Field(description="self, forge")


def job_out(store: Store, job: CrawlJob, language: str = "en") -> JobOut:
    """The API shape of `job` with its crawl report (see the module docstring), its errors
    worded in `language`."""
    runs = []
    if job.started_at is not None:
        for run in store.crawl_runs(job.forge, limit=20):
            ended = job.finished_at is None or run.started_at <= job.finished_at
            if run.started_at >= job.started_at and ended:
                runs.append(crawl_run_out(run))
    findings = [
        finding
        for run in runs
        for finding in forge_errors_of_run(store, run.id, language, MAX_ERRORS)
    ][:MAX_ERRORS]
    waited = (job.started_at - job.requested_at).total_seconds() if job.started_at else None
    took = (
        (job.finished_at - job.started_at).total_seconds()
        if job.started_at and job.finished_at
        else None
    )
    return from_attributes(
        JobOut,
        job,
        waited_seconds=waited,
        duration_seconds=took,
        report=runs,
        errors=[finding.text for finding in findings],
        findings=findings,
        links={"self": f"/api/v1/jobs/{job.id}", "forge": f"/api/v1/forges/{job.forge}"},
    )


@router.get("", response_model=list[JobOut], summary="Crawl jobs, newest first")
def list_jobs(
    store: StoreDep,
    forge: Annotated[str | None, Query(max_length=63, description="only this forge's")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="how many")] = 20,
    lang: FindingLanguage = "en",
) -> list[JobOut]:
    """The newest crawl jobs with their status, timings and crawl reports."""
    return [job_out(store, job, lang) for job in store.crawl_jobs(forge, limit=limit)]


@router.get(
    "/{job_id}",
    response_model=JobOut,
    summary="One crawl job: status, timings, crawl report",
    responses=problem_responses(404, 422),
)
def get_job(
    store: StoreDep,
    job_id: Annotated[int, Path(ge=1, le=2**62, description="job id")],
    lang: FindingLanguage = "en",
) -> JobOut:
    """A job asked for with ``POST /api/v1/forges/{name}/crawl`` (its ``id``)."""
    job = store.get_crawl_job(job_id)
    if job is None:
        raise ApiProblem(404, "not-found", f"no crawl job {job_id}; see /api/v1/jobs")
    return job_out(store, job, lang)
