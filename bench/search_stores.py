"""The embedded search on the SQLite store and beside a PostgreSQL store, in one run.

``.venv/bin/python -m bench.search --database-url postgresql+psycopg://postgres@127.0.0.1/bench
--records 20000`` writes the same synthetic records into a SQLite store (a temporary file) and
into the PostgreSQL store at the URL (migrated first; use a throw-away database: the records
stay there and a later run with at least as many reuses them), then measures both exactly as
`bench.search` does — the build from the store, the sync of changed records through the
change feed, the same queries — and prints the two columns side by side with their ratio.

The index is the same engine in both cases; what differs is where `rebuild` and the sync read
the records from (the SQLite file the index shares, or PostgreSQL over a socket) and, for the
PostgreSQL store, that the index lives in a file of its own (``CODEREUSE_SEARCH_PATH``). Peak
RSS is left out: it is one figure for the whole process.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.catalogue import fill_store
from indexer.search.factory import create_search_backend
from indexer.store import create_store, upgrade_database
from schemas.settings import Settings

Rows = list[tuple[str, str, str, str]]


def _run(
    options: argparse.Namespace, settings: Settings, directory: Path, measure: Callable[..., Rows]
) -> Rows:
    with create_store(settings.database_url) as store:
        took = fill_store(store, options.records)
        print(
            f"{settings.database_url.split(':')[0]}: records written in {took:.1f} s",
            file=sys.stderr,
        )
        backend = create_search_backend(settings, store)
        try:
            index_file = Path(backend.path)
            return measure(options, backend, store, directory, index_file)
        finally:
            backend.close()  # type: ignore[attr-defined]


def compare_stores(options: argparse.Namespace, measure: Callable[..., Rows]) -> None:
    """Measure the SQLite store and the PostgreSQL store at ``options.database_url``; print both."""
    upgrade_database(options.database_url)
    top = Path(tempfile.mkdtemp(prefix="codereuse-bench-stores-"))
    try:
        (top / "sqlite").mkdir()
        (top / "postgresql").mkdir()
        sqlite = Settings(database_url=f"sqlite:///{top / 'sqlite' / 'codereuse.db'}")
        postgresql = Settings(
            database_url=options.database_url,
            search_path=str(top / "postgresql" / "codereuse-search.db"),
        )
        on_sqlite = _run(options, sqlite, top / "sqlite", measure)
        on_postgresql = _run(options, postgresql, top / "postgresql", measure)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    print(
        f"\n{options.records:,} records, {options.queries} queries, medians over "
        f"{options.runs} runs; wall clock (CPU of this process)\n"
    )
    header = (
        f"| {'measure':<50} | {'SQLite store':>20} | {'PostgreSQL store':>20} | {'PG/SQLite':>9} |"
    )
    print(header)
    print(f"|{'-' * 52}|{'-' * 22}|{'-' * 22}|{'-' * 11}|")
    for (name, wall, cpu, _target), (_, pg_wall, pg_cpu, _) in zip(
        on_sqlite, on_postgresql, strict=True
    ):
        if name.startswith("peak RSS"):
            continue
        if name.startswith("database file"):
            name = "files on disk (SQLite: store + index; PG: index)"
        left = f"{wall} ({cpu})" if cpu else wall
        right = f"{pg_wall} ({pg_cpu})" if pg_cpu else pg_wall
        print(f"| {name:<50} | {left:>20} | {right:>20} | {_ratio(wall, pg_wall):>9} |")


def _ratio(sqlite: str, postgresql: str) -> str:
    """``postgresql / sqlite`` of two figures with the same unit, or empty."""
    try:
        left, right = float(sqlite.split()[0]), float(postgresql.split()[0])
    except (ValueError, IndexError):
        return ""
    return f"{right / left:.2f}×" if left else ""
