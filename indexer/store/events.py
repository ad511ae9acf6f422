"""Change events: derived when federation writes, kept for a while, read by feeds and webhooks.

`note_changes` compares each written record's `RecordState` with the one the previous
federation left (`record_event_states`), appends the resulting `ChangeEvent`s to
`record_events` and prunes events older than `RETENTION` or beyond the newest `MAX_EVENTS`, so
the table stays bounded. `EventStoreMethods` is the part of `Store` that reads and writes them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from sqlalchemy import Connection, delete, func, insert, select

from indexer.store.notification_models import EventRow, EventStateRow
from indexer.store.part import StorePart
from schemas.copying import from_attributes
from schemas.notifications import (
    ChangeEvent,
    EventKind,
    RecordState,
    change_events,
    record_state,
    removed_state,
)
from schemas.record import Record

RETENTION = timedelta(days=180)
"""Events older than this are deleted (feeds show the newest; webhooks got them long ago)."""
MAX_EVENTS = 200_000
"""At most this many events are kept, whatever their age (a first crawl of a big forge)."""
_CHUNK = 500


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def _state(row: Any) -> RecordState:
    return from_attributes(RecordState, row)


def states_of(connection: Connection, ids: Collection[str]) -> dict[str, RecordState]:
    """The remembered states of `ids` (removed ones included)."""
    found: dict[str, RecordState] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in connection.execute(
            select(EventStateRow).where(EventStateRow.record_id.in_(chunk))
        ):
            found[row.record_id] = _state(row)
    return found


def _present_ids(connection: Connection) -> set[str]:
    rows = connection.execute(
        select(EventStateRow.record_id).where(EventStateRow.removed.is_(False))
    )
    return {row.record_id for row in rows}


def _save_states(connection: Connection, states: Sequence[RecordState], now: datetime) -> None:
    for chunk in _chunks([state.record_id for state in states]):
        connection.execute(delete(EventStateRow).where(EventStateRow.record_id.in_(chunk)))
    if states:
        connection.execute(
            insert(EventStateRow),
            [{**state.__dict__, "updated_at": now} for state in states],
        )


def note_changes(
    connection: Connection,
    written: Iterable[Record],
    *,
    scope: Collection[str] | None,
    now: datetime,
) -> list[ChangeEvent]:
    """Record the events of one federation write; return them (with their seq numbers).

    `written` are the records federation wrote. Every remembered, not yet removed record in
    `scope` (None: the whole catalogue) that is not among them left the catalogue: it gets a
    ``removed`` event. Then events beyond `RETENTION` and `MAX_EVENTS` are deleted.
    """
    after = {record.id: record_state(record) for record in written}
    removed_ids = (_present_ids(connection) if scope is None else set(scope)) - after.keys()
    before = states_of(connection, after.keys() | removed_ids)
    events: list[ChangeEvent] = []
    changed: list[RecordState] = []
    for record_id, state in sorted(after.items()):
        previous = before.get(record_id)
        events.extend(change_events(previous, state, now))
        if previous != state:
            changed.append(state)
    for record_id in sorted(removed_ids):
        previous = before.get(record_id)
        if previous is None or previous.removed:
            continue
        events.extend(change_events(previous, None, now))
        changed.append(removed_state(previous))
    _save_states(connection, changed, now)
    stored = _append(connection, events)
    _prune(connection, now)
    return stored


def _append(connection: Connection, events: list[ChangeEvent]) -> list[ChangeEvent]:
    """Insert `events` in one statement; return them as stored (with seq numbers).

    Writers are serialised (`indexer.store.engine.lock_for_writing`), so the rows after the
    newest seq before the insert are exactly these.
    """
    if not events:
        return []
    newest = latest_seq(connection)
    connection.execute(
        insert(EventRow),
        [{k: v for k, v in event.__dict__.items() if k != "seq"} for event in events],
    )
    rows = connection.execute(select(EventRow).where(EventRow.seq > newest).order_by(EventRow.seq))
    return [_event(row) for row in rows]


def _prune(connection: Connection, now: datetime) -> None:
    connection.execute(delete(EventRow).where(EventRow.at < now - RETENTION))
    newest = latest_seq(connection)
    if newest > MAX_EVENTS:
        connection.execute(delete(EventRow).where(EventRow.seq <= newest - MAX_EVENTS))


def latest_seq(connection: Connection) -> int:
    """The newest event's seq; 0 when there is none."""
    value = connection.execute(select(func.max(EventRow.seq))).scalar_one_or_none()
    return int(value or 0)


def _event(row: Any) -> ChangeEvent:
    return from_attributes(ChangeEvent, row)


class EventConditions(TypedDict, total=False):
    """The conditions `EventStoreMethods.events` takes (`read_events`'s keyword arguments)."""

    forge: str | None
    organisation_id: str | None
    record_ids: Collection[str] | None
    kinds: Collection[EventKind] | None
    after_seq: int
    before_seq: int | None
    limit: int
    newest_first: bool


def read_events(
    connection: Connection,
    *,
    forge: str | None = None,
    organisation_id: str | None = None,
    record_ids: Collection[str] | None = None,
    kinds: Collection[EventKind] | None = None,
    after_seq: int = 0,
    before_seq: int | None = None,
    limit: int = 50,
    newest_first: bool = True,
) -> list[ChangeEvent]:
    """Up to `limit` events matching every given condition, newest (or oldest) first."""
    query = select(EventRow).where(EventRow.seq > after_seq)
    if before_seq is not None:
        query = query.where(EventRow.seq < before_seq)
    if forge is not None:
        query = query.where(EventRow.forge == forge)
    if organisation_id is not None:
        query = query.where(EventRow.organisation_id == organisation_id)
    if record_ids is not None:
        query = query.where(EventRow.record_id.in_(sorted(set(record_ids))))
    if kinds is not None:
        query = query.where(EventRow.kind.in_(sorted(set(kinds))))
    order = EventRow.seq.desc() if newest_first else EventRow.seq.asc()
    return [_event(row) for row in connection.execute(query.order_by(order).limit(limit))]


class EventStoreMethods(StorePart):
    """The change-event part of `indexer.store.Store` (a mixin: `Store` supplies the rest)."""

    def note_changes(
        self,
        written: Iterable[Record],
        *,
        scope: Collection[str] | None,
        now: datetime | None = None,
    ) -> list[ChangeEvent]:
        """Derive, store and return the change events of one federation write (`note_changes`)."""
        return self._write(note_changes, written, scope=scope, now=self._now(now))

    def remembered_ids(self) -> set[str]:
        """The ids federation last wrote and has not noted as removed (what a whole-catalogue
        `note_changes` with ``scope=None`` compares against)."""
        return self._read(_present_ids)

    def events(self, **conditions: Unpack[EventConditions]) -> list[ChangeEvent]:
        """Stored change events matching every given condition (see `read_events`)."""
        return self._read(read_events, **conditions)

    def latest_event_seq(self) -> int:
        """The newest change event's seq (0: none); feeds are cached by it."""
        return self._read(latest_seq)

    def record_states(self, ids: Collection[str]) -> dict[str, RecordState]:
        """What the last federation wrote of `ids` (removed ones included)."""
        return self._read(states_of, ids)
