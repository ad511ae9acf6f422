"""The maturity history: written with the records, one row per change, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from indexer.store import Store
from schemas.facts import RepositoryFacts, RootEntry
from schemas.record import Record
from tests.store.builders import T0, at, make_record

URL = "https://gitlab.example.org/stadt/portal"


def facts(*names: str) -> dict[str, object]:
    """Repository facts with these root files and a recent commit."""
    return RepositoryFacts(
        empty=False,
        root=[RootEntry(name=name) for name in names],
        last_commit_at=T0 - timedelta(days=5),
        releases_count=0,
    ).model_dump()


def version(minutes: int, *names: str) -> Record:
    """The record as crawled `minutes` after T0 with `names` at the root."""
    base = make_record(URL)
    return make_record(
        URL,
        repository={**base.repository.model_dump(), "facts": facts(*names)},
        provenance={**base.provenance.model_dump(), "fetched_at": at(minutes)},
    )


def test_history_keeps_only_the_crawls_that_changed_a_level(store: Store) -> None:
    """Rows are written with the record, and only when a level changed."""
    store.upsert_records([version(0, "README.md")], now=at(0))
    store.upsert_records([version(10, "README.md")], now=at(10))
    store.upsert_records([version(20, "README.md", ".gitlab-ci.yml")], now=at(20))
    store.upsert_records([version(30, "README.md", ".gitlab-ci.yml")], now=at(30))
    history = store.maturity_history("gitlab.example.org/stadt/portal")
    assert [at(0), at(20)] == [change.assessed_at for change in history]
    assert ["not_met", "met"] == [change.criteria["tested"] for change in history]
    assert {"active", "tested", "secure", "licensed"} <= set(history[0].criteria)
    assert [] == store.maturity_history("gitlab.example.org/nobody/else")


def test_unchanged_records_write_no_history(store: Store) -> None:
    """Upserting the same content again (a recrawl that found nothing new) adds no row."""
    record = version(0, "README.md")
    store.upsert_records([record], now=at(0))
    store.upsert_records([record], now=at(5))
    assert 1 == len(store.maturity_history("gitlab.example.org/stadt/portal"))
