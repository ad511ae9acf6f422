"""A registered forge as the API and the forges page show it: records, last crawls, errors."""

from __future__ import annotations

from api.models import FindingOut, ForgeOut, findings_out
from api.status_check import crawl_run_out
from indexer.store import Store
from schemas.findings import Finding
from schemas.forge import ForgeRegistration

MAX_ERRORS = 5


def forge_errors_of_run(store: Store, run_id: int, language: str, limit: int) -> list[FindingOut]:
    """The forge-level error findings of one crawl run (at most `limit`), with their text in
    `language`: the code and parameters of the finding catalogue (``crawl.refused``,
    ``crawl.unreachable``…) beside the English message, as record findings are shown."""
    errors: list[Finding] = []
    for record_id, finding in store.crawl_findings(run_id):
        if finding.type == "error" and record_id is None:
            errors.append(finding)
            if len(errors) == limit:
                break
    return findings_out(errors, language)


def forge_out(
    store: Store,
    registration: ForgeRegistration,
    *,
    crawls: int = 1,
    language: str = "en",
) -> ForgeOut:
    """The forge with its record count, its latest `crawls` runs and the latest run's errors,
    worded in `language` (de or en)."""
    runs = [crawl_run_out(run) for run in store.crawl_runs(registration.name, limit=max(crawls, 1))]
    findings = forge_errors_of_run(store, runs[0].id, language, MAX_ERRORS) if runs else []
    return ForgeOut(
        registration=registration,
        records=store.count_records(forge=registration.name),
        invalid=store.count_records(forge=registration.name, valid=False),
        last_crawl=runs[0] if runs else None,
        crawls=runs if crawls > 1 else [],
        errors=[finding.text for finding in findings],
        findings=findings,
        links={
            "self": f"/api/v1/forges/{registration.name}",
            "crawl": f"/api/v1/forges/{registration.name}/crawl",
            "search": f"/?forge={registration.name}",
            "errors": f"/api/v1/forges/{registration.name}/errors",
            "page": f"/forges/{registration.name}",
        },
    )
