"""Facet counts in bulk (numpy) equal one bitmap AND per value, for few and many matches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.embedded import bitmaps
from indexer.search.embedded.facets import FacetField, Selection

SIZE = 300
rowid_sets = st.sets(st.integers(min_value=0, max_value=SIZE - 1))


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(["MIT", "EUPL-1.2", "GPL-3.0", "a", "b"]), rowid_sets),
    matched=rowid_sets,
)
def test_bulk_counts_equal_counts_per_value(values: dict[str, set[int]], matched: set[int]) -> None:
    """Multi-valued fields, empty values and every size of selection count exactly, in order."""
    by_value = {value: bitmaps.from_rowids(sorted(rowids)) for value, rowids in values.items()}
    selection = Selection(bitmaps.from_rowids(sorted(matched)), SIZE)
    expected = sorted(
        ((value, (bits & selection.matches).bit_count()) for value, bits in by_value.items()),
        key=lambda item: (-item[1], item[0]),
    )
    counted = FacetField.build(by_value, SIZE).counts(selection)
    assert [(v, c) for v, c in expected if c] == list(counted.items())  # in order


@settings(max_examples=60, deadline=None)
@given(
    owners=st.dictionaries(
        st.integers(min_value=0, max_value=SIZE - 1), st.integers(min_value=0, max_value=59)
    ),
    matched=rowid_sets,
)
def test_one_value_per_record_counts_exactly(owners: dict[int, int], matched: set[int]) -> None:
    """A field with at most one value per record (licence, forge) and many values, counted by
    gathering each matched record's value code, equals one bitmap AND per value."""
    by_value: dict[str, int] = {}
    for rowid, code in sorted(owners.items()):
        by_value[f"value-{code:02d}"] = by_value.get(f"value-{code:02d}", 0) | 1 << rowid
    selection = Selection(bitmaps.from_rowids(sorted(matched)), SIZE)
    field = FacetField.build(by_value, SIZE)
    assert field.single is not None
    expected = sorted(
        ((value, (bits & selection.matches).bit_count()) for value, bits in by_value.items()),
        key=lambda item: (-item[1], item[0]),
    )
    assert [(v, c) for v, c in expected if c] == list(field.counts(selection).items())
