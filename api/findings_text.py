"""Finding messages in the reader's language: see `schemas.findings_text` (shared with the CLI
and the crawler's issue bodies)."""

from schemas.findings_text import (
    FINDING_LANGUAGES,
    FRAGMENT_PARAMS,
    SOURCE_LANGUAGE,
    finding_catalogue,
    finding_message,
)

__all__ = [
    "FINDING_LANGUAGES",
    "FRAGMENT_PARAMS",
    "SOURCE_LANGUAGE",
    "finding_catalogue",
    "finding_message",
]
