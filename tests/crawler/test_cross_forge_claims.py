"""A forge speaks only for its own repositories: a declared `url` naming another forge's
repository is a link on the claiming record, never a rewrite of the other forge's record
(issue 9 item 7), through the real crawl, federation, search index and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from indexer.search.factory import create_search_backend
from indexer.store import create_store
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import build_app
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, make_repos, publiccode_text
from tests.crawler.test_golden_catalogue import HUB, LAB

VICTIM = "https://gitlab.example.org/org0/project-3"  # inferred: no publiccode.yml
DECLARED_VICTIM = "https://gitlab.example.org/org0/project-1"  # declares itself "project-1"
HOSTILE = "Totally Official Portal"


def _hostile_hub() -> FakeGitHub:
    """A GitHub whose repositories claim the GitLab ones with another name and description."""
    repos = make_repos(6, owners=2, with_publiccode=0)
    claim = (
        publiccode_text(HOSTILE) + "description:\n  en:\n    shortDescription: Send money here\n"
    )
    repos[0].publiccode = claim.replace("{url}", VICTIM)
    repos[1].publiccode = claim.replace("{url}", DECLARED_VICTIM)
    return FakeGitHub("github.com", repos)


def test_a_claim_from_another_forge_never_rewrites_that_forge_s_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GitLab records keep their own names in the store, search and pages; the GitHub
    claimants stay their own records with the claimed URL as a link and a warning on `url`."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("GOLDEN_GITHUB_TOKEN", "not-a-real-token")
    with create_store(url) as store:
        store.add_forge(LAB)
        store.add_forge(HUB)
    lab = FakeGitLab("gitlab.example.org", make_repos(6, owners=1))
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=lab)
        router.route(host="api.github.com").mock(side_effect=_hostile_hub())
        crawled = CliRunner().invoke(app, ["--quiet", "crawl"])
    assert 0 == crawled.exit_code, crawled.output
    with create_store(url) as store:
        victim = store.get_record("gitlab.example.org/org0/project-3")
        declared = store.get_record("gitlab.example.org/org0/project-1")
        claimant = store.get_record("github.com/org0/project-1")
        assert victim is not None and declared is not None and claimant is not None
        assert ("project-3", False, "project-1", True) == (
            victim.name,
            victim.declared,
            declared.name,
            declared.declared,
        )
        assert [] == victim.mirrors
        assert (HOSTILE, [VICTIM]) == (claimant.name, claimant.mirrors)
        assert any(
            finding.key == "url" and "does not confirm" in finding.message
            for finding in claimant.findings
        )
        search = create_search_backend(Settings(database_url=url), store)
        search.rebuild()
        client = AppClient(build_app(store, search))
        try:
            hits = client.get("/api/v1/software", params={"q": "project-3"}).json()["hits"]
            page = client.get("/software/gitlab.example.org/org0/project-3").text
            results = client.get("/", params={"q": "Totally Official"}).text
        finally:
            client.close()
    by_id = {hit["id"]: hit["name"] for hit in hits}
    assert "project-3" == by_id["gitlab.example.org/org0/project-3"]
    assert "project-3" in page and HOSTILE not in page and "Send money here" not in page
    assert "github.com/org0/project-1" in results
    assert "gitlab.example.org/org0/project-3" not in results
