"""The language a text is written in, among the catalogue's languages (de, en, it, fr, nl).

py3langid (a maintained fork of langid.py, model shipped in the wheel, fully offline) restricted
to the five languages the catalogue shows; the model loads once, on first use (about a second).
A text with too few letters or an unsure answer gives None: the caller decides what to say then.
"""

from __future__ import annotations

from functools import cache
from typing import Any

LANGUAGES: tuple[str, ...] = ("de", "en", "it", "fr", "nl")
MIN_LETTERS = 20
"""Below this many letters (a name, a version) any answer would be a guess."""
MIN_CONFIDENCE = 0.8
MAX_CHARS = 4000
"""The first few thousand characters decide; more costs time and changes nothing."""


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str | None) -> str | None:
    """The language of `text` (one of `LANGUAGES`), or None when the text cannot tell."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    if language not in LANGUAGES or float(confidence) < MIN_CONFIDENCE:
        return None
    return str(language)
