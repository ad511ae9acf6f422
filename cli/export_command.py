"""`codereuse export`: the catalogue, or a filtered slice of it, as CSV, JSON, NDJSON or Parquet.

The same writers and the same filters as ``GET /api/v1/export`` (`api.exports`,
`api.selection`), so a file written here equals the API's download. Records stream from the
store in constant memory; the file appears only when complete (temporary file, then rename).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

import typer
from pydantic import ValidationError

from cli import ui
from schemas.errors import CodereuseError
from schemas.settings import load_settings


class ExportFormat(StrEnum):
    """Export formats."""

    csv = "csv"
    json = "json"
    ndjson = "ndjson"
    parquet = "parquet"


def write_chunks(chunks: Iterable[bytes], out: BinaryIO) -> None:
    """Write byte chunks as they come."""
    for chunk in chunks:
        out.write(chunk)


def _write_file(path: Path, chunks: Iterable[bytes]) -> None:
    """Write to a temporary file beside `path` and rename it, so a failed export leaves no half file."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            write_chunks(chunks, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Counter:
    """Counts the records flowing through to the writer, and reports every 1,000 to `tick`."""

    def __init__(self, records: Iterable[Any], tick: Callable[[int], None] | None = None) -> None:
        self.records = records
        self.count = 0
        self.tick = tick

    def __iter__(self) -> Iterator[Any]:
        for record in self.records:
            self.count += 1
            if self.tick is not None and self.count % 1000 == 0:
                self.tick(self.count)
            yield record


def export(
    format: ExportFormat = typer.Option(..., "--format", help="csv, json, ndjson or parquet."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here instead of stdout."
    ),
    query: str = typer.Option("", "--query", "-q", help="Words: export the search's hits."),
    licence: list[str] = typer.Option([], "--licence", help="SPDX id; repeat to OR."),
    category: list[str] = typer.Option([], "--category", help="Category; repeat to OR."),
    platform: list[str] = typer.Option([], "--platform", help="Platform; repeat to OR."),
    software_type: list[str] = typer.Option([], "--software-type", help="e.g. standalone/web."),
    development_status: list[str] = typer.Option([], "--development-status", help="e.g. stable."),
    maintenance_type: list[str] = typer.Option([], "--maintenance-type", help="e.g. internal."),
    organisation: list[str] = typer.Option(
        [], "--organisation", help="Organisation id (a name selects every organisation of it)."
    ),
    forge: list[str] = typer.Option([], "--forge", help="Registered forge name."),
    language: list[str] = typer.Option([], "--language", help="Programming language."),
    declared: bool | None = typer.Option(
        None, "--declared/--inferred", help="Only records from a publiccode.yml / only inferred."
    ),
    archived: bool | None = typer.Option(
        None, "--archived/--not-archived", help="Only archived / only active repositories."
    ),
    active_since: datetime | None = typer.Option(
        None, "--active-since", formats=["%Y-%m-%d"], help="Last activity on or after YYYY-MM-DD."
    ),
    active_until: datetime | None = typer.Option(
        None, "--active-until", formats=["%Y-%m-%d"], help="Last activity before YYYY-MM-DD."
    ),
    organisations: bool = typer.Option(
        False, "--organisations", help="One row per organisation with its counts."
    ),
) -> None:
    """Export the catalogue, or the slice the filters select (the same filters as the API).

    Filters of one kind are OR-ed, different kinds AND-ed. With --query the search's hits are
    exported (at most 10,000, ranked); without it every matching record.

    With --organisations: one row per organisation (id, name, kind, country, level, counts of
    software, declared and valid, forges, accounts, identifiers); --query then matches names,
    accounts and identifiers.

    Example: codereuse export --format csv --licence EUPL-1.2 --forge opencode -o eupl.csv
    """
    if organisations:
        _export_organisations(format.value, output, query)
        return
    from api.exports import export_format
    from api.query import CatalogueQuery
    from api.selection import select_for
    from cli.storage import open_store  # loads SQLAlchemy only when needed

    fields: dict[str, Any] = {
        "q": query,
        "licence": licence,
        "category": category,
        "platform": platform,
        "software_type": software_type,
        "development_status": development_status,
        "maintenance_type": maintenance_type,
        "organisation": organisation,
        "forge": forge,
        "language": language,
        "declared": declared,
        "archived": archived,
        "active_since": _day(active_since),
        "active_until": _day(active_until),
    }
    try:
        selection = CatalogueQuery.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = "--" + str(first["loc"][0]).replace("_", "-")
        ui.echo(f"codereuse: {where}: {first['msg']}", err=True)
        raise typer.Exit(2) from None
    chosen = export_format(format.value)
    settings = load_settings()
    try:
        with open_store(settings.database_url) as store:
            store.check_integrity()  # a damaged store is reported before a byte is written
            if selection.organisation:
                from api.organisations_view import organisation_filter_values

                values = organisation_filter_values(
                    store.list_organisations(), selection.organisation
                )
                selection = selection.model_copy(update={"organisation": values})
            search: Any = None
            if selection.q:
                from indexer.search.factory import create_search_backend
                from indexer.sync import catch_up

                search = create_search_backend(settings, store)
                catch_up(settings, store, search)  # a per-host index file follows the store
            total = store.count_records() if selection.is_empty() else None
            with ui.progress() as bar:
                task = bar.add_task("export", total=total, status=format.value)
                counted = _Counter(
                    select_for(chosen, store, search, selection),
                    tick=lambda done: bar.update(task, completed=done),
                )
                _deliver(chosen.write(counted), output)
                bar.update(task, completed=counted.count, total=counted.count)
    except (CodereuseError, OSError) as error:
        raise _failed(error, output) from None
    ui.say(
        f"exported {counted.count} record(s) as {format.value}"
        + (f" to {output}" if output else "")
    )


def _deliver(chunks: Iterable[bytes], output: Path | None) -> None:
    """Write `chunks` to `output`, or to stdout when there is none."""
    if output is None:
        write_chunks(chunks, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        _write_file(output, chunks)


def _failed(error: CodereuseError | OSError, output: Path | None) -> typer.Exit:
    """Say what went wrong in one line (never a traceback); the exit to raise (status 1)."""
    if isinstance(error, CodereuseError):
        ui.echo(f"codereuse: {error}", err=True)
    else:
        ui.echo(f"codereuse: {output}: cannot write ({error.strerror})", err=True)
    return typer.Exit(1)


def _export_organisations(format_name: str, output: Path | None, query: str) -> None:
    from api.exports.organisations import write
    from api.organisations_view import list_summaries, select
    from cli.storage import open_store

    try:
        with open_store(load_settings().database_url) as store:
            chosen = select(list_summaries(store), query, {}).items
        _deliver(write(format_name, chosen), output)
    except (CodereuseError, OSError) as error:
        raise _failed(error, output) from None
    ui.say(
        f"exported {len(chosen)} organisation(s) as {format_name}"
        + (f" to {output}" if output else "")
    )


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


def register(app: typer.Typer) -> None:
    """Add `export` to the codereuse command."""
    app.command("export")(export)
