"""Finding messages in the reader's language: a catalogue keyed by finding code.

English is the source language: every check words its findings in English (`Finding.message`,
the text the reference parser's users know) and gives its `code` and the `params` the message
is built from. The catalogue of each other language (``schemas/i18n/findings_<language>.json``)
holds one template per code; the parameters in `FRAGMENT_PARAMS` (set by the checks, never
taken from the file) name a fragment of the same catalogue (``@kind.str`` → "eine
Zeichenkette"), filled from the same parameters, so a message put together from parts is
translated part by part. A finding without a code, or a code
without an entry, keeps its English text, so a new check never shows a blank line.

In `schemas` (no I/O beyond reading the packaged catalogue) so that the API and pages, the CLI
and the crawler's issue bodies on forges (`crawler.issue_text`) word findings alike.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from schemas.findings import Finding

FINDING_LANGUAGES: tuple[str, ...] = ("de", "en")
FRAGMENT_PARAMS = frozenset({"expected", "found_kind", "hint"})
"""Parameters whose value is a catalogue fragment (``@…``) rather than text from the file."""
SOURCE_LANGUAGE = "en"
"""The language findings are written in (`Finding.message`)."""


@cache
def finding_catalogue(language: str) -> dict[str, str]:
    """The message templates of `language`, by finding code (empty for the source language)."""
    if language not in FINDING_LANGUAGES:
        raise ValueError(f"no finding messages in {language!r}; use one of {FINDING_LANGUAGES}")
    if language == SOURCE_LANGUAGE:
        return {}
    text = files("schemas.i18n").joinpath(f"findings_{language}.json").read_text(encoding="utf-8")
    templates: dict[str, str] = json.loads(text)
    return templates


def _shown(value: Any) -> Any:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


def _fill(template: str, params: dict[str, Any], catalogue: dict[str, str]) -> str:
    plain = {key: _shown(value) for key, value in params.items()}
    values = dict(plain)
    for key in FRAGMENT_PARAMS & params.keys():
        value = params[key]
        if isinstance(value, str) and value.startswith("@"):
            part = catalogue.get(value)
            if part is None:
                raise KeyError(value)
            values[key] = part.format(**plain)  # a fragment names no further fragment
    return template.format(**values)


def finding_message(finding: Finding, language: str) -> str:
    """The finding's message in `language` (English text when the catalogue has no entry)."""
    if not finding.code or language not in FINDING_LANGUAGES or language == SOURCE_LANGUAGE:
        return finding.message
    catalogue = finding_catalogue(language)
    template = catalogue.get(finding.code)
    if template is None:
        return finding.message
    try:
        return _fill(template, dict(finding.params), catalogue)
    except (KeyError, IndexError, ValueError):  # params of an older finding: keep English
        return finding.message
