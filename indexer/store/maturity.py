"""The maturity history: one row per record and crawl where its maturity levels changed.

Functions take an open `Connection` inside the caller's transaction, so the history is written
in the same transaction as the records it belongs to (`records.upsert_batch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from indexer.store.models import MaturityRow
from schemas.maturity import assess, next_change
from schemas.record import Record

NEVER = datetime(9999, 12, 31, tzinfo=UTC)
"""`records.maturity_due` of a record whose assessment no longer changes with time alone."""


def due(record: Record) -> datetime:
    """When `record`'s assessment next changes with time alone (`NEVER`: it does not)."""
    return next_change(record) or NEVER


def at(record: Record, moment: datetime) -> Record:
    """`record` as fetched at `moment`: its assessment measured then (nothing else changes)."""
    provenance = record.provenance.model_copy(update={"fetched_at": moment})
    return record.model_copy(update={"provenance": provenance})


@dataclass(frozen=True)
class MaturityChange:
    """One stored assessment: when (the crawl's fetch time), the summary level, the levels."""

    assessed_at: datetime
    level: int
    criteria: dict[str, str]


def note_assessments(connection: Connection, records: Sequence[Record]) -> int:
    """Store the assessment of each record whose levels differ from its last stored one.

    Returns how many rows were written. A record whose facts a renormalisation did not change
    gets no row: only changes are kept.
    """
    if not records:
        return 0
    latest_ids = (
        select(func.max(MaturityRow.id))
        .where(MaturityRow.record_id.in_([record.id for record in records]))
        .group_by(MaturityRow.record_id)
    )
    previous: dict[str, tuple[int, dict[str, Any]]] = {
        row.record_id: (row.level, row.criteria)
        for row in connection.execute(
            select(MaturityRow.record_id, MaturityRow.level, MaturityRow.criteria).where(
                MaturityRow.id.in_(latest_ids)
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for record in records:
        assessment = assess(record)
        levels = assessment.levels()
        if previous.get(record.id) == (assessment.level, levels):
            continue
        rows.append(
            {
                "record_id": record.id,
                "assessed_at": assessment.assessed_at,
                "level": assessment.level,
                "criteria": levels,
            }
        )
    if rows:
        connection.execute(insert(MaturityRow), rows)
    return len(rows)


def history(connection: Connection, record_id: str) -> list[MaturityChange]:
    """The stored assessments of `record_id`, oldest first."""
    return [
        MaturityChange(assessed_at=row.assessed_at, level=row.level, criteria=dict(row.criteria))
        for row in connection.execute(
            select(MaturityRow.assessed_at, MaturityRow.level, MaturityRow.criteria)
            .where(MaturityRow.record_id == record_id)
            .order_by(MaturityRow.id)
        )
    ]
