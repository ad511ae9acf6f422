"""A PostgreSQL password in CODEREUSE_DATABASE_URL never appears in what commands print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.store.engine import parse_database_url, safe_url_text

PASSWORD = "hunter2-database-password"
QUERY_PASSWORD = "query-string-password"
# Port 1 on loopback: nothing listens, so the connection is refused at once.
UNREACHABLE = f"postgresql://codereuse:{PASSWORD}@127.0.0.1:1/codereuse?password={QUERY_PASSWORD}"


def _invoke(tmp_path: Path, *args: str, url: str = UNREACHABLE) -> tuple[int, str]:
    env = {"CODEREUSE_DATABASE_URL": url, "CODEREUSE_CONFIG": str(tmp_path / "absent.toml")}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def _assert_masked(output: str) -> None:
    assert PASSWORD not in output
    assert QUERY_PASSWORD not in output


def test_config_show_masks_the_database_password(tmp_path: Path) -> None:
    """`config show` (text and JSON) prints the URL with both passwords as ***."""
    for args in (["config", "show"], ["config", "show", "--json"]):
        code, output = _invoke(tmp_path, *args)
        assert 0 == code
        _assert_masked(output)
    rows = {
        row["name"]: row for row in json.loads(_invoke(tmp_path, "config", "show", "--json")[1])
    }
    assert (
        "postgresql://codereuse:***@127.0.0.1:1/codereuse?password=***"
        == rows["database_url"]["value"]
    )


@pytest.mark.parametrize(
    "args", [["stats"], ["db", "upgrade"], ["search", "x"], ["forges", "list"]]
)
def test_errors_about_the_database_mask_the_password(tmp_path: Path, args: list[str]) -> None:
    """An unreachable database: the error names it with the passwords masked."""
    code, output = _invoke(tmp_path, *args)
    assert 0 != code
    assert "127.0.0.1:1" in output
    _assert_masked(output)


def test_unparsable_url_is_masked_in_the_error(tmp_path: Path) -> None:
    """Even a URL SQLAlchemy cannot parse is shown without its password."""
    code, output = _invoke(
        tmp_path, "stats", url=f"postgresql//u:{PASSWORD}@h/db?password={QUERY_PASSWORD}"
    )
    assert 2 == code
    _assert_masked(output)


def test_safe_url_text_keeps_what_is_not_secret() -> None:
    """Host, database, user and other query parameters stay readable."""
    shown = safe_url_text(
        f"postgresql://u:{PASSWORD}@db.example.org/cat?sslmode=require&sslpassword=x"
    )
    assert "postgresql://u:***@db.example.org/cat?sslmode=require&sslpassword=***" == shown
    assert "sqlite:///./codereuse.db" == safe_url_text("sqlite:///./codereuse.db")
    assert "postgresql+psycopg" == parse_database_url(UNREACHABLE).drivername
