"""Drafted publiccode.yml files for the API and the software page.

An inferred record (no publiccode.yml) gets a draft made from what its forge knows
(`schemas.draft`); a declared record whose file has findings gets a suggested fix
(`api.suggested_fix`), shown as a diff. The API serves either under ``…/publiccode.yml?draft=1``
and the software page shows it with a download link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.record import Record

YAML_MEDIA_TYPE = "application/yaml"


@dataclass(frozen=True)
class DraftView:
    """What the page and the API show of a draft."""

    kind: str
    """``drafted`` (the repository has no publiccode.yml) or ``suggested-fix``."""
    text: str
    todos: list[tuple[str, str]]
    remarks: list[str]
    language: str
    diff: str = ""
    changes: list[str] = field(default_factory=list)
    remaining: int = 0
    """Errors the suggested fix could not repair."""


def draft_view(record: Record, publiccode: bytes | None = None) -> DraftView | None:
    """The draft of an inferred record, or the suggested fix of a declared record's file
    (`publiccode`, its stored bytes) when it has findings; None otherwise."""
    if record.declared:
        if publiccode is None or not record.findings:
            return None
        from api.suggested_fix import suggest_fix

        fix = suggest_fix(publiccode, record)
        if fix is None:
            return None
        return DraftView(
            kind="suggested-fix",
            text=fix.fixed,
            todos=[],
            remarks=[],
            language="",
            diff=fix.diff(),
            changes=fix.changes,
            remaining=len(fix.remaining),
        )
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
