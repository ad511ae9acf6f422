"""Drafted publiccode.yml files for the API and the software page.

An inferred record (no publiccode.yml) gets a draft made from what its forge knows
(`schemas.draft`); the API serves it under ``…/publiccode.yml?draft=1`` and the software page
shows it with a download link.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.record import Record

YAML_MEDIA_TYPE = "application/yaml"


@dataclass(frozen=True)
class DraftView:
    """What the page and the API show of a draft."""

    kind: str
    """``drafted`` (the repository has no publiccode.yml)."""
    text: str
    todos: list[tuple[str, str]]
    remarks: list[str]
    language: str


def draft_view(record: Record) -> DraftView | None:
    """The draft of an inferred record; None for a declared one."""
    if record.declared:
        return None
    # Imported on first use: the drafter's parsers cost API workers nothing at start-up.
    from schemas.draft import draft_for_record

    draft = draft_for_record(record)
    return DraftView(
        kind="drafted",
        text=draft.to_yaml(),
        todos=draft.todos,
        remarks=list(draft.remarks),
        language=draft.language,
    )
