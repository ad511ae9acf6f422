"""Crawls through the one pipeline leave change events: new, invalid, fixed, changed, removed."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.fakeforge import FakeGitLab, make_repos
from tests.normalise.helpers import publiccode

LAB = ForgeRegistration(
    name="lab", kind="gitlab", url="https://gitlab.example.org", allow_private=True
)


def test_crawls_record_change_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """First crawl: every record new; then a broken file, a fix, a new version and a deletion."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    with create_store(url) as store:
        store.add_forge(LAB)
    repos = make_repos(6, owners=1)
    repos[0].publiccode = publiccode("project-1", "{url}")  # valid: the fake's own is minimal
    lab = FakeGitLab("gitlab.example.org", repos)
    runner = CliRunner()

    def crawl(*extra: str) -> list[tuple[str, str]]:
        with create_store(url) as store:
            seen = store.latest_event_seq()
        with respx.mock(assert_all_called=False) as router:
            router.route(host="gitlab.example.org").mock(side_effect=lab)
            result = runner.invoke(app, ["crawl", "--no-index", *extra])
        assert 0 == result.exit_code, result.output
        with create_store(url) as store:
            events = store.events(after_seq=seen, newest_first=False, limit=100)
        return [(event.kind, event.record_id.rsplit("/", 1)[-1]) for event in events]

    assert 6 == len([kind for kind, _ in crawl() if kind == "new"])
    repos[0].publiccode = "publiccodeYmlVersion: [broken\n"
    lab.touch([1], change_file=False)
    assert [("invalid", "project-1")] == crawl()
    repos[0].publiccode = publiccode("project-1", "{url}")
    lab.touch([1], change_file=False)
    lab.touch([2])  # a new softwareVersion
    assert [("fixed", "project-1"), ("changed", "project-2")] == crawl()
    lab.delete(3)
    for _ in range(3):  # a repository goes after three complete listings without it
        kinds = crawl("--full")
    assert [("removed", "project-3")] == kinds
