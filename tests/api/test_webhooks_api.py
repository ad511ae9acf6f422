"""``/api/v1/webhooks``: admin only, URL checked like a forge's, secret shown once, delivery log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.app import create_app
from crawler.webhooks import check_webhook_url
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import ADMIN_TOKEN

AUTH = {"authorization": f"Bearer {ADMIN_TOKEN}"}


def _public_resolver(host: str) -> list[str]:
    """hooks.example.org resolves to a public address; everything else is not known."""
    if host == "hooks.example.org":
        return ["93.184.215.14"]
    raise OSError(8, "nodename nor servname provided")


def _check(url: str, *, allow_private: bool) -> str:
    return check_webhook_url(url, allow_private=allow_private, resolver=_public_resolver)


@pytest.fixture
def admin(store: Store, search: SearchBackend) -> Iterator[AppClient]:
    app = create_app(
        Settings(database_url="sqlite:///unused.db", admin_token=ADMIN_TOKEN),  # type: ignore[arg-type]
        store=store,
        search=search,
        check_webhook_url=_check,
    )
    client = AppClient(app)
    yield client
    client.close()


def test_create_shows_the_secret_once(admin: AppClient) -> None:
    """POST answers 201 with a generated secret; GET never shows it."""
    response = admin.post(
        "/api/v1/webhooks",
        headers=AUTH,
        json={
            "url": "https://hooks.example.org/codereuse",
            "events": ["invalid", "fixed"],
            "filter": {"forge": ["opencode"], "declared": True},
        },
    )
    assert 201 == response.status_code, response.text
    created = response.json()
    assert 40 <= len(created["secret"])
    assert ["invalid", "fixed"] == created["events"]
    assert {"forge": ["opencode"], "declared": True} == created["filter"]
    listed = admin.get("/api/v1/webhooks", headers=AUTH).json()
    assert [created["id"]] == [hook["id"] for hook in listed]
    assert "secret" not in listed[0]
    one = admin.get(f"/api/v1/webhooks/{created['id']}", headers=AUTH).json()
    assert "secret" not in one and one["url"] == "https://hooks.example.org/codereuse"
    assert [] == admin.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=AUTH).json()


def test_private_addresses_need_allow_private(admin: AppClient) -> None:
    """A loopback URL is refused (422) unless allow_private; then it is registered."""
    body = {"url": "http://127.0.0.1:9000/hook", "secret": "s" * 20}
    refused = admin.post("/api/v1/webhooks", headers=AUTH, json=body)
    assert (422, "webhook-refused") == (refused.status_code, refused.json()["type"].rsplit("/")[-1])
    assert "127.0.0.1" in refused.json()["detail"]
    allowed = admin.post("/api/v1/webhooks", headers=AUTH, json={**body, "allow_private": True})
    assert 201 == allowed.status_code
    assert "s" * 20 == allowed.json()["secret"]


def test_bad_filters_and_events_are_422(admin: AppClient) -> None:
    """Unknown filter names, words and event kinds are refused, naming them."""
    url = "https://hooks.example.org/x"
    unknown = admin.post(
        "/api/v1/webhooks", headers=AUTH, json={"url": url, "filter": {"colour": ["red"]}}
    )
    assert 422 == unknown.status_code and "'colour'" in unknown.json()["detail"]
    words = admin.post("/api/v1/webhooks", headers=AUTH, json={"url": url, "filter": {"q": "akte"}})
    assert 422 == words.status_code
    kind = admin.post("/api/v1/webhooks", headers=AUTH, json={"url": url, "events": ["exploded"]})
    assert 422 == kind.status_code


def test_delete_and_404(admin: AppClient) -> None:
    """DELETE answers 204, then the webhook is a 404."""
    created = admin.post(
        "/api/v1/webhooks", headers=AUTH, json={"url": "https://hooks.example.org/x"}
    ).json()
    assert 204 == admin.delete(f"/api/v1/webhooks/{created['id']}", headers=AUTH).status_code
    assert 404 == admin.get(f"/api/v1/webhooks/{created['id']}", headers=AUTH).status_code
    assert 404 == admin.delete(f"/api/v1/webhooks/{created['id']}", headers=AUTH).status_code


def test_webhooks_need_the_admin_token(admin: AppClient, client: AppClient) -> None:
    """Without a token: 401; a server that cannot check URLs answers POST with 503."""
    assert 401 == admin.get("/api/v1/webhooks").status_code
    assert (
        401
        == admin.post("/api/v1/webhooks", json={"url": "https://hooks.example.org/x"}).status_code
    )
    unchecked = client.post(
        "/api/v1/webhooks", headers=AUTH, json={"url": "https://hooks.example.org/x"}
    )
    assert 503 == unchecked.status_code
