"""Change events: what a crawl changed in the catalogue, per record, for feeds and webhooks (pure).

Federation writes the catalogue (`cli.pipeline`); each record it writes or removes is compared
with what the previous federation left (`RecordState`, a small summary the store keeps per
record) and the difference becomes at most a few `ChangeEvent`s:

* ``new``: a record appeared (or came back after being removed);
* ``invalid``: its publiccode.yml had no error and now has one (or could no longer be read);
* ``fixed``: it had an error and now has none;
* ``archived``: its repository was archived;
* ``changed``: anything else a reader sees changed (not fetch times, stars, activity or facts);
* ``removed``: it left the catalogue (tombstoned).

Comparing summaries rather than the stored records keeps the events right although the crawl
writes each forge's records before federation rewrites them (the record table's previous
content is gone by then).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from schemas.copying import from_attributes
from schemas.record import Record

EventKind = Literal["new", "changed", "invalid", "fixed", "archived", "removed"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

_DIGEST_EXCLUDED: dict[str, Any] = {
    **dict.fromkeys(Record.model_computed_fields, True),
    "provenance": True,
    "reuse": True,
    "repository": {"stars": True, "forks": True, "last_activity": True, "facts": True},
}
"""What moves without a reader noticing: fetch times, popularity, activity, reuse counts."""


@dataclass(frozen=True)
class RecordState:
    """What notifications remember of a record between federations.

    `digest` is None for a state whose content was not summarised (rows the migration carried
    over from before events existed): only validity and removal are compared then. `archived`
    None means not known.
    """

    record_id: str
    digest: str | None
    valid: bool
    archived: bool | None
    forge: str
    organisation_id: str | None
    name: str
    url: str
    errors: int = 0
    removed: bool = False


@dataclass(frozen=True)
class ChangeEvent:
    """One change of one record; `summary` is English text (pages translate by `kind`)."""

    kind: EventKind
    record_id: str
    forge: str
    organisation_id: str | None
    name: str
    url: str
    summary: str
    at: datetime
    seq: int = 0
    """Position in the store's event log (0 before it is stored)."""


def record_state(record: Record) -> RecordState:
    """The summary `change_events` compares, of a record as federation writes it."""
    content = record.model_dump_json(exclude=_DIGEST_EXCLUDED)
    return RecordState(
        record_id=record.id,
        digest=hashlib.sha256(content.encode()).hexdigest(),
        valid=record.valid,
        archived=record.repository.archived,
        forge=record.repository.forge,
        organisation_id=record.organisation.id if record.organisation else None,
        name=record.name,
        url=record.url,
        errors=sum(1 for finding in record.findings if finding.type == "error"),
    )


def removed_state(state: RecordState) -> RecordState:
    """`state` marked removed (kept, so a record that comes back is ``new`` again)."""
    return RecordState(**{**state.__dict__, "removed": True})


def _event(kind: EventKind, state: RecordState, summary: str, at: datetime) -> ChangeEvent:
    return from_attributes(ChangeEvent, state, kind=kind, summary=summary, at=at)


def _errors(count: int) -> str:
    return "1 error" if count == 1 else f"{count} errors"


def change_events(
    before: RecordState | None, after: RecordState | None, at: datetime
) -> list[ChangeEvent]:
    """The events that turn `before` into `after` (None: the record does not exist / was removed).

    At most one of ``new``/``removed``/``changed``; ``invalid``, ``fixed`` and ``archived``
    replace ``changed`` (they say more about the same write). Returns [] when nothing a reader
    sees changed.
    """
    gone_before = before is None or before.removed
    if after is None or after.removed:
        if gone_before or before is None:
            return []
        return [_event("removed", before, f"{before.name} left the catalogue", at)]
    if gone_before:
        status = "valid" if after.valid else f"invalid ({_errors(after.errors)})"
        return [_event("new", after, f"{after.name} is new in the catalogue, {status}", at)]
    assert before is not None  # for mypy: gone_before is False
    events: list[ChangeEvent] = []
    if before.valid and not after.valid:
        events.append(
            _event("invalid", after, f"publiccode.yml of {after.name}: {_errors(after.errors)}", at)
        )
    elif not before.valid and after.valid:
        events.append(_event("fixed", after, f"publiccode.yml of {after.name} is valid again", at))
    if after.archived and before.archived is False:
        events.append(_event("archived", after, f"the repository of {after.name} is archived", at))
    if not events and before.digest is not None and before.digest != after.digest:
        events.append(_event("changed", after, f"{after.name} changed", at))
    return events
