"""`codereuse webhooks add|list|test|remove` against a loopback listener."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from tests.notifications.listener import listening


def test_webhooks_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """add prints the secret once, test delivers a signed body, list shows it, remove drops it."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    create_store(url).close()
    runner = CliRunner()
    with listening("unknown-yet") as listener:
        refused = runner.invoke(app, ["webhooks", "add", listener.url])
        assert 2 == refused.exit_code
        assert "non-public address 127.0.0.1" in refused.output
        added = runner.invoke(
            app,
            [
                "webhooks",
                "add",
                listener.url,
                "--allow-private",
                "--event",
                "invalid",
                "--filter",
                "forge=opencode",
                "--filter",
                "declared=true",
            ],
        )
        assert 0 == added.exit_code, added.output
        secret = re.search(r"secret \(shown once.*\): (\S+)", added.output)
        assert secret is not None
        listener.secret = secret.group(1)
        tested = runner.invoke(app, ["webhooks", "test", "1"])
        assert 0 == tested.exit_code, tested.output
        assert "answered 200 after 1 attempts" in tested.output
    [received] = listener.received
    assert received.verified
    listed = runner.invoke(app, ["webhooks", "list"])
    assert "[invalid]" in listed.output and "forge=['opencode'] declared=True" in listed.output
    assert "ok (200, 1 attempts)" in listed.output
    bad = runner.invoke(app, ["webhooks", "add", "https://x.example", "--filter", "colour=red"])
    assert 2 == bad.exit_code and "unknown filter 'colour'" in bad.output
    assert 0 == runner.invoke(app, ["webhooks", "remove", "1"]).exit_code
    assert 1 == runner.invoke(app, ["webhooks", "remove", "1"]).exit_code
