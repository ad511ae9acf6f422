"""`codereuse index`, `search`, `show` and `stats`: the catalogue from the command line.

Each command is a thin shell: the store (`indexer.store`), the configured search backend
(`indexer.search.factory`) and the query model the API uses (`api.query`), so a search here
answers exactly as ``GET /api/v1/software`` does.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import ValidationError

from cli import ui
from cli.storage import open_store, say_if_empty
from schemas.errors import CodereuseError, InvalidQueryError
from schemas.settings import load_settings

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _fail(message: str, code: int) -> typer.Exit:
    return ui.fail(message, code)


@contextmanager
def _catalogue(*, with_search: bool, catch_up: bool = True) -> Iterator[tuple[Any, Any]]:
    """The store and (optionally) the search backend from the settings; errors exit with 2.

    An index file kept beside a PostgreSQL store is first brought up to date with the store
    (unless `catch_up` is False), so `search` on a host where no API process follows the change
    feed never answers from a stale or missing index.
    """
    settings = load_settings()
    try:
        store = open_store(settings.database_url)
    except CodereuseError as error:
        raise _fail(str(error), 2) from error
    with store:
        search = None
        if with_search:
            from indexer.search.factory import create_search_backend

            try:
                search = create_search_backend(settings, store)
            except CodereuseError as error:
                raise _fail(str(error), 2) from error
            if catch_up:
                _catch_up(settings, store, search)
        try:
            yield store, search
        finally:
            close = getattr(search, "close", None)
            if close is not None:
                close()


def _catch_up(settings: Any, store: Any, search: Any) -> None:
    from indexer.sync import catch_up

    try:
        touched = catch_up(settings, store, search)
    except CodereuseError as error:
        raise _fail(f"the search index could not follow the store: {error}", 1) from error
    if touched is None:
        ui.say(f"search index built from the store in {search.path}")


def index(
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Rebuild the whole index from the store (no forge is asked)."
    ),
) -> None:
    """Bring the search index up to date with the store (only what changed, or all with --rebuild).

    Example: codereuse index --rebuild
    """
    from indexer.sync import sync_search

    with _catalogue(with_search=True, catch_up=False) as (store, search):
        with ui.progress() as bar:
            task = bar.add_task("index", total=None, status="rebuilding" if rebuild else "syncing")
            try:
                touched = sync_search(search, store, rebuild=rebuild)
            except CodereuseError as error:
                raise _fail(str(error), 1) from error
            bar.update(task, status="done")
        total = store.count_records()
        say_if_empty(store, load_settings().database_url)
    if touched is None:
        ui.echo(f"index rebuilt: {total} records")
    else:
        ui.echo(f"index synced: {touched} records changed, {total} in the catalogue")


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _fail(f"--filter {pair!r}: write KEY=VALUE, e.g. --filter licence=EUPL-1.2", 2)
        grouped.setdefault(key.strip().replace("-", "_"), []).append(value.strip())
    return grouped


def _terminal(highlighted: str | None, plain: str | None) -> str:
    """Highlight HTML (escaped text with <mark>) as rich markup for the terminal."""
    escape = ui.escape
    if not highlighted:
        return escape(plain or "")
    parts = _MARK.split(highlighted)
    return "".join(
        f"[bold yellow]{escape(html.unescape(part))}[/]"
        if index % 2
        else escape(html.unescape(part))
        for index, part in enumerate(parts)
    )


def search(
    query: str = typer.Argument("", help="Words to search for; empty lists everything."),
    filter: list[str] = typer.Option(
        [], "--filter", "-f", help="KEY=VALUE, repeatable (licence, category, forge, …)."
    ),
    facets: bool = typer.Option(False, "--facets", help="Show facet counts."),
    sort: str = typer.Option(
        "relevance", "--sort", help="relevance, last_activity, name, stars, maturity."
    ),
    page: int = typer.Option(1, "--page", min=1, help="Page number."),
    per_page: int = typer.Option(20, "--per-page", min=1, max=100, help="Hits per page."),
    lang: str = typer.Option("en", "--lang", help="Language of descriptions: de, en, it, fr, nl."),
    as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
) -> None:
    """Search the catalogue with the same query rules as the API and the search page.

    Filter keys: licence, category, platform, software_type, development_status,
    maintenance_type, organisation, forge, language, declared, archived, active_since,
    active_until; maturity (0-3), has_release, has_ci, has_security_policy (true/false),
    active_within (90d, 1y); valid, has_findings (true/false), finding (a finding code).
    Values of one key are OR-ed, keys AND-ed; valid=false lists the records with errors.

    Example: codereuse search "Bürgerbeteiligung" --filter licence=EUPL-1.2 --facets
    """
    from api.catalogue import hit_out
    from api.models import HITS_JSON
    from api.query import DEFAULT_FACETS, FLAG_FILTERS, CatalogueQuery

    fields: dict[str, Any] = dict(_filters(filter))
    for flag in (*FLAG_FILTERS, "active_since", "active_until"):
        if flag in fields:
            fields[flag] = fields[flag][-1]
    try:
        selection = CatalogueQuery.model_validate({"q": query, **fields}, strict=False)
    except ValidationError as error:
        first = error.errors()[0]
        raise _fail(f"--filter {first['loc'][0]}: {first['msg']}", 2) from None
    unknown = set(fields) - set(CatalogueQuery.model_fields)
    if unknown:
        raise _fail(
            f"--filter {sorted(unknown)[0]}: unknown key; use one of: "
            + ", ".join(name for name in CatalogueQuery.model_fields if name != "q"),
            2,
        )
    with _catalogue(with_search=True) as (_store, backend):
        try:
            result = backend.search(
                query=selection.q,
                filters=selection.filters(),
                facets=DEFAULT_FACETS if facets else (),
                sort=sort,
                page=page,
                per_page=per_page,
                locale=lang,
            )
        except InvalidQueryError as error:
            raise _fail(str(error), 2) from error
    if as_json:
        payload = {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "hits": HITS_JSON.dump_python([hit_out(hit) for hit in result.hits], mode="json"),
            "facets": {name: dict(counts) for name, counts in result.facets.items()},
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    out = ui.stdout()
    out.print(f"{result.total} result(s)" + (f", page {result.page}" if result.total else ""))
    for hit in result.hits:
        badge = "declared" if hit.declared else "inferred"
        active = hit.last_activity.date().isoformat() if hit.last_activity else "-"
        out.print(
            f"\n[bold]{_terminal(hit.highlights.get('name'), hit.name)}[/]  [dim]{ui.escape(hit.id)}[/]"
        )
        description = _terminal(hit.highlights.get("short_description"), hit.short_description)
        if description:
            out.print(f"  {description}")
        licence = ui.escape(hit.licence or "no licence")
        out.print(f"  [dim]{badge} · {licence} · last activity {active}[/]")
    for name, counts in result.facets.items():
        if counts:
            shown = ", ".join(f"{value} ({count})" for value, count in list(counts.items())[:10])
            out.print(f"\n[bold]{ui.escape(name)}[/]: {ui.escape(shown)}")
    if result.total == 0:
        with _catalogue(with_search=False) as (store, _search):
            say_if_empty(store, load_settings().database_url)
        raise typer.Exit(1)


def show(
    record_id: str = typer.Argument("", metavar="[ID]", help="Record id or repository URL."),
    organisation: str = typer.Option(
        "", "--organisation", metavar="ID", help="Show this organisation instead of a record."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full record as JSON."),
    lang: str = typer.Option(
        "", "--lang", help="Language of the description and findings (default: from LANG)."
    ),
) -> None:
    """Show one record (descriptions, licence, maintenance, relations, provenance, findings),
    or with --organisation one organisation (profile with sources, identifiers, accounts).

    Example: codereuse show gitlab.opencode.de/bmi/opendesk --json
    """
    if organisation:
        from cli.organisations_command import show_organisation

        show_organisation(organisation, as_json=as_json)
        return
    if not record_id:
        raise _fail("name a record ID (or --organisation ID); see `codereuse show --help`", 2)
    with _catalogue(with_search=False) as (store, _search):
        found = store.get_record(record_id.lower()) or _by_url(store, record_id)
        meta = store.get_record_meta(found.id) if found else None
    if found is None:
        with _catalogue(with_search=False) as (store, _search):
            say_if_empty(store, load_settings().database_url)
        raise _fail(f"no record {record_id!r}; search with `codereuse search WORDS`", 1)
    if as_json:
        payload = found.model_dump(mode="json")
        if meta is not None:
            payload["first_seen"] = meta.first_seen.isoformat()
            payload["last_seen"] = meta.last_seen.isoformat()
            payload["last_changed"] = meta.last_changed.isoformat()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from cli.status_command import cli_language

    _print_record(found, meta, lang or cli_language())


def _by_url(store: Any, text: str) -> Any:
    from schemas.errors import InvalidURLError

    try:
        found_id = store.find_record_by_url(text)
    except InvalidURLError:
        return None
    return store.get_record(found_id) if found_id else None


def _organisation_line(record: Any) -> str | None:
    organisation = record.organisation
    if organisation is None or organisation.kind == "person":
        return "person (user namespace)" if organisation else None
    return f"{organisation.name or ''} [{organisation.id}]".strip()


def _print_record(record: Any, meta: Any, lang: str) -> None:
    escape = ui.escape
    out = ui.stdout()
    description = record.description_in(lang)
    out.print(f"[bold]{escape(record.name)}[/]  [dim]{escape(record.id)}[/]")
    if description and description.short:
        out.print(escape(description.short))
    rows = [
        ("url", record.url),
        ("declared", "yes (publiccode.yml)" if record.declared else "no (inferred from the forge)"),
        ("valid", "yes" if record.valid else "no"),
        ("licence", record.licence.expression if record.licence else None),
        ("organisation", _organisation_line(record)),
        ("owner", record.repository.owner),
        ("software type", record.software_type),
        ("status", record.development_status),
        ("maintenance", record.maintenance.type),
        ("categories", ", ".join(record.categories)),
        ("platforms", ", ".join(record.platforms)),
        ("languages", ", ".join(record.repository.languages)),
        ("last activity", record.last_activity.isoformat() if record.last_activity else None),
        ("mirrors", ", ".join(record.relations.mirrors)),
        ("based on", ", ".join(record.relations.is_based_on)),
        ("fork of", record.relations.fork_of),
        ("forge", record.forge),
        ("fetched", record.provenance.fetched_at.isoformat()),
        ("last changed", meta.last_changed.isoformat() if meta else None),
    ]
    for label, value in rows:
        if value:
            out.print(f"  [dim]{label:<14}[/] {escape(str(value))}")
    if description and description.features:
        out.print("  [dim]features[/]")
        for feature in description.features:
            out.print(f"    - {escape(feature)}")
    from api.findings_text import finding_message

    findings_language = "de" if lang == "de" else "en"
    for finding in record.findings:
        place = f"{finding.line or 0}:{finding.column or 0}"
        out.print(
            f"  [dim]{escape(finding.type)}[/] {place} {escape(finding.key)}: "
            f"{escape(finding_message(finding, findings_language))}"
        )


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Count the catalogue by forge, organisation, licence, language and category.

    Example: codereuse stats --json
    """
    import dataclasses

    with _catalogue(with_search=False) as (store, _search):
        figures = store.stats()
        if not as_json:
            say_if_empty(store, load_settings().database_url)
    payload = dataclasses.asdict(figures)
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    out = ui.stdout()
    out.print(
        f"{figures.records} records ({figures.declared} declared, {figures.valid} valid) "
        f"from {figures.repositories} repositories on {figures.forges} forges"
    )
    from api.stats_view import organisation_labels

    labels = {"by_organisation": organisation_labels(figures)}
    for name in ("by_forge", "by_organisation", "by_licence", "by_language", "by_category"):
        counts = payload.get(name) or {}
        if counts:
            top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
            label = labels.get(name, {})
            shown = ", ".join(f"{label.get(value, value)} ({count})" for value, count in top)
            out.print(f"[bold]{name.removeprefix('by_')}[/]: {ui.escape(shown)}")


def register(app: typer.Typer) -> None:
    """Add `index`, `search`, `show` and `stats` to the codereuse command."""
    app.command("index")(index)
    app.command("search")(search)
    app.command("show")(show)
    app.command("stats")(stats)
