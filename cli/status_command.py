"""`codereuse status URL`: is a repository listed, and if not, why (the status page's answer).

The language follows ``--lang``, else ``LANG``/``LC_ALL`` (``de_DE.UTF-8`` → German), else English.
Exit status: 0 listed (also renamed, empty, archived or a fork), 1 listed with errors or not
listed, 2 not a repository URL.
"""

from __future__ import annotations

import json
import os

import typer

from cli import ui
from cli.storage import open_store
from schemas.settings import load_settings

LANGUAGES = ("de", "en")


def cli_language(explicit: str | None = None) -> str:
    """``de`` or ``en``: `explicit`, else the locale of ``LC_ALL``/``LC_MESSAGES``/``LANG``."""
    if explicit:
        return explicit if explicit in LANGUAGES else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            primary = value.split(".", 1)[0].split("_", 1)[0].lower()
            return primary if primary in LANGUAGES else "en"
    return "en"


def status(
    url: str = typer.Argument(..., metavar="URL", help="Repository URL to check."),
    lang: str = typer.Option("", "--lang", help="de or en (default: from LANG)."),
    as_json: bool = typer.Option(False, "--json", help="Print the API's JSON answer."),
) -> None:
    """Say whether a repository is listed and, if not, why (the same answer as the status page).

    Example: codereuse status https://gitlab.opencode.de/group/project
    """
    from api.status_check import recrawl_interval, repository_status

    settings = load_settings()
    language = cli_language(lang)
    store = open_store(settings.database_url)
    try:
        answer = repository_status(store, url, language, every=recrawl_interval(settings))
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        from api.findings_text import finding_message
        from api.i18n import translate

        ui.echo(f"{translate(language, 'status.' + answer.status)}: {ui.printable(answer.message)}")
        if answer.forge:
            ui.echo(f"  forge: {answer.forge}")
        for finding in answer.findings:
            place = f"{finding.line or 0}:{finding.column or 0}"
            text = ui.printable(finding_message(finding, language))
            ui.echo(f"  {place}: {finding.type}: {finding.key}: {text}")
    if answer.status == "bad_url":
        raise typer.Exit(2)
    if answer.status not in {"listed", "renamed", "empty", "archived", "fork"}:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `status` to the codereuse command."""
    app.command("status")(status)
