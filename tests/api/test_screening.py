"""Filtered selections screen stored JSON as text before parsing, and select exactly as before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.selection import matching_records, record_matches
from indexer.search.protocol import FilterValue
from indexer.store import Store
from tests.api.records import make_record

FILTERS: list[dict[str, FilterValue]] = [
    {},
    {"forge": ("github",)},
    {"licence": ("eupl-1.2",)},
    {"licence": ("MIT", "AGPL-3.0-or-later")},
    {"organisation": ("STRASSENBAUAMT MÜNSTER",)},
    {"organisation": ('Amt "Nord"',)},
    {"category": ("document-management",), "forge": ("opencode",)},
    {"declared": ("false",)},
    {"language": ("nothing-like-this",)},
]


@pytest.fixture
def catalogue(store: Store) -> Store:
    """The API corpus plus records whose values need case folding or JSON escaping."""
    store.upsert_records(
        [
            make_record(
                "https://gitlab.opencode.de/amt/strasse",
                "Straßenkataster",
                organisation="Straßenbauamt Münster",
            ),
            make_record(
                "https://gitlab.opencode.de/amt/nord", "Nordportal", organisation='Amt "Nord"'
            ),
        ]
    )
    return store


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f) or "none")
def test_screened_selection_equals_the_exact_one(
    catalogue: Store, filters: dict[str, FilterValue]
) -> None:
    """Screening never drops a match: the same records, in the same order, as parsing all."""
    expected = [r.id for r in catalogue.iter_records() if record_matches(r, filters)]
    assert expected == [r.id for r in matching_records(catalogue, filters)]


def test_screening_skips_parsing_records_that_cannot_match(
    catalogue: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A selective filter parses only the records whose JSON holds one of its values."""
    from schemas.record import Record

    parsed: list[str] = []
    original = Record.model_validate_json

    def counted(document: Any, *args: Any, **kwargs: Any) -> Record:
        parsed.append(document)
        return original(document, *args, **kwargs)

    monkeypatch.setattr(Record, "model_validate_json", counted)
    selected = list(matching_records(catalogue, {"organisation": ("land beispiel",)}))
    assert 1 == len(selected) == len(parsed)


def test_feed_entries_in_order_of_ids(catalogue: Store) -> None:
    """With ids, the matching records come in the order of the ids, unknown ids skipped."""
    ids = ["gitlab.opencode.de/amt/nord", "no/such/record", "github.com/land/beteiligung-plus"]
    chosen: Iterator[Any] = matching_records(catalogue, {}, ids=ids)
    assert [ids[0], ids[2]] == [record.id for record in chosen]
