"""Issues on the forge for broken publiccode.yml files: open, update, close, dry run; never for
forks or archived repositories, never two at once. GitLab (python-gitlab), GitHub (PyGithub) and
Gitea (REST), each faked at its HTTP transport."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import responses

from crawler.gitea.issues import GiteaIssues
from crawler.issues import IssueResult, IssueTracker, notify_issues
from crawler.kinds import kind_spec
from indexer.store import Store, create_store
from schemas.errors import IssueError
from schemas.findings import Finding
from schemas.record import Record
from tests.api.records import make_record
from tests.notifications.issue_fakes import (
    FakeGiteaIssues,
    FakeGitHubIssues,
    FakeGitLabIssues,
)
from tests.proposals.fakes import FakeRepository

LICENCE = Finding(
    type="error",
    key="legal.license",
    line=7,
    column=12,
    message="'EUPL' is not an SPDX expression; write e.g. EUPL-1.2",
)
NAME = Finding(type="error", key="name", message="name is required; add name: to the file")
AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = create_store(f"sqlite:///{tmp_path / 'issues.db'}")
    yield opened
    opened.close()


def _records(host: str, forge: str, *findings: Finding, **broken: Any) -> list[Record]:
    """city/app (broken unless no findings), city/ok (valid), a broken fork and a broken archive."""
    base = f"https://{host}"
    return [
        make_record(f"{base}/city/app", "Bürger-App", forge=forge, findings=findings, **broken),
        make_record(f"{base}/city/ok", "Fine", forge=forge),
        make_record(f"{base}/city/fork", "Fork", forge=forge, findings=(LICENCE,)).model_copy(
            update={
                "repository": make_record(f"{base}/city/fork", "Fork").repository.model_copy(
                    update={"is_fork": True, "forge": forge}
                )
            }
        ),
        make_record(f"{base}/city/old", "Old", forge=forge, findings=(LICENCE,), archived=True),
        make_record(f"{base}/city/none", "Inferred", forge=forge, declared=False),
    ]


def _repositories() -> list[FakeRepository]:
    return [
        FakeRepository("city/app", 1),
        FakeRepository("city/ok", 2),
        FakeRepository("city/fork", 3, fork=True),
        FakeRepository("city/old", 4, archived=True),
        FakeRepository("city/none", 5),
    ]


def _round(
    store: Store, forge: str, records: list[Record], tracker: IssueTracker | None
) -> list[tuple[str, str]]:
    results: list[IssueResult] = notify_issues(
        records, forge=forge, log=store, tracker=tracker, clock=lambda: AT
    )
    return [(result.action, result.repository_url.rsplit("/", 1)[-1]) for result in results]


def _lifecycle(
    store: Store,
    forge: str,
    host: str,
    tracker: IssueTracker,
    open_issues: Callable[[], list[Any]],
    all_issues: Callable[[], list[Any]],
) -> None:
    """Dry run, open, nothing twice, update, close, and a new one after a new breakage."""
    broken = _records(host, forge, LICENCE)
    assert [("would-open", "app")] == _round(store, forge, broken, None)
    assert [] == all_issues() and [] == store.list_forge_issues()
    assert [("opened", "app")] == _round(store, forge, broken, tracker)
    [issue] = open_issues()
    assert "publiccode.yml: 1 error" in issue.title and "Bürger-App" in issue.title
    assert (
        "`publiccode.yml:7:12` | `legal.license` | 'EUPL' is not an SPDX expression" in issue.body
    )
    assert [] == _round(store, forge, broken, tracker)  # the same findings: nothing, not twice
    assert 1 == len(all_issues())
    worse = _records(host, forge, LICENCE, NAME)
    assert [("would-update", "app")] == _round(store, forge, worse, None)
    assert [("updated", "app")] == _round(store, forge, worse, tracker)
    [issue] = open_issues()
    assert "2 errors" in issue.title and "name is required" in issue.body
    fixed = _records(host, forge)
    assert [("would-close", "app")] == _round(store, forge, fixed, None)
    assert [("closed", "app")] == _round(store, forge, fixed, tracker)
    assert [] == open_issues()
    assert "valid again" in all_issues()[0].comments[0]
    assert "closed" == store.list_forge_issues(forge)[0].state
    assert [] == _round(store, forge, fixed, tracker)
    assert [("opened", "app")] == _round(store, forge, broken, tracker)  # broken again: a new one
    assert [2] == [issue.number for issue in open_issues()]


def test_gitlab_issues_through_python_gitlab(store: Store) -> None:
    """GitLab: the whole life of one issue, forks and archived repositories never touched."""
    fake = FakeGitLabIssues("gitlab.example.org", _repositories())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        spec = kind_spec("gitlab")
        assert spec.issue_tracker is not None
        tracker = spec.issue_tracker(
            "https://gitlab.example.org", "https://gitlab.example.org/api/v4", "write-token"
        )
        _lifecycle(
            store,
            "lab",
            "gitlab.example.org",
            tracker,
            lambda: fake.open_issues("city/app"),
            lambda: fake.issues["city/app"],
        )
    assert {"city/fork": [], "city/old": [], "city/ok": [], "city/none": []} == {
        path: issues for path, issues in fake.issues.items() if path != "city/app"
    }
    assert all(auth == "Bearer write-token" for auth in fake.authorisations)


def test_github_issues_through_pygithub(store: Store) -> None:
    """GitHub: the same life; an issue the owner closed is left alone (dismissed)."""
    fake = FakeGitHubIssues("api.github.com", _repositories())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        spec = kind_spec("github")
        assert spec.issue_tracker is not None
        tracker = spec.issue_tracker("https://github.com", "https://api.github.com", "write-token")
        _lifecycle(
            store,
            "hub",
            "github.com",
            tracker,
            lambda: fake.open_issues("city/app"),
            lambda: fake.issues["city/app"],
        )
        fake.open_issues("city/app")[0].open = False  # the owner closes ours
        worse = _records("github.com", "hub", LICENCE, NAME)
        assert [("dismissed", "app")] == _round(store, "hub", worse, tracker)
        assert [] == _round(store, "hub", worse, tracker)  # left alone while broken
        assert 2 == len(fake.issues["city/app"])
        fixed = _records("github.com", "hub")
        assert [] == _round(store, "hub", fixed, tracker)
        assert "closed" == store.list_forge_issues("hub")[0].state
    assert all(path == "city/app" or not issues for path, issues in fake.issues.items())


def test_gitea_issues_over_rest(store: Store) -> None:
    """Gitea/Forgejo: the same life over /api/v1."""
    fake = FakeGiteaIssues("codeberg.example.org", _repositories())
    tracker = GiteaIssues(
        "https://codeberg.example.org/api/v1", "write-token", transport=httpx.MockTransport(fake)
    )
    _lifecycle(
        store,
        "berg",
        "codeberg.example.org",
        tracker,
        lambda: fake.open_issues("city/app"),
        lambda: fake.issues["city/app"],
    )
    assert all(path == "city/app" or not issues for path, issues in fake.issues.items())


def test_forge_saying_archived_stops_the_issue(store: Store) -> None:
    """A repository the forge says is archived now (the record is older) gets no issue."""
    repositories = _repositories()
    repositories[0].archived = True
    fake = FakeGiteaIssues("codeberg.example.org", repositories)
    tracker = GiteaIssues(
        "https://codeberg.example.org/api/v1", "write-token", transport=httpx.MockTransport(fake)
    )
    assert [] == _round(store, "berg", _records("codeberg.example.org", "berg", LICENCE), tracker)
    assert [] == fake.issues["city/app"]


def test_a_refused_token_stops_the_run(store: Store) -> None:
    """401 from the forge: IssueError naming the forge and what the token needs."""
    fake = FakeGiteaIssues("codeberg.example.org", _repositories(), token="other")
    tracker = GiteaIssues(
        "https://codeberg.example.org/api/v1", "write-token", transport=httpx.MockTransport(fake)
    )
    with pytest.raises(IssueError, match="write:issue"):
        _round(store, "berg", _records("codeberg.example.org", "berg", LICENCE), tracker)


def test_issue_text_is_german_for_german_software(store: Store) -> None:
    """A record described in German gets a German issue."""
    fake = FakeGiteaIssues("codeberg.example.org", _repositories())
    tracker = GiteaIssues(
        "https://codeberg.example.org/api/v1", "write-token", transport=httpx.MockTransport(fake)
    )
    records = _records("codeberg.example.org", "berg", LICENCE, short_de="Eine App für Bürger")
    _round(store, "berg", records, tracker)
    [issue] = fake.open_issues("city/app")
    assert issue.title.startswith("publiccode.yml: 1 Fehler beheben")
    assert "Stelle" in issue.body


def test_findings_in_a_german_issue_read_in_german() -> None:
    """Each finding of a German issue is worded from the finding catalogue, as on the pages;
    a finding without a catalogue entry keeps its English text."""
    from crawler.issue_text import issue_text

    required = Finding(
        type="error",
        key="name",
        message="name is required; add name: to the file",
        code="publiccode.required",
        params={"field": "name"},
    )
    german = _records("github.com", "hub", required, LICENCE, short_de="Eine App für Bürger")[0]
    _title, body = issue_text(german)
    assert "| `name` | name ist ein Pflichtfeld: ergänzen Sie es |" in body
    assert "'EUPL' is not an SPDX expression" in body  # no code: English
    english = _records("github.com", "hub", required)[0]
    assert "name is required; add name: to the file" in issue_text(english)[1]


def test_quoted_values_mention_nobody() -> None:
    """A finding quoting ``@everyone`` from the file cannot ping anyone from the issue."""
    from crawler.issue_text import issue_text

    shouting = Finding(type="error", key="name", line=2, column=7, message="'@everyone' is bad")
    record = _records("github.com", "hub", shouting)[0]
    _title, body = issue_text(record)
    assert "@everyone" not in body and "@\u200beveryone" in body


def test_a_renamed_repository_keeps_its_issue(store: Store) -> None:
    """The issue opened under the old URL is the one closed under the new: never a second one."""
    from schemas.record import Relations

    fake = FakeGiteaIssues("codeberg.example.org", _repositories())
    tracker = GiteaIssues(
        "https://codeberg.example.org/api/v1", "write-token", transport=httpx.MockTransport(fake)
    )
    base = "https://codeberg.example.org"
    old = make_record(f"{base}/city/app", "App", forge="berg", findings=(LICENCE,))
    assert [("opened", "app")] == _round(store, "berg", [old], tracker)
    renamed = make_record(
        f"{base}/city/app2",
        "App",
        forge="berg",
        findings=(LICENCE, NAME),
        relations=Relations(aliases=[f"{base}/city/app"]),
    )
    fake.repositories["city/app2"] = fake.repositories["city/app"]
    fake.issues["city/app2"] = fake.issues["city/app"]
    assert [("updated", "app2")] == _round(store, "berg", [renamed], tracker)
    assert 1 == len(fake.issues["city/app"])
    assert "open" == store.get_forge_issue("berg", f"{base}/city/app2").state  # type: ignore[union-attr]
    assert [f"{base}/city/app2"] == [issue.repository_url for issue in store.list_forge_issues()]
