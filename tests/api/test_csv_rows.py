"""CSV rows kept per stored record JSON (`api.exports.csv_rows`): the bytes `write_csv` writes."""

from __future__ import annotations

import pytest

from api.exports import EXPORT_FORMATS
from api.exports.csv_rows import CsvRows, kept_for
from api.query import CatalogueQuery
from api.selection import select_for
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from tests.api.records import make_record

FILTERS: list[dict[str, object]] = [
    {},
    {"forge": ["opencode"]},
    {"licence": ["MIT"]},
    {"licence": ["EUPL-1.2", "AGPL-3.0-or-later"], "forge": ["opencode"]},
    {"category": ["document-management"]},
    {"declared": False},
    {"valid": False},
    {"licence": ["Nonexistent-1.0"]},
]


def _written(store: Store, search: SearchBackend, filters: dict[str, object]) -> bytes:
    chosen = EXPORT_FORMATS["csv"]
    query = CatalogueQuery.model_validate(filters)
    return b"".join(chosen.write(select_for(chosen, store, search, query)))


@pytest.mark.parametrize("filters", FILTERS)
def test_kept_rows_give_the_bytes_the_writer_writes(
    store: Store, search: SearchBackend, filters: dict[str, object]
) -> None:
    """Computed (first export) and kept (second), the CSV equals `write_csv`'s byte for byte."""
    rows = CsvRows()
    query = CatalogueQuery.model_validate(filters)
    expected = _written(store, search, filters)
    assert expected == b"".join(rows.export(store, query.filters()))
    assert expected == b"".join(rows.export(store, query.filters()))


def test_a_changed_record_gets_its_new_row(store: Store, search: SearchBackend) -> None:
    """After a record changes (and one is added), the kept rows of the others are reused and
    the export is still the writer's: the changed record is not served from its old row."""
    rows = CsvRows()
    filters = CatalogueQuery(licence=["MIT"]).filters()
    before = b"".join(rows.export(store, filters))
    store.upsert_records(
        [
            make_record(
                "https://gitlab.opencode.de/kreis/eakte",
                "E-Akte Neu",
                licence="EUPL-1.2",
            ),
            make_record("https://gitlab.opencode.de/kreis/neu", "Neu", licence="MIT"),
        ]
    )
    after = b"".join(rows.export(store, filters))
    assert b"E-Akte" in before and b"E-Akte" not in after and b"kreis/neu" in after
    assert _written(store, search, {"licence": ["MIT"]}) == after
    assert _written(store, search, {}) == b"".join(rows.export(store, {}))


def test_rows_keep_to_their_budget(store: Store, search: SearchBackend) -> None:
    """With room for about one row, the export is still whole and equal to the writer's."""
    rows = CsvRows(max_bytes=2048)
    assert _written(store, search, {}) == b"".join(rows.export(store, {}))
    assert _written(store, search, {}) == b"".join(rows.export(store, {}))


def test_maturity_filters_are_left_to_the_writer() -> None:
    """A maturity filter is assessed per record: those exports are not served from kept rows."""
    assert kept_for(CatalogueQuery(licence=["MIT"]).filters())
    assert not kept_for(CatalogueQuery(maturity=["2"]).filters())
