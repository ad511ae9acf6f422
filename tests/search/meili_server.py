"""The server the Meilisearch backend tests talk to: the fake, or a live one when configured.

``CODEREUSE_MEILI_URL`` (and ``CODEREUSE_MEILI_KEY``) select a live server; the ``live`` variant
of each test is skipped with a clear reason otherwise. Both variants send every request through
`ContractTransport`, so request bodies are validated against the OpenAPI file in both. Each test
gets its own index name, and a live server is cleaned of it (and of rebuild leftovers) afterwards.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from indexer.search.meilisearch import MeilisearchBackend, MeilisearchClient
from schemas.record import Record
from tests.search.meili_fake import FakeMeilisearch
from tests.search.meili_openapi import ContractTransport, load_contract

FAKE_URL = "http://meilisearch.test:7700"
SERVER_KINDS = (
    pytest.param("fake", id="fake"),
    pytest.param("live", id="live", marks=pytest.mark.meilisearch),
)


@dataclass
class MeiliServer:
    """One server for one test, with its own index name."""

    kind: str
    url: str
    key: str | None
    transport: ContractTransport
    fake: FakeMeilisearch | None
    index: str
    sleeps: list[float] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    rebuilt_at: datetime = datetime(2026, 11, 30, 1, 2, 3, 456789, tzinfo=UTC)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.kind == "live":
            time.sleep(seconds)

    def client(self) -> MeilisearchClient:
        return MeilisearchClient(
            self.url, self.key, transport=self.transport, sleep=self.sleep, clock=self.clock
        )

    def backend(
        self,
        records: Iterable[Record] = (),
        *,
        batch_documents: int = 10_000,
        store_seq: Callable[[], int] | None = None,
    ) -> MeilisearchBackend:
        """A backend on this server whose record source yields `records`."""
        source = tuple(records)
        return MeilisearchBackend(
            self.client(),
            self.index,
            lambda: iter(source),
            batch_documents=batch_documents,
            now=lambda: self.rebuilt_at,
            store_seq=store_seq,
        )

    def cleanup(self) -> None:
        if self.kind != "live":
            return
        client = self.client()
        listing = client.request("GET", "/indexes", params={"limit": "1000"})
        for entry in listing.get("results", []):
            uid = entry["uid"]
            if uid.startswith(self.index):  # the index, rebuild leftovers, the sync state
                client.wait(client.submit("DELETE", f"/indexes/{uid}"))
        client.close()


def open_server(kind: str) -> Iterator[MeiliServer]:
    """Yield a fake or live server (skipping when the live one is not configured)."""
    contract = load_contract()
    index = f"codereuse_test_{uuid.uuid4().hex[:10]}"
    if kind == "live":
        url = os.environ.get("CODEREUSE_MEILI_URL")
        if not url:
            pytest.skip(
                "no live Meilisearch: set CODEREUSE_MEILI_URL (and CODEREUSE_MEILI_KEY) to run "
                "the backend tests against a server"
            )
        transport = ContractTransport(httpx.HTTPTransport(), contract)
        server = MeiliServer(
            "live", url, os.environ.get("CODEREUSE_MEILI_KEY"), transport, None, index
        )
    else:
        fake = FakeMeilisearch(contract, key="fake-master-key")
        transport = ContractTransport(httpx.MockTransport(fake.handle), contract)
        server = MeiliServer("fake", FAKE_URL, fake.key, transport, fake, index)
        server.clock = lambda: 0.0
    try:
        yield server
    finally:
        server.cleanup()
