"""A small real-data catalogue: records normalised from ../shared/data/publiccode-real-world."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.normalise import record_from_snapshot
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record, canonical_id

REAL_WORLD = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "publiccode-real-world"
)
REGISTRATION = ForgeRegistration(
    name="github", kind="github", url="https://github.com", orgs=["any"]
)


def real_world(limit: int = 200) -> tuple[list[RepositorySnapshot], list[Record]]:
    """Snapshots and records of the first `limit` real files; skips when shared data is absent."""
    sources = REAL_WORLD / "SOURCES.tsv"
    if not sources.is_file():
        pytest.skip(f"real-world publiccode.yml files not found at {REAL_WORLD}")
    with sources.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    snapshots = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for number, row in enumerate(rows):
        url = f"https://github.com/{row['repo']}"
        snapshots.append(
            RepositorySnapshot(
                forge="github",
                forge_id=str(1000 + number),
                url=url,
                canonical_id=canonical_id(url),
                payload={},
                publiccode_path="publiccode.yml",
                publiccode=(REAL_WORLD / row["file"]).read_bytes(),
                last_activity=start - timedelta(days=number * 11),
                fetched_at=start,
            )
        )
    records = [record_from_snapshot(snapshot, registration=REGISTRATION) for snapshot in snapshots]
    return snapshots, records


def readable_real_world(count: int = 30) -> tuple[list[RepositorySnapshot], list[Record]]:
    """The first `count` real records that have an English or German description."""
    snapshots, records = real_world()
    chosen = [
        (snapshot, record)
        for snapshot, record in zip(snapshots, records, strict=True)
        if {tag.split("-")[0] for tag in record.descriptions} & {"en", "de"}
    ][:count]
    return [pair[0] for pair in chosen], [pair[1] for pair in chosen]
