"""Incremental sync of a Meilisearch index from the store's change feed.

The store numbers every change (``changes_since(seq)``); the index remembers the last change it
applied in a one-document side index ``<index>-sync-state`` (a side index, because swapping in
a rebuilt index must not swap the position away, and a document in the catalogue index would
show up in searches). Changed records are re-read from the store and upserted, records the store
no longer returns are deleted; the position is written after the index changes, so a crash in
between only repeats idempotent work. Without a remembered position the index is rebuilt
(zero-downtime) and the position taken *before* reading the store is remembered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from indexer.search.meilisearch.client import MeilisearchClient
from indexer.search.meilisearch.documents import DOCUMENT_FORMAT
from indexer.search.meilisearch.settings import PRIMARY_KEY
from schemas.record import Record

STATE_KEY = "store-seq"
CHUNK = 1000


class ChangeFeed(Protocol):
    """What a sync needs from the store (`indexer.store.Store` has it)."""

    def changes_since(self, seq_or_time: int, limit: int = 1000) -> Iterable[Any]: ...

    def iter_records(self, *, ids: Iterable[str] | None = None) -> Iterator[Record]: ...

    def latest_change_seq(self) -> int: ...


def state_index(index: str) -> str:
    """The side index holding the sync position of `index`."""
    return f"{index}-sync-state"


def read_position(client: MeilisearchClient, index: str) -> int | None:
    """The last applied change seq, or None when the index never synced or was synced with
    documents of another layout (`DOCUMENT_FORMAT`, e.g. by an older release): then the next
    sync rebuilds it."""
    document = client.request(
        "GET", f"/indexes/{state_index(index)}/documents/{STATE_KEY}", allow_not_found=True
    )
    if not isinstance(document, dict) or not isinstance(document.get("store_seq"), int):
        return None
    if document.get("format") != DOCUMENT_FORMAT:
        return None
    seq: int = document["store_seq"]
    return seq


def write_position(client: MeilisearchClient, index: str, seq: int) -> None:
    """Remember `seq` as applied, with the documents' layout (waits for the task)."""
    state = {PRIMARY_KEY: STATE_KEY, "store_seq": seq, "format": DOCUMENT_FORMAT}
    body = json.dumps([state]).encode()
    client.wait(
        client.submit(
            "POST",
            f"/indexes/{state_index(index)}/documents",
            content=body,
            params={"primaryKey": PRIMARY_KEY},
        )
    )


def _change_fields(change: Any) -> tuple[int, str]:
    """``(seq, record id)`` of a change-feed entry (``Change(seq, id, …)`` or a tuple)."""
    if hasattr(change, "seq"):
        return int(change.seq), str(change.id)
    return int(change[0]), str(change[1])


def changed_since(store: ChangeFeed, last: int) -> tuple[int, list[str]]:
    """The newest seq after `last` and the ids changed since, oldest change first."""
    newest = last
    changed: dict[str, None] = {}
    while True:
        page = list(store.changes_since(newest))
        if not page:
            return newest, list(changed)
        for change in page:
            seq, record_id = _change_fields(change)
            changed[record_id] = None
            newest = max(newest, seq)


def apply_changes(
    store: ChangeFeed,
    ids: list[str],
    upsert: Callable[[Iterable[Record]], None],
    delete: Callable[[Iterable[str]], None],
) -> None:
    """Upsert the records of `ids` the store still has and delete the others, in chunks."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        live = list(store.iter_records(ids=chunk))
        if live:
            upsert(live)
        gone = set(chunk) - {record.id for record in live}
        if gone:
            delete(sorted(gone))
