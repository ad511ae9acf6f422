"""A recrawl that finds nothing new still re-assesses maturity: a dormant repository ages.

The assessment measures commit and release dates against the crawl's time; a repository whose
data did not change is not fetched again by an incremental crawl, so the pipeline re-assesses
the records whose time-dependent criteria changed (`Store.reassess_maturity`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import respx
from tenacity import wait_none

from cli.pipeline import run_pipeline
from crawler.run import CrawlOptions
from indexer.search.factory import create_search_backend
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from schemas.maturity import assess
from schemas.settings import Settings
from tests.crawler.conftest import public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos


def test_an_unchanged_recrawl_re_assesses_dormant_repositories(tmp_path: Path) -> None:
    """100 days after the last commit, an unchanged recrawl makes ``active`` partly everywhere."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    registration = ForgeRegistration(name="lab", kind="gitlab", url="https://lab.example.org")
    start = datetime.now(UTC)
    repos = make_repos(6, owners=2)
    for repo in repos:
        repo.activity = start - timedelta(days=30)
        repo.releases = []
    clock = {"now": start}
    options = CrawlOptions(wait=wait_none(), resolver=public_resolver)
    with create_store(url, clock=lambda: clock["now"]) as store:
        store.add_forge(registration)
        search = create_search_backend(Settings(database_url=url), store)

        def crawl() -> None:
            with respx.mock(assert_all_called=False) as router:
                router.route(host="lab.example.org").mock(
                    side_effect=FakeGitLab("lab.example.org", repos)
                )
                run_pipeline(store, [registration], options, search=search, pictures=False)

        def active() -> list[str]:
            return sorted(
                {assess(record).criterion("active").level for record in store.iter_records()}
            )

        crawl()
        assert ["met"] == active()
        assert 6 == search.search(filters={"active_within": ("90d",)}).total
        clock["now"] = start + timedelta(days=100)
        crawl()
        assert ["partly"] == active()
        assert 0 == search.search(filters={"active_within": ("90d",)}).total
        assert 6 == search.search(filters={"active_within": ("1y",)}).total
        for record in store.iter_records():
            history = store.maturity_history(record.id)
            assert ["met", "partly"] == [change.criteria["active"] for change in history]
