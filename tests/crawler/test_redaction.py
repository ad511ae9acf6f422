"""Secrets a forge echoes never reach the store (findings are served without authentication)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import respx
from tenacity import wait_none

from crawler.run import CrawlOptions, crawl_forges
from indexer.store import create_store
from schemas.findings import Finding
from schemas.forge import ForgeRegistration
from schemas.redaction import redact
from tests.crawler.conftest import FakeTime, public_resolver

TOKEN = "s3cret-forge-value-42"  # no token shape: only knowing the value can mask it
FAKE_GITLAB_TOKEN = "glpat" + "-" + "f6g7h8i9j0" * 2
LAB = ForgeRegistration(
    name="lab", kind="gitlab", url="https://gitlab.example.org", token_env="LAB_ACCESS"
)


def test_a_token_echoed_in_an_error_body_is_not_stored(tmp_path: Path, fake_time: FakeTime) -> None:
    """A 401 quoting the token and its Authorization header leaves no trace of it in the store."""
    echo = (
        f'{{"message": "401 Unauthorized: token {TOKEN} invalid (Authorization: Bearer {TOKEN})"}}'
    )
    database = tmp_path / "store.db"
    with create_store(f"sqlite:///{database}") as store:
        store.add_forge(LAB)
        with respx.mock(assert_all_called=False) as router:
            router.route(host="gitlab.example.org").respond(401, text=echo)
            [report] = asyncio.run(
                crawl_forges(
                    [LAB],
                    store,
                    CrawlOptions(wait=wait_none(), sleep=fake_time.sleep, resolver=public_resolver),
                    environ={"LAB_ACCESS": TOKEN},
                )
            )
        [run] = store.crawl_runs("lab")
        messages = [finding.message for _, finding in store.crawl_findings(run.id)]
    assert "HTTP 401" in messages[0]
    assert all(
        TOKEN not in message for message in [*messages, *(f.message for f in report.findings)]
    )
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert TOKEN.encode() not in stored


def test_the_store_masks_secrets_of_every_registered_token_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings written by any caller lose the values of forges' token variables and token shapes."""
    monkeypatch.setenv("LAB_ACCESS", TOKEN)
    with create_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        store.add_forge(LAB)
        run_id = store.start_crawl_run("lab", full=True)
        store.finish_crawl_run(
            run_id,
            status="partial",
            stats={},
            findings=[
                Finding(type="error", key="crawl.instance", message=f"echo {TOKEN}"),
                Finding(type="error", key="crawl.x", message=f"PRIVATE-TOKEN: {FAKE_GITLAB_TOKEN}"),
            ],
            record_findings={
                "gitlab.example.org/a": [
                    Finding(type="error", key="url", message=f"?private_token={TOKEN}")
                ]
            },
        )
        messages = [finding.message for _, finding in store.crawl_findings(run_id)]
    assert ["echo ***", "PRIVATE-TOKEN: ***", "?private_token=***"] == messages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: token 0123456789abcdef0123", "Authorization: token ***"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic ***"),
        ("JOB-TOKEN: abcdefgh1234", "JOB-TOKEN: ***"),
        ("https://x.org/api?access_token=abc&page=2", "https://x.org/api?access_token=***&page=2"),
        ("the token expired, ask for a new token", "the token expired, ask for a new token"),
    ],
)
def test_redact_masks_credential_shapes_and_leaves_prose(text: str, expected: str) -> None:
    """`token X`, Basic, JOB-TOKEN and access_token= are masked; ordinary words stay."""
    assert expected == redact(text, secrets=[])


def test_findings_stored_before_redaction_existed_are_served_masked(tmp_path: Path) -> None:
    """A row an older release stored with an echoed token is masked when it is read."""
    from sqlalchemy import update

    from indexer.store.models import FindingRow

    with create_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        store.add_forge(LAB)
        run_id = store.start_crawl_run("lab", full=True)
        store.finish_crawl_run(
            run_id,
            status="partial",
            stats={},
            findings=[Finding(type="error", key="crawl.instance", message="HTTP 401")],
        )
        with store.engine.begin() as connection:  # what an older release wrote
            connection.execute(update(FindingRow).values(message=f"HTTP 401: Bearer {TOKEN}"))
        [(_, finding)] = store.crawl_findings(run_id)
    assert "HTTP 401: Bearer ***" == finding.message
