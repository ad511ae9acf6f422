"""What commands show people: progress bars and plain status lines, silenced by ``--quiet``.

Progress goes to stderr through rich, so stdout stays clean for data (`--json`, exports).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

QUIET = False
"""Set by the root command's ``--quiet``."""
JSON_LOGS = False
"""Set by ``--log-format json``: status lines become JSON log records, progress bars stay off."""


def console() -> Console:
    """The stderr console progress and status lines go to."""
    return Console(stderr=True, quiet=QUIET, soft_wrap=True)


def say(message: str) -> None:
    """Print one plain status line on stderr, unless ``--quiet`` (a log record with JSON logs)."""
    if JSON_LOGS:
        logging.getLogger("codereuse").info(message)
        return
    console().print(message, markup=False, highlight=False)


@contextmanager
def progress() -> Iterator[Progress]:
    """A progress display for long jobs (crawl, index, export); invisible with ``--quiet``."""
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console(),
        transient=False,
        disable=QUIET or JSON_LOGS,
    )
    with bar:
        yield bar


def stdout() -> Console:
    """The console for a command's own output (stdout), with rich markup."""
    return Console(highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """`text` with rich markup characters escaped."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)
