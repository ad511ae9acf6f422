"""Atom feed, stats, health, readiness and metrics."""

from __future__ import annotations

from xml.etree import ElementTree

from indexer.store import Store
from tests.api.client import AppClient
from tests.api.records import make_record

ATOM = "{http://www.w3.org/2005/Atom}"


def _titles(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


def test_feed_lists_software_newest_first(client: AppClient, store: Store) -> None:
    """A record changed last comes first; every record appears once."""
    store.upsert_records(
        [make_record("https://gitlab.opencode.de/kreis/eakte", "E-Akte 2", licence="MIT")]
    )
    response = client.get("/feeds/software.atom")
    titles = _titles(response.content)
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "E-Akte 2" == titles[0]
    assert 5 == len(titles)


def test_feed_takes_the_search_filters(client: AppClient) -> None:
    """forge=github keeps only that forge's software."""
    assert ["Beteiligung Plus"] == _titles(client.get("/feeds/software.atom?forge=github").content)


def test_feed_escapes_data(client: AppClient) -> None:
    """Markup in names is text in the XML, so the feed stays well-formed."""
    titles = _titles(client.get("/feeds/software.atom").content)
    assert '<script>alert("name")</script><img src=x onerror=alert(1)>' in titles


def test_stats_counts(client: AppClient) -> None:
    """The stats count records by forge and licence."""
    body = client.get("/api/v1/stats").json()
    assert (5, {"opencode": 4, "github": 1}) == (body["records"], body["by_forge"])


def test_stats_follow_changes_to_the_catalogue(client: AppClient, store: Store) -> None:
    """Repeated stats are served from a cache that a record change or a crawl run invalidates."""
    assert 5 == client.get("/api/v1/stats").json()["records"]
    [record] = list(store.iter_records(ids=["gitlab.opencode.de/kreis/eakte"]))
    store.delete_records([record.id])
    assert 4 == client.get("/api/v1/stats").json()["records"]
    run = store.start_crawl_run("opencode", full=True)
    store.finish_crawl_run(run, status="succeeded", stats={})
    assert [run] == [entry["id"] for entry in client.get("/api/v1/stats").json()["history"]][-1:]


def test_healthz_and_readyz(client: AppClient) -> None:
    """Both answer ok when store and index are usable."""
    assert "ok" == client.get("/healthz").json()["status"]
    assert {"integrity": "ok", "store": "ok", "search": "ok"} == client.get("/readyz").json()[
        "checks"
    ]


def test_readyz_fails_when_the_store_is_broken(client: AppClient, store: Store) -> None:
    """A store that cannot be read makes /readyz answer 503 problem+json; /healthz stays up."""
    from sqlalchemy import text

    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE records"))
    response = client.get("/readyz")
    assert (503, "application/problem+json") == (
        response.status_code,
        response.headers["content-type"],
    )
    assert 200 == client.get("/healthz").status_code


def test_readyz_fails_when_the_index_is_empty(store: Store) -> None:
    """A store with records but an empty index is not ready, and says how to fix it."""
    from indexer.search.factory import create_search_backend
    from schemas.settings import Settings
    from tests.api.conftest import build_app

    empty = create_search_backend(Settings(database_url=str(store.engine.url)), store)
    client = AppClient(build_app(store, empty))
    try:
        response = client.get("/readyz")
    finally:
        client.close()
    assert 503 == response.status_code
    assert "index --rebuild" in response.json()["detail"]


def test_metrics_in_prometheus_format(client: AppClient) -> None:
    """/metrics counts requests by route template and exposes the catalogue size."""
    client.get("/api/v1/software/gitlab.opencode.de/kreis/eakte")
    text = client.get("/metrics").text
    assert (
        'codereuse_http_requests_total{method="GET",route="/api/v1/software/{record_id:path}",status="200"} 1'
        in text
    )
    assert "codereuse_catalogue_records 5" in text
    assert "# TYPE codereuse_http_request_duration_seconds histogram" in text


def test_metrics_show_how_far_the_index_is_behind_the_store(
    client: AppClient, store: Store
) -> None:
    """/metrics tells how many store changes the embedded index has not applied yet."""
    assert "codereuse_search_changes_behind 0" in client.get("/metrics").text
    first = next(store.iter_records())
    store.upsert_records([first.model_copy(update={"name": "Neuer Name"})])
    assert "codereuse_search_changes_behind 1" in client.get("/metrics").text
