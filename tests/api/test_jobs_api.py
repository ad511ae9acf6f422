"""``/api/v1/jobs`` (issue 13): a crawl asked for over the API can be followed — status,
timings and the crawl report — and schemathesis covers the routes (test_openapi_fuzz)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from indexer.store import Store
from schemas.findings import Finding
from tests.api.client import AppClient

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_a_queued_job_has_no_report_yet(client: AppClient, store: Store) -> None:
    """Queued: status, request time, no start, no report."""
    job_id = store.request_crawl("opencode", now=T0)
    body = client.get(f"/api/v1/jobs/{job_id}").json()
    assert ("queued", None, None, []) == (
        body["status"],
        body["started_at"],
        body["waited_seconds"],
        body["report"],
    )
    assert {"self": f"/api/v1/jobs/{job_id}", "forge": "/api/v1/forges/opencode"} == body["links"]


def test_a_finished_job_carries_timings_and_its_crawl_report(
    client: AppClient, store: Store
) -> None:
    """Finished: waited and duration in seconds, the crawl run of the job with its counts,
    and the forge's errors of that run."""
    job_id = store.request_crawl("opencode", now=T0)
    claimed = store.next_crawl_job(now=T0 + timedelta(seconds=30))
    assert claimed is not None and job_id == claimed.id
    run_id = store.start_crawl_run("opencode", full=False, now=T0 + timedelta(seconds=31))
    problem = Finding(type="error", key="crawl.group:amt", message="group amt: 503 from forge")
    store.finish_crawl_run(
        run_id,
        status="partial",
        stats={"repositories": 12, "with_publiccode": 5, "with_errors": 2, "with_warnings": 3},
        findings=[problem],
        requests=7,
        now=T0 + timedelta(seconds=90),
    )
    store.finish_crawl_job(job_id, "failed", now=T0 + timedelta(seconds=95))
    body = client.get(f"/api/v1/jobs/{job_id}").json()
    assert ("failed", 30.0, 65.0) == (
        body["status"],
        body["waited_seconds"],
        body["duration_seconds"],
    )
    (run,) = body["report"]
    assert ("partial", 12, 2, 3, 7) == (
        run["status"],
        run["stats"]["repositories"],
        run["stats"]["with_errors"],
        run["stats"]["with_warnings"],
        run["requests"],
    )
    assert ["group amt: 503 from forge"] == body["errors"]
    listed = client.get("/api/v1/jobs", params={"forge": "opencode"}).json()
    assert [job_id] == [job["id"] for job in listed]


def test_unknown_job_is_a_404_problem(client: AppClient) -> None:
    """A job id that does not exist is a 404 problem naming the list."""
    response = client.get("/api/v1/jobs/424242")
    assert 404 == response.status_code
    assert "/api/v1/jobs" in response.json()["detail"]
