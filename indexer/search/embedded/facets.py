"""Exact facet counts in bulk: one numpy pass per facet instead of one bitmap AND per value.

A facet with many values (500 organisations) cost one 12.5 kB big-integer AND and popcount per
value and search; here every facet field is one pair list (record rowid, value code), and a
search's matches count all values at once with ``numpy.bincount``: over the matched rowids when
they are few, over a mask of all rowids when they are many.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from indexer.search.embedded import bitmaps


class Selection:
    """A set of matched rowids (a bitmap) in the forms facet counting needs, made on demand."""

    def __init__(self, matches: int, size: int) -> None:
        self.matches = matches
        self.count = matches.bit_count()
        self._size = size
        self._mask: np.ndarray | None = None
        self._rowids: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray:
        """Booleans by rowid (``size`` of them): True for matched rowids."""
        if self._mask is None:
            data = np.frombuffer(self.matches.to_bytes(self._size // 8 + 1, "little"), np.uint8)
            self._mask = np.unpackbits(data, bitorder="little")[: self._size].view(np.bool_)
        return self._mask

    @property
    def rowids(self) -> np.ndarray:
        """The matched rowids, ascending."""
        if self._rowids is None:
            self._rowids = np.flatnonzero(self.mask)
        return self._rowids


@dataclass
class FacetField:
    """One facet field's values and, per record, the codes of the values it has."""

    values: np.ndarray  # the values (objects), by code
    bitmaps: list[int]  # by code: the value's records
    by_name: np.ndarray  # by code: the value's position in alphabetical order
    pair_rowids: np.ndarray  # rowid of each (record, value) pair, ascending
    pair_codes: np.ndarray  # value code of each pair
    starts: np.ndarray  # by rowid: first pair of the record (``size + 1`` entries)
    single: np.ndarray | None = None
    """By rowid, the code of the record's one value (``len(values)`` for none), when no record
    has two (licence, forge, status): counted with one gather and ``bincount``."""

    @classmethod
    def build(cls, bitmaps_by_value: Mapping[str, int], size: int) -> FacetField:
        """The field of `bitmaps_by_value` (value → bitmap of its records), rowids below `size`."""
        values = list(bitmaps_by_value)
        rowids, codes = [], []
        for code, value in enumerate(values):
            members = _members(bitmaps_by_value[value], size)
            rowids.append(members)
            codes.append(np.full(len(members), code, dtype=np.int32))
        pair_rowids = np.concatenate(rowids) if rowids else np.zeros(0, np.int64)
        pair_codes = np.concatenate(codes) if codes else np.zeros(0, np.int32)
        order = np.argsort(pair_rowids, kind="stable")
        pair_rowids, pair_codes = pair_rowids[order], pair_codes[order]
        starts = np.searchsorted(pair_rowids, np.arange(size + 1))
        by_name = np.empty(len(values), np.int64)
        by_name[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
        single = None
        if not len(pair_rowids) or bool(np.all(pair_rowids[1:] > pair_rowids[:-1])):
            single = np.full(size, len(values), dtype=np.int32)
            single[pair_rowids] = pair_codes
        return cls(
            np.array(values, dtype=object),
            [bitmaps_by_value[value] for value in values],
            by_name,
            pair_rowids,
            pair_codes,
            starts,
            single,
        )

    def counts(self, selection: Selection) -> dict[str, int]:
        """Exact counts of the values over `selection`, most frequent first, then by value."""
        if not selection.count or not len(self.values):
            return {}
        tally = self._tally(selection)
        present = np.flatnonzero(tally)
        order = present[np.lexsort((self.by_name[present], -tally[present]))]
        return dict(zip(self.values[order].tolist(), tally[order].tolist(), strict=True))

    def _tally(self, selection: Selection) -> np.ndarray:
        """How many records of `selection` have each value, by code."""
        pairs = len(self.pair_rowids)
        # Rough costs in ns: a bitmap AND and popcount per value; numpy per matched record
        # (few matches) or per (record, value) pair (many). Few values (forge, status): per value.
        # One value per record: a gather per matched record (or a mask of all) and bincount.
        numpy_cost = (
            4000 + min(selection.count * 4, pairs)
            if self.single is not None
            else min(selection.count * 12, pairs * 4)
        )
        if len(self.values) * (pairs // 40 + 300) < numpy_cost:
            matches = selection.matches
            return np.array([(bits & matches).bit_count() for bits in self.bitmaps])
        if self.single is not None:
            codes = self.single[selection.rowids if selection.count * 4 < pairs else selection.mask]
            return np.bincount(codes, minlength=len(self.values) + 1)[: len(self.values)]
        if selection.count * 4 < pairs:
            rowids = selection.rowids
            begin = self.starts[rowids]
            lengths = self.starts[rowids + 1] - begin
            total = int(lengths.sum())
            offsets = np.repeat(begin - np.cumsum(lengths) + lengths, lengths)
            codes = self.pair_codes[offsets + np.arange(total)]
        else:
            codes = self.pair_codes[selection.mask[self.pair_rowids]]
        return np.bincount(codes, minlength=len(self.values))


def _members(bitmap: int, size: int) -> np.ndarray:
    if not bitmap:
        return np.zeros(0, np.int64)
    if bitmap.bit_length() > size:
        bitmap &= (1 << size) - 1
    data = np.frombuffer(bitmaps.to_blob(bitmap), np.uint8)
    return np.flatnonzero(np.unpackbits(data, bitorder="little"))
