"""One malformed repository in a forge's answer is a finding; the page and the crawl go on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.base import Page
from crawler.github.crawler import GitHubCrawler
from crawler.gitlab.crawler import GitLabCrawler
from crawler.http import ForgeClient
from crawler.itemwise import off_forge, page_records, page_snapshots
from crawler.normalise import records_from_snapshots
from crawler.ratelimit import Governor
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, FakeRepo, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "gitlab.example.org"
BROKEN: dict[int, dict[str, Any]] = {
    2: {"webUrl": "javascript:alert(1)"},
    3: {"webUrl": "http://h:99999/x"},
    4: {"webUrl": None},
    5: {"webUrl": f"https://{HOST}"},
    6: {"webUrl": "http://[::1/x"},
}
UNREADABLE: dict[int, dict[str, Any]] = {7: {"languages": ["Python", 3, None]}}
"""Fields whose unreadable parts are read as unknown: the project is kept."""


class BrokenGitLab(FakeGitLab):
    """A GitLab whose answer for a few projects is malformed as in `BROKEN`."""

    def node(self, repo: FakeRepo, facts: bool = False) -> dict[str, Any]:
        return {
            **super().node(repo, facts),
            **BROKEN.get(repo.id, {}),
            **UNREADABLE.get(repo.id, {}),
        }


def test_malformed_projects_are_findings_and_the_page_goes_on(fake_time: FakeTime) -> None:
    """Bad webUrls skip those projects only, each with a finding; a non-object language is
    left out of the project's languages."""
    fake = BrokenGitLab(HOST, make_repos(20, owners=1))
    sink = MemorySink()
    registration = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")
    report = crawl(fake, registration, sink, fake_time)
    assert "partial" == report.status
    assert set(range(1, 21)) - set(BROKEN) == {int(key[1]) for key in sink.snapshots}
    assert len(BROKEN) == len(report.findings)
    assert all("malformed" in finding.message for finding in report.findings)
    assert 20 - len(BROKEN) == len(sink.records)
    assert ["Python"] == sink.snapshots["lab", "7"].payload["languages"]
    # A malformed project is a fault of the answer, not of the listing: the scope completed.
    assert {} == {key: value for key, value in sink.checkpoints.items() if key[1] == "instance"}


def _crawler(kind: str) -> GitLabCrawler | GitHubCrawler:
    registration = ForgeRegistration(name="f", kind=kind, url=f"https://{HOST}")  # type: ignore[arg-type]
    client = ForgeClient(httpx.AsyncClient(), Governor(HOST), api_urls=[f"https://{HOST}/api"])
    crawler_class = GitLabCrawler if kind == "gitlab" else GitHubCrawler
    return crawler_class(
        registration,
        client,
        rest_url=f"https://{HOST}/api",
        graphql_url=f"https://{HOST}/api/graphql",
        clock=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_URLS = st.sampled_from(
    [f"https://{HOST}/g/p", "javascript:alert(1)", "http://h:99999/x", "http://[::1/x", "", "x"]
) | st.text(max_size=30)
_SHAPES = {
    "gitlab graphql": ["id", "fullPath", "webUrl", "name", "description", "repository", "topics",
                       "languages", "starCount", "forksCount", "createdAt", "visibility",
                       "lastActivityAt", "archived", "_files"],
    "gitlab rest": ["id", "web_url", "path_with_namespace", "name", "description", "topics",
                    "tag_list", "default_branch", "forked_from_project", "star_count",
                    "last_activity_at", "visibility", "archived", "_files"],
    "github graphql": ["databaseId", "url", "nameWithOwner", "name", "yml", "yaml", "parent",
                       "repositoryTopics", "primaryLanguage", "licenseInfo", "defaultBranchRef",
                       "pushedAt", "isPrivate", "isFork", "isArchived", "homepageUrl"],
    "github rest": ["id", "html_url", "full_name", "name", "_files", "parent", "license",
                    "topics", "language", "pushed_at", "private", "fork", "visibility"],
}  # fmt: skip


def _item(shape: str) -> st.SearchStrategy[Any]:
    keys = _SHAPES[shape]
    value = _URLS | _JSON
    objects = st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))
    return objects | _JSON


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(_SHAPES)).flatmap(
        lambda shape: st.tuples(st.just(shape), st.lists(_item(shape), max_size=4))
    )
)
def test_arbitrary_json_for_each_node_shape_never_raises_out_of_the_page(
    case: tuple[str, list[Any]],
) -> None:
    """Any JSON where a forge's project or repository belongs gives snapshots or findings."""
    shape, items = case
    crawler = _crawler("gitlab" if shape.startswith("gitlab") else "github")
    if shape.startswith("gitlab"):
        # The kind tells its two answer shapes apart by `fullPath`.
        items = [
            {**item, "fullPath": item.get("fullPath", "g/p")}
            if shape == "gitlab graphql" and isinstance(item, dict)
            else item
            for item in items
        ]
    page = Page(scope="instance", items=items, checkpoint=None)
    snapshots = page_snapshots(crawler, page)
    kept, records = page_records(crawler, records_from_snapshots, "instance", snapshots)
    assert len(kept) <= len(records) or not kept
    assert len(items) >= len(snapshots)


class HijackingGitLab(FakeGitLab):
    """A GitLab claiming, through `webUrl`, repositories on other hosts and paths."""

    def node(self, repo: FakeRepo, facts: bool = False) -> dict[str, Any]:
        claims = {
            1: "https://github.com/org0/project-1",
            2: "https://gitlab.other.example.net/group/app",
            3: "https://gitlab.example.org:8443/g/p",
            4: "http://gitlab.example.org.evil.net/g/p",
        }
        return {
            **super().node(repo, facts),
            **({"webUrl": claims[repo.id]} if repo.id in claims else {}),
        }


def test_a_forge_writes_only_records_on_its_own_web_host_and_path(fake_time: FakeTime) -> None:
    """Projects claiming another forge's host, another host or another port are dropped."""
    hub = FakeGitHub("github.com", make_repos(3, owners=1))
    sink = MemorySink()
    github = ForgeRegistration(name="hub", kind="github", url="https://github.com", orgs=["org0"])
    crawl(hub, github, sink, fake_time)
    before = sink.records["github.com/org0/project-1"]
    lab = HijackingGitLab(HOST, make_repos(6, owners=1))
    registration = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")
    report = crawl(lab, registration, sink, fake_time)
    assert before == sink.records["github.com/org0/project-1"]
    assert {"5", "6"} == {forge_id for forge, forge_id in sink.snapshots if forge == "lab"}
    assert 4 == sum("dropped" in finding.message for finding in report.findings)
    assert not any(
        key.startswith(("gitlab.other", "gitlab.example.org:8443")) for key in sink.records
    )


@pytest.mark.parametrize(
    ("url", "on_forge"),
    [
        ("https://example.org/gitlab/group/app", True),
        ("http://EXAMPLE.org:443/gitlab/group/app.git", True),
        ("https://example.org/gitlab-other/group/app", False),
        ("https://example.org/group/app", False),
        ("https://example.org:8443/gitlab/group/app", False),
        ("https://evil.example.org/gitlab/group/app", False),
    ],
)
def test_off_forge_checks_host_port_and_path_prefix(url: str, on_forge: bool) -> None:
    """A GitLab served below /gitlab owns only repositories below /gitlab on its host."""
    registration = ForgeRegistration(name="f", kind="gitlab", url="https://example.org/gitlab")
    assert on_forge == (off_forge(registration, url) is None)
