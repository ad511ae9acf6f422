"""``codereuse organisations [QUERY]``: the catalogue's organisations, and one of them
(``codereuse show --organisation ID``) — the same selection as ``/api/v1/organisations``."""

from __future__ import annotations

import json
from typing import Any

import typer

from cli import ui
from cli.storage import open_store, say_if_empty
from schemas.errors import CodereuseError
from schemas.settings import load_settings


def _summaries() -> tuple[list[Any], Any]:
    from api.organisations_view import list_summaries

    settings = load_settings()
    try:
        store = open_store(settings.database_url)
    except CodereuseError as error:
        raise ui.fail(str(error), 2) from error
    with store:
        listed = list_summaries(store)
        if not listed:
            say_if_empty(store, settings.database_url)
        return listed, store


def organisations(
    query: str = typer.Argument("", metavar="[QUERY]", help="Words in names, accounts, ids."),
    country: list[str] = typer.Option([], "--country", help="ISO country code; repeat to OR."),
    kind: list[str] = typer.Option(
        [], "--kind", help="public_body, project, company or unknown; repeat to OR."
    ),
    forge: list[str] = typer.Option([], "--forge", help="Registered forge name; repeat to OR."),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (all matches)."),
) -> None:
    """List the organisations publishing software, most software first, with their counts.

    Persons (user namespaces) are not organisations and are never listed.

    Example: codereuse organisations stadt --country DE
    """
    from api.exports.organisations import organisation_row
    from api.organisations_view import select

    listed, _store = _summaries()
    chosen = select(listed, query, {"country": country, "kind": kind, "forge": forge})
    if as_json:
        rows = [organisation_row(item) for item in chosen.items]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = ui.stdout()
    out.print(f"{len(chosen.items)} organisation(s)")
    for item in chosen.items[:limit]:
        entity = item.entity
        where = f" {entity.country}" if entity.country else ""
        out.print(
            f"  [bold]{ui.escape(entity.name or entity.id)}[/]  [dim]{ui.escape(entity.id)}[/]  "
            f"{entity.kind}{where}  software {item.software}, declared {item.declared}, "
            f"valid {item.valid}  [dim]{ui.escape(', '.join(item.forges))}[/]"
        )
    if len(chosen.items) > limit:
        out.print(f"  … {len(chosen.items) - limit} more (--limit, --json)")
    if not chosen.items:
        raise typer.Exit(1)


def show_organisation(organisation_id: str, *, as_json: bool) -> None:
    """Print one organisation (profile with sources, identifiers, accounts, counts)."""
    listed, _store = _summaries()
    item = next((i for i in listed if i.entity.id == organisation_id), None)
    if item is None:
        raise ui.fail(
            f"no organisation {organisation_id!r}; list them with `codereuse organisations`", 1
        )
    entity = item.entity
    if as_json:
        payload = entity.model_dump(mode="json")
        payload.update(software=item.software, declared=item.declared, valid=item.valid)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    out = ui.stdout()
    escape = ui.escape
    out.print(f"[bold]{escape(entity.name or entity.id)}[/]  [dim]{escape(entity.id)}[/]")
    rows = [
        ("kind", entity.kind),
        ("country", entity.country),
        ("level", entity.level),
        ("description", entity.description),
        ("website", entity.website),
        ("e-mail", entity.email),
        ("location", entity.location),
        ("uri", entity.uri),
        ("parent", entity.parent),
        ("software", f"{item.software} ({item.declared} declared, {item.valid} valid)"),
        ("forges", ", ".join(item.forges)),
    ]
    for label, value in rows:
        if value:
            source = entity.sources.get(label)
            note = f"  [dim]({source.kind}: {escape(source.detail)})[/]" if source else ""
            out.print(f"  [dim]{label:<12}[/] {escape(str(value))}{note}")
    for identifier in entity.identifiers:
        out.print(
            f"  [dim]{'identifier':<12}[/] {identifier.scheme}: {escape(identifier.value)}  "
            f"[dim]({identifier.source.kind}: {escape(identifier.source.detail)})[/]"
        )
    for account in entity.accounts:
        out.print(f"  [dim]{'account':<12}[/] {escape(account.owner)}  [dim]({account.forge})[/]")


def register(app: typer.Typer) -> None:
    """Add `organisations` to the codereuse command."""
    app.command("organisations")(organisations)
