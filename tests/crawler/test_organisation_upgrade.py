"""A catalogue stored before organisations existed (records without owner and organisation)
is resolved on upgrade: `serve` and the crawl re-federate it from the stored snapshots once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import respx
from sqlalchemy import text
from typer.testing import CliRunner

from cli.app import app
from cli.pipeline import ensure_organisations
from indexer.store import Store, create_store
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab
from tests.crawler.test_golden_catalogue import HUB, LAB, _hub_repos, _lab_repos


def _crawled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("GOLDEN_GITHUB_TOKEN", "not-a-real-token")
    monkeypatch.chdir(tmp_path)
    with create_store(url) as store:
        store.add_forge(LAB)
        store.add_forge(HUB)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", _lab_repos())
        )
        router.route(host="api.github.com").mock(side_effect=FakeGitHub("github.com", _hub_repos()))
        result = CliRunner().invoke(app, ["crawl", "--no-index"])
    assert 0 == result.exit_code, result.output
    return url


def _as_before_organisations(store: Store) -> None:
    """The state an older release left: no organisations, records without owner or id."""
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM organisations"))
        rows = connection.execute(text("SELECT id, document FROM records")).all()
        for record_id, document in rows:
            data = json.loads(document)
            organisation = data.get("organisation")
            if organisation and organisation.get("source") != "publiccode":
                data["organisation"] = None
            elif organisation:
                data["organisation"] = {
                    "name": organisation.get("name"),
                    "uri": organisation.get("uri"),
                }
            data["repository"]["owner"] = None
            connection.execute(
                text(
                    "UPDATE records SET document = :document, content_hash = 'older', owner = NULL, "
                    "organisation_id = NULL, organisation_kind = NULL WHERE id = :id"
                ),
                {"document": json.dumps(data), "id": record_id},
            )


def test_serve_resolves_a_catalogue_stored_before_organisations_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli.serve_command import check_serving

    url = _crawled(tmp_path, monkeypatch)
    with create_store(url) as store:
        resolved = {r.id: r.organisation for r in store.iter_records()}
        organisations = len(store.list_organisations())
        _as_before_organisations(store)
        assert 0 == len(store.list_organisations())
        assert store.count_records() == store.count_unresolved_organisations()
    assert organisations > 0

    check_serving()

    with create_store(url) as store:
        assert 0 == store.count_unresolved_organisations()
        assert organisations == len(store.list_organisations())
        assert resolved == {r.id: r.organisation for r in store.iter_records()}
        assert 0 == ensure_organisations(store)  # once: nothing left to do


def test_the_crawl_resolves_them_before_crawling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _crawled(tmp_path, monkeypatch)
    with create_store(url) as store:
        _as_before_organisations(store)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", _lab_repos())
        )
        router.route(host="api.github.com").mock(side_effect=FakeGitHub("github.com", _hub_repos()))
        result = CliRunner().invoke(app, ["crawl", "--no-index"])
    assert 0 == result.exit_code, result.output
    assert "records stored before organisations existed" in result.output
    with create_store(url) as store:
        assert 0 == store.count_unresolved_organisations()
        assert len(store.list_organisations()) > 0
