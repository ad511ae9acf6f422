"""Records: idempotent upserts, change detection, the change feed, tombstones, streaming reads."""

from __future__ import annotations

from datetime import UTC

from indexer.store import Store
from schemas.record import Record
from tests.store.builders import T0, at, make_record

URL_A = "https://gitlab.example.org/kommunen/beteiligung"
URL_B = "https://gitlab.example.org/kommunen/portal"


def test_upsert_creates_then_reads_back_the_same_record(store: Store) -> None:
    """A new record is created and read back equal, with timezone-aware metadata."""
    record = make_record(URL_A)
    summary = store.upsert_records([record], now=at(1))
    assert (1, 0, 0) == (summary.created, summary.changed, summary.unchanged)
    assert (record.id,) == summary.changed_ids
    assert record == store.get_record(record.id)
    meta = store.get_record_meta(record.id)
    assert meta is not None
    assert (at(1), at(1), at(1)) == (meta.first_seen, meta.last_seen, meta.last_changed)
    assert UTC == meta.first_seen.tzinfo


def test_metas_of_many_records_in_one_call(store: Store) -> None:
    """`record_metas` gives what `get_record_meta` gives per id, for the known ids only."""
    store.upsert_records([make_record(URL_A)], now=at(1))
    store.upsert_records([make_record(URL_B)], now=at(2))
    ids = [make_record(URL_B).id, "gitlab.example.org/unknown", make_record(URL_A).id]
    metas = store.record_metas(ids)
    assert {ids[0], ids[2]} == set(metas)
    assert [store.get_record_meta(ids[0]), store.get_record_meta(ids[2])] == [
        metas[ids[0]],
        metas[ids[2]],
    ]


def test_same_record_twice_is_unchanged_and_only_bumps_last_seen(store: Store) -> None:
    """Upserting an identical record changes nothing but last_seen: no change-feed entry."""
    record = make_record(URL_A)
    store.upsert_records([record], now=at(1))
    seq = store.latest_change_seq()
    summary = store.upsert_records([record], now=at(2))
    assert (0, 0, 1) == (summary.created, summary.changed, summary.unchanged)
    assert () == summary.changed_ids
    meta = store.get_record_meta(record.id)
    assert meta is not None
    assert (at(1), at(2), at(1)) == (meta.first_seen, meta.last_seen, meta.last_changed)
    assert seq == store.latest_change_seq()
    assert [] == store.changes_since(seq)


def test_a_new_fetch_time_alone_is_not_a_change(store: Store) -> None:
    """A recrawl that only moves provenance.fetched_at leaves the record unchanged."""
    record = make_record(URL_A)
    store.upsert_records([record], now=at(1))
    refetched = record.model_copy(
        update={"provenance": record.provenance.model_copy(update={"fetched_at": at(30)})}
    )
    assert 1 == store.upsert_records([refetched], now=at(2)).unchanged


def test_real_change_is_counted_dated_and_fed(store: Store) -> None:
    """A changed record is rewritten, gets last_changed and one upserted feed entry."""
    store.upsert_records([make_record(URL_A)], now=at(1))
    seq = store.latest_change_seq()
    renamed = make_record(URL_A, name="Beteiligung 2")
    summary = store.upsert_records([renamed], now=at(5))
    assert (0, 1, 0) == (summary.created, summary.changed, summary.unchanged)
    assert "Beteiligung 2" == store.get_record(renamed.id).name  # type: ignore[union-attr]
    meta = store.get_record_meta(renamed.id)
    assert meta is not None and (at(1), at(5)) == (meta.first_seen, meta.last_changed)
    changes = store.changes_since(seq)
    assert [(renamed.id, "upserted", at(5))] == [(c.id, c.kind, c.at) for c in changes]


def test_last_record_of_an_id_wins_within_one_call(store: Store) -> None:
    """Two records with the same id in one call make one record, the later one."""
    summary = store.upsert_records(
        [make_record(URL_A, name="first"), make_record(URL_A, name="second")], now=at(1)
    )
    assert 1 == summary.created
    assert "second" == store.get_record(make_record(URL_A).id).name  # type: ignore[union-attr]


def test_change_feed_is_ordered_and_filtered_by_seq_and_time(store: Store) -> None:
    """changes_since returns entries after a seq or a time, oldest first, limited."""
    a, b = make_record(URL_A), make_record(URL_B)
    store.upsert_records([a, b], now=at(1))
    store.upsert_records([make_record(URL_A, name="changed")], now=at(2))
    store.delete_records([b.id], now=at(3))
    everything = store.changes_since(0)
    assert [(a.id, "upserted"), (b.id, "upserted"), (a.id, "upserted"), (b.id, "deleted")] == [
        (c.id, c.kind) for c in everything
    ]
    assert sorted(c.seq for c in everything) == [c.seq for c in everything]
    assert everything[2:] == store.changes_since(everything[1].seq)
    assert everything[2:] == store.changes_since(at(1))
    assert everything[:2] == store.changes_since(0, limit=2)
    assert everything[-1].seq == store.latest_change_seq()


def test_delete_tombstones_and_a_later_upsert_revives(store: Store) -> None:
    """A deleted record disappears from reads, keeps its metadata, and comes back as changed."""
    record = make_record(URL_A)
    store.upsert_records([record], now=at(1))
    assert [record.id] == store.delete_records([record.id, "unknown/x"], now=at(2))
    assert [] == store.delete_records([record.id], now=at(3))
    assert None is store.get_record(record.id)
    assert record == store.get_record(record.id, include_deleted=True)
    meta = store.get_record_meta(record.id)
    assert meta is not None and meta.deleted and at(2) == meta.deleted_at
    assert 0 == store.count_records()
    summary = store.upsert_records([record], now=at(4))
    assert (0, 1, 0) == (summary.created, summary.changed, summary.unchanged)
    assert 1 == store.count_records()
    assert "upserted" == store.changes_since(0)[-1].kind


def test_iter_records_streams_all_in_id_order_across_batches(store: Store) -> None:
    """iter_records pages by id with the given batch size and skips deleted records."""
    records = [make_record(f"https://gitlab.example.org/g/p{n:03d}") for n in range(25)]
    store.upsert_records(reversed(records), now=at(1))
    store.delete_records([records[3].id], now=at(2))
    expected = [r.id for r in records if r.id != records[3].id]
    assert expected == [r.id for r in store.iter_records(batch_size=4)]
    assert 25 == len(list(store.iter_records(batch_size=7, include_deleted=True)))


def test_iter_records_by_ids_keeps_the_given_order(store: Store) -> None:
    """With ids, iter_records yields the existing ones in the order asked."""
    a, b = make_record(URL_A), make_record(URL_B)
    store.upsert_records([a, b], now=at(1))
    assert [b.id, a.id] == [r.id for r in store.iter_records(ids=[b.id, "none/x", a.id])]


def test_upsert_of_many_records_spans_batches(store: Store) -> None:
    """2,500 records (three internal batches) are all created, then all unchanged."""
    records = [make_record(f"https://gitlab.example.org/g/p{n}") for n in range(2500)]
    assert 2500 == store.upsert_records(iter(records), now=at(1)).created
    assert 2500 == store.upsert_records(records, now=at(2)).unchanged
    assert 2500 == store.count_records()
    assert 2500 == store.latest_change_seq()


def test_count_records_filters(store: Store) -> None:
    """count_records filters by forge, declared and validity."""
    invalid = make_record(
        URL_B,
        forge="github",
        declared=False,
        findings=[{"type": "error", "key": "name", "message": "missing"}],
    )
    store.upsert_records([make_record(URL_A), invalid], now=at(1))
    assert 2 == store.count_records()
    assert 1 == store.count_records(forge="github")
    assert 1 == store.count_records(declared=True)
    assert 1 == store.count_records(valid=False)
    assert 0 == store.count_records(forge="github", valid=True)


def test_naive_datetimes_are_taken_as_utc(store: Store) -> None:
    """A naive `now` is stored and returned as the same UTC time."""
    record = make_record(URL_A)
    store.upsert_records([record], now=T0.replace(tzinfo=None))
    meta = store.get_record_meta(record.id)
    assert meta is not None and T0 == meta.first_seen


def test_iter_documents_streams_the_stored_json_of_live_records(store: Store) -> None:
    """iter_documents yields JSON that reads back as the live records, in id order."""
    records = [make_record(f"https://gitlab.example.org/g/p{n}") for n in range(7)]
    store.upsert_records(records, now=at(1))
    store.delete_records([records[2].id], now=at(2))
    expected = sorted((r for r in records if r.id != records[2].id), key=lambda r: r.id)
    documents = list(store.iter_documents(batch_size=2))
    assert expected == [Record.model_validate_json(document) for document in documents]


def test_iter_facets_gives_the_live_records_filter_columns(store: Store) -> None:
    """Every live record's forge, organisation, licences, languages and categories, by id;
    a deleted record is left out."""
    from schemas.record import Organisation

    organisation = Organisation(id="name:stadt", name="Stadt", kind="public_body")
    kept = make_record("https://gitlab.opencode.de/stadt/a").model_copy(
        update={"organisation": organisation}
    )
    gone = make_record("https://gitlab.opencode.de/stadt/b")
    store.upsert_records([kept, gone])
    store.delete_records([gone.id])
    rows = list(store.iter_facets(batch_size=1))
    assert [kept.id] == [row.id for row in rows]
    row = rows[0]
    assert kept.repository.forge == row.forge
    assert "name:stadt" == row.organisation  # the organisation facet's value: its id
    assert tuple(kept.categories) == row.categories
    assert tuple(kept.repository.languages) == row.languages
    licences = kept.licence.ids if kept.licence and kept.licence.ids else [kept.repository.licence]
    assert tuple(licence for licence in licences if licence) == row.licences
