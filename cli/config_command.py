"""`codereuse config show`: every setting, its value (secrets masked) and where it came from."""

from __future__ import annotations

import json
import os
import tomllib
from typing import Any

import typer
from pydantic import SecretStr

from cli import ui
from schemas.errors import ConfigurationError
from schemas.settings import Settings, load_settings
from schemas.settings import config_file as settings_file

config_app = typer.Typer(help="Show the settings codereuse runs with.", no_args_is_help=True)


def setting_sources(settings: Settings) -> list[dict[str, Any]]:
    """One row per setting: name, environment variable, value (secrets masked), source, help."""
    config_file = settings_file()
    from_file: dict[str, Any] = {}
    if config_file.is_file():
        try:
            from_file = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigurationError(f"{config_file}: not valid TOML: {error}") from error
    rows = []
    for name, field in Settings.model_fields.items():
        env_name = f"CODEREUSE_{name.upper()}"
        if env_name in os.environ:
            source = f"environment ({env_name})"
        elif name in from_file:
            source = f"file ({config_file})"
        else:
            source = "default"
        value = getattr(settings, name)
        if name == "database_url":
            from indexer.store.engine import safe_url_text  # SQLAlchemy only when needed

            value = safe_url_text(value)
        if isinstance(value, SecretStr):
            shown: Any = "********" if value.get_secret_value() else ""
        else:
            shown = value
        rows.append(
            {
                "name": name,
                "env": env_name,
                "value": shown,
                "source": source,
                "help": field.description or "",
            }
        )
    return rows


@config_app.command("show")
def show(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List every setting with its value and source; secrets are masked.

    Example: CODEREUSE_PORT=9000 codereuse config show
    """
    try:
        rows = setting_sources(load_settings())
    except ConfigurationError as error:
        for line in str(error).splitlines():
            ui.echo(f"codereuse: unusable setting: {line}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        value = row["value"]
        shown = json.dumps(value, default=str) if not isinstance(value, str) else value
        ui.echo(f"{row['name']:<{width}}  {shown or '-'}  [{row['source']}]")


def register(app: typer.Typer) -> None:
    """Add `config` to the codereuse command."""
    app.add_typer(config_app, name="config")
