"""From another directory, read commands name the database they looked for and create nothing;
commands that create a catalogue say where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import serve_command
from cli.app import app
from indexer.store import create_store

DEFAULT_URL = "sqlite:///./codereuse.db"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with the default database URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", DEFAULT_URL)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["search", "beteiligung"],
        ["show", "gitlab.example.org/a/b"],
        ["stats"],
        ["index"],
        ["export", "--format", "csv"],
        ["forges", "show", "opencode"],
        ["forges", "export"],
    ],
)
def test_read_commands_name_the_missing_database_and_create_nothing(
    elsewhere: Path, args: list[str]
) -> None:
    """A read command where no codereuse.db is: exit 1, the absolute path and cwd, no new file."""
    code, out, err = _run(*args)
    assert 1 == code, out + err
    assert f"no catalogue at {elsewhere / 'codereuse.db'}" in err
    assert f"relative to the working directory {elsewhere}" in err
    assert "CODEREUSE_DATABASE_URL" in err
    assert [] == [path.name for path in elsewhere.iterdir()]


def test_forges_list_of_a_missing_database_is_empty_and_says_where(elsewhere: Path) -> None:
    """`forges list` answers an empty list, naming the database, and leaves no file."""
    code, out, err = _run("forges", "list", "--json")
    assert (0, []) == (code, json.loads(out))
    code, _out, err = _run("forges", "list")
    assert 0 == code
    assert f"no forges registered in {elsewhere / 'codereuse.db'} (no catalogue yet)" in err
    assert [] == list(elsewhere.iterdir())


def test_crawl_without_a_catalogue_creates_nothing(elsewhere: Path) -> None:
    """`crawl` where no catalogue is says so and how to register a forge; no file is left."""
    code, _out, err = _run("crawl")
    assert 1 == code
    assert f"no catalogue at {elsewhere / 'codereuse.db'}" in err
    assert "codereuse forges add" in err
    assert [] == list(elsewhere.iterdir())


def test_commands_that_create_say_where(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`forges import`, `db upgrade` and `serve` announce the new file with its absolute path."""
    registry = elsewhere / "forges.yml"
    registry.write_text("forges: []\n", encoding="utf-8")
    code, _out, err = _run("forges", "import", str(registry))
    assert 0 == code, err
    assert f"creating a new catalogue at {elsewhere / 'codereuse.db'}" in err
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", f"sqlite:///{elsewhere / 'other.db'}")
    code, _out, err = _run("db", "upgrade")
    assert (0, True) == (code, f"creating a new catalogue at {elsewhere / 'other.db'}" in err)
    served: list[object] = []
    monkeypatch.setattr(serve_command, "serve_http", lambda app, *rest: served.append(app))
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", f"sqlite:///{elsewhere / 'served.db'}")
    code, _out, err = _run("serve")
    assert (0, 1) == (code, len(served))
    assert f"creating a new catalogue at {elsewhere / 'served.db'}" in err


def test_an_empty_catalogue_says_which_database_answered(elsewhere: Path) -> None:
    """`search` and `stats` on an existing empty catalogue name its path beside "0 results"."""
    create_store(DEFAULT_URL).close()
    code, out, err = _run("search", "beteiligung")
    assert (1, True) == (code, out.startswith("0 result(s)"))
    assert f"the catalogue at {elsewhere / 'codereuse.db'} holds no records yet" in err
    code, out, err = _run("stats")
    assert 0 == code
    assert f"the catalogue at {elsewhere / 'codereuse.db'} holds no records yet" in err
