"""The crawl summary counts the records with errors and with warnings (issue 13): "0 findings"
while records are invalid misled registrants; the counts are also stored with the run."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import respx
from tenacity import wait_none

from crawler.base import summarise
from crawler.normalise import records_from_snapshots
from crawler.run import CrawlOptions, crawl_forges
from indexer.store import create_store
from tests.api.test_status_reasons import HOST, LAB, T0, _repo
from tests.crawler.conftest import FakeTime, locate, public_resolver
from tests.crawler.fakeforge import FakeGitLab, FakeRepo

VALID = """publiccodeYmlVersion: "0"
name: Gut
url: https://code.example.org/amt/gut
platforms: [web]
categories: [it-development]
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: A valid file
    longDescription: {long}
    features: [one]
legal:
  license: EUPL-1.2
maintenance:
  type: none
localisation:
  localisationReady: true
  availableLanguages: [en]
""".replace("{long}", "x" * 160)


def test_summary_and_run_stats_count_records_with_errors_and_warnings(tmp_path: Path) -> None:
    """Two invalid files (0.4: also a warning each), one valid file, one repository without a
    file: 2 with errors, 2 with warnings, in the summary line and the stored run stats."""
    store = create_store(f"sqlite:///{tmp_path / 'summary.db'}")
    store.add_forge(LAB)
    fake = FakeGitLab(
        HOST,
        [
            _repo(1, "portal"),
            _repo(2, "formular"),
            FakeRepo(id=3, owner="amt", name="gut", activity=T0, publiccode=VALID),
            FakeRepo(id=4, owner="amt", name="ohne", activity=T0),
        ],
    )
    time = FakeTime()
    with respx.mock(assert_all_called=False) as router:
        router.route(host=httpx.URL(locate(LAB).rest).host).mock(side_effect=fake)
        reports = asyncio.run(
            crawl_forges(
                [LAB],
                store,
                CrawlOptions(
                    full=True,
                    wait=wait_none(),
                    sleep=time.sleep,
                    clock=time.clock,
                    resolver=public_resolver,
                ),
                normalise=records_from_snapshots,
                locate=locate,
                environ={},
            )
        )
    (report,) = reports
    assert (4, 3, 2, 2) == (
        report.repositories,
        report.with_publiccode,
        report.with_errors,
        report.with_warnings,
    )
    assert "records: 2 with errors, 2 with warnings" in summarise(reports)
    assert "0 crawl problems" in summarise(reports)
    stats = store.crawl_runs(LAB.name, limit=1)[0].stats
    assert (2, 2) == (stats["with_errors"], stats["with_warnings"])
    store.close()
