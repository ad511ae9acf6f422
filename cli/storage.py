"""Opening the store from the command line: say which database, never create one by accident.

The default store is ``sqlite:///./codereuse.db``, relative to the working directory, so a
command run from another directory used to create a new empty file there and answer "0 results".
Commands that only read (`search`, `show`, `stats`, `index`, `export`, `forges list`, ...) refuse
a SQLite file that does not exist, naming the path they looked at and what to do, and leave
nothing behind; commands that write (`forges add`, `forges import`, `serve`, `run`,
`db upgrade`) say where they create it. Empty catalogues are named too (`where`), so "0 results"
always says which database answered.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cli import ui
from schemas.errors import ConfigurationError, StoreError

if TYPE_CHECKING:
    from indexer.store import Store

READ_HINT = (
    "run the command where your codereuse.db is, point CODEREUSE_DATABASE_URL at it "
    "(e.g. sqlite:////srv/codereuse/codereuse.db), or build a catalogue with `codereuse run`"
)
CRAWL_HINT = (
    "no forge is registered there: register one with `codereuse forges add URL --kind KIND` "
    "(which creates it), or point CODEREUSE_DATABASE_URL at your catalogue"
)


def _sqlite_path(database_url: str) -> str | None:
    from indexer.store.engine import parse_database_url  # SQLAlchemy only when needed

    url = parse_database_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    return str(url.database)


def sqlite_file(database_url: str) -> Path | None:
    """The absolute path of the SQLite file `database_url` names; None for PostgreSQL or memory.

    Raises:
        ConfigurationError: the URL is unusable (from `indexer.store.engine.parse_database_url`).
    """
    written = _sqlite_path(database_url)
    return None if written is None else Path(written).expanduser().resolve()


def where(database_url: str) -> str:
    """The database as people should read it: the SQLite file's absolute path, or the URL masked."""
    from indexer.store.engine import safe_url_text

    try:
        path = sqlite_file(database_url)
    except ValueError:
        path = None
    return str(path) if path is not None else safe_url_text(database_url)


def open_store(database_url: str, *, create: bool = False, hint: str = READ_HINT) -> Store:
    """The store at `database_url`; a SQLite file that does not exist is created only if `create`.

    Without `create`, a missing file exits 1 with its absolute path (and the working directory
    when the URL is relative) plus `hint`; with it, the new file's path is announced. An unusable
    URL exits 2, a store that cannot be opened (damaged, unreachable, not migrated) exits 1.
    """
    from indexer.store import create_store

    path = sqlite_file(database_url)
    if path is not None and not path.exists() and not create:
        written = Path(_sqlite_path(database_url) or "").expanduser()
        relative = (
            ""
            if written.is_absolute()
            else f" (CODEREUSE_DATABASE_URL is relative to the working directory {os.getcwd()})"
        )
        raise ui.fail(f"no catalogue at {path}{relative}; {hint}", 1)
    announce_new(database_url)
    try:
        return create_store(database_url)
    except ConfigurationError as error:
        raise ui.fail(error, 2) from None
    except StoreError as error:
        raise ui.fail(error, 1) from None


def announce_new(database_url: str) -> None:
    """Say where a command is about to create a new SQLite catalogue (nothing when it exists)."""
    path = sqlite_file(database_url)
    if path is not None and not path.exists():
        ui.say(f"creating a new catalogue at {path}")


def missing(database_url: str) -> Path | None:
    """The absolute path of the SQLite file `database_url` names when it does not exist yet."""
    path = sqlite_file(database_url)
    return path if path is not None and not path.exists() else None


def say_if_empty(store: Store, database_url: str) -> None:
    """When the catalogue holds no record, say which database answered and how to fill it."""
    if store.count_records() == 0:
        ui.say(
            f"the catalogue at {where(database_url)} holds no records yet; "
            "`codereuse crawl` (or `codereuse run`) fills it"
        )
