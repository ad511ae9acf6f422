"""Failure paths of the Meilisearch backend, against the fake server (they need fault injection)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from indexer.search.meilisearch import (
    MeilisearchBackend,
    MeilisearchClient,
    create_meilisearch_backend,
)
from indexer.search.protocol import ActivityRange
from schemas.errors import (
    BackendVersionError,
    ConfigurationError,
    InvalidQueryError,
    SearchError,
    SearchServerError,
)
from schemas.settings import Settings
from tests.search.meili_corpus import CORPUS, DECIDIM, TERMINE
from tests.search.meili_fake import FakeMeilisearch
from tests.search.meili_openapi import ContractTransport
from tests.search.meili_server import FAKE_URL, MeiliServer, open_server


@pytest.fixture
def server() -> Iterator[MeiliServer]:
    yield from open_server("fake")


def fake(server: MeiliServer) -> FakeMeilisearch:
    assert server.fake is not None
    return server.fake


def test_failed_task_raises_with_meilisearch_code_and_message(server: MeiliServer) -> None:
    """A document task that fails raises SearchServerError carrying the server's code."""
    fake(server).fail_next(
        "documentAdditionOrUpdate", "invalid_document_fields", "Document has a bad field `x`."
    )
    with pytest.raises(SearchServerError) as raised:
        server.backend().upsert(CORPUS)
    assert "invalid_document_fields" == raised.value.code
    assert "Document has a bad field `x`." in str(raised.value)
    assert "documentAdditionOrUpdate" in str(raised.value)


def test_old_server_is_refused_before_anything_else(server: MeiliServer) -> None:
    """A server below the minimum version gets BackendVersionError after GET /version only."""
    fake(server).version = "1.49.2"
    with pytest.raises(BackendVersionError) as raised:
        server.backend().upsert(CORPUS)
    assert ["GET /version"] == server.transport.routes()
    assert "1.49.2" in str(raised.value) and "1.50.0" in str(raised.value)
    with pytest.raises(BackendVersionError):
        server.backend().search("x")


def test_minimum_version_and_prereleases_are_accepted(server: MeiliServer) -> None:
    """Exactly the minimum version, and a pre-release tag of a newer one, are fine."""
    fake(server).version = "1.50.0"
    server.backend().upsert(CORPUS)
    fake(server).version = "v1.54.0-rc.1"
    assert 4 == server.backend().search().total


def test_unreadable_version_is_an_error(server: MeiliServer) -> None:
    """A version string that is not x.y.z raises SearchError naming it."""
    fake(server).version = "nightly"
    with pytest.raises(SearchError, match="nightly"):
        server.backend().search()


@pytest.mark.parametrize(
    "request_arguments",
    [
        {"filters": {"licence_id": ("MIT",)}},
        {"filters": {"licence": "MIT"}},
        {"filters": {"last_activity": ("2024",)}},
        {"filters": {"licence": (ActivityRange(),)}},
        {"filters": {"declared": ("yes",)}},
        {"facets": ["stars"]},
        {"sort": "rank"},
        {"sort": "stars:desc"},
        {"page": 0},
        {"per_page": 101},
        {"locale": "es"},
        {"query": "x" * 10_000},
    ],
)
def test_unusable_requests_are_refused_before_any_request(
    server: MeiliServer, request_arguments: dict[str, object]
) -> None:
    """Unknown filters, facets, sorts, bad pages, locales and huge queries never reach the server."""
    with pytest.raises(InvalidQueryError):
        server.backend().search(**request_arguments)  # type: ignore[arg-type]
    assert [] == server.transport.requests


def test_task_waiting_backs_off_with_the_injected_sleep(server: MeiliServer) -> None:
    """Polls wait 50 ms, doubling, through the injected sleep."""
    fake(server).polls_before_done = 3
    server.backend().upsert([DECIDIM])
    assert [0.05, 0.1, 0.2] * 3 == server.sleeps


def test_a_task_that_never_finishes_times_out(server: MeiliServer) -> None:
    """Past the task timeout the wait stops with a SearchError naming the task; polls cap at 1 s."""
    fake(server).polls_before_done = 10**9
    sleeps: list[float] = []
    client = MeilisearchClient(
        server.url,
        server.key,
        transport=server.transport,
        task_timeout=30,
        sleep=sleeps.append,
        clock=lambda: sum(sleeps),
    )
    with pytest.raises(SearchError, match=r"task 0 .* still enqueued after 30 s"):
        MeilisearchBackend(client, server.index).upsert([DECIDIM])
    assert [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0] == sleeps[:7]
    assert 30 <= sum(sleeps) < 31


def test_the_key_is_sent_as_bearer_and_never_shown(server: MeiliServer) -> None:
    """The key goes in Authorization; a refused key's error names the setting, not the key."""
    good = server.backend()
    good.upsert([DECIDIM])
    assert all(
        "Bearer fake-master-key" == headers["authorization"] for headers in server.transport.headers
    )
    server.key = "wrong-secret-key"
    with pytest.raises(SearchServerError) as raised:
        server.backend().search()
    assert "invalid_api_key" == raised.value.code
    assert "CODEREUSE_MEILI_KEY" in str(raised.value)
    assert "wrong-secret-key" not in str(raised.value)


def test_the_key_never_reaches_the_logs(
    server: MeiliServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Debug logging of writes, waits and a failed task holds no key."""
    caplog.set_level(logging.DEBUG)
    fake(server).fail_next("settingsUpdate", "invalid_settings_ranking_rules", "bad rules")
    with pytest.raises(SearchServerError):
        server.backend().upsert(CORPUS)
    assert caplog.records, "the backend logs its requests at debug level"
    assert "fake-master-key" not in caplog.text


def test_an_unreachable_server_is_a_search_error_without_credentials() -> None:
    """A connection failure names the URL without its user and password."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    settings = Settings(meili_url="http://admin:hunter2@127.0.0.1:7700", meili_key="s3cret-key")
    backend = create_meilisearch_backend(settings, transport=httpx.MockTransport(refuse))
    with pytest.raises(SearchError) as raised:
        backend.search()
    assert "http://127.0.0.1:7700" in str(raised.value)
    assert "hunter2" not in str(raised.value) and "s3cret-key" not in str(raised.value)


def test_searching_a_missing_index_says_how_to_build_it(server: MeiliServer) -> None:
    """Searching before any write explains that the index must be built."""
    with pytest.raises(SearchServerError, match="codereuse index --rebuild") as raised:
        server.backend().search()
    assert "index_not_found" == raised.value.code


def test_failed_rebuild_keeps_the_live_index_and_drops_the_new_one(server: MeiliServer) -> None:
    """When the rebuild's documents fail, the live index is untouched and the new one deleted."""
    server.backend().upsert([TERMINE])
    fake(server).fail_next("documentAdditionOrUpdate", "invalid_document_id", "bad id")
    with pytest.raises(SearchServerError, match="bad id"):
        server.backend(CORPUS).rebuild()
    assert [server.index] == sorted(fake(server).indexes)
    assert [TERMINE.id] == [hit.id for hit in server.backend().search().hits]


def test_rebuild_needs_a_record_source(server: MeiliServer) -> None:
    """A backend built without a record source refuses to rebuild, before any request."""
    with pytest.raises(ConfigurationError, match="record source"):
        MeilisearchBackend(server.client(), server.index).rebuild()
    assert [] == server.transport.requests


def test_an_index_with_a_foreign_primary_key_is_not_touched(server: MeiliServer) -> None:
    """An existing index keyed on another field is refused rather than overwritten."""
    client = server.client()
    client.wait(client.submit("POST", "/indexes", json={"uid": server.index, "primaryKey": "sku"}))
    with pytest.raises(SearchError, match="primary key 'sku'"):
        server.backend().upsert([DECIDIM])


def test_server_refusals_keep_their_code(server: MeiliServer) -> None:
    """An HTTP error answer becomes SearchServerError with Meilisearch's code."""
    client = server.client()
    with pytest.raises(SearchServerError) as raised:
        client.request("GET", "/indexes/absent")
    assert "index_not_found" == raised.value.code
    assert "HTTP 404" in str(raised.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "CODEREUSE_MEILI_URL"),
        ({"meili_url": "127.0.0.1:7700"}, "http:// or https://"),
        ({"meili_url": FAKE_URL, "meili_index": "soft ware"}, "CODEREUSE_MEILI_INDEX"),
    ],
)
def test_factory_refuses_unusable_settings(overrides: dict[str, str], message: str) -> None:
    """create_meilisearch_backend names the setting to fix."""
    settings = Settings(**{"meili_url": None, **overrides})
    with pytest.raises(ConfigurationError, match=message):
        create_meilisearch_backend(settings)


def test_factory_builds_a_working_backend(server: MeiliServer) -> None:
    """The factory wires URL, key, index name, record source, transport and waits."""
    settings = Settings(
        meili_url=FAKE_URL, meili_key=SecretStr("fake-master-key"), meili_index=server.index
    )
    transport = server.transport
    assert isinstance(transport, ContractTransport)
    backend = create_meilisearch_backend(
        settings,
        lambda: iter(CORPUS),
        transport=transport,
        sleep=server.sleep,
        clock=lambda: 0.0,
        now=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )
    backend.rebuild()
    assert 4 == backend.search().total
    assert any(r.path == "/swap-indexes" for r in server.transport.requests)
