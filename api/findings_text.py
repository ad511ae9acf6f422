"""Finding messages in the reader's language: a catalogue keyed by finding code.

Every check words its findings in English (`Finding.message`) and, where the kind of finding
has a catalogue entry, also gives its `code` and the `params` the message is built from. The
catalogue (``api/i18n/findings_<language>.json``, the same keys in each language) holds one
template per code; a finding without a code, or a code without an entry, keeps its English
text, so a new check never shows a blank line.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from schemas.findings import Finding

FINDING_LANGUAGES: tuple[str, ...] = ("de", "en")


@cache
def finding_catalogue(language: str) -> dict[str, str]:
    """The message templates of `language`, by finding code."""
    if language not in FINDING_LANGUAGES:
        raise ValueError(f"no finding messages in {language!r}; use one of {FINDING_LANGUAGES}")
    text = files("api.i18n").joinpath(f"findings_{language}.json").read_text(encoding="utf-8")
    templates: dict[str, str] = json.loads(text)
    return templates


def _shown(value: Any) -> Any:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


def finding_message(finding: Finding, language: str) -> str:
    """The finding's message in `language` (English text when the catalogue has no entry)."""
    if not finding.code or language not in FINDING_LANGUAGES:
        return finding.message
    template = finding_catalogue(language).get(finding.code)
    if template is None:
        return finding.message
    try:
        return template.format(**{key: _shown(value) for key, value in finding.params.items()})
    except (KeyError, IndexError, ValueError):  # params of an older finding: keep English
        return finding.message
