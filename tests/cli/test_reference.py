"""The CLI reference in docs/cli.md and the help of every command."""

from __future__ import annotations

import typer.main

from cli.app import app
from cli.reference import REFERENCE_PATH, iter_commands, render


def test_cli_reference_is_current() -> None:
    """docs/cli.md matches the commands' help; run `python -m cli.reference` when it fails."""
    assert render() == REFERENCE_PATH.read_text(encoding="utf-8")


def test_every_command_help_has_an_example() -> None:
    """Each leaf command's help shows an example invocation."""
    missing = [
        " ".join(path)
        for path, command in iter_commands(typer.main.get_command(app))
        if not hasattr(command, "commands") and "Example" not in (command.help or "")
    ]
    assert [] == missing


def test_readme_settings_table_is_current() -> None:
    """The README's settings table lists every setting; run `python -m cli.reference` when it fails."""
    from cli.reference import README_PATH, readme_with_settings

    readme = README_PATH.read_text(encoding="utf-8")
    assert readme_with_settings(readme) == readme
