"""German and English labels for the pages, and the choice of the page language.

Labels live in one JSON file per language (``de.json``, ``en.json``) with the same keys; a test
checks the files stay in step. The labels of the publiccode.yml standard's controlled
vocabularies (categories, scopes, software types, development statuses, maintenance types,
platforms) live in ``vocabulary_<language>.json``, one file per language; slugs stay what URLs and
the API use. The page language comes from ``?lang=``, then the ``Accept-Language`` header
(quality values honoured), then English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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


VOCABULARY_LANGUAGES: tuple[str, ...] = ("de", "en")
"""Languages with a vocabulary file. The standard publishes its vocabularies as English slugs
only (no Italian, French or Dutch labels to take over), so these two are written here."""

VOCABULARIES: tuple[str, ...] = (
    "category",
    "scope",
    "software_type",
    "development_status",
    "maintenance_type",
    "platform",
)
"""The controlled vocabularies with labels; facet and filter names where they are filters."""


@dataclass(frozen=True)
class Label:
    """A value as people read it, and the language it is written in (None: the raw slug)."""

    text: str
    lang: str | None


@cache
def vocabulary(language: str) -> dict[str, dict[str, str]]:
    """Labels of `language` (one of `VOCABULARY_LANGUAGES`) by vocabulary, then by slug."""
    if language not in VOCABULARY_LANGUAGES:
        raise ValueError(
            f"no vocabulary labels for {language!r}; use one of {VOCABULARY_LANGUAGES}"
        )
    text = files(__package__).joinpath(f"vocabulary_{language}.json").read_text(encoding="utf-8")
    labels: dict[str, dict[str, str]] = json.loads(text)
    return labels


def vocabulary_label(language: str, name: str, slug: str) -> Label:
    """The label of `slug` in vocabulary `name`: page language, else English, else the slug.

    The returned language lets a page mark an English fallback with ``lang="en"`` so screen
    readers pronounce it right; a slug outside the standard (platforms are open) stays as is.
    """
    for candidate in (language, DEFAULT_LANGUAGE):
        if candidate in VOCABULARY_LANGUAGES:
            text = vocabulary(candidate).get(name, {}).get(slug)
            if text:
                return Label(text, candidate)
    return Label(slug, None)


def language_name(language: str, code: str | None) -> str | None:
    """The name of the language `code` (a BCP 47 tag) in `language`; None when not known.

    ``und`` (undetermined), ``mul`` and ``zxx`` have no name on purpose: a page then says that
    the description's language is not stated instead of naming none.
    """
    if not code:
        return None
    primary = code.lower().split("-")[0]
    return catalogue(language).get(f"language.{primary}")
