"""`codereuse db upgrade`: bring the store's schema to the newest migration."""

from __future__ import annotations

import typer

from cli import ui
from cli.storage import announce_new
from indexer.store import upgrade_database
from indexer.store.engine import parse_database_url, safe_url
from schemas.errors import ConfigurationError, StoreError
from schemas.settings import load_settings

db_app = typer.Typer(help="Manage the store's database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(
    database_url: str = typer.Option(
        "",
        "--database-url",
        help="SQLAlchemy URL of the store (default: CODEREUSE_DATABASE_URL or ./codereuse.db).",
        show_default=False,
    ),
) -> None:
    """Apply every pending migration to the store (needed for PostgreSQL; SQLite does it itself).

    Example: CODEREUSE_DATABASE_URL=postgresql://codereuse@db/codereuse codereuse db upgrade
    """
    try:
        url = database_url or load_settings().database_url
        shown = safe_url(parse_database_url(url))
        announce_new(url)
        before, after = upgrade_database(url)
    except (ConfigurationError, ValueError) as error:
        ui.echo(f"codereuse: unusable database URL: {error}", err=True)
        raise typer.Exit(2) from error
    except StoreError as error:
        ui.echo(f"codereuse: {error}", err=True)
        raise typer.Exit(1) from error
    if before == after:
        ui.echo(f"{shown}: already at schema revision {after}")
    else:
        ui.echo(f"{shown}: upgraded from {before or '(empty database)'} to revision {after}")


def register(app: typer.Typer) -> None:
    """Add `db` to the codereuse command."""
    app.add_typer(db_app, name="db")
