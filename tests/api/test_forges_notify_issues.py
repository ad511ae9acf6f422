"""``notify_issues`` in ``POST`` and ``PATCH /api/v1/forges``: the opt-in to issues on the forge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.app import create_app
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import ADMIN_TOKEN
from tests.api.test_forges_api import AUTH, fake_register


@pytest.fixture
def admin(store: Store, search: SearchBackend) -> Iterator[AppClient]:
    app = create_app(
        Settings(database_url="sqlite:///unused.db", admin_token=ADMIN_TOKEN),  # type: ignore[arg-type]
        store=store,
        search=search,
        register_forge=fake_register,
    )
    client = AppClient(app)
    yield client
    client.close()


def test_opt_in_over_the_api(admin: AppClient, store: Store) -> None:
    """POST with notify_issues stores it; PATCH without it keeps it; PATCH false turns it off."""
    created = admin.post(
        "/api/v1/forges",
        headers=AUTH,
        json={
            "url": "https://gitlab.example.org",
            "kind": "gitlab",
            "name": "lab",
            "notify_issues": True,
        },
    )
    assert 201 == created.status_code, created.text
    assert created.json()["registration"]["notify_issues"] is True
    kept = admin.patch("/api/v1/forges/lab", headers=AUTH, json={"exclude": ["old/stuff"]})
    assert 200 == kept.status_code and kept.json()["registration"]["notify_issues"] is True
    off = admin.patch("/api/v1/forges/lab", headers=AUTH, json={"notify_issues": False})
    assert off.json()["registration"]["notify_issues"] is False
    assert store.get_forge("lab").notify_issues is False  # type: ignore[union-attr]
