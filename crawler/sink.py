"""Where the crawl loop writes: the `CrawlSink` protocol.

The crawler never imports the store (layer rule); `indexer.store.Store` satisfies this protocol
as it is, and `cli` hands it in. Tests use an in-memory double with the same semantics
(``tests/crawler/memory_sink.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from schemas.findings import Finding
from schemas.forge import RepositoryFingerprint, RepositorySnapshot
from schemas.record import Record


class CrawlSink(Protocol):
    """What the crawl loop needs of the store; names follow the store's crawl-state API."""

    def start_crawl_run(self, forge: str, *, full: bool) -> int:
        """Open a crawl run and return its id."""
        ...

    def close_interrupted_runs(self, forge: str) -> int:
        """Mark the forge's runs still open (their process was killed) ``interrupted``."""
        ...

    def finish_crawl_run(
        self,
        run_id: int,
        *,
        status: str,
        stats: dict[str, Any],
        findings: Sequence[Finding] = (),
        requests: int = 0,
    ) -> None:
        """Close the run with its status (ok, partial, failed), figures and findings."""
        ...

    def fingerprints(self, forge: str) -> dict[str, RepositoryFingerprint]:
        """Every live repository of the forge, by forge id."""
        ...

    def save_page(
        self,
        forge: str,
        scope: str,
        snapshots: Sequence[RepositorySnapshot],
        records: Sequence[Record],
        checkpoint: dict[str, Any] | None,
        *,
        unlisted_repositories: Sequence[tuple[str, str, str]] = (),
    ) -> Any:
        """Write snapshots, records and the scope's checkpoint in one transaction.

        `unlisted_repositories` holds (canonical id, url, reason) of repositories the page
        listed but left out of the catalogue (internal, private), for the status check.
        """
        ...

    def get_checkpoint(self, forge: str, scope: str) -> dict[str, Any] | None:
        """The scope's last committed checkpoint, or None."""
        ...

    def clear_checkpoint(self, forge: str, scope: str) -> None:
        """Forget the scope's checkpoint (its listing finished)."""
        ...

    def record_listing(
        self,
        forge: str,
        seen_forge_ids: Collection[str],
        *,
        complete: bool,
        tombstone_after: int = 3,
    ) -> list[str]:
        """Count a listing; return the forge ids tombstoned by it (only ever for complete ones)."""
        ...

    def rename_repository(self, forge: str, forge_id: str, new_url: str) -> object:
        """Move a repository to `new_url`, keeping the old URL as an alias."""
        ...
