"""Hostile forge data never reaches the terminal as escape sequences; --json stays exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.ui import printable
from indexer.store import create_store
from schemas.findings import Finding
from schemas.forge import ForgeRegistration
from tests.api.records import make_record

CLEAR_SCREEN = "\x1b[2J"
TITLE = "\x1b]0;pwned title\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = f"Portal{CLEAR_SCREEN}{TITLE}{LINK}\x00\x9b31m\u202e"


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    with create_store(url) as store:
        store.add_forge(
            ForgeRegistration(
                name="opencode",
                kind="gitlab",
                url="https://gitlab.opencode.de",
                groups=[f"amt{CLEAR_SCREEN}{TITLE}\x00"],
            )
        )
        store.upsert_records(
            [
                make_record(
                    "https://gitlab.opencode.de/stadt/portal",
                    HOSTILE,
                    short_en=f"Participation {TITLE}platform",
                    organisation=f"Stadt {LINK}",
                    findings=(
                        Finding(type="error", key=f"name{CLEAR_SCREEN}", message=f"bad {TITLE}"),
                    ),
                )
            ]
        )
    return url


def _run(database: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, list(args), env={"CODEREUSE_DATABASE_URL": database, "COLUMNS": "200"}
    )
    return result.exit_code, result.stdout + result.stderr


def _assert_clean(output: str) -> None:
    for character in ("\x1b", "\x07", "\x00", "\x9b", "\u202e"):
        assert character not in output, repr(output)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "portal", "--facets"],
        ["show", "gitlab.opencode.de/stadt/portal"],
        ["stats"],
        ["forges", "list"],
        ["forges", "show", "opencode"],
    ],
)
def test_human_output_has_no_control_characters(database: str, args: list[str]) -> None:
    """search, show, stats and forges print the data without ESC, BEL, NUL, C1 or bidi controls."""
    _run(database, "index")
    code, output = _run(database, *args)
    assert 0 == code, output
    _assert_clean(output)


def test_show_keeps_the_readable_text(database: str) -> None:
    """What is left is the text around the sequences, link text included."""
    code, output = _run(database, "show", "gitlab.opencode.de/stadt/portal")
    assert 0 == code
    assert "Portalclick  gitlab.opencode.de/stadt/portal" in output
    assert "Stadt click" in output


def test_json_output_stays_exact(database: str) -> None:
    """--json keeps the data byte for byte (JSON escapes the controls)."""
    _run(database, "index")
    code, output = _run(database, "show", "gitlab.opencode.de/stadt/portal", "--json")
    assert 0 == code
    assert HOSTILE == json.loads(output)["name"]
    code, output = _run(database, "search", "portal", "--json")
    assert HOSTILE == json.loads(output)["hits"][0]["name"]


def test_validate_prints_hostile_keys_cleanly(tmp_path: Path) -> None:
    """A publiccode.yml key holding escape sequences is reported without them."""
    path = tmp_path / "publiccode.yml"
    path.write_text('publiccodeYmlVersion: "0.4"\n"\\e]0;title\\a\\e[2Jkey": 1\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--no-files", str(path)])
    assert 1 == result.exit_code
    assert "key" in result.stdout
    _assert_clean(result.stdout + result.stderr)


def test_printable_removes_whole_sequences() -> None:
    """Escape sequences go whole; tab, newline and non-ASCII letters stay."""
    assert "ab" == printable(f"a{CLEAR_SCREEN}b")
    assert "xclicky" == printable(f"x{LINK}y")
    assert "Bürger\tok\nnext" == printable("Bürger\tok\nnext\r")


def test_progress_shows_forge_names_and_groups_cleanly() -> None:
    """Progress bars (crawl, index, export) filter and escape what they are given."""
    import io

    from cli import ui

    buffer = io.StringIO()
    ui.QUIET = False
    with ui.progress() as bar:
        bar.console.file = buffer
        task = bar.add_task(f"forge{TITLE}[red]x", total=None, status=f"a{CLEAR_SCREEN}")
        bar.update(task, status=f"group{LINK}[/]")
    shown = buffer.getvalue()
    _assert_clean(shown)
    assert "forge[red]x" in shown and "groupclick[/]" in shown
