"""``/api/v1/status``: listed, invalid, not found, not covered, not a repository URL."""

from __future__ import annotations

import pytest

from tests.api.client import AppClient


@pytest.mark.parametrize(
    ("url", "status", "forge"),
    [
        ("https://gitlab.opencode.de/stadt/beteiligung.git", "listed", "opencode"),
        ("https://gitlab.opencode.de/kreis/eakte", "invalid", "opencode"),
        ("https://gitlab.opencode.de/kreis/missing", "not_crawled", "opencode"),
        ("https://github.com/other-org/tool", "not_covered", None),
        ("https://gitlab.elsewhere.example/a/b", "not_covered", None),
    ],
)
def test_status_of_repository_urls(
    client: AppClient, url: str, status: str, forge: str | None
) -> None:
    """Each kind of URL gets its status and the forge covering it."""
    body = client.get("/api/v1/status", params={"url": url}).json()
    assert (status, forge) == (body["status"], body["forge"])


def test_invalid_status_carries_findings(client: AppClient) -> None:
    """An invalid record's status lists its findings and says to fix them."""
    body = client.get(
        "/api/v1/status", params={"url": "https://gitlab.opencode.de/kreis/eakte"}
    ).json()
    assert ["legal.license"] == [finding["key"] for finding in body["findings"]]
    assert "1 error" in body["message"]


def test_bad_url_status_explains(client: AppClient) -> None:
    """A URL without a repository path is bad_url with the reason, in German on request."""
    body = client.get(
        "/api/v1/status", params={"url": "https://gitlab.opencode.de/", "lang": "de"}
    ).json()
    assert "bad_url" == body["status"]
    assert "Repositorys" in body["message"]


def test_not_found_names_last_crawl(client: AppClient, store: object) -> None:
    """When the covering forge was crawled, the answer names its last crawl."""
    from indexer.store import Store

    assert isinstance(store, Store)
    run = store.start_crawl_run("opencode", full=True)
    store.finish_crawl_run(run, status="succeeded", stats={"repositories": 3})
    body = client.get(
        "/api/v1/status", params={"url": "https://gitlab.opencode.de/a/missing"}
    ).json()
    assert ("not_found", "succeeded") == (body["status"], body["last_crawl"]["status"])
    assert "last crawl" in body["message"]
