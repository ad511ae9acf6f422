"""A crawl of a GitLab and a GitHub forge gives the same catalogue as the golden export.

The golden export (`tests/data/golden/catalogue.ndjson`) was written by this test on main before
the forge kinds moved into one registry and the crawl into one pipeline; a refactoring that
changes a record, a relation or a federation decision shows up here. Regenerate it only for an
intended change of the catalogue: ``CODEREUSE_WRITE_GOLDEN=1 pytest tests/crawler/test_golden_catalogue.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, FakeRepo, make_repos, publiccode_text

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "catalogue.ndjson"
VOLATILE = frozenset({"fetched_at"})
"""Keys whose values depend on the clock of the crawl, not on what the forges answered."""

LAB = ForgeRegistration(
    name="lab", kind="gitlab", url="https://gitlab.example.org", allow_private=True
)
HUB = ForgeRegistration(
    name="hub",
    kind="github",
    url="https://github.com",
    orgs=["org0", "org1"],
    token_env="GOLDEN_GITHUB_TOKEN",
    allow_private=True,
)


def _lab_repos() -> list[FakeRepo]:
    return make_repos(40, owners=2)


def _hub_repos() -> list[FakeRepo]:
    """GitHub repositories: own software, mirrors of GitLab ones and a variant (isBasedOn)."""
    repos = make_repos(30, owners=2)
    mirror = publiccode_text("project-3").replace(
        "{url}", "https://gitlab.example.org/org0/project-3"
    )
    variant = publiccode_text("variant") + "isBasedOn: https://gitlab.example.org/org1/project-2\n"
    repos[4].publiccode = mirror
    repos[5].publiccode = variant
    repos[5].publiccode_name = "publiccode.yml"
    return repos


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
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
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=lab)
        router.route(host="api.github.com").mock(side_effect=hub)
        crawled = runner.invoke(app, ["--quiet", "crawl"])
    assert 0 == crawled.exit_code, crawled.output
    target = tmp_path / "catalogue.ndjson"
    exported = runner.invoke(app, ["--quiet", "export", "--format", "ndjson", "-o", str(target)])
    assert 0 == exported.exit_code, exported.output
    rows = [_scrub(json.loads(line)) for line in target.read_text().splitlines() if line]
    return sorted(rows, key=lambda row: str(row.get("id")))


def test_crawl_of_gitlab_and_github_matches_the_golden_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records, relations and federation of a two-forge crawl equal the golden export."""
    rows = _export(tmp_path, monkeypatch)
    if os.environ.get("CODEREUSE_WRITE_GOLDEN") == "1":
        GOLDEN.write_text("".join(json.dumps(row, sort_keys=True) + "\n" for row in rows))
    golden = [json.loads(line) for line in GOLDEN.read_text().splitlines() if line]
    assert [row["id"] for row in golden] == [row["id"] for row in rows]
    assert golden == rows
