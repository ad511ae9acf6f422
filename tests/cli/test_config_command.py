"""`codereuse config show`: every setting, its source, secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.app import app
from schemas.settings import Settings


def test_config_show_names_each_source_and_masks_secrets(tmp_path: Path) -> None:
    """Environment beats the TOML file, which beats the default; secrets print as ********."""
    config = tmp_path / "codereuse.toml"
    config.write_text('port = 9100\nevery = "30m"\n', encoding="utf-8")
    env = {
        "CODEREUSE_CONFIG": str(config),
        "CODEREUSE_EVERY": "1d",
        "CODEREUSE_ADMIN_TOKEN": "a-very-secret-admin-token-of-32-characters",
    }
    result = CliRunner().invoke(app, ["config", "show", "--json"], env=env)
    assert 0 == result.exit_code, result.stderr
    assert "a-very-secret-admin-token-of-32-characters" not in result.stdout
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(Settings.model_fields) == set(rows)
    assert (9100, f"file ({config})") == (rows["port"]["value"], rows["port"]["source"])
    assert ("1d", "environment (CODEREUSE_EVERY)") == (
        rows["every"]["value"],
        rows["every"]["source"],
    )
    assert "********" == rows["admin_token"]["value"]
    assert "default" == rows["host"]["source"]


def test_config_show_refuses_an_unusable_setting(tmp_path: Path) -> None:
    """A setting that does not validate exits 2 and names it."""
    result = CliRunner().invoke(
        app,
        ["config", "show"],
        env={"CODEREUSE_CONFIG": str(tmp_path / "none.toml"), "CODEREUSE_PORT": "not-a-port"},
    )
    assert 2 == result.exit_code
    assert "port" in result.stderr
