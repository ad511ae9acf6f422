"""Every inferred record of the test catalogues yields a draft with no validator error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.catalogue import synthetic_records
from schemas.draft import draft_for_record
from schemas.publiccode import parse
from schemas.record import Record

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "catalogue.ndjson"
_COMPUTED = frozenset(Record.model_computed_fields)
FETCHED = "2026-11-01T00:00:00+00:00"
"""The golden export leaves out the crawl's clock; drafts measure activity from it."""


def _golden() -> Iterator[Record]:
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        data = {key: value for key, value in json.loads(line).items() if key not in _COMPUTED}
        data["provenance"].setdefault("fetched_at", FETCHED)
        yield Record.model_validate(data)


def _inferred() -> list[tuple[str, Record]]:
    records = [("golden", record) for record in _golden()]
    records += [("synthetic", record) for record in synthetic_records(400)]
    return [(source, record) for source, record in records if not record.declared]


INFERRED = _inferred()


def test_the_catalogues_hold_inferred_records() -> None:
    """The catalogues this test reads have inferred records of both kinds."""
    assert {"golden", "synthetic"} == {source for source, _ in INFERRED}
    assert len(INFERRED) >= 80


@pytest.mark.parametrize("index", range(len(INFERRED)))
def test_inferred_record_draft_is_valid(index: int) -> None:
    """The draft of an inferred record passes our own validator with 0 errors."""
    source, record = INFERRED[index]
    text = draft_for_record(record).to_yaml()
    result = parse(text.encode())
    assert [] == [f"{f.key}: {f.message}" for f in result.errors], f"{source} {record.id}"
