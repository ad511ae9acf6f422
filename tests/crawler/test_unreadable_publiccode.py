"""A publiccode.yml the crawl sees but cannot read (issue 13): over the 1 MiB limit, truncated
by the forge, or not text. It must give a declared but unreadable record with an error finding
naming the size and the limit, never an inferred record without a finding, on every kind and
API; the status check then says "unreadable" with the size."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from tenacity import wait_none

from crawler.github.snapshots import snapshot_from_graphql, snapshot_from_rest
from crawler.normalise import records_from_snapshots
from crawler.normalise.records import record_from_snapshot
from crawler.run import CrawlOptions, crawl_forges
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.crawler.conftest import FakeTime, locate, public_resolver
from tests.crawler.fakeforge import FakeForge, FakeGitea, FakeGitHub, FakeGitLab, FakeRepo

HOST = "forge.example.org"
LIMIT = 1024 * 1024
SMALL = 'publiccodeYmlVersion: "0"\nname: Gross\nurl: "{url}"\n'
T0 = datetime(2026, 1, 1, tzinfo=UTC)
FETCHED = datetime(2026, 11, 1, tzinfo=UTC)
GITHUB = ForgeRegistration(name="hub", kind="github", url=f"https://{HOST}", orgs=["amt"])


def _crawl(
    tmp_path: Path, fake: FakeForge, registration: ForgeRegistration, **options: Any
) -> Store:
    store = create_store(f"sqlite:///{tmp_path / 'unreadable.db'}")
    store.add_forge(registration)
    time = FakeTime()
    with respx.mock(assert_all_called=False) as router:
        router.route(host=httpx.URL(locate(registration).rest).host).mock(side_effect=fake)
        asyncio.run(
            crawl_forges(
                [registration],
                store,
                CrawlOptions(
                    full=True,
                    wait=wait_none(),
                    sleep=time.sleep,
                    clock=time.clock,
                    resolver=public_resolver,
                    **options,
                ),
                normalise=records_from_snapshots,
                locate=locate,
                environ={"TOKEN": "secret-token"},
            )
        )
    return store


CASES = {
    # kind, API, fake, what the forge holds → the finding's code and size
    "github-graphql": ("github", False, FakeGitHub, 5_000_000, SMALL, "too_large", 5_000_000),
    "github-graphql-truncated": ("github", False, FakeGitHub, 700_000, SMALL, "truncated", 700_000),
    "github-rest": ("github", True, FakeGitHub, 5_000_000, SMALL, "too_large", 5_000_000),
    "gitlab-graphql": ("gitlab", False, FakeGitLab, 5_000_000, SMALL, "too_large", 5_000_000),
    "gitlab-graphql-truncated": ("gitlab", False, FakeGitLab, 900_000, SMALL, "truncated", 900_000),
    "gitlab-rest": ("gitlab", True, FakeGitLab, None, SMALL + "#" * LIMIT, "too_large", None),
    "gitea": ("gitea", False, FakeGitea, 5_000_000, SMALL, "too_large", 5_000_000),
    "gitea-over-its-api-limit": (
        "gitea",
        False,
        FakeGitea,
        12_000_000,
        SMALL,
        "too_large",
        12_000_000,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unreadable_file_gives_a_declared_record_with_a_finding(tmp_path: Path, case: str) -> None:
    """Every kind and API: the record is declared, invalid, carries the file's path and one
    error finding with the size and the 1 MiB limit; the status check says unreadable."""
    kind, rest, fake_kind, blob_size, text, problem, size = CASES[case]
    repo = FakeRepo(
        id=1, owner="amt", name="gross", activity=T0, publiccode=text, blob_size=blob_size
    )
    registration = ForgeRegistration(
        name="forge",
        kind=kind,
        url=f"https://{HOST}",
        orgs=["amt"] if kind == "github" else [],
        token_env=None if rest and kind == "github" else "TOKEN",
    )
    store = _crawl(tmp_path, fake_kind(HOST, [repo]), registration, prefer_rest=rest)
    (record,) = list(store.iter_records())
    (finding,) = [f for f in record.findings if f.code and f.code.startswith("publiccode.")]
    expected_size = size if size is not None else len((repo.content(HOST) or "").encode())
    assert (True, False, "publiccode.yml") == (
        record.declared,
        record.valid,
        record.provenance.file_path,
    )
    assert (f"publiccode.{problem}", "error") == (finding.code, finding.type)
    assert {"path": "publiccode.yml", "size": expected_size, "limit": LIMIT} == finding.params
    assert f"{expected_size:,}" in finding.message
    client = AppClient(build_app(store, built_search(store)))
    try:
        body = client.get("/api/v1/status", params={"url": f"https://{HOST}/amt/gross"}).json()
        assert ("unreadable", expected_size, LIMIT) == (
            body["status"],
            body["file_size"],
            body["file_limit"],
        )
        status_page = client.get(
            "/forges", params={"url": f"https://{HOST}/amt/gross", "lang": "de"}
        ).text
        assert "Gelistet, aber die publiccode.yml ist nicht lesbar" in status_page
        assert f"{expected_size:,}" in status_page
        page = client.get("/software/forge.example.org/amt/gross", params={"lang": "de"})
        assert 200 == page.status_code
        assert "Bytes" in page.text
    finally:
        client.close()
        store.close()


def test_binary_graphql_blob_is_undecodable_and_keeps_its_size() -> None:
    """GitHub sends no text for a binary blob: undecodable, with byteSize; never inferred."""
    node = {
        "databaseId": 7,
        "url": f"https://{HOST}/amt/bin",
        "nameWithOwner": "amt/bin",
        "yml": {"oid": "abc", "text": None, "byteSize": 2048, "isTruncated": False},
        "yaml": None,
    }
    snapshot = snapshot_from_graphql(node, "hub", FETCHED)
    assert (None, "publiccode.yml", "abc") == (
        snapshot.publiccode,
        snapshot.publiccode_path,
        snapshot.blob_id,
    )
    record = record_from_snapshot(snapshot, registration=GITHUB)
    assert ["publiccode.undecodable"] == [f.code for f in record.findings]
    assert {"path": "publiccode.yml", "size": 2048, "limit": LIMIT} == record.findings[0].params


def test_rest_entries_keep_their_three_fields() -> None:
    """GitHub REST contents entries stay [content, sha, etag]; the problem rides beside them
    in ``_unreadable`` and never enters the stored raw payload."""
    item = {
        "id": 9,
        "html_url": f"https://{HOST}/amt/x",
        "full_name": "amt/x",
        "_files": {"publiccode.yaml": ["bmFtZTogeAo=", "sha1", '"e"']},
        "_unreadable": {"publiccode.yml": {"problem": "too_large", "size": 3_000_000}},
    }
    snapshot = snapshot_from_rest(item, "hub", FETCHED)
    assert "_unreadable" not in snapshot.payload["raw"]
    assert ("publiccode.yml", None) == (snapshot.publiccode_path, snapshot.publiccode)
    assert {"problem": "too_large", "size": 3_000_000, "limit": LIMIT} == snapshot.payload[
        "publiccode_unreadable"
    ]
