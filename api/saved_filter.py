"""A saved filter (a webhook's): the search's filters as a stored document, checked once.

The names and values are those of the search API and pages (`api.query.CatalogueQuery`), so a
filter tried in the search can be saved as it is; words (``q``) are not taken, since they need
the search index and rank rather than select.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from api.query import CatalogueQuery

FILTER_NAMES: tuple[str, ...] = tuple(sorted(set(CatalogueQuery.model_fields) - {"q"}))


def saved_filter(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` checked and normalised for storing (only the filters that are set).

    Raises:
        ValueError: an unknown name (``q`` included) or an unusable value, naming it.
    """
    unknown = sorted(set(values) - set(FILTER_NAMES))
    if unknown:
        raise ValueError(
            f"unknown filter {unknown[0]!r}; use the search's filters: {', '.join(FILTER_NAMES)}"
        )
    try:
        query = CatalogueQuery.model_validate(dict(values))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"{where}: {first['msg']}") from None
    document: dict[str, Any] = query.model_dump(mode="json", exclude_defaults=True, exclude={"q"})
    return document


def saved_query(document: Mapping[str, Any]) -> CatalogueQuery:
    """The search query a stored filter stands for."""
    return CatalogueQuery.model_validate(dict(document))
