"""The one settings object: ``CODEREUSE_*`` environment variables and an optional ``codereuse.toml``.

Precedence, highest first: arguments passed to `load_settings`, environment variables, the TOML
file (``CODEREUSE_CONFIG`` or ``./codereuse.toml``), defaults. Secrets are `SecretStr`, so they
print masked; tokens for forges are never settings of their own: a registration names the
environment variable that holds its token (architecture decision 8).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from schemas.errors import ConfigurationError
from schemas.token_env import DEFAULT_ALLOWED_TOKEN_ENV, FORGE_TOKEN_PREFIX, is_own_setting

MIN_ADMIN_TOKEN_LENGTH = 32
MAKE_A_TOKEN = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
# A list setting as the environment spells it: a JSON list (decoded by `_json_list`, so a bad
# value becomes one clear validation error instead of an exception from the settings source).
JsonList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """Every setting of codereuse, with its default."""

    model_config = SettingsConfigDict(env_prefix="CODEREUSE_", extra="forbid")

    database_url: str = Field(
        default="sqlite:///./codereuse.db",
        description="SQLAlchemy URL of the store; PostgreSQL for scale-out",
    )
    search_backend: Literal["embedded", "meilisearch"] = Field(
        default="embedded",
        description="embedded (postings and bitmaps in the SQLite store or CODEREUSE_SEARCH_PATH) or meilisearch",
    )
    search_path: str = Field(
        default="./codereuse-search.db",
        description="file of the embedded search index when the store is PostgreSQL "
        "(a SQLite store keeps the index in its own file)",
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
    crawl_deadline: str = Field(
        default="30m",
        description="longest one forge's crawl may take; it then stops at its last checkpoint "
        "and resumes on the next run, e.g. 30m, 2h",
    )
    crawl_facts: bool = Field(
        default=True,
        description="read repository facts with the listings (root files, README, LICENSE, "
        "manifests, releases, commits, open issues); about one more request per 100 "
        "repositories on GitLab and GitHub, several per repository on Gitea",
    )
    crawl_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="CPU priority a crawl runs at, as `nice` adds it (0: the server's own): "
        "`crawl` and the scheduler of `run --workers N` leave the CPU to the requests first; a "
        "crawl is paced by the forges' rate limits, not by the CPU",
    )
    cors_origins: JsonList = Field(
        default_factory=list,
        description='origins allowed by CORS, a JSON list like ["https://a.example"]; '
        "empty turns CORS off",
    )
    cache_mb: int = Field(
        default=64,
        ge=0,
        le=65536,
        description="answers kept until the catalogue or the search index changes (searches, "
        "pages, feed, statistics, exports), in MB; in a file beside a SQLite store that all "
        "the server's processes share (codereuse.db-answers), else in each process's memory; "
        "exports without words beside a SQLite store as files (codereuse.db-exports/) within "
        "four times this; 0 keeps none",
    )
    refresh_interval: float = Field(
        default=1.0,
        ge=0,
        le=3600,
        description="seconds a kept answer (search, page, statistics, kept response) is still "
        "sent after the catalogue changed, so a crawl's commits are seen at most this much "
        "later and a burst of them costs one computation; 0 sends only current answers",
    )
    export_refresh_interval: float = Field(
        default=60.0,
        ge=0,
        le=86400,
        description="the same for exports without words and the Atom feed (whole-catalogue "
        "documents costing up to half a second each per filter); 0 sends only current ones",
    )
    log_format: Literal["text", "json"] = Field(default="text", description="text or json logs")
    user_agent: str = Field(
        default="codereuse (+https://codereuse.example)",
        description="User-Agent sent to forges",
    )
    allowed_token_env: JsonList = Field(
        default_factory=lambda: list(DEFAULT_ALLOWED_TOKEN_ENV),
        description="variables a forge registered over the API may name as `token_env`, "
        "a JSON list of names or PREFIX*; `CODEREUSE_*` settings are never allowed",
    )

    @field_validator("cors_origins", "allowed_token_env", mode="before")
    @classmethod
    def _json_list(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            decoded = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            decoded = None
        if not isinstance(decoded, list) or not all(isinstance(item, str) for item in decoded):
            raise ValueError('expected a JSON list of strings, e.g. ["https://a.example"]')
        return decoded

    @field_validator("allowed_token_env")
    @classmethod
    def _no_own_settings(cls, value: list[str]) -> list[str]:
        for entry in value:
            name = entry.removesuffix("*")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"{entry!r} is not a variable NAME or a PREFIX*")
            if is_own_setting(name):
                raise ValueError(
                    f"{entry!r} covers codereuse's own settings, which are never sent to a forge; "
                    f"name forge token variables such as GITLAB_TOKEN or {FORGE_TOKEN_PREFIX}*"
                )
        return value

    @field_validator("crawl_deadline")
    @classmethod
    def _interval(cls, value: str) -> str:
        interval_seconds(value)  # raises ValueError with what to write instead
        return value

    @field_validator("admin_token")
    @classmethod
    def _long_admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        length = len(value.get_secret_value()) if value is not None else 0
        if 0 < length < MIN_ADMIN_TOKEN_LENGTH:
            raise ValueError(
                f"the admin token has {length} characters; use at least "
                f"{MIN_ADMIN_TOKEN_LENGTH} random ones so it cannot be guessed, e.g. from: "
                f"{MAKE_A_TOKEN}"
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
            file_secret_settings,
        )


def config_file() -> Path:
    """The TOML settings file: ``CODEREUSE_CONFIG`` or ``./codereuse.toml`` (it may not exist)."""
    return Path(os.environ.get("CODEREUSE_CONFIG", "codereuse.toml"))


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from arguments, the environment and ``codereuse.toml``.

    Raises:
        ConfigurationError: a setting is unusable; the message has one line per bad setting,
            naming the variable (or the file and key) and what is expected.
    """
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigurationError(describe_errors(error, given=set(overrides))) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{config_file()}: not valid TOML: {error}") from None


_SECRET_FIELDS = frozenset({"admin_token", "meili_key", "database_url"})


def describe_errors(error: ValidationError, *, given: set[str] | None = None) -> str:
    """One line per bad setting: where it was set, what is wrong, what is expected.

    A setting is named by its variable unless it came from the TOML file (file and key);
    `given` names the settings passed as arguments.
    """
    environment = {name.upper() for name in os.environ} | {
        f"CODEREUSE_{name.upper()}" for name in given or ()
    }
    if not config_file().is_file():
        environment |= {f"CODEREUSE_{name.upper()}" for name in Settings.model_fields}
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"][:1]) or "settings"
        variable = f"CODEREUSE_{key.upper()}"
        where = variable if variable in environment else f"{config_file()}: key {key!r}"
        if item["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown setting; `codereuse config show` lists the known ones")
            continue
        message = str(item["msg"]).removeprefix("Value error, ")
        shown = item.get("input")
        if key not in _SECRET_FIELDS and isinstance(shown, str | int | float) and shown != "":
            message = f"{message} (got {shown!r})"
        lines.append(f"{where}: {message[:1].lower()}{message[1:]}")
    return "\n".join(lines)


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
