"""`codereuse draft`: a publiccode.yml drafted for a catalogued repository that has none.

A thin shell over `schemas.draft` (the drafter the API and the software page use): the record
is found by id or repository URL in the store, its draft printed or written to a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli import ui
from cli.catalogue_command import _by_url, _catalogue
from cli.storage import say_if_empty
from schemas.draft import draft_for_record
from schemas.settings import load_settings


def draft(
    record_id: str = typer.Argument(..., metavar="URL|ID", help="Repository URL or record id."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the draft to FILE instead of printing it."
    ),
    diff: bool = typer.Option(
        False, "--diff", help="For a file with findings: print the fix as a diff."
    ),
) -> None:
    """Draft a publiccode.yml for a repository in the catalogue that has none.

    Every value carries a comment naming its source; guesses are marked TODO. For a
    repository whose own publiccode.yml has findings, the suggested fix instead.
    Example: codereuse draft https://gitlab.opencode.de/stadt/tool -o publiccode.yml
    """
    with _catalogue(with_search=False) as (store, _search):
        found = store.get_record(record_id.lower()) or _by_url(store, record_id)
        if found is None:
            say_if_empty(store, load_settings().database_url)
        raw = store.get_publiccode(found.id) if found is not None and found.declared else None
    if found is None:
        raise ui.fail(f"no record {record_id!r}; search with `codereuse search WORDS`", 1)
    if found.declared:
        _suggest(found, raw, output, diff)
        return
    made = draft_for_record(found)
    _emit(made.to_yaml(), output)
    if output is not None:
        ui.say(f"draft written to {output}: {len(made.todos)} values marked TODO to check")
    for remark in made.remarks:
        ui.echo(f"note: {remark}", err=True)


def _emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` (a clear line and exit 1 when it cannot be)."""
    ui.print_or_write(
        text, output, lambda error: f"cannot write {output}: {error.strerror or error}"
    )


def _suggest(record: Any, raw: bytes | None, output: Path | None, diff: bool) -> None:
    from api.suggested_fix import suggest_fix

    fix = suggest_fix(raw, record) if raw is not None and record.findings else None
    if fix is None:
        raise ui.fail(
            f"{record.id} has its own publiccode.yml and nothing to fix (or it is not YAML); "
            f"see it with `codereuse show {record.id}`",
            1,
        )
    _emit(fix.diff() if diff else fix.fixed, output)
    ui.say(f"suggested fix: {len(fix.changes)} changes, {len(fix.remaining)} errors left")


def register(app: typer.Typer) -> None:
    """Add `draft` to the codereuse command."""
    app.command("draft")(draft)
