"""`codereuse crawl`: forges from the store, summary on stdout, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.fakeforge import FakeGitLab, make_repos

# allow_private skips the crawl-time DNS check, so nothing leaves the test process.
LAB = ForgeRegistration(
    name="lab", kind="gitlab", url="https://gitlab.example.org", allow_private=True
)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    with create_store(url) as store:
        store.add_forge(LAB)
    return url


def test_crawl_fills_the_store_and_prints_a_summary(database: str) -> None:
    """A crawl of a registered forge stores its records and says what it did."""
    fake = FakeGitLab("gitlab.example.org", make_repos(120, owners=2, facts=False))
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=fake)
        result = CliRunner().invoke(app, ["--quiet", "crawl", "lab"])
    assert 0 == result.exit_code, result.output
    assert (
        "lab: full crawl succeeded: 120 repositories (36 with publiccode.yml) in 2 requests"
        in result.stdout
    )
    with create_store(database) as store:
        assert (120, 36) == (store.count_records(), store.count_records(declared=True))


def test_unknown_forge_name_exits_2_naming_the_known_ones(database: str) -> None:
    """Asking for a forge that is not registered is a usage error that lists the registered ones."""
    result = CliRunner().invoke(app, ["crawl", "nope"])
    assert 2 == result.exit_code
    assert "no forge named 'nope' (registered: lab)" in result.output


def test_a_crawl_with_findings_exits_1(database: str) -> None:
    """A crawl that ends partial (a group that does not exist) exits 1 and shows the finding."""
    with create_store(database) as store:
        store.update_forge(LAB.model_copy(update={"groups": ["missing"]}))
    fake = FakeGitLab("gitlab.example.org", make_repos(10, owners=1, facts=False))
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=fake)
        result = CliRunner().invoke(app, ["crawl", "lab"])
    assert 1 == result.exit_code
    assert "group 'missing' not found" in result.output
