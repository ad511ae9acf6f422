"""One value built from another's same-named attributes, instead of copying field by field.

The store reads rows into its values (`indexer.store.values`), the API widens those values into
its output models (`api.models`): each copy names every field again, and a field added to one
side is silently dropped by the copy. `from_attributes` reads the target dataclass's fields, so
a field added to the value reaches every copy.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def from_attributes(target: type[T], source: Any, /, **overrides: Any) -> T:
    """An instance of dataclass `target` whose fields are `source`'s same-named attributes.

    `overrides` give fields `source` lacks or that need converting; a field neither `source`
    nor `overrides` holds takes its default (and raises `TypeError` when it has none, as the
    constructor does).
    """
    if not dataclasses.is_dataclass(target):
        raise TypeError(f"{target!r} is not a dataclass")
    values = {
        field.name: getattr(source, field.name)
        for field in dataclasses.fields(target)
        if field.init and field.name not in overrides and hasattr(source, field.name)
    }
    return target(**values, **overrides)
