"""Hostile repository facts: any field of any kind's answer missing, huge or of the wrong type
gives a snapshot and a record (facts unknown where unreadable), never an exception."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.gitea.snapshots import snapshot_from_rest as gitea_snapshot
from crawler.github.snapshots import snapshot_from_graphql as github_snapshot
from crawler.gitlab.snapshots import snapshot_from_graphql as gitlab_snapshot
from crawler.normalise import records_from_snapshots
from crawler.normalise.facts import crawled
from schemas.facts import MAX_ROOT_ENTRIES, README_LIMIT, CrawledFacts
from schemas.forge import ForgeRegistration
from tests.crawler.fakefacts import give_facts
from tests.crawler.fakeforge import BASE_TIME, FakeGitea, FakeGitHub, FakeGitLab, FakeRepo

NOW = datetime(2026, 6, 1, tzinfo=UTC)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _repo() -> FakeRepo:
    repo = FakeRepo(id=12, owner="org0", name="project-12", activity=BASE_TIME)
    give_facts(repo)
    return repo


def _records(snapshot: Any, kind: str) -> None:
    registration = ForgeRegistration(name=kind, kind=kind, url="https://forge.example.org")
    records_from_snapshots([snapshot], registration=registration)


FIELDS = st.dictionaries(
    st.sampled_from(["tree", "releases", "openIssuesCount", "empty", "_facts_files"]),
    JSON,
    max_size=4,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=FIELDS)
def test_gitlab_project_facts(fields: dict[str, Any]) -> None:
    node = FakeGitLab("forge.example.org", [_repo()]).node(_repo(), True)
    for key, value in fields.items():
        if key in ("tree", "empty"):
            node["repository"][key] = value
        else:
            node[key] = value
    snapshot = gitlab_snapshot(node, "gitlab", NOW)
    _records(snapshot, "gitlab")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "root",
                "workflows",
                "latestRelease",
                "releases",
                "openIssues",
                "defaultBranchRef",
                "isEmpty",
                "_facts_files",
            ]
        ),
        JSON,
        max_size=4,
    )
)
def test_github_repository_facts(fields: dict[str, Any]) -> None:
    node = FakeGitHub("forge.example.org", [_repo()]).node(_repo(), True)
    node.update(fields)
    snapshot = github_snapshot(node, "github", NOW)
    _records(snapshot, "github")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=JSON, counter=JSON, empty=JSON)
def test_gitea_repository_facts(facts: Any, counter: Any, empty: Any) -> None:
    item = FakeGitea("forge.example.org", [_repo()]).repo_item(_repo())
    item.update({"_facts": facts, "release_counter": counter, "empty": empty, "_files": {}})
    snapshot = gitea_snapshot(item, "gitea", "gitea", NOW)
    _records(snapshot, "gitea")


@settings(max_examples=100, deadline=None)
@given(stored=JSON)
def test_a_stored_payload_of_another_shape_reads_as_not_read(stored: Any) -> None:
    result = crawled(stored)
    assert result is None or isinstance(result, CrawledFacts)


def test_huge_answers_are_bounded() -> None:
    """A root of 5,000 entries keeps `MAX_ROOT_ENTRIES` and says it was cut; a 1 MB README
    keeps `README_LIMIT` bytes and says it was cut."""
    node = FakeGitHub("forge.example.org", [_repo()]).node(_repo(), True)
    node["root"] = {
        "entries": [{"name": f"f{i}", "type": "blob", "size": 1} for i in range(5000)]
        + [{"name": "README.md", "type": "blob", "size": 2**20}]
    }
    node["root"]["entries"].insert(0, {"name": "README.md", "type": "blob", "size": 2**20})
    node["_facts_files"] = {"README.md": ["é" * 2**19, 2**20]}
    facts = crawled(github_snapshot(node, "github", NOW).payload["repository"])
    assert facts is not None and facts.root is not None
    assert (MAX_ROOT_ENTRIES, True) == (len(facts.root), facts.root_truncated)
    assert facts.readme is not None and facts.readme.truncated
    assert len((facts.readme.text or "").encode()) <= README_LIMIT
