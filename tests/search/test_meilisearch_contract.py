"""The shared search contract suite, run against the Meilisearch backend on the fake server.

`tests/search/test_contract.py` checks filters, facet counts, sorts, paging, mirror collapsing,
refusals and highlights on the fixed real-world corpus; conftest's registry runs it against a
live Meilisearch when ``CODEREUSE_MEILI_URL`` is set. Here the same tests run on every test run
against the fake server, so the documents, filters, sorts and settings this backend sends are
held to the same contract as the embedded backend, as far as the fake models Meilisearch. Text
relevance is not modelled by the fake, so the judged relevance set is not run here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

import tests.search.test_contract as contract_suite
from indexer.search.meilisearch import MeilisearchBackend, MeilisearchClient
from indexer.search.protocol import SearchBackend
from schemas.record import Record
from tests.search.meili_fake import FakeMeilisearch
from tests.search.meili_openapi import ContractTransport, load_contract

# Collect every contract test in this module too, with the fixtures below.
globals().update(
    {name: test for name, test in vars(contract_suite).items() if name.startswith("test_")}
)


def fake_backend(records: list[Record]) -> MeilisearchBackend:
    """A Meilisearch backend on a fresh fake server, rebuilt from `records`."""
    contract = load_contract()
    server = FakeMeilisearch(contract)
    transport = ContractTransport(httpx.MockTransport(server.handle), contract)
    client = MeilisearchClient(
        "http://meilisearch.test:7700",
        None,
        transport=transport,
        sleep=lambda _: None,
        clock=lambda: 0.0,
    )
    backend = MeilisearchBackend(client, "software", lambda: iter(records))
    backend.rebuild()
    return backend


@pytest.fixture(scope="module")
def backend_name() -> str:
    return "meilisearch-fake"


@pytest.fixture(scope="module")
def backend(corpus: list[Record]) -> Iterator[SearchBackend]:
    built = fake_backend(corpus)
    yield built
    built.close()


@pytest.fixture
def make_backend() -> Callable[[list[Record]], SearchBackend]:
    return fake_backend
