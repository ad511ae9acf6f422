"""The one crawl pipeline: federation after an incremental crawl looks only at what changed and
gives the same catalogue as federating every stored snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from cli.pipeline import federate_all
from indexer.store import Store, create_store
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, publiccode_text
from tests.crawler.test_golden_catalogue import HUB, LAB, _hub_repos, _lab_repos


def _catalogue(store: Store) -> dict[str, Any]:
    return {
        record.id: record.model_dump(mode="json", exclude={"provenance": {"fetched_at"}})
        for record in store.iter_records()
    }


def test_incremental_federation_equals_a_full_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims that start, stop and move, and a new variant: the closure matches a full pass."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("GOLDEN_GITHUB_TOKEN", "not-a-real-token")
    with create_store(url) as store:
        store.add_forge(LAB)
        store.add_forge(HUB)
    lab = FakeGitLab("gitlab.example.org", _lab_repos())
    hub = FakeGitHub("github.com", _hub_repos())
    runner = CliRunner()

    def crawl() -> str:
        with respx.mock(assert_all_called=False) as router:
            router.route(host="gitlab.example.org").mock(side_effect=lab)
            router.route(host="api.github.com").mock(side_effect=hub)
            result = runner.invoke(app, ["crawl", "--no-index"])
        assert 0 == result.exit_code, result.output
        return result.output

    assert "(all forges)" in crawl()  # the first crawl federates everything
    repos = hub.by_id()
    own = publiccode_text("project-5").replace("{url}", "https://github.com/org0/project-5")
    repos[5].publiccode = own  # stops claiming gitlab org0/project-3
    repos[7].publiccode = publiccode_text("x").replace(
        "{url}", "https://gitlab.example.org/org1/project-8"
    )  # starts claiming a GitLab repository
    repos[6].publiccode = repos[6].publiccode.replace("org1/project-2", "org0/project-9")  # type: ignore[union-attr]
    hub.touch([5, 6, 7], change_file=False)
    output = crawl()
    assert "(what changed)" in output, output
    with create_store(url) as store:
        incremental = _catalogue(store)
        assert "github.com/org0/project-5" in incremental
        # GitLab's own record is not rewritten by the GitHub claim: the claim is a link on
        # the claimant's own record (docs/federation.md, rule 4).
        assert [] == incremental["gitlab.example.org/org1/project-8"]["mirrors"]
        assert ["https://gitlab.example.org/org1/project-8"] == incremental[
            "github.com/org0/project-7"
        ]["mirrors"]
        federate_all(store)
        assert _catalogue(store) == incremental
