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


def test_an_unchanged_recrawl_re_assesses_a_record_gone_dormant(store: Store) -> None:
    """Unchanged content crawled 100 days later: ``active`` drops to partly, with a history row."""
    store.upsert_records([version(0, "README.md")], now=at(0))
    seq = store.latest_change_seq()
    later = T0 + timedelta(days=100)
    dormant = make_record(
        URL,
        repository={**version(0).repository.model_dump(), "facts": facts("README.md")},
        provenance={**version(0).provenance.model_dump(), "fetched_at": later},
    )
    summary = store.upsert_records([dormant], now=later)
    history = store.maturity_history("gitlab.example.org/stadt/portal")
    assert ["met", "partly"] == [change.criteria["active"] for change in history]
    assert later == history[-1].assessed_at
    assert (0, 1) == (summary.unchanged, summary.changed)
    assert ["gitlab.example.org/stadt/portal"] == [c.id for c in store.changes_since(seq, 10)]
    stored = store.get_record("gitlab.example.org/stadt/portal")
    assert stored is not None and later == stored.provenance.fetched_at


def test_reassess_maturity_rewrites_only_the_records_due(store: Store) -> None:
    """Records nobody recrawled are re-assessed when due, once; the others are not read again."""
    other = "https://gitlab.example.org/stadt/archiv"
    old = make_record(
        other,
        repository={**make_record(other).repository.model_dump(), "last_activity": None},
    )
    store.upsert_records([version(0, "README.md"), old], now=at(0))
    assert 0 == store.reassess_maturity(now=T0 + timedelta(days=80)).changed
    later = T0 + timedelta(days=100)
    assert ("gitlab.example.org/stadt/portal",) == store.reassess_maturity(now=later).changed_ids
    assert 0 == store.reassess_maturity(now=later + timedelta(days=1)).changed
    assert 0 == store.reassess_maturity(forges=["github"], now=T0 + timedelta(days=400)).changed
    history = store.maturity_history("gitlab.example.org/stadt/portal")
    assert [("met", at(0)), ("partly", later)] == [
        (change.criteria["active"], change.assessed_at) for change in history
    ]
    assert 1 == len(store.maturity_history("gitlab.example.org/stadt/archiv"))


def test_rows_from_before_maturity_due_are_computed_once(store: Store) -> None:
    """A row without `maturity_due` (an upgraded store) gets it computed and is re-assessed."""
    from sqlalchemy import update

    from indexer.store.models import RecordRow

    store.upsert_records([version(0, "README.md")], now=at(0))
    with store.engine.begin() as connection:
        connection.execute(update(RecordRow).values(maturity_due=None))
    assert 0 == store.reassess_maturity(now=T0 + timedelta(days=10)).changed
    assert 1 == store.reassess_maturity(now=T0 + timedelta(days=100)).changed
