"""Store throughput: upsert 100,000 synthetic records on SQLite and PostgreSQL (median of runs).

Usage::

    .venv/bin/python bench/store.py [--records 100000] [--runs 3] [--postgres URL | --no-postgres]

Each run starts from an empty database (a new SQLite file; a new PostgreSQL schema dropped
afterwards) and times, through the public `Store` API:

- first upsert: every record created (the initial crawl);
- second upsert: every record unchanged (a recrawl where nothing changed: only last_seen moves);
- third upsert: 1% of records changed;
- full read: `iter_records()` over the whole catalogue;
- stats(): the counts the API's /stats serves.

It prints wall seconds, records per second and this process's CPU seconds per phase.

Records are built once, before timing (pydantic validation is the crawler's cost, not the store's).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from indexer.store import create_store
from schemas.record import Record

WORDS = [
    "Verwaltung",
    "Bürgerbeteiligung",
    "Portal",
    "Kommune",
    "Antrag",
    "Formular",
    "Plattform",
    "Daten",
    "offene",
    "service",
    "platform",
    "citizen",
    "participation",
    "municipal",
    "open",
    "data",
    "workflow",
    "document",
    "archive",
    "Geoinformation",
    "Schule",
    "Haushalt",
    "Ratsinformation",
    "Terminvergabe",
    "accessibility",
    "identity",
]
LICENCES = ["EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-or-later", "AGPL-3.0-only", "MPL-2.0"]
CATEGORIES = [f"category-{n}" for n in range(40)]
LANGUAGES = ["Python", "Java", "TypeScript", "PHP", "Go", "C#", "Ruby", "Kotlin"]
T = TypeVar("T")
FORGES = ["opencode", "github", "gitlab-land"]


def synthetic_records(count: int, seed: int = 7) -> list[Record]:
    """`count` deterministic records of realistic size (German and English texts)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = []
    for n in range(count):
        forge = FORGES[n % len(FORGES)]
        url = f"https://{forge}.example.org/org{n % 500}/project-{n}"
        text_de = " ".join(rng.choices(WORDS, k=120))
        text_en = " ".join(rng.choices(WORDS, k=80))
        records.append(
            Record.model_validate(
                {
                    "id": url.removeprefix("https://"),
                    "url": url,
                    "declared": n % 3 == 0,
                    "name": f"Projekt {n} {rng.choice(WORDS)}",
                    "descriptions": {
                        "de": {
                            "short": " ".join(rng.choices(WORDS, k=12)),
                            "long": text_de,
                            "features": [" ".join(rng.choices(WORDS, k=4)) for _ in range(5)],
                        },
                        "en": {"short": " ".join(rng.choices(WORDS, k=12)), "long": text_en},
                    },
                    "licence": {
                        "expression": (lic := rng.choice(LICENCES)),
                        "ids": [lic],
                        "valid": True,
                    },
                    "categories": rng.sample(CATEGORIES, 3),
                    "organisation": {"name": f"Organisation {n % 500}"},
                    "repository": {
                        "forge": forge,
                        "url": url,
                        "forge_id": str(n),
                        "stars": rng.randrange(500),
                        "languages": rng.sample(LANGUAGES, 2),
                        "last_activity": start + timedelta(hours=n),
                    },
                    "provenance": {"forge": forge, "fetched_at": start, "parser_version": "1"},
                }
            )
        )
    return records


def _changed(records: list[Record], fraction: float) -> list[Record]:
    step = max(1, round(1 / fraction))
    return [
        record.model_copy(update={"name": record.name + " v2"}) if n % step == 0 else record
        for n, record in enumerate(records)
    ]


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A URL of a new SQLite file in a temporary directory."""
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


def postgres_database(base: str) -> Callable[[], AbstractContextManager[str]]:
    """A factory of URLs of new, migrated PostgreSQL schemas dropped after use."""

    @contextmanager
    def database() -> Iterator[str]:
        schema = f"codereuse_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    return database


def one_run(
    url: str, records: list[Record], changed: list[Record]
) -> dict[str, tuple[float, float]]:
    """(wall seconds, this process's CPU seconds) per phase on a fresh database.

    CPU seconds show the cost when the machine is shared: on SQLite all work is in-process,
    so they approach the wall time of an idle machine; on PostgreSQL the server's share is
    not in them.
    """
    store = create_store(url, migrate=True)
    timings: dict[str, tuple[float, float]] = {}

    def timed(phase: str, action: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        timings[phase] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result

    try:
        summary = timed("first upsert (created)", lambda: store.upsert_records(records))
        assert summary.created == len(records), summary
        summary = timed("second upsert (unchanged)", lambda: store.upsert_records(records))
        assert summary.unchanged == len(records), summary
        timed("third upsert (1% changed)", lambda: store.upsert_records(changed))
        read = timed("iter_records (read all)", lambda: sum(1 for _ in store.iter_records()))
        assert read == len(records)
        timed("stats()", store.stats)
    finally:
        store.close()
    return timings


def main() -> int:
    """Run the benchmark and print a table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    print(f"building {args.records:,} synthetic records ...", flush=True)
    records = synthetic_records(args.records)
    changed = _changed(records, 0.01)
    databases: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [
        ("sqlite", sqlite_database)
    ]
    if not args.no_postgres:
        try:
            probe = create_engine(args.postgres, connect_args={"connect_timeout": 3})
            with probe.connect():
                pass
            probe.dispose()
            databases.append(("postgresql", postgres_database(args.postgres)))
        except OperationalError as exc:
            print(f"postgresql skipped: no server at {args.postgres} ({exc.orig})")
    for name, database in databases:
        runs = []
        for _ in range(args.runs):
            with database() as url:
                runs.append(one_run(url, records, changed))
        print(f"\n{name}: {args.records:,} records, median of {args.runs} runs")
        print(f"  {'phase':<28} {'wall s':>8} {'records/s':>10} {'cpu s':>8}")
        for phase in runs[0]:
            seconds = statistics.median(run[phase][0] for run in runs)
            cpu = statistics.median(run[phase][1] for run in runs)
            rate = f"{args.records / seconds:,.0f}" if "stats" not in phase else "-"
            print(f"  {phase:<28} {seconds:>8.2f} {rate:>10} {cpu:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
