"""`codereuse export`: the catalogue as a file, streamed from the store in constant memory.

Only ndjson so far (one record per line in the JSON shape of `schemas/record`); csv, json and
parquet come with the API's export writers, which this command will call then.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TextIO

import typer

from cli import ui
from schemas.errors import CodereuseError
from schemas.record import Record
from schemas.settings import load_settings


class ExportFormat(StrEnum):
    """Export formats."""

    ndjson = "ndjson"


def write_ndjson(records: Iterable[Record], out: TextIO) -> int:
    """Write one JSON object per line (``Record.model_dump(mode="json")``); return the count."""
    count = 0
    for record in records:
        out.write(
            json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
        )
        out.write("\n")
        count += 1
    return count


def _write_file(path: Path, records: Iterable[Record]) -> int:
    """Write to a temporary file beside `path` and rename it, so a failed export leaves no half file."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            count = write_ndjson(records, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def export(
    format: ExportFormat = typer.Option(
        ..., "--format", help="ndjson (csv, json, parquet: later)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here instead of stdout."
    ),
) -> None:
    """Export every record of the catalogue, one JSON object per line.

    Example: codereuse export --format ndjson -o catalogue.ndjson
    """
    from indexer.store import create_store  # loads SQLAlchemy only when needed

    try:
        with create_store(load_settings().database_url) as store:
            if output is None:
                count = write_ndjson(store.iter_records(), sys.stdout)
                sys.stdout.flush()
            else:
                count = _write_file(output, store.iter_records())
    except CodereuseError as error:
        typer.echo(f"codereuse: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        typer.echo(f"codereuse: {output}: cannot write ({error.strerror})", err=True)
        raise typer.Exit(1) from None
    ui.say(f"exported {count} record(s) as {format.value}" + (f" to {output}" if output else ""))


def register(app: typer.Typer) -> None:
    """Add `export` to the codereuse command."""
    app.command("export")(export)
