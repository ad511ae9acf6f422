"""Filtered selections screen stored JSON as text before parsing, and select exactly as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from api.query import FLAG_FILTERS
from api.selection import matching_records, record_matches
from indexer.search.protocol import FilterValue
from indexer.store import Store
from schemas.facts import RepositoryFacts, RootEntry
from schemas.record import Record
from tests.api.records import FETCHED, make_record

FILTERS: list[dict[str, FilterValue]] = [
    {},
    {"forge": ("github",)},
    {"licence": ("eupl-1.2",)},
    {"licence": ("MIT", "AGPL-3.0-or-later")},
    {"organisation": ("NAME:STRA-ENBAUAMT-M-NSTER",)},  # organisation ids, case-folded
    {"organisation": ("name:amt-nord",)},
    {"category": ('a "quoted" category',)},
    {"category": ("document-management",), "forge": ("opencode",)},
    {"declared": ("false",)},
    {"language": ("nothing-like-this",)},
    {"has_ci": ("true",)},
    {"active_within": ("90d",)},
    {"maturity": ("0", "2")},
]


def with_facts(record: Record) -> Record:
    """`record` with repository facts: a long README, CI, a commit three days before the crawl."""
    record.repository.facts = RepositoryFacts(
        root=[RootEntry(name="README.md"), RootEntry(name=".gitlab-ci.yml")],
        readme_path="README.md",
        readme_text="Gepflegt. " * 200,
        last_commit_at=FETCHED - timedelta(days=3),
    )
    return record


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
            with_facts(make_record("https://gitlab.opencode.de/amt/gepflegt", "Gepflegt")),
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
    selected = list(matching_records(catalogue, {"organisation": ("name:land-beispiel",)}))
    assert 1 == len(selected) == len(parsed)


def test_feed_entries_in_order_of_ids(catalogue: Store) -> None:
    """With ids, the matching records come in the order of the ids, unknown ids skipped."""
    ids = ["gitlab.opencode.de/amt/nord", "no/such/record", "github.com/land/beteiligung-plus"]
    chosen: Iterator[Any] = matching_records(catalogue, {}, ids=ids)
    assert [ids[0], ids[2]] == [record.id for record in chosen]


def test_document_facet_values_equal_the_records(catalogue: Store) -> None:
    """The facet values read from stored JSON are those the search reads from the record."""
    from pydantic_core import from_json

    from api.selection import document_facet_values
    from indexer.search.documents import facet_values

    records = {record.id: record for record in catalogue.iter_records()}
    documents = list(catalogue.iter_documents())
    assert len(records) == len(documents) > 5
    for document in documents:
        parsed = from_json(document)
        assert facet_values(records[parsed["id"]]) == document_facet_values(parsed)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f) or "none")
def test_filtered_export_documents_equal_the_records(
    catalogue: Store, filters: dict[str, FilterValue]
) -> None:
    """A filtered slice without words, as dicts from the facet columns and stored JSON, holds
    the records the exact check on models selects, in the same order."""
    from api.query import CatalogueQuery
    from api.selection import select_documents

    query = CatalogueQuery.model_validate(
        {
            name: values[0] if name in FLAG_FILTERS else list(values)
            for name, values in filters.items()
        }
    )
    assert dict(filters) == query.filters()
    expected = [r.id for r in catalogue.iter_records() if record_matches(r, query.filters())]
    selected = select_documents(catalogue, None, query)  # type: ignore[arg-type]
    assert expected == [document["id"] for document in selected]


def test_filtered_export_reads_only_the_documents_its_columns_select(
    catalogue: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter the store keeps a column for (forge, organisation, licence, language,
    category) reads those small columns first and then only the matching records' JSON."""
    from api.query import CatalogueQuery
    from api.selection import select_documents

    asked: list[list[str] | None] = []
    original = catalogue.iter_documents

    def counted(*, ids: Any = None, **kwargs: Any) -> Iterator[str]:
        asked.append(None if ids is None else list(ids))
        return original(ids=ids, **kwargs)

    monkeypatch.setattr(catalogue, "iter_documents", counted)
    query = CatalogueQuery(forge=["github"])
    selected = [document["id"] for document in select_documents(catalogue, None, query)]  # type: ignore[arg-type]
    assert [selected] == asked
    assert selected and all(record_id.startswith("github.com/") for record_id in selected)
