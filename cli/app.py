"""The `codereuse` command: a thin typer shell over the library.

Commands are registered here explicitly, by name, one module each (style: never discover).
Exit codes: 0 success; 1 the command ran and found a problem (an invalid file, a failed crawl);
2 unusable arguments or settings.
"""

from __future__ import annotations

import os
from importlib.metadata import version
from typing import Any

import typer
from typer.core import TyperGroup

from cli import (
    catalogue_command,
    config_command,
    crawl_command,
    db_command,
    draft_command,
    export_command,
    forges_command,
    notify_issues_command,
    organisations_command,
    propose_command,
    run_command,
    serve_command,
    status_command,
    ui,
    validate_command,
    webhooks_command,
)
from cli.logs import configure_logging
from schemas.errors import ConfigurationError, StoreError
from schemas.settings import load_settings

_ASKS_FOR_HELP = "codereuse.asks_for_help"


class _RootGroup(TyperGroup):
    """The root command: notes whether the command line asks for help (then settings don't
    matter), and turns a storage failure no command handled into one clear line and exit 1."""

    # `ctx` is typer's vendored click context, whose class typer does not export: Any.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_ASKS_FOR_HELP] = "--help" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        import sqlite3

        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise ui.fail(error, 1) from None
        except (sqlite3.Error, SQLAlchemyError) as error:
            # Raised outside the store's own wrapping (the embedded search index, for one).
            from cli.storage import where
            from indexer.store.health import describe_failure

            database = where(load_settings().database_url)
            raise ui.fail(describe_failure(error, database), 1) from None


app = typer.Typer(
    cls=_RootGroup,
    name="codereuse",
    help="A federated index of reusable public-sector software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"codereuse {version('codereuse')}")
        raise typer.Exit()


def _check_settings(context: typer.Context) -> None:
    """Exit 2 with one line per unusable setting before any command runs.

    `config show` reports them itself, and help is shown whatever the settings say.
    """
    if (
        context.invoked_subcommand == "config"
        or context.resilient_parsing
        or context.meta.get(_ASKS_FOR_HELP)
    ):
        return
    try:
        load_settings()
    except ConfigurationError as error:
        for line in str(error).splitlines():
            ui.echo(f"codereuse: unusable setting: {line}", err=True)
        raise typer.Exit(2) from None


@app.callback()
def _root(
    context: typer.Context,
    show_version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Show only warnings and errors; no progress bars."
    ),
    log_format: str = typer.Option(
        "", "--log-format", help="Log format: text or json (default: CODEREUSE_LOG_FORMAT or text)."
    ),
) -> None:
    """A federated index of reusable public-sector software.

    Example: codereuse validate publiccode.yml
    """
    chosen = log_format or os.environ.get("CODEREUSE_LOG_FORMAT", "text")
    if chosen not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--log-format")
    configure_logging("json" if chosen == "json" else "text", quiet=quiet)
    ui.QUIET = quiet
    ui.JSON_LOGS = chosen == "json"
    _check_settings(context)


# One line per command module; each module exposes `register(app)`.
config_command.register(app)
db_command.register(app)
forges_command.register(app)
export_command.register(app)
crawl_command.register(app)
serve_command.register(app)
validate_command.register(app)
catalogue_command.register(app)
organisations_command.register(app)
run_command.register(app)
draft_command.register(app)
propose_command.register(app)
status_command.register(app)
webhooks_command.register(app)
notify_issues_command.register(app)


def main() -> None:
    """Entry point of the console command."""
    app()
