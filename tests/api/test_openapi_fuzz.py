"""schemathesis against ``/api/v1/openapi.json`` in-process: no 5xx, no answer that breaks the schema.

A bounded number of examples per operation keeps the run short; writes run with the admin
token against a throwaway store, and the forge registration check is one that refuses
everything (no network).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from api.app import create_app
from crawler.normalise.organisations import organisation_entities
from indexer.store import create_store
from schemas.errors import RegistrationError
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.api.conftest import ADMIN_TOKEN, built_search, corpus

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.response_schema_conformance,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
]


def refuse_all(url: str, **_: Any) -> Any:
    raise RegistrationError(f"{url}: registration refused in this test")


def fuzz(
    operations: list[Any], headers: dict[str, str], examples: int = EXAMPLES_PER_OPERATION
) -> list[str]:
    """Run `examples` generated requests per operation with our CHECKS; the failures found."""
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # collect all operations' failures, then report together
            failures.append(f"{operation.label}: {str(error)[:2000]}")
    return failures


def test_api_answers_conform_to_its_openapi(tmp_path: Path) -> None:
    """Generated requests to every operation get no 5xx and answers matching the schema."""
    store = create_store(f"sqlite:///{tmp_path / 'fuzz.db'}")
    store.upsert_records(corpus())
    store.save_organisations(organisation_entities(corpus(), {}))
    # A forge with a finished crawl job, so the jobs and error-list routes answer 200 too.
    store.add_forge(
        ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
    )
    job = store.request_crawl("opencode")
    store.next_crawl_job()
    run = store.start_crawl_run("opencode", full=False)
    store.finish_crawl_run(run, status="succeeded", stats={"repositories": 4})
    store.finish_crawl_job(job, "succeeded")

    backend = built_search(store)
    app = create_app(
        Settings(database_url="sqlite:///unused.db", admin_token=ADMIN_TOKEN),  # type: ignore[arg-type]
        store=store,
        search=backend,
        register_forge=refuse_all,
        check_webhook_url=refuse_all,
    )
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    labels = {operation.label for operation in operations}
    assert {
        "GET /api/v1/jobs",
        "GET /api/v1/jobs/{job_id}",
        "GET /api/v1/forges/{name}/errors",
        "GET /api/v1/organisations/{organisation_id}/errors",
        "POST /api/v1/forges",
        "PATCH /api/v1/forges/{name}",
    } <= labels

    failures = fuzz(operations, {"authorization": f"Bearer {ADMIN_TOKEN}"})
    store.close()
    assert [] == failures


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
