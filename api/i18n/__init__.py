"""German and English labels for the pages, and the choice of the page language.

Labels live in one JSON file per language (``de.json``, ``en.json``) with the same keys; a test
checks the files stay in step. The page language comes from ``?lang=``, then the
``Accept-Language`` header (quality values honoured), then English.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

PAGE_LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue(language: str) -> dict[str, str]:
    """All labels of `language` (one of `PAGE_LANGUAGES`), by key."""
    if language not in PAGE_LANGUAGES:
        raise ValueError(f"no labels for language {language!r}; use one of {PAGE_LANGUAGES}")
    text = files(__package__).joinpath(f"{language}.json").read_text(encoding="utf-8")
    labels: dict[str, str] = json.loads(text)
    return labels


def translate(language: str, key: str, **values: Any) -> str:
    """The label `key` in `language`, with ``{name}`` placeholders filled from `values`.

    A missing key falls back to English, then to the key itself, so a page never breaks on a
    forgotten label (the key-parity test catches it before release).
    """
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def parse_accept_language(header: str | None) -> list[str]:
    """Primary language subtags of an ``Accept-Language`` header, best first (q=0 dropped)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(query_lang: str | None, accept_language: str | None) -> str:
    """The page language: ``?lang=`` if supported, else the best supported Accept-Language."""
    if query_lang and query_lang.lower() in PAGE_LANGUAGES:
        return query_lang.lower()
    for tag in parse_accept_language(accept_language):
        if tag in PAGE_LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE
