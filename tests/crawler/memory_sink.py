"""`MemorySink`: the crawl loop's `crawler.sink.CrawlSink` in dictionaries, for tests and benchmarks.

Same semantics as the store (one transaction per page, tombstones only after `tombstone_after`
complete listings miss a repository, renames keep the old URL as an alias); nothing persisted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.findings import Finding
from schemas.forge import RepositoryFingerprint, RepositorySnapshot
from schemas.record import Record, canonical_url


@dataclass
class MemorySink:
    """A `CrawlSink` in dictionaries: same semantics as the store, nothing persisted."""

    snapshots: dict[tuple[str, str], RepositorySnapshot] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    checkpoints: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    misses: dict[tuple[str, str], int] = field(default_factory=dict)
    tombstoned: set[tuple[str, str]] = field(default_factory=set)
    aliases: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    saved_pages: int = 0
    unlisted: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def start_crawl_run(self, forge: str, *, full: bool) -> int:
        self.runs.append({"forge": forge, "full": full, "status": "running"})
        return len(self.runs)

    def close_interrupted_runs(self, forge: str) -> int:
        open_runs = [r for r in self.runs if r["forge"] == forge and r["status"] == "running"]
        for run in open_runs:
            run["status"] = "interrupted"
        return len(open_runs)

    def finish_crawl_run(
        self,
        run_id: int,
        *,
        status: str,
        stats: dict[str, Any],
        findings: Sequence[Finding] = (),
        requests: int = 0,
    ) -> None:
        self.runs[run_id - 1].update(
            status=status, stats=dict(stats), findings=list(findings), requests=requests
        )

    def fingerprints(self, forge: str) -> dict[str, RepositoryFingerprint]:
        return {
            forge_id: RepositoryFingerprint(
                forge_id=forge_id,
                url=snapshot.url,
                last_activity=snapshot.last_activity,
                blob_id=snapshot.blob_id,
                etag=snapshot.etag,
            )
            for (name, forge_id), snapshot in self.snapshots.items()
            if name == forge and (name, forge_id) not in self.tombstoned
        }

    def save_page(
        self,
        forge: str,
        scope: str,
        snapshots: Sequence[RepositorySnapshot],
        records: Sequence[Record],
        checkpoint: dict[str, Any] | None,
        *,
        unlisted_repositories: Sequence[tuple[str, str, str]] = (),
    ) -> int:
        for canonical_id, url, reason in unlisted_repositories:
            self.unlisted[(forge, canonical_id)] = (url, reason)
        for snapshot in snapshots:
            self.unlisted.pop((forge, snapshot.canonical_id), None)
            key = (forge, snapshot.forge_id)
            self.snapshots[key] = snapshot
            self.tombstoned.discard(key)
            self.misses.pop(key, None)
        for record in records:
            self.records[record.id] = record
        if checkpoint is not None:
            self.checkpoints[(forge, scope)] = dict(checkpoint)
        self.saved_pages += 1
        return len(snapshots)

    def get_checkpoint(self, forge: str, scope: str) -> dict[str, Any] | None:
        return self.checkpoints.get((forge, scope))

    def clear_checkpoint(self, forge: str, scope: str) -> None:
        self.checkpoints.pop((forge, scope), None)

    def record_listing(
        self,
        forge: str,
        seen_forge_ids: Collection[str],
        *,
        complete: bool,
        tombstone_after: int = 3,
    ) -> list[str]:
        if not complete:
            return []
        seen = set(seen_forge_ids)
        gone: list[str] = []
        for name, forge_id in list(self.snapshots):
            key = (name, forge_id)
            if name != forge or key in self.tombstoned:
                continue
            if forge_id in seen:
                self.misses.pop(key, None)
                continue
            self.misses[key] = self.misses.get(key, 0) + 1
            if self.misses[key] >= tombstone_after:
                self.tombstoned.add(key)
                gone.append(forge_id)
        return gone

    def rename_repository(self, forge: str, forge_id: str, new_url: str) -> None:
        key = (forge, forge_id)
        old = self.snapshots.get(key)
        if old is None:
            return
        self.aliases.setdefault(key, []).append(canonical_url(old.url))
        self.snapshots[key] = old.model_copy(update={"url": new_url})

    def live_urls(self, forge: str) -> set[str]:
        """Canonical URLs of the forge's live (not tombstoned) repositories."""
        return {
            canonical_url(snapshot.url)
            for (name, forge_id), snapshot in self.snapshots.items()
            if name == forge and (name, forge_id) not in self.tombstoned
        }
