"""Forge endpoints: reading for everyone, writes only with the admin token, crawl requests as jobs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from crawler.kinds import kind_names
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.errors import RegistrationError
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import ADMIN_TOKEN

AUTH = {"authorization": f"Bearer {ADMIN_TOKEN}"}


CHECKED: list[str] = []
"""URLs the fake registration check asked the forge about (cleared by `admin_client`)."""


def fake_register(
    url: str, *, kind: str, name: str | None = None, check: bool = True, **scope: Any
) -> ForgeRegistration:
    """Stands in for crawler.registration.register: with `check`, asks the forge (counted in
    `CHECKED`) and refuses private addresses unless allowed; builds the rest."""
    if check:
        CHECKED.append(url)
        if ("127.0.0.1" in url or "localhost" in url) and not scope.get("allow_private"):
            raise RegistrationError(f"{url}: resolves to a private address; refused")
    return ForgeRegistration(
        name=name or "new-forge",
        kind=kind,  # type: ignore[arg-type]
        url=url.rstrip("/"),
        **{key: value for key, value in scope.items() if value is not None},
    )


@pytest.fixture
def admin_client(store: Store, search: SearchBackend) -> Iterator[AppClient]:
    CHECKED.clear()
    app = create_app(
        Settings(database_url="sqlite:///unused.db", admin_token=ADMIN_TOKEN),  # type: ignore[arg-type]
        store=store,
        search=search,
        register_forge=fake_register,
    )
    client = AppClient(app)
    yield client
    client.close()


def test_list_forges_with_counts(client: AppClient) -> None:
    """Every forge is listed with its number of records."""
    body = client.get("/api/v1/forges").json()
    assert {"opencode": 4, "github": 1} == {f["registration"]["name"]: f["records"] for f in body}


def test_forge_detail_and_404(client: AppClient) -> None:
    """A forge's detail names it; an unknown forge is a 404 problem."""
    assert "gitlab" == client.get("/api/v1/forges/opencode").json()["registration"]["kind"]
    assert 404 == client.get("/api/v1/forges/nowhere").status_code


def test_write_without_token_is_401(admin_client: AppClient) -> None:
    """No Authorization header: 401 with a Bearer challenge."""
    response = admin_client.post(
        "/api/v1/forges", json={"url": "https://gitlab.example.org", "kind": "gitlab"}
    )
    assert 401 == response.status_code
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_write_with_wrong_token_is_403(admin_client: AppClient) -> None:
    """A wrong bearer token: 403, and the token is not echoed."""
    response = admin_client.post(
        "/api/v1/forges/opencode/crawl", headers={"authorization": "Bearer wrong-token"}
    )
    assert 403 == response.status_code
    assert "wrong-token" not in response.text


def test_writes_disabled_without_configured_token(store: Store, search: SearchBackend) -> None:
    """With no admin token configured, writes answer 403 saying how to enable them."""
    client = AppClient(
        create_app(Settings(database_url="sqlite:///unused.db"), store=store, search=search)
    )
    try:
        response = client.post("/api/v1/forges/opencode/crawl", headers=AUTH)
    finally:
        client.close()
    assert 403 == response.status_code
    assert "CODEREUSE_ADMIN_TOKEN" in response.json()["detail"]


def test_register_forge_with_token(admin_client: AppClient, store: Store) -> None:
    """POST with the token registers the forge (201, Location) through the injected check."""
    response = admin_client.post(
        "/api/v1/forges",
        json={
            "url": "https://gitlab.example.org",
            "kind": "gitlab",
            "name": "example",
            "groups": ["amt"],
        },
        headers=AUTH,
    )
    assert 201 == response.status_code
    assert "/api/v1/forges/example" == response.headers["location"]
    registration = store.get_forge("example")
    assert registration is not None and ["amt"] == registration.groups


def test_register_private_address_is_refused(admin_client: AppClient, store: Store) -> None:
    """The registration check's refusal (SSRF) becomes a 422 problem; nothing is stored."""
    response = admin_client.post(
        "/api/v1/forges",
        json={"url": "http://127.0.0.1:8080", "kind": "gitlab", "name": "local"},
        headers=AUTH,
    )
    assert 422 == response.status_code
    assert "private address" in response.json()["detail"]
    assert store.get_forge("local") is None


def test_register_existing_name_is_409(admin_client: AppClient) -> None:
    """A taken name is a 409 conflict."""
    response = admin_client.post(
        "/api/v1/forges",
        json={"url": "https://gitlab.example.org", "kind": "gitlab", "name": "opencode"},
        headers=AUTH,
    )
    assert 409 == response.status_code


def test_unknown_body_field_is_refused(admin_client: AppClient) -> None:
    """Input models forbid unknown fields."""
    response = admin_client.post(
        "/api/v1/forges",
        json={"url": "https://gitlab.example.org", "kind": "gitlab", "private": True},
        headers=AUTH,
    )
    assert 422 == response.status_code


def test_on_premises_forge_is_registered_with_allow_private(
    admin_client: AppClient, store: Store
) -> None:
    """allow_private (admin token) registers a forge on a private address, as the CLI's
    --allow-private does; without the token it is a 401."""
    body = {
        "url": "http://127.0.0.1:8080",
        "kind": "gitlab",
        "name": "intern",
        "allow_private": True,
    }
    assert 401 == admin_client.post("/api/v1/forges", json=body).status_code
    response = admin_client.post("/api/v1/forges", json=body, headers=AUTH)
    assert 201 == response.status_code, response.text
    registration = store.get_forge("intern")
    assert registration is not None and registration.allow_private
    assert response.json()["registration"]["allow_private"] is True


def test_patch_of_a_private_forge_keeps_it_and_does_not_recheck(
    admin_client: AppClient, store: Store
) -> None:
    """PATCH of an on-premises forge's groups is accepted (its private URL is not re-checked,
    allow_private stays); a changed URL is checked; allow_private false checks and refuses."""
    store.add_forge(
        ForgeRegistration(
            name="intern", kind="gitlab", url="http://127.0.0.1:8080", allow_private=True
        )
    )
    response = admin_client.patch("/api/v1/forges/intern", json={"groups": ["amt"]}, headers=AUTH)
    assert 200 == response.status_code, response.text
    assert [] == CHECKED
    stored = store.get_forge("intern")
    assert stored is not None and (["amt"], True) == (stored.groups, stored.allow_private)
    moved = admin_client.patch(
        "/api/v1/forges/intern", json={"url": "http://127.0.0.1:9090"}, headers=AUTH
    )
    assert (200, ["http://127.0.0.1:9090"]) == (moved.status_code, CHECKED)
    refused = admin_client.patch(
        "/api/v1/forges/intern", json={"allow_private": False}, headers=AUTH
    )
    assert 422 == refused.status_code
    still = store.get_forge("intern")
    assert still is not None and still.allow_private


def test_patch_of_a_public_forge_without_url_change_asks_nobody(
    admin_client: AppClient,
) -> None:
    """Changing only the exclude list (or sending the same URL) makes no request to the forge."""
    response = admin_client.patch(
        "/api/v1/forges/github",
        json={"exclude": ["land/old"], "url": "https://GitHub.com/"},
        headers=AUTH,
    )
    assert 200 == response.status_code
    assert [] == CHECKED


def test_patch_replaces_lists(admin_client: AppClient, store: Store) -> None:
    """PATCH replaces the fields sent and keeps the others."""
    response = admin_client.patch(
        "/api/v1/forges/github", json={"orgs": ["land", "stadt"]}, headers=AUTH
    )
    assert 200 == response.status_code
    registration = store.get_forge("github")
    assert registration is not None
    assert (["land", "stadt"], "https://github.com") == (registration.orgs, registration.url)


def test_delete_forge(admin_client: AppClient, store: Store) -> None:
    """DELETE unregisters the forge (204)."""
    assert 204 == admin_client.delete("/api/v1/forges/github", headers=AUTH).status_code
    assert store.get_forge("github") is None


def test_crawl_request_queues_a_job(admin_client: AppClient, store: Store) -> None:
    """POST …/crawl answers 202 with a queued job row; the API crawls nothing itself."""
    response = admin_client.post("/api/v1/forges/opencode/crawl", headers=AUTH)
    assert 202 == response.status_code
    job = response.json()
    assert ("opencode", "queued") == (job["forge"], job["status"])
    assert [job["id"]] == [queued.id for queued in store.crawl_jobs("opencode")]
    assert f"/api/v1/jobs/{job['id']}" == response.headers["location"]


def test_registration_unavailable_without_checker(client: AppClient) -> None:
    """Without a wired registration check, POST answers 503 pointing at the CLI."""
    response = client.post(
        "/api/v1/forges", json={"url": "https://gitlab.example.org", "kind": "gitlab"}, headers=AUTH
    )
    assert 503 == response.status_code
    assert "codereuse forges add" in response.json()["detail"]


def test_crawl_request_for_a_forge_removed_meanwhile_is_a_404(
    admin_client: AppClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forge removed between queueing its crawl and reading the job back gives a 404 problem."""
    queue = store.request_crawl

    def queue_then_remove(forge: str, **options: Any) -> int:
        job_id = queue(forge, **options)
        store.remove_forge(forge)  # what a concurrent DELETE does at this moment
        return job_id

    monkeypatch.setattr(store, "request_crawl", queue_then_remove)
    response = admin_client.post("/api/v1/forges/opencode/crawl", headers=AUTH)
    assert 404 == response.status_code
    assert "was removed while its crawl was being queued" in response.json()["detail"]


def test_api_kind_enum_comes_from_the_registry(store: Store, search: SearchBackend) -> None:
    """The OpenAPI document lists the registered kinds as the enum of a new forge's kind."""
    served = create_app(
        Settings(database_url="sqlite:///unused.db"),  # type: ignore[arg-type]
        store=store,
        search=search,
        forge_kinds=kind_names(),
    )
    schema = served.openapi()["components"]["schemas"]["ForgeCreate"]["properties"]["kind"]
    assert list(kind_names()) == schema["enum"]


def test_an_interrupted_crawl_is_shown_in_the_forge_view(client: AppClient, store: Store) -> None:
    """A run left running by a killed process shows as interrupted once the next crawl starts."""
    store.start_crawl_run("opencode", full=True)  # its process is killed here
    assert 1 == store.close_interrupted_runs("opencode")
    run_id = store.start_crawl_run("opencode", full=False)
    shown = client.get("/api/v1/forges/opencode").json()
    assert ["running", "interrupted"] == [run["status"] for run in shown["crawls"]]
    assert run_id == shown["last_crawl"]["id"]
