"""Bitmaps of rowids and the ordered top of a set of matches, whichever path computes them."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.embedded import bitmaps
from indexer.search.embedded.state import IndexState


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=5_000), max_size=600))
def test_members_are_the_rowids_set_ascending(rowids: set[int]) -> None:
    """`members` (bit by bit for a few, bytes scanned for some, numpy for many) and
    `members_array` list exactly the rowids a bitmap holds, ascending."""
    bitmap = bitmaps.from_rowids(sorted(rowids))
    assert sorted(rowids) == bitmaps.members(bitmap)
    assert sorted(rowids) == bitmaps.members_array(bitmap).tolist()


def _state(size: int) -> IndexState:
    """An index state of `size` records whose activity order is not their rowid order."""
    ids = {rowid: f"id-{rowid:05d}" for rowid in range(size)}
    last_activity = {rowid: (rowid * 7919) % 1000 for rowid in range(size) if rowid % 5}
    return IndexState(
        generation=1,
        everything=bitmaps.from_rowids(list(ids)),
        ids=ids,
        last_activity=last_activity,
        stars={},
        name_sort={rowid: record_id for rowid, record_id in ids.items()},
        name_key={},
        facets={},
        facet_lookup={},
        mirrored=0,
        mirror_order=np.zeros(0, np.int64),
        mirror_first=np.zeros(0, np.int64),
        quality=[],
    )


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(min_value=0, max_value=2_999), min_size=1, max_size=400),
    st.integers(min_value=1, max_value=450),
)
def test_top_is_the_head_of_the_sort_order(rowids: set[int], needed: int) -> None:
    """`IndexState.top` gives the first `needed` matches in the sort order, however many
    matches there are (sorted in Python for a few, by numpy rank arrays for more)."""
    state = _state(3_000)
    for key in ("last_activity", "-last_activity", "name"):
        positions = state.order(key)
        expected = sorted(rowids, key=positions.__getitem__)[:needed]
        assert expected == state.top(bitmaps.from_rowids(sorted(rowids)), key, needed)
