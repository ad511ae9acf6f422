"""Over the API, a registration may only name the token variables the operator allowed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.app import create_app
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.errors import ConfigurationError
from schemas.settings import Settings, load_settings
from tests.api.client import AppClient
from tests.api.conftest import ADMIN_TOKEN
from tests.api.test_forges_api import fake_register

AUTH = {"authorization": f"Bearer {ADMIN_TOKEN}"}
OWN_SETTINGS = ["CODEREUSE_ADMIN_TOKEN", "CODEREUSE_MEILI_KEY", "CODEREUSE_DATABASE_URL"]


def _client(store: Store, search: SearchBackend, **settings: object) -> AppClient:
    return AppClient(
        create_app(
            Settings(database_url="sqlite:///unused.db", admin_token=ADMIN_TOKEN, **settings),  # type: ignore[arg-type]
            store=store,
            search=search,
            register_forge=fake_register,
        )
    )


@pytest.fixture
def api(store: Store, search: SearchBackend) -> Iterator[AppClient]:
    client = _client(store, search)
    yield client
    client.close()


def _post(client: AppClient, token_env: str, name: str = "land") -> tuple[int, str]:
    response = client.post(
        "/api/v1/forges",
        json={
            "url": "https://gitlab.example.org",
            "kind": "gitlab",
            "name": name,
            "token_env": token_env,
        },
        headers=AUTH,
    )
    return response.status_code, response.json().get("detail", "")


@pytest.mark.parametrize("variable", ["AWS_SECRET_ACCESS_KEY", "HOME", "PGPASSWORD", *OWN_SETTINGS])
def test_api_refuses_variables_the_operator_did_not_allow(
    api: AppClient, store: Store, variable: str
) -> None:
    """POST /api/v1/forges naming a server secret is a 422 saying what is allowed; nothing saved."""
    status, detail = _post(api, variable)
    assert 422 == status
    assert variable in detail
    assert "CODEREUSE_ALLOWED_TOKEN_ENV" in detail or "own settings" in detail
    assert store.get_forge("land") is None


def test_api_refusal_lists_the_allowed_names(api: AppClient) -> None:
    """The refusal names the allowed variables and how the operator allows more."""
    _status, detail = _post(api, "AWS_SECRET_ACCESS_KEY")
    assert "GITHUB_TOKEN, GITLAB_TOKEN, CODEREUSE_FORGE_TOKEN_*" in detail
    assert "CODEREUSE_ALLOWED_TOKEN_ENV" in detail


@pytest.mark.parametrize("variable", ["GITHUB_TOKEN", "GITLAB_TOKEN", "CODEREUSE_FORGE_TOKEN_LAND"])
def test_api_accepts_the_default_forge_token_variables(
    api: AppClient, store: Store, variable: str
) -> None:
    """The default list: GITHUB_TOKEN, GITLAB_TOKEN and CODEREUSE_FORGE_TOKEN_*."""
    assert 201 == _post(api, variable)[0]
    registration = store.get_forge("land")
    assert registration is not None and variable == registration.token_env


def test_operator_allows_more_but_never_own_settings(store: Store, search: SearchBackend) -> None:
    """CODEREUSE_ALLOWED_TOKEN_ENV widens the list; it cannot name codereuse's own settings."""
    client = _client(store, search, allowed_token_env=["LAND_*"])
    try:
        assert 201 == _post(client, "LAND_GITLAB_TOKEN")[0]
        assert 422 == _post(client, "GITHUB_TOKEN", name="other")[0]
    finally:
        client.close()
    with pytest.raises(
        ConfigurationError, match=r"CODEREUSE_ALLOWED_TOKEN_ENV: .CODEREUSE_\*. covers"
    ):
        load_settings(allowed_token_env=["CODEREUSE_*"])


def test_api_patch_checks_a_new_token_env(api: AppClient, store: Store) -> None:
    """PATCH to a forbidden variable is a 422; the registration keeps its old variable."""
    assert 201 == _post(api, "GITLAB_TOKEN")[0]
    response = api.patch(
        "/api/v1/forges/land", json={"token_env": "CODEREUSE_ADMIN_TOKEN"}, headers=AUTH
    )
    assert 422 == response.status_code
    registration = store.get_forge("land")
    assert registration is not None and "GITLAB_TOKEN" == registration.token_env
