"""`codereuse propose` end to end against GitLab and GitHub fakes at the HTTP transport."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from typer.testing import CliRunner

from cli.app import app
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from schemas.publiccode import parse
from schemas.record import Record
from tests.api.records import make_record
from tests.proposals.fakes import FakeGitHubWrites, FakeGitLabWrites, FakeRepository

LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org")
HUB = ForgeRegistration(name="hub", kind="github", url="https://github.com", orgs=["city"])
LAB_TOKEN = "CODEREUSE_FORGE_TOKEN_LAB_WRITE"
HUB_TOKEN = "CODEREUSE_FORGE_TOKEN_HUB_WRITE"
BRANCH = "codereuse/publiccode"


def _inferred(url: str, name: str, forge: str, **repository: object) -> Record:
    record = make_record(url, name, declared=False, forge=forge, short_en=f"{name} for towns")
    return record.model_copy(update={"repository": record.repository.model_copy(update=repository)})


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    store: Store = create_store(url)
    with store:
        store.add_forge(LAB)
        store.add_forge(HUB)
        store.upsert_records(
            [
                _inferred("https://gitlab.example.org/g/tool", "Tool", "lab"),
                _inferred("https://gitlab.example.org/g/old", "Old", "lab", archived=True),
                _inferred("https://gitlab.example.org/g/copy", "Copy", "lab", is_fork=True),
                _inferred("https://gitlab.example.org/g/shelved", "Shelved", "lab"),
                _inferred("https://gitlab.example.org/g/blank", "Blank", "lab"),
                make_record("https://gitlab.example.org/g/has", "Has", forge="lab"),
                _inferred("https://github.com/city/app", "App", "hub"),
            ]
        )
    yield url


@pytest.fixture
def lab() -> FakeGitLabWrites:
    return FakeGitLabWrites(
        "gitlab.example.org",
        [
            FakeRepository("g/tool", 1),
            FakeRepository("g/shelved", 2, archived=True),
            FakeRepository("g/blank", 3, default_branch=None),
        ],
    )


@pytest.fixture
def hub() -> FakeGitHubWrites:
    return FakeGitHubWrites("api.github.com", [FakeRepository("city/app", 7)])


def _run(database: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app,
        ["propose", *args, "--interval", "0"],
        env={"CODEREUSE_DATABASE_URL": database, "COLUMNS": "200", **(env or {})},
    )
    return result.exit_code, result.stdout, result.stderr


def _proposals(database: str) -> dict[str, str]:
    with create_store(database) as store:
        return {p.record_id: p.status for p in store.list_proposals()}


def test_dry_run_is_the_default_and_contacts_no_forge(database: str, lab: FakeGitLabWrites) -> None:
    """Without --open nothing is sent; forks and archived repositories are skipped."""
    with responses.RequestsMock() as mock:
        lab.install(mock)
        code, out, err = _run(database, "--forge", "lab")
        mock.assert_all_requests_are_fired = False
    assert 0 == code, err
    assert [] == lab.seen
    assert (
        "would open  gitlab.example.org/g/tool: merge request on branch codereuse/publiccode" in out
    )
    assert "skipped     gitlab.example.org/g/old: it is archived" in out
    assert "skipped     gitlab.example.org/g/copy: it is a fork" in out
    assert "g/has" not in out
    assert {} == _proposals(database)


def test_gitlab_merge_request_branch_file_and_memory(database: str, lab: FakeGitLabWrites) -> None:
    """--open: branch from main, the draft committed on it, a merge request; remembered open."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        lab.install(mock)
        code, out, err = _run(database, "--forge", "lab", "--open", env={LAB_TOKEN: lab.token})
    assert 0 == code, out + err
    tool = lab.repositories[0]
    content = tool.files[BRANCH]["publiccode.yml"]
    assert [] == parse(content.encode()).errors
    assert "publiccode.yml" not in tool.files["main"]
    [request] = tool.requests
    assert (BRANCH, "main") == (request["source_branch"], request["target_branch"])
    assert "publiccode.yml" in request["title"]
    assert "| `legal.license` |" in request["description"]
    assert "never proposes it again" in request["description"]
    assert (
        "opened      gitlab.example.org/g/tool: merge request opened https://gitlab.example.org/g/tool/-/merge_requests/1"
        in out
    )
    assert "skipped     gitlab.example.org/g/shelved: the forge says it is archived" in out
    assert "skipped     gitlab.example.org/g/blank: the repository is empty" in out
    assert {"gitlab.example.org/g/tool": "open"} == _proposals(database)
    assert {f"Bearer {lab.token}"} == set(lab.authorisations)


def test_never_twice_and_the_state_followed(database: str, lab: FakeGitLabWrites) -> None:
    """A second run writes nothing and reads the request's state: merged is remembered."""
    env = {LAB_TOKEN: lab.token}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        lab.install(mock)
        assert 0 == _run(database, "--forge", "lab", "--open", env=env)[0]
        writes = len(lab.writes())
        lab.repositories[0].requests[0]["state"] = "merged"
        code, out, _ = _run(database, "--forge", "lab", "--open", env=env)
    assert 0 == code
    assert writes == len(lab.writes())
    assert "known       gitlab.example.org/g/tool: proposed before, merged" in out
    assert {"gitlab.example.org/g/tool": "merged"} == _proposals(database)


def test_a_request_already_on_the_forge_is_found_not_repeated(
    database: str, lab: FakeGitLabWrites, tmp_path: Path
) -> None:
    """A store that lost its memory still finds our branch's request and opens no second one."""
    lab.repositories[0].requests.append(
        {"iid": 1, "state": "closed", "source_branch": BRANCH, "target_branch": "main",
         "title": "t", "description": "d"}
    )  # fmt: skip
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        lab.install(mock)
        code, out, _ = _run(
            database, "gitlab.example.org/g/tool", "--open", env={LAB_TOKEN: lab.token}
        )
    assert 0 == code
    assert [] == lab.writes()
    assert (
        "found       gitlab.example.org/g/tool: a merge request from our branch exists (closed)"
        in out
    )
    assert {"gitlab.example.org/g/tool": "closed"} == _proposals(database)


def test_a_refused_token_stops_without_writing_or_showing_it(
    database: str, lab: FakeGitLabWrites
) -> None:
    """401: exit 1 with what the token needs; nothing written, the token never printed."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        lab.install(mock)
        code, out, err = _run(database, "--forge", "lab", "--open", env={LAB_TOKEN: "wrong-secret"})
    assert 1 == code
    assert "refused the token (401)" in err
    assert "wrong-secret" not in out + err
    assert [] == lab.writes()
    assert {} == _proposals(database)


def test_missing_or_forbidden_token_variable(database: str) -> None:
    """No token: exit 2 naming the variable; codereuse's own settings are never a token."""
    code, _, err = _run(database, "--forge", "lab", "--open")
    assert 2 == code
    assert LAB_TOKEN in err
    code, _, err = _run(
        database, "--forge", "lab", "--open", "--token-env", "CODEREUSE_DATABASE_URL"
    )
    assert 2 == code
    assert "own settings" in err


def test_github_pull_request_then_never_twice(database: str, hub: FakeGitHubWrites) -> None:
    """PyGithub: branch ref, file commit and pull request; a second run only reads."""
    env = {HUB_TOKEN: hub.token}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        hub.install(mock)
        code, out, err = _run(database, "https://github.com/city/app", "--open", env=env)
        assert 0 == code, out + err
        writes = len(hub.writes())
        again = _run(database, "--forge", "hub", "--open", env=env)
    app_repo = hub.repositories[0]
    assert [] == parse(app_repo.files[BRANCH]["publiccode.yml"].encode()).errors
    [pull] = app_repo.requests
    assert (BRANCH, "main") == (pull["head"], pull["base"])
    assert (
        "opened      github.com/city/app: pull request opened https://github.com/city/app/pull/1"
        in out
    )
    assert 3 == writes  # ref, file, pull
    assert writes == len(hub.writes())
    assert "known       github.com/city/app: proposed before, open" in again[1]
    assert {"github.com/city/app": "open"} == _proposals(database)


def test_limit_caps_the_requests_opened(database: str, lab: FakeGitLabWrites) -> None:
    """--limit 1 opens one request and stops."""
    lab.repositories.append(FakeRepository("g/other", 9))
    with create_store(database) as store:
        store.upsert_records([_inferred("https://gitlab.example.org/g/other", "Other", "lab")])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        lab.install(mock)
        code, out, _ = _run(
            database, "--forge", "lab", "--open", "--limit", "1", env={LAB_TOKEN: lab.token}
        )
    assert 0 == code
    assert 1 == sum(len(repo.requests) for repo in lab.repositories)
    assert 1 == out.count("merge request opened")
