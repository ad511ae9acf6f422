"""A first crawl of several forges federates the whole catalogue once: each forge is federated
among what it touched as soon as it is done, and the last one's settle makes the one full pass
(was: one full pass per forge, N passes over the catalogue for N forges)."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx
from tenacity import wait_none

from cli import pipeline
from crawler.run import CrawlOptions
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos

FORGES = [
    ForgeRegistration(name=f"lab{n}", kind="gitlab", url=f"https://lab{n}.example.org")
    for n in range(3)
]
SIZES = (40, 140, 240)
"""Repositories per forge: one, two and three listing pages, so the forges finish apart."""


def _crawl(store: Store, fake_time: FakeTime) -> pipeline.PipelineResult:
    options = CrawlOptions(
        wait=wait_none(),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        resolver=public_resolver,
        facts=False,
    )
    with respx.mock(assert_all_called=False) as router:
        for registration in FORGES:
            host = registration.url.removeprefix("https://")
            router.route(host=host).mock(
                side_effect=FakeGitLab(
                    host, make_repos(SIZES[FORGES.index(registration)], owners=2)
                )
            )
        return pipeline.run_pipeline(store, FORGES, options, pictures=False, notify=False)


def test_a_first_crawl_of_three_forges_federates_the_catalogue_once(
    tmp_path: Path, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One full pass for three never-federated forges; the catalogue is what a full pass
    gives, and every forge's federation cursor is saved (the next crawl is incremental)."""
    passes: list[int] = []
    full_pass = pipeline.federate_all

    def counted(store: Store) -> tuple[int, int]:
        passes.append(store.count_records())
        return full_pass(store)

    monkeypatch.setattr(pipeline, "federate_all", counted)
    with create_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for registration in FORGES:
            store.add_forge(registration)
        result = _crawl(store, fake_time)
        assert [sum(SIZES)] == passes
        assert result.full_federation
        federated = {record.id: record for record in store.iter_records()}
        full_pass(store)  # what a full pass over the same snapshots gives
        assert federated == {record.id: record for record in store.iter_records()}
        cursors = [store.get_checkpoint(r.name, pipeline.FEDERATED_SCOPE) for r in FORGES]
        assert all(cursor and isinstance(cursor.get("seq"), int) for cursor in cursors)
        assert sum(SIZES) == len(federated)
