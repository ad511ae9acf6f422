"""Crawl state: pages with checkpoints, fingerprints, snapshots, runs, findings and jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indexer.store import Store
from schemas.errors import NotFoundError, StoreError
from schemas.findings import Finding
from schemas.organisation import name_id
from tests.store.builders import T0, at, make_forge, make_record, make_snapshot

URL_A = "https://gitlab.example.org/kommunen/beteiligung"
URL_B = "https://gitlab.example.org/kommunen/portal"


@pytest.fixture
def forge_store(store: Store) -> Store:
    """The store with the forge ``gitlab`` registered."""
    store.add_forge(make_forge("gitlab"))
    return store


def test_save_page_keeps_snapshots_records_and_checkpoint(forge_store: Store) -> None:
    """One page saves raw snapshots (bytes intact), records and the checkpoint together."""
    snapshots = [make_snapshot(URL_A, "1"), make_snapshot(URL_B, "2", publiccode=None)]
    summary = forge_store.save_page(
        "gitlab", "group:kommunen", snapshots, [make_record(URL_A)], {"cursor": "abc"}, now=at(1)
    )
    assert 1 == summary.created
    assert {"cursor": "abc"} == forge_store.get_checkpoint("gitlab", "group:kommunen")
    assert snapshots == list(forge_store.iter_snapshots("gitlab", batch_size=1))
    assert [] == list(forge_store.iter_snapshots("other"))
    fingerprints = forge_store.fingerprints("gitlab")
    assert {"1", "2"} == set(fingerprints)
    assert ("blob-1", URL_A) == (fingerprints["1"].blob_id, fingerprints["1"].url)


def test_a_later_page_replaces_snapshot_and_checkpoint(forge_store: Store) -> None:
    """Saving a repository again replaces its fingerprint; None as checkpoint clears it."""
    forge_store.save_page("gitlab", "all", [make_snapshot(URL_A, "1")], [], {"p": 1}, now=at(1))
    forge_store.save_page(
        "gitlab", "all", [make_snapshot(URL_A, "1", blob_id="new", etag='W/"e"')], [], None
    )
    fingerprint = forge_store.fingerprints("gitlab")["1"]
    assert ("new", 'W/"e"') == (fingerprint.blob_id, fingerprint.etag)
    assert None is forge_store.get_checkpoint("gitlab", "all")


def test_clear_checkpoint_forgets_the_scope(forge_store: Store) -> None:
    """clear_checkpoint removes one scope's checkpoint and leaves the others."""
    forge_store.save_page("gitlab", "a", [], [], {"p": 1})
    forge_store.save_page("gitlab", "b", [], [], {"p": 2})
    forge_store.clear_checkpoint("gitlab", "a")
    assert (None, {"p": 2}) == (
        forge_store.get_checkpoint("gitlab", "a"),
        forge_store.get_checkpoint("gitlab", "b"),
    )


def test_save_page_refuses_an_unregistered_forge_and_foreign_snapshots(
    forge_store: Store,
) -> None:
    """Pages of an unknown forge, or snapshots of another forge, are refused by name."""
    with pytest.raises(NotFoundError, match="'nowhere'"):
        forge_store.save_page("nowhere", "all", [], [], None)
    with pytest.raises(StoreError, match="belongs to forge 'github'"):
        forge_store.save_page(
            "gitlab", "all", [make_snapshot(URL_A, "1", forge="github")], [], None
        )


def test_crawl_runs_keep_status_stats_findings_and_catalogue_size(forge_store: Store) -> None:
    """A finished run keeps its counters, findings and the live record count."""
    first = forge_store.start_crawl_run("gitlab", full=True, now=at(1))
    forge_store.upsert_records([make_record(URL_A), make_record(URL_B)], now=at(2))
    forge_finding = Finding(type="warning", key="page 3", message="HTTP 500 three times")
    record_finding = Finding(type="error", key="publiccode.yml", message="not YAML")
    forge_store.finish_crawl_run(
        first,
        status="partial",
        stats={"pages": 3, "created": 2},
        findings=[forge_finding],
        record_findings={make_record(URL_A).id: [record_finding]},
        requests=4,
        now=at(3),
    )
    second = forge_store.start_crawl_run("gitlab", full=False, now=at(4))
    runs = forge_store.crawl_runs("gitlab")
    assert [second, first] == [run.id for run in runs]
    done = runs[1]
    assert ("partial", {"pages": 3, "created": 2}, 4, 2, at(3), True) == (
        done.status,
        done.stats,
        done.requests,
        done.records_total,
        done.finished_at,
        done.full,
    )
    assert ("running", None) == (runs[0].status, runs[0].finished_at)
    assert [(None, forge_finding), (make_record(URL_A).id, record_finding)] == (
        forge_store.crawl_findings(first)
    )
    with pytest.raises(NotFoundError):
        forge_store.finish_crawl_run(999, status="failed", stats={})


def test_crawl_jobs_are_queued_claimed_once_and_finished(forge_store: Store) -> None:
    """A requested crawl is claimed by exactly one runner call, then finished."""
    job = forge_store.request_crawl("gitlab", now=at(1))
    assert job == forge_store.request_crawl("gitlab", now=at(2))
    claimed = forge_store.next_crawl_job(now=at(3))
    assert claimed is not None
    assert (job, "running", at(3)) == (claimed.id, claimed.status, claimed.started_at)
    assert None is forge_store.next_crawl_job(now=at(4))
    forge_store.finish_crawl_job(job, "succeeded", now=at(4))
    finished = forge_store.get_crawl_job(job)
    assert finished is not None and ("succeeded", at(4)) == (finished.status, finished.finished_at)
    assert job != forge_store.request_crawl("gitlab")
    with pytest.raises(StoreError, match="final status"):
        forge_store.finish_crawl_job(job, "running")
    with pytest.raises(NotFoundError):
        forge_store.request_crawl("nowhere")


def test_relations_are_replaced_per_kind_and_read_both_ways(store: Store) -> None:
    """set_relations replaces one kind's links; relations_of shows links from and to a record."""
    store.set_relations("a/x", "mirror", ["b/x", "c/x", "a/x"])
    store.set_relations("a/x", "mirror", ["c/x"])
    store.set_relations("d/x", "variant", ["a/x"])
    assert [("a/x", "c/x", "mirror"), ("d/x", "a/x", "variant")] == [
        (r.from_id, r.to_id, r.kind) for r in store.relations_of("a/x")
    ]
    with pytest.raises(StoreError, match="unknown"):
        store.set_relations("a/x", "cousin", ["b/x"])  # type: ignore[arg-type]


def test_stats_count_the_live_catalogue(forge_store: Store) -> None:
    """stats counts live records (each once) by forge, organisation, licence, language, category."""
    forge_store.upsert_records(
        [
            make_record(URL_A),
            make_record(URL_B, categories=["e-participation", "it-portal", "it-portal"]),
            make_record("https://github.com/o/r", forge="github", organisation=None, licence=None),
        ],
        now=at(1),
    )
    forge_store.delete_records([make_record("https://github.com/o/r").id])
    run = forge_store.start_crawl_run("gitlab", full=True)
    forge_store.finish_crawl_run(run, status="succeeded", stats={})
    stats = forge_store.stats()
    assert (2, 2, 2, 1) == (stats.records, stats.declared, stats.valid, stats.forges)
    assert {"gitlab": 2} == stats.by_forge
    assert {name_id("Stadt Musterhausen"): 2} == stats.by_organisation
    assert {name_id("Stadt Musterhausen"): "Stadt Musterhausen"} == stats.organisation_names
    assert {"EUPL-1.2": 2} == stats.by_licence
    assert {"Python": 2} == stats.by_language
    assert {"e-participation": 2, "it-portal": 1} == stats.by_category
    assert [(run, 2)] == [(r.id, r.records_total) for r in stats.history]


def test_stats_group_organisations_by_id_not_name(forge_store: Store) -> None:
    """Two organisations of the same display name are counted apart (by id) and both named;
    a person's namespace is no organisation."""
    forge_store.upsert_records(
        [
            make_record(URL_A, organisation={"id": "tooi:gm0363", "name": "Stadt Musterhausen"}),
            make_record(URL_B, organisation={"id": "ipa:c_a123", "name": "Stadt Musterhausen"}),
            make_record(
                "https://gitlab.example.org/kommunen/termine",
                organisation={"id": "tooi:gm0363", "name": "Stadt Musterhausen"},
            ),
            make_record(
                "https://gitlab.example.org/anna/notizen",
                organisation={"id": "account:gitlab/anna", "kind": "person"},
            ),
        ],
        now=at(1),
    )
    stats = forge_store.stats()
    assert {"tooi:gm0363": 2, "ipa:c_a123": 1} == stats.by_organisation
    assert {"Stadt Musterhausen"} == set(stats.organisation_names.values())


def test_get_publiccode_returns_the_raw_file_of_the_live_repository(forge_store: Store) -> None:
    """The stored bytes come back untouched; a record without a file or repository gives None."""
    raw = "publiccodeYmlVersion: '0.4'\nname: Bürgerbeteiligung\n".encode()
    forge_store.save_page(
        "gitlab",
        "all",
        [make_snapshot(URL_A, "1", publiccode=raw), make_snapshot(URL_B, "2", publiccode=None)],
        [],
        None,
    )
    assert raw == forge_store.get_publiccode(make_record(URL_A).id)
    assert None is forge_store.get_publiccode(make_record(URL_B).id)
    assert None is forge_store.get_publiccode("gitlab.example.org/none/such")
    forge_store.record_listing("gitlab", {"2"}, complete=True, tombstone_after=1)
    assert None is forge_store.get_publiccode(make_record(URL_A).id)


def test_iter_snapshots_skips_tombstoned_repositories_across_pages(forge_store: Store) -> None:
    """Tombstoned repositories are left out, whatever the page size and forge filter."""
    forge_store.add_forge(make_forge("other"))
    urls = [f"https://gitlab.example.org/g/p{n}" for n in range(5)]
    forge_store.save_page(
        "gitlab", "all", [make_snapshot(url, str(n)) for n, url in enumerate(urls)], [], None
    )
    forge_store.save_page(
        "other",
        "all",
        [make_snapshot("https://other.example.org/x/y", "9", forge="other")],
        [],
        None,
    )
    forge_store.record_listing("gitlab", {"0", "4"}, complete=True, tombstone_after=1)
    for batch_size in (1, 2, 100):
        assert ["0", "4"] == [
            s.forge_id for s in forge_store.iter_snapshots("gitlab", batch_size=batch_size)
        ]
        assert ["0", "4", "9"] == [
            s.forge_id for s in forge_store.iter_snapshots(batch_size=batch_size)
        ]


def test_timeline_groups_first_seen_and_activity(forge_store: Store) -> None:
    """timeline counts live records by first-seen month and last-activity year, both databases."""
    forge_store.upsert_records([make_record(URL_A)], now=datetime(2025, 12, 31, 23, tzinfo=UTC))
    forge_store.upsert_records(
        [
            make_record(
                URL_B,
                findings=[Finding(type="error", key="name", message="missing")],
                repository={"forge": "gitlab", "url": URL_B, "last_activity": None},
            ),
            make_record("https://github.com/o/r", forge="github"),
        ],
        now=datetime(2026, 2, 1, tzinfo=UTC),
    )
    forge_store.delete_records([make_record("https://github.com/o/r").id])
    timeline = forge_store.timeline()
    assert {"2025-12": 1, "2026-02": 1} == timeline.first_seen_by_month
    assert ({str(T0.year): 1}, 1, 1) == (
        timeline.activity_by_year,
        timeline.no_activity,
        timeline.declared_invalid,
    )
