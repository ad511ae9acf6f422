"""SPDX licence expressions → `Licence` (expression as declared, the ids it names, validity)."""

from __future__ import annotations

from functools import cache, lru_cache

from license_expression import Licensing, get_spdx_licensing

from schemas.record import Licence


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


def licence_from_expression(expression: str | None) -> Licence | None:
    """Parse an SPDX expression (``EUPL-1.2 OR MIT``); None for an empty or missing one.

    `ids` are the SPDX ids in the expression in order, with deprecated forms normalised
    (``GPL-3.0+`` → ``GPL-3.0-or-later``); `valid` is false when the expression does not parse or
    names an id the SPDX list does not know (the ids are then the symbols as written).
    """
    if not isinstance(expression, str) or not expression.strip():
        return None
    text = expression.strip()
    ids, valid = _parsed(text)
    return Licence(expression=text, ids=list(ids), valid=valid)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[tuple[str, ...], bool]:
    """The ids an expression names and whether it is valid; cached, as catalogues repeat a few
    dozen expressions thousands of times and a parse costs about a millisecond."""
    licensing = _licensing()
    try:
        info = licensing.validate(text)
        valid = not info.errors and not info.invalid_symbols
        parsed = licensing.parse(info.normalized_expression if valid else text)
    except Exception:
        # license-expression raises ExpressionError, and on some malformed keys (commas,
        # "Apache License, Version 2.0") an AttributeError from inside its own error handling:
        # any failure means the expression is not a usable SPDX expression.
        return (), False
    ids = () if parsed is None else tuple(dict.fromkeys(licensing.license_keys(parsed)))
    return ids, valid


def spdx_id(key: str | None) -> str | None:
    """The SPDX id for a forge's licence key (GitHub ``spdx_id``, GitLab ``key`` like ``mit``).

    GitHub's ``NOASSERTION`` and ``other`` and anything the SPDX list does not know give None.
    """
    if not isinstance(key, str) or not key.strip():
        return None
    licence = licence_from_expression(key)
    if licence is None or not licence.valid or len(licence.ids) != 1:
        return None
    return licence.ids[0]
