"""The crawl loop writing into the real SQLite store through the store as `crawler.sink.CrawlSink`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import respx
from tenacity import wait_none

from cli.pipeline import federate_all
from crawler.run import CrawlOptions, crawl_forges
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, public_resolver
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, make_repos

LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org")
HUB = ForgeRegistration(
    name="hub", kind="github", url="https://github.com", orgs=["org0", "org1"], token_env="GH"
)


def _store(tmp_path: Path) -> Store:
    store = create_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.add_forge(LAB)
    store.add_forge(HUB)
    return store


def _crawl(
    store: Store, lab: FakeGitLab, hub: FakeGitHub, fake_time: FakeTime, **options: object
) -> list[str]:
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=lab)
        router.route(host="api.github.com").mock(side_effect=hub)
        reports = asyncio.run(
            crawl_forges(
                [LAB, HUB],
                store,
                CrawlOptions(
                    wait=wait_none(),
                    sleep=fake_time.sleep,
                    clock=fake_time.clock,
                    resolver=public_resolver,
                    **options,  # type: ignore[arg-type]
                ),
                environ={"GH": "token"},
            )
        )
    return [report.status for report in reports]


def test_two_forges_crawl_into_the_store_with_real_normalisation(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """Both kinds land in SQLite: records, fingerprints, declared records from publiccode.yml."""
    lab = FakeGitLab("gitlab.example.org", make_repos(150, owners=3, facts=False))
    hub = FakeGitHub("github.com", make_repos(120, owners=2, facts=False))
    with _store(tmp_path) as store:
        assert ["succeeded", "succeeded"] == _crawl(store, lab, hub, fake_time)
        assert (150, 120) == (len(store.fingerprints("lab")), len(store.fingerprints("hub")))
        assert 270 == store.count_records()
        assert 45 + 36 == store.count_records(declared=True)
        record = store.get_record("github.com/org1/project-2")
        assert record is not None and (True, "hub") == (record.declared, record.forge)
        runs = store.crawl_runs("lab")
        assert ("succeeded", 2) == (runs[0].status, runs[0].requests)


def test_recrawl_into_the_store_updates_only_what_changed(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """An incremental run writes the changed publiccode.yml and leaves the rest alone."""
    lab = FakeGitLab("gitlab.example.org", make_repos(150, owners=3, facts=False))
    hub = FakeGitHub("github.com", make_repos(120, owners=2, facts=False))
    with _store(tmp_path) as store:
        _crawl(store, lab, hub, fake_time)
        lab.touch([10])
        hub.touch([20])
        lab.counts.clear()
        hub.counts.clear()
        _crawl(store, lab, hub, fake_time)
        assert (2, 2) == (lab.total, hub.total)
        assert b"1.2.0" in (store.get_publiccode("gitlab.example.org/org0/project-10") or b"")
        assert b"1.2.0" in (store.get_publiccode("github.com/org1/project-20") or b"")


def test_rename_and_tombstone_reach_the_store(tmp_path: Path, fake_time: FakeTime) -> None:
    """A renamed repository keeps its old URL findable; a deleted one goes after 3 full listings."""
    lab = FakeGitLab("gitlab.example.org", make_repos(30, owners=1, facts=False))
    hub = FakeGitHub("github.com", make_repos(20, owners=2, facts=False))
    with _store(tmp_path) as store:
        _crawl(store, lab, hub, fake_time)
        lab.rename(3, "moved")
        lab.delete(4)
        for _ in range(3):
            _crawl(store, lab, hub, fake_time, full=True)
        assert "gitlab.example.org/org0/moved" == store.find_record_by_url(
            "https://gitlab.example.org/org0/project-3"
        )
        assert store.get_record("gitlab.example.org/org0/project-4") is None
        assert 29 == len(store.fingerprints("lab"))


def test_federation_pass_rewrites_records_from_stored_snapshots(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """federate_all re-normalises every stored snapshot without network and keeps the count."""
    lab = FakeGitLab("gitlab.example.org", make_repos(30, owners=1, facts=False))
    hub = FakeGitHub("github.com", make_repos(20, owners=2, facts=False))
    with _store(tmp_path) as store:
        _crawl(store, lab, hub, fake_time)
        assert 50 == federate_all(store)[0]
        assert 50 == store.count_records()


def test_federation_pass_tombstones_records_no_snapshot_produces(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """A publiccode.yml that stops naming another repository leaves no orphan record behind."""
    lab = FakeGitLab("gitlab.example.org", make_repos(10, owners=1, facts=False))
    hub = FakeGitHub("github.com", make_repos(2, owners=2, facts=False))
    claimed = lab.by_id()[1]
    assert claimed.publiccode is not None
    claimed.publiccode = claimed.publiccode.replace("{url}", "https://elsewhere.example.org/a/b")
    with _store(tmp_path) as store:
        _crawl(store, lab, hub, fake_time)
        federate_all(store)[0]
        assert store.get_record("elsewhere.example.org/a/b") is not None

        lab.touch([1])  # the file now names its own repository
        _crawl(store, lab, hub, fake_time)
        federate_all(store)[0]
        assert store.get_record("elsewhere.example.org/a/b") is None
        assert store.get_record("gitlab.example.org/org0/project-1") is not None
        assert 12 == store.count_records()


def test_a_run_left_running_by_a_killed_process_is_closed_as_interrupted(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """The next crawl of the forge closes the open run as interrupted and says so; `forges show` shows it."""
    import json

    from typer.testing import CliRunner

    from cli.app import app
    from crawler.base import summarise

    lab = FakeGitLab("gitlab.example.org", make_repos(20, owners=1, facts=False))
    hub = FakeGitHub("github.com", make_repos(5, owners=2, facts=False))
    with _store(tmp_path) as store:
        killed = store.start_crawl_run("lab", full=True)  # its process died here
        with respx.mock(assert_all_called=False) as router:
            router.route(host="gitlab.example.org").mock(side_effect=lab)
            router.route(host="api.github.com").mock(side_effect=hub)
            [report] = asyncio.run(
                crawl_forges(
                    [LAB],
                    store,
                    CrawlOptions(wait=wait_none(), sleep=fake_time.sleep, resolver=public_resolver),
                )
            )
        runs = {run.id: run.status for run in store.crawl_runs("lab")}
    assert "interrupted" == runs[killed]
    assert ["succeeded", "interrupted"] == list(runs.values())
    assert "closed as interrupted" in report.notices[0]
    assert summarise([report]).endswith("1 interrupted run closed")
    environment = {"CODEREUSE_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    shown = CliRunner().invoke(app, ["forges", "show", "lab", "--json"], env=environment)
    assert ["succeeded", "interrupted"] == [c["status"] for c in json.loads(shown.stdout)["crawls"]]
    text = CliRunner().invoke(app, ["forges", "show", "lab"], env=environment).stdout
    assert "interrupted (started" in text
