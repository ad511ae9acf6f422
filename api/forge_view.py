"""A registered forge as the API and the forges page show it: records, last crawls, errors."""

from __future__ import annotations

from api.models import ForgeOut
from api.status_check import crawl_run_out
from indexer.store import Store
from schemas.forge import ForgeRegistration

MAX_ERRORS = 5


def forge_out(store: Store, registration: ForgeRegistration, *, crawls: int = 1) -> ForgeOut:
    """The forge with its record count, its latest `crawls` runs and the latest run's errors."""
    runs = [crawl_run_out(run) for run in store.crawl_runs(registration.name, limit=max(crawls, 1))]
    errors: list[str] = []
    if runs:
        for _record_id, finding in store.crawl_findings(runs[0].id):
            if finding.type == "error" and _record_id is None:
                errors.append(finding.message)
            if len(errors) == MAX_ERRORS:
                break
    return ForgeOut(
        registration=registration,
        records=store.count_records(forge=registration.name),
        invalid=store.count_records(forge=registration.name, valid=False),
        last_crawl=runs[0] if runs else None,
        crawls=runs if crawls > 1 else [],
        errors=errors,
        links={
            "self": f"/api/v1/forges/{registration.name}",
            "crawl": f"/api/v1/forges/{registration.name}/crawl",
            "search": f"/?forge={registration.name}",
            "errors": f"/api/v1/forges/{registration.name}/errors",
            "page": f"/forges/{registration.name}",
        },
    )
