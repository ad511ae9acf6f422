"""Sets of index rowids as Python integers: bit *i* set ⇔ rowid *i* is in the set.

Big-integer ``&``, ``|`` and ``bit_count()`` run in C over 64-bit words, so intersecting two sets
of 100,000 records and counting the result takes microseconds: this is what makes exact facet
counts cheap on broad queries (a ``GROUP BY`` over the same rows costs hundreds of ms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NONZERO = re.compile(rb"[^\x00]")
_BITS: list[tuple[int, ...]] = [tuple(i for i in range(8) if b >> i & 1) for b in range(256)]


_MASKS = [1 << bit for bit in range(8)]


def from_rowids(rowids: Iterable[int], size_hint: int = 0) -> int:
    """The bitmap holding `rowids` (non-negative ints); `size_hint` is the largest expected."""
    values = rowids if isinstance(rowids, list) else list(rowids)
    if not values:
        return 0
    data = bytearray(max(size_hint, max(values)) // 8 + 1)
    masks = _MASKS
    for rowid in values:
        data[rowid >> 3] |= masks[rowid & 7]
    return int.from_bytes(data, "little")


def from_text(rowids: str | None, size_hint: int = 0) -> int:
    """The bitmap of a comma-separated rowid list (SQLite ``group_concat``); None is empty."""
    if not rowids:
        return 0
    return from_rowids(list(map(int, rowids.split(","))), size_hint)


def members(bitmap: int) -> list[int]:
    """The rowids in `bitmap`, ascending."""
    if not bitmap:
        return []
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    found: list[int] = []
    for match in _NONZERO.finditer(data):
        start = match.start()
        base = start * 8
        found.extend(base + bit for bit in _BITS[data[start]])
    return found


def to_blob(bitmap: int) -> bytes:
    """The bitmap as little-endian bytes, for storage."""
    return bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")


def from_blob(blob: bytes) -> int:
    """The bitmap stored by `to_blob`."""
    return int.from_bytes(blob, "little")
