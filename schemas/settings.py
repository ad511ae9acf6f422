"""The one settings object: ``CODEREUSE_*`` environment variables and an optional ``codereuse.toml``.

Precedence, highest first: arguments passed to `load_settings`, environment variables, the TOML
file (``CODEREUSE_CONFIG`` or ``./codereuse.toml``), defaults. Secrets are `SecretStr`, so they
print masked; tokens for forges are never settings of their own: a registration names the
environment variable that holds its token (architecture decision 8).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """Every setting of codereuse, with its default."""

    model_config = SettingsConfigDict(env_prefix="CODEREUSE_", extra="forbid")

    database_url: str = Field(
        default="sqlite:///./codereuse.db",
        description="SQLAlchemy URL of the store; PostgreSQL for scale-out",
    )
    search_backend: Literal["embedded", "meilisearch"] = Field(
        default="embedded", description="embedded (SQLite FTS5 in the store) or meilisearch"
    )
    meili_url: str | None = Field(default=None, description="Meilisearch server URL")
    meili_key: SecretStr | None = Field(default=None, description="Meilisearch API key")
    meili_index: str = Field(default="software", description="Meilisearch index name")
    admin_token: SecretStr | None = Field(
        default=None, description="bearer token for API writes; unset disables writes"
    )
    host: str = Field(default="127.0.0.1", description="address `serve` and `run` listen on")
    port: int = Field(default=8000, ge=1, le=65535, description="port `serve` and `run` listen on")
    every: str = Field(default="6h", description="how often `run` recrawls, e.g. 30m, 6h, 1d")
    cors_origins: list[str] = Field(
        default_factory=list, description="origins allowed by CORS; empty turns CORS off"
    )
    log_format: Literal["text", "json"] = Field(default="text", description="text or json logs")
    user_agent: str = Field(
        default="codereuse (+https://codereuse.example)",
        description="User-Agent sent to forges",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("CODEREUSE_CONFIG", "codereuse.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
            file_secret_settings,
        )


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from arguments, the environment and ``codereuse.toml``."""
    return Settings(**overrides)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval_seconds(text: str) -> int:
    """Seconds in an interval like ``90s``, ``30m``, ``6h`` or ``1d`` (a bare number is seconds).

    Raises:
        ValueError: the text is not such an interval, or is shorter than one minute.
    """
    cleaned = text.strip().lower()
    unit = cleaned[-1:] if cleaned[-1:] in _UNITS else "s"
    number = cleaned[:-1] if cleaned[-1:] in _UNITS else cleaned
    if not number.isdigit():
        raise ValueError(f"{text!r} is not an interval; write e.g. 30m, 6h or 1d")
    seconds = int(number) * _UNITS[unit]
    if seconds < 60:
        raise ValueError(f"{text!r} is shorter than a minute; forges deserve politeness")
    return seconds
