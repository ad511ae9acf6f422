"""`codereuse serve` wires the crawler's registration check into the app (api may not import it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.serve_command import build_app
from tests.api.client import AppClient


def test_served_app_refuses_private_forge_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /api/v1/forges on the served app runs the real SSRF guard: a loopback URL is refused."""
    monkeypatch.setenv("CODEREUSE_ADMIN_TOKEN", "admin-token-for-the-serve-wiring-test")
    client = AppClient(build_app(f"sqlite:///{tmp_path / 'served.db'}"))
    try:
        response = client.post(
            "/api/v1/forges",
            json={"url": "http://127.0.0.1:9/", "kind": "gitlab", "name": "loopback"},
            headers={"authorization": "Bearer admin-token-for-the-serve-wiring-test"},
        )
        listed = client.get("/api/v1/forges").json()
    finally:
        client.close()
    assert 422 == response.status_code
    assert "127.0.0.1" in response.json()["detail"]
    assert [] == listed
