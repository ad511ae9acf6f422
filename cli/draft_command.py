"""`codereuse draft`: a publiccode.yml drafted for a catalogued repository that has none.

A thin shell over `schemas.draft` (the drafter the API and the software page use): the record
is found by id or repository URL in the store, its draft printed or written to a file.
"""

from __future__ import annotations

from pathlib import Path

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
) -> None:
    """Draft a publiccode.yml for a repository in the catalogue that has none.

    Every value carries a comment naming its source; guesses are marked TODO.
    Example: codereuse draft https://gitlab.opencode.de/stadt/tool -o publiccode.yml
    """
    with _catalogue(with_search=False) as (store, _search):
        found = store.get_record(record_id.lower()) or _by_url(store, record_id)
        if found is None:
            say_if_empty(store, load_settings().database_url)
    if found is None:
        raise ui.fail(f"no record {record_id!r}; search with `codereuse search WORDS`", 1)
    if found.declared:
        raise ui.fail(
            f"{found.id} has its own publiccode.yml; see it with `codereuse show {found.id}`", 1
        )
    made = draft_for_record(found)
    text = made.to_yaml()
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ui.fail(f"cannot write {output}: {error.strerror or error}", 1) from error
        ui.say(f"draft written to {output}: {len(made.todos)} values marked TODO to check")
    for remark in made.remarks:
        ui.echo(f"note: {remark}", err=True)


def register(app: typer.Typer) -> None:
    """Add `draft` to the codereuse command."""
    app.command("draft")(draft)
