"""HTTP behaviour shared by every endpoint: problem+json, ETag/304, limits, CORS."""

from __future__ import annotations

import pytest

from indexer.search.protocol import SearchBackend
from indexer.store import Store
from tests.api.client import AppClient
from tests.api.conftest import build_app

PROBLEM = "application/problem+json"


def test_unknown_api_path_is_a_404_problem(client: AppClient) -> None:
    """404 on an API path is problem+json with type, title, status, detail and instance."""
    response = client.get("/api/v1/nothing-here")
    body = response.json()
    assert (404, PROBLEM) == (response.status_code, response.headers["content-type"])
    assert {"type", "title", "status", "detail", "instance", "errors"} == set(body)
    assert "/api/v1/nothing-here" == body["instance"]


def test_wrong_method_is_a_405_problem(client: AppClient) -> None:
    """PUT on the search is 405 problem+json naming the method."""
    response = client.request("PUT", "/api/v1/software")
    assert (405, PROBLEM) == (response.status_code, response.headers["content-type"])
    assert "PUT is not allowed" in response.json()["detail"]


def test_unexpected_error_is_a_500_problem_without_internals(
    store: Store, search: SearchBackend
) -> None:
    """An exception inside a route answers 500 problem+json that leaks nothing."""

    class BrokenSearch:
        def search(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("secret internal detail")

    app = build_app(store, BrokenSearch())  # type: ignore[arg-type]
    client = AppClient(app, raise_app_exceptions=False)
    try:
        response = client.get("/api/v1/software")
    finally:
        client.close()
    assert (500, PROBLEM) == (response.status_code, response.headers["content-type"])
    assert "secret" not in response.text


def test_html_clients_get_an_html_error_page(client: AppClient) -> None:
    """A browser asking for a missing page gets an HTML 404 page, not JSON."""
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert 404 == response.status_code
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>404" in response.text


def test_etag_and_304(client: AppClient) -> None:
    """A GET carries an ETag; sending it back as If-None-Match answers 304 with no body."""
    first = client.get("/api/v1/software/gitlab.opencode.de/kreis/eakte")
    etag = first.headers["etag"]
    second = client.get(
        "/api/v1/software/gitlab.opencode.de/kreis/eakte", headers={"if-none-match": etag}
    )
    assert (304, b"", etag) == (second.status_code, second.content, second.headers["etag"])
    other = client.get(
        "/api/v1/software/gitlab.opencode.de/kreis/eakte", headers={"if-none-match": '"x"'}
    )
    assert 200 == other.status_code


def test_long_query_string_is_a_414_problem(client: AppClient) -> None:
    """A query string over 4 KiB is refused before routing."""
    response = client.get("/api/v1/software?q=" + "a" * 5000)
    assert (414, PROBLEM) == (response.status_code, response.headers["content-type"])


def test_overlong_query_text_is_a_422_problem(client: AppClient) -> None:
    """q longer than 512 characters is refused by validation."""
    response = client.get("/api/v1/software", params={"q": "wort " * 200})
    assert 422 == response.status_code


def test_large_body_is_a_413_problem(client: AppClient) -> None:
    """A request body over 64 KiB is refused with 413."""
    response = client.post(
        "/api/v1/forges",
        content=b"{" + b" " * 70_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert (413, PROBLEM) == (response.status_code, response.headers["content-type"])


def test_cors_is_off_by_default(client: AppClient) -> None:
    """Without configured origins no CORS header is sent."""
    response = client.get("/api/v1/software", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("origin", "allowed"), [("https://portal.example", True), ("https://evil.example", False)]
)
def test_cors_allows_only_configured_origins(
    store: Store, search: SearchBackend, origin: str, allowed: bool
) -> None:
    """With cors_origins set, only those origins get Access-Control-Allow-Origin."""
    client = AppClient(build_app(store, search, cors_origins=["https://portal.example"]))
    try:
        response = client.get("/api/v1/software", headers={"origin": origin})
    finally:
        client.close()
    assert allowed == (response.headers.get("access-control-allow-origin") == origin)


def test_openapi_is_served_under_api_v1(client: AppClient) -> None:
    """The OpenAPI document lists the API paths and the Problem schema."""
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/software", "/api/v1/status", "/api/v1/export", "/api/v1/forges"} <= set(
        document["paths"]
    )
    assert "Problem" in document["components"]["schemas"]
