"""What commands show people: progress bars and plain status lines, silenced by ``--quiet``.

Progress goes to stderr through rich, so stdout stays clean for data (`--json`, exports).

Everything shown to people passes `printable` (through `say`, `echo`, `fail`, `escape` and the
`stdout` console): forge data is hostile, and a name holding ``ESC[2J``, a terminal-title or
OSC 8 link sequence, or a NUL byte must not reach the terminal. Machine output (``--json``,
exports, YAML) is written as is, exactly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

QUIET = False
"""Set by the root command's ``--quiet``."""
JSON_LOGS = False
"""Set by ``--log-format json``: status lines become JSON log records, progress bars stay off."""


# Terminal escape sequences, whole, so no half of one is left to show: CSI (colours, cursor,
# ESC[2J), OSC (window title, OSC 8 links) ended by BEL or ST, DCS/PM/APC/SOS strings, other
# two-character escapes, and their 8-bit forms.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?"
)
# What remains of C0/C1 controls (tab and newline kept), DEL, and the bidirectional overrides
# that make text display in another order than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tab and newline kept).

    The one filter for human output; ``--json`` and exports do not pass it.
    """
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


class _PrintableConsole(Console):
    """A rich console that filters every string it is given through `printable`."""

    def print(self, *objects: Any, **options: Any) -> None:
        super().print(
            *(printable(item) if isinstance(item, str) else item for item in objects), **options
        )


def console() -> Console:
    """The stderr console progress and status lines go to."""
    return _PrintableConsole(stderr=True, quiet=QUIET, soft_wrap=True)


def say(message: str) -> None:
    """Print one plain status line on stderr, unless ``--quiet`` (a log record with JSON logs)."""
    if JSON_LOGS:
        logging.getLogger("codereuse").info(printable(message))
        return
    console().print(message, markup=False, highlight=False)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print human output (a table row, a summary, an error) on stdout or stderr, filtered."""
    typer.echo(printable(text), err=err, nl=nl)


def fail(message: object, code: int = 1) -> typer.Exit:
    """Print ``codereuse: MESSAGE`` on stderr and return the `typer.Exit` to raise (exit `code`).

    With ``--log-format json`` the message is an error log record instead, so every line on
    stderr stays JSON.
    """
    if JSON_LOGS:
        logging.getLogger("codereuse").error(printable(str(message)))
    else:
        echo(f"codereuse: {message}", err=True)
    return typer.Exit(code)


def print_or_write(text: str, output: Path | None, cannot_write: Callable[[OSError], str]) -> None:
    """Print `text` on stdout as it is, or write it to `output` (UTF-8).

    Raises the `fail` of ``cannot_write(error)`` (exit 1) when `output` cannot be written.
    """
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise fail(cannot_write(error), 1) from error


def write_token_option(holding: str) -> Any:
    """The ``--token-env`` option of a command that writes to forges: the variable holding a
    token `holding` (what the token may do), by default ``CODEREUSE_FORGE_TOKEN_<FORGE>_WRITE``."""
    return typer.Option(
        None,
        "--token-env",
        help=f"Variable holding a token {holding} (default CODEREUSE_FORGE_TOKEN_<FORGE>_WRITE).",
    )


def _escaped(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: escape(v) if isinstance(v, str) else v for k, v in fields.items()}


class _PrintableProgress(Progress):
    """Progress whose task descriptions and fields (forge names, group paths) are filtered and
    markup-escaped: they come from forge data and registry files."""

    def add_task(
        self,
        description: str,
        start: bool = True,
        total: float | None = 100.0,
        completed: int = 0,
        visible: bool = True,
        **fields: Any,
    ) -> TaskID:
        return super().add_task(
            escape(description), start, total, completed, visible, **_escaped(fields)
        )

    def update(
        self,
        task_id: TaskID,
        *,
        total: float | None = None,
        completed: float | None = None,
        advance: float | None = None,
        description: str | None = None,
        visible: bool | None = None,
        refresh: bool = False,
        **fields: Any,
    ) -> None:
        super().update(
            task_id,
            total=total,
            completed=completed,
            advance=advance,
            description=None if description is None else escape(description),
            visible=visible,
            refresh=refresh,
            **_escaped(fields),
        )


@contextmanager
def progress() -> Iterator[Progress]:
    """A progress display for long jobs (crawl, index, export); invisible with ``--quiet``."""
    bar = _PrintableProgress(
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
    """The console for a command's own output (stdout), with rich markup, filtered."""
    return _PrintableConsole(highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """`text` made safe to put into rich markup: filtered, markup characters escaped."""
    from rich.markup import escape as rich_escape

    return rich_escape(printable(text))
