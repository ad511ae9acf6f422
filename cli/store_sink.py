"""The store behind the crawl loop: `StoreSink` maps `crawler.sink.CrawlSink` onto `Store`.

The crawler may not import the store (layer rule), so `cli` plugs them together here. After a
crawl, `federate_store` settles records across forges (mirrors, variants, forks) from the stored
snapshots, without a network request (architecture decisions 1 and 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crawler.normalise import federated_records
from indexer.store import Store
from schemas.findings import Finding
from schemas.forge import RepositoryFingerprint, RepositorySnapshot
from schemas.record import Record


class StoreSink:
    """A `CrawlSink` writing to the store; each method is one store transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start_crawl_run(self, forge: str, *, full: bool) -> int:
        return self.store.start_crawl_run(forge, full=full)

    def close_interrupted_runs(self, forge: str) -> int:
        return self.store.close_interrupted_runs(forge)

    def finish_crawl_run(
        self,
        run_id: int,
        *,
        status: str,
        stats: dict[str, Any],
        findings: Sequence[Finding] = (),
        requests: int = 0,
    ) -> None:
        self.store.finish_crawl_run(
            run_id, status=status, stats=stats, findings=findings, requests=requests
        )

    def fingerprints(self, forge: str) -> dict[str, RepositoryFingerprint]:
        return self.store.fingerprints(forge)

    def save_page(
        self,
        forge: str,
        scope: str,
        snapshots: Sequence[RepositorySnapshot],
        records: Sequence[Record],
        checkpoint: dict[str, Any] | None,
    ) -> Any:
        return self.store.save_page(forge, scope, snapshots, records, checkpoint)

    def get_checkpoint(self, forge: str, scope: str) -> dict[str, Any] | None:
        return self.store.get_checkpoint(forge, scope)

    def clear_checkpoint(self, forge: str, scope: str) -> None:
        self.store.clear_checkpoint(forge, scope)

    def record_listing(
        self, forge: str, seen_forge_ids: Iterable[str], *, complete: bool, tombstone_after: int = 3
    ) -> list[str]:
        return self.store.record_listing(
            forge, set(seen_forge_ids), complete=complete, tombstone_after=tombstone_after
        )

    def rename_repository(self, forge: str, forge_id: str, new_url: str) -> None:
        self.store.rename_repository(forge, forge_id, new_url)


def federate_store(store: Store) -> int:
    """Re-normalise every stored snapshot, federate across forges, upsert; return records written.

    Records no snapshot produces any more are tombstoned: a publiccode.yml that stopped naming
    another repository as its `url`, or a mirror that became its own software, must not leave
    its old record behind. Pure work on stored data: no forge is asked anything.
    """
    merged = federated_records(store.iter_snapshots(), store.list_forges())
    if merged:
        store.upsert_records(merged)
    produced = {record.id for record in merged}
    stale = sorted(store.record_ids() - produced)
    if stale:
        store.delete_records(stale)
    return len(merged)
