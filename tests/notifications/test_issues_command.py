"""`codereuse notify-issues` (dry run by default) and the run after crawls for opted-in forges."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses
from typer.testing import CliRunner

from cli.app import app
from cli.issues_step import issues_after_crawl
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.notifications.issue_fakes import FakeGitLabIssues
from tests.notifications.test_forge_issues import LICENCE, _records, _repositories

LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org")


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("CODEREUSE_FORGE_TOKEN_LAB_WRITE", raising=False)
    with create_store(url) as store:
        store.add_forge(LAB)
        store.upsert_records(_records("gitlab.example.org", "lab", LICENCE))
    return url


def test_dry_run_is_the_default(store_url: str) -> None:
    """Without --apply: what would be done, no forge contacted, nothing remembered."""
    runner = CliRunner()
    result = runner.invoke(app, ["notify-issues", "--forge", "lab"])
    assert 0 == result.exit_code, result.output
    assert "would-open   https://gitlab.example.org/city/app" in result.output
    assert "would be done (dry run: add --apply)" in result.output
    with create_store(store_url) as store:
        assert [] == store.list_forge_issues()
    nobody = runner.invoke(app, ["notify-issues"])
    assert 2 == nobody.exit_code and "no forge opted in" in nobody.output


def test_apply_needs_the_write_token(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """--apply names the variable to set; with it, the issue is opened through python-gitlab."""
    runner = CliRunner()
    missing = runner.invoke(app, ["notify-issues", "--forge", "lab", "--apply"])
    assert 2 == missing.exit_code
    assert "CODEREUSE_FORGE_TOKEN_LAB_WRITE" in missing.output
    monkeypatch.setenv("CODEREUSE_FORGE_TOKEN_LAB_WRITE", "write-token")
    fake = FakeGitLabIssues("gitlab.example.org", _repositories())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        result = runner.invoke(app, ["notify-issues", "--forge", "lab", "--apply"])
    assert 0 == result.exit_code, result.output
    assert "opened       https://gitlab.example.org/city/app: #1: 1 error" in result.output
    assert 1 == len(fake.open_issues("city/app"))


def test_after_a_crawl_only_opted_in_forges_get_issues(store_url: str) -> None:
    """issues_after_crawl: nothing for a forge that did not opt in; opted in without token: said."""
    with create_store(store_url) as store:
        assert [] == issues_after_crawl(store, [LAB], environ={})
        opted = LAB.model_copy(update={"notify_issues": True})
        [run] = issues_after_crawl(store, [opted], environ={})
        assert run.problem and "CODEREUSE_FORGE_TOKEN_LAB_WRITE" in run.problem
        fake = FakeGitLabIssues("gitlab.example.org", _repositories())
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            fake.install(mock)
            environ = {"CODEREUSE_FORGE_TOKEN_LAB_WRITE": "write-token"}
            [run] = issues_after_crawl(store, [opted], environ=environ)
        assert [("opened", "https://gitlab.example.org/city/app")] == [
            (result.action, result.repository_url) for result in run.results
        ]
        _check_remembered(store)


def _check_remembered(store: Store) -> None:
    [issue] = store.list_forge_issues("lab")
    assert ("open", 1, "gitlab.example.org/city/app") == (
        issue.state,
        issue.number,
        issue.record_id,
    )


def test_forges_add_and_edit_opt_in(store_url: str) -> None:
    """`forges edit --notify-issues` turns it on and `show` says so."""
    runner = CliRunner()
    result = runner.invoke(app, ["forges", "edit", "lab", "--notify-issues"])
    assert 0 == result.exit_code, result.output
    with create_store(store_url) as store:
        registration = store.get_forge("lab")
        assert registration is not None and registration.notify_issues
    shown = runner.invoke(app, ["forges", "show", "lab", "--json"])
    assert '"notify_issues": true' in shown.output


def test_the_opt_in_survives_forges_export_and_import() -> None:
    """forges.yml carries notify_issues: true and reads it back."""
    from crawler.registries import dump_forges_yaml, parse_registry

    opted = ForgeRegistration(
        name="lab",
        kind="gitlab",
        url="https://gitlab.example.org",
        allow_private=True,
        notify_issues=True,
    )
    text = dump_forges_yaml([opted])
    assert "notify_issues: true" in text
    assert [opted] == parse_registry(text, source="forges.yml").registrations
