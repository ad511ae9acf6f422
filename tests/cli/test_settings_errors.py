"""Unusable settings and addresses: one clear line and the right exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.serve_command import build_app
from schemas.errors import ConfigurationError
from schemas.settings import MIN_ADMIN_TOKEN_LENGTH, load_settings
from tests.api.client import AppClient

LONG_LABEL = "a" * 64
ADMIN = "admin-token-for-the-settings-tests-0123456789"


def _invoke(tmp_path: Path, args: list[str], **env: str) -> tuple[int, str]:
    base = {
        "CODEREUSE_CONFIG": str(tmp_path / "absent.toml"),
        "CODEREUSE_DATABASE_URL": f"sqlite:///{tmp_path / 'catalogue.db'}",
    }
    result = CliRunner().invoke(app, args, env={**base, **env})
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "args", [["stats"], ["search", "x"], ["forges", "list"], ["serve"], ["validate", "-"]]
)
def test_bad_settings_give_one_line_each_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    """A port that is no number and a CORS value that is no list: one line per setting, exit 2."""
    code, err = _invoke(
        tmp_path, args, CODEREUSE_PORT="abc", CODEREUSE_CORS_ORIGINS="https://a.example"
    )
    lines = err.strip().splitlines()
    assert 2 == code
    assert 2 == len(lines), err
    assert "Traceback" not in err and "pydantic" not in err
    assert lines[0].startswith("codereuse: unusable setting: CODEREUSE_PORT: ")
    assert "integer" in lines[0] and "'abc'" in lines[0]
    assert lines[1].startswith("codereuse: unusable setting: CODEREUSE_CORS_ORIGINS: ")
    assert "JSON list" in lines[1]


def test_bad_file_setting_names_the_file_and_key(tmp_path: Path) -> None:
    """A bad value and an unknown key in codereuse.toml are named by file and key."""
    config = tmp_path / "codereuse.toml"
    config.write_text('port = "x"\nprot = 9000\n', encoding="utf-8")
    code, err = _invoke(tmp_path, ["stats"], CODEREUSE_CONFIG=str(config))
    assert 2 == code
    assert f"{config}: key 'port': input should be a valid integer" in err
    assert f"{config}: key 'prot': unknown setting" in err


def test_toml_syntax_error_is_one_line(tmp_path: Path) -> None:
    """A codereuse.toml that is not TOML: the file, the place and exit 2."""
    config = tmp_path / "codereuse.toml"
    config.write_text("port = \n", encoding="utf-8")
    code, err = _invoke(tmp_path, ["stats"], CODEREUSE_CONFIG=str(config))
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert f"{config}: not valid TOML" in err


def test_help_shows_despite_bad_settings(tmp_path: Path) -> None:
    """`--help` of a command still works while a setting is unusable."""
    result = CliRunner().invoke(app, ["stats", "--help"], env={"CODEREUSE_PORT": "abc"})
    assert 0 == result.exit_code
    assert "Usage" in result.stdout


def test_cors_origins_accepts_a_json_list() -> None:
    """CODEREUSE_CORS_ORIGINS as a JSON list is read as a list."""
    settings = load_settings(cors_origins='["https://a.example", "https://b.example"]')
    assert ["https://a.example", "https://b.example"] == settings.cors_origins


def test_short_admin_token_is_refused_with_the_reason(tmp_path: Path) -> None:
    """A one-character admin token stops serve (and config show) with how to make a good one."""
    for args in (["serve"], ["config", "show"], ["run"]):
        code, err = _invoke(tmp_path, args, CODEREUSE_ADMIN_TOKEN="x")
        assert 2 == code, args
        assert "CODEREUSE_ADMIN_TOKEN: the admin token has 1 characters" in err
        assert f"at least {MIN_ADMIN_TOKEN_LENGTH}" in err
        assert "secrets.token_urlsafe(32)" in err
    code, err = _invoke(tmp_path, ["serve"], CODEREUSE_ADMIN_TOKEN="guessable-secret")
    assert (2, False) == (code, "guessable-secret" in err)


def test_admin_token_of_32_characters_is_accepted() -> None:
    """An admin token of 32 characters loads; an empty one means writes are off."""
    token = "t" * MIN_ADMIN_TOKEN_LENGTH
    loaded = load_settings(admin_token=token).admin_token
    assert loaded is not None and token == loaded.get_secret_value()
    with pytest.raises(ConfigurationError, match="31 characters"):
        load_settings(admin_token=token[1:])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://a..b", "empty label"),
        (f"https://{LONG_LABEL}.example.org", "longer than 63"),
        (f"https://gitlab.{LONG_LABEL}.org/group", "longer than 63"),
        ("http://[::1/x", "Invalid IPv6 URL"),
    ],
)
def test_bad_host_names_are_refused_by_forges_add(tmp_path: Path, url: str, reason: str) -> None:
    """`forges add` with an empty or over-long host label: one line, no traceback."""
    code, err = _invoke(tmp_path, ["forges", "add", url, "--kind", "gitlab"])
    assert 1 == code
    assert reason in err
    assert "Traceback" not in err and "UnicodeError" not in err


@pytest.mark.parametrize(
    "url",
    [
        "http://a..b",
        f"https://{LONG_LABEL}.example.org",
        f"https://x.{LONG_LABEL}/g/p",
        "http://[::1",
    ],
)
def test_bad_host_names_are_422_over_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """POST /api/v1/forges and /api/v1/status with such hosts answer 422 / bad_url, not 500."""
    monkeypatch.setenv("CODEREUSE_ADMIN_TOKEN", ADMIN)
    client = AppClient(build_app(f"sqlite:///{tmp_path / 'served.db'}"))
    try:
        created = client.post(
            "/api/v1/forges",
            json={"url": url, "kind": "gitlab", "name": "bad"},
            headers={"authorization": f"Bearer {ADMIN}"},
        )
        status = client.get("/api/v1/status", params={"url": f"{url}/group/project"})
    finally:
        client.close()
    assert 422 == created.status_code
    assert "label" in created.json()["detail"] or "IPv6" in created.json()["detail"]
    assert (200, "bad_url") == (status.status_code, status.json()["status"])
