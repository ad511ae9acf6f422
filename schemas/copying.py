"""One value built from another's same-named attributes, instead of copying field by field.

The store reads rows into its values (`indexer.store.values`), the API widens those values into
its output models (`api.models`): each copy names every field again, and a field added to one
side is silently dropped by the copy. `from_attributes` reads the target's fields (a dataclass
or a pydantic model), so a field added to the value reaches every copy.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def field_names(target: type[Any]) -> tuple[str, ...]:
    """The constructor's field names of dataclass or pydantic model `target`.

    Raises `TypeError` for any other type.
    """
    if isinstance(target, type) and issubclass(target, BaseModel):
        return tuple(target.model_fields)
    if dataclasses.is_dataclass(target):
        return tuple(field.name for field in dataclasses.fields(target) if field.init)
    raise TypeError(f"{target!r} is neither a dataclass nor a pydantic model")


def from_attributes(target: type[T], source: Any, /, **overrides: Any) -> T:
    """An instance of `target` (a dataclass or a pydantic model) from `source`'s attributes.

    Each field of `target` takes `source`'s same-named attribute; `overrides` give fields
    `source` lacks or that need converting; a field neither `source` nor `overrides` holds takes
    its default (and raises as the constructor does when it has none).
    """
    values = {
        name: getattr(source, name)
        for name in field_names(target)
        if name not in overrides and hasattr(source, name)
    }
    return target(**values, **overrides)


def field_values(value: Any, /, **overrides: Any) -> dict[str, Any]:
    """The fields of dataclass or pydantic model instance `value` by name (shallow), `overrides`
    replacing some: the keyword arguments of an insert of `value`'s row, for one."""
    values = {name: getattr(value, name) for name in field_names(type(value))}
    return values | overrides
