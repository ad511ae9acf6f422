"""Repository facts in GitLab, GitHub and Gitea crawls (fakes at the transport, real shapes):
root files, README/LICENSE/manifest texts, releases, commits, open issues, empty and archived
repositories — and what each costs in requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crawler.facts import since_year
from crawler.normalise import records_from_snapshots
from schemas.facts import CrawledFacts, root_files
from schemas.forge import ForgeRegistration, RepositorySnapshot
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakefacts import MIT
from tests.crawler.fakeforge import FakeForge, FakeGitea, FakeGitHub, FakeGitLab, make_repos
from tests.crawler.memory_sink import MemorySink

KINDS: dict[str, tuple[type[FakeForge], str, dict[str, Any]]] = {
    "gitlab": (FakeGitLab, "gitlab.example.org", {}),
    "github": (FakeGitHub, "github.com", {"orgs": ["org0"], "token_env": "TOKEN"}),
    "gitea": (FakeGitea, "gitea.example.org", {"token_env": "TOKEN"}),
}


def _forge(kind: str, count: int = 20) -> tuple[FakeForge, ForgeRegistration]:
    fake_class, host, fields = KINDS[kind]
    repos = make_repos(count, owners=1)
    repos[0].empty = True  # id 1: no commit at all
    repos[0].files, repos[0].dirs, repos[0].releases = {}, [], []
    repos[0].publiccode = None
    repos[1].archived = True  # id 2
    repos[5].files["package.json"] = "x" * (300 * 1024)  # id 6: larger than MANIFEST_LIMIT
    fake = fake_class(host, repos)
    registration = ForgeRegistration(name=kind, kind=kind, url=f"https://{host}", **fields)
    return fake, registration


def _facts(snapshot: RepositorySnapshot) -> CrawledFacts:
    return CrawledFacts.model_validate(snapshot.payload["repository"])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_crawl_reads_the_facts_of_every_repository(fake_time: FakeTime, kind: str) -> None:
    """README and LICENSE texts, manifests, releases, commits and open issues where the
    repository has them; none where it has not; an empty repository is empty."""
    fake, registration = _forge(kind)
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time)
    assert ("succeeded", 20) == (report.status, report.repositories)
    snapshots = {int(key[1]): s for key, s in sink.snapshots.items()}

    four = _facts(snapshots[4])  # README, LICENSE, releases (4 % 4 == 0), no manifest
    assert four.readme is not None and four.readme.text == fake.by_id()[4].files["README.md"]
    assert four.licence_file is not None and MIT == four.licence_file.text
    assert four.latest_release is not None and "v1.0.0" == four.latest_release.tag
    assert (four.releases_count, four.open_issues) == (2, 4)
    assert four.last_commit_at == fake.by_id()[4].activity
    assert four.empty is False
    found = root_files(four.root)
    assert found is not None and found["readme"] is not None and found["licence"] is not None

    nine = _facts(snapshots[9])  # package.json, no LICENSE, no release
    assert ["package.json"] == [f.path for f in nine.files]
    assert '"left-pad"' in (nine.files[0].text or "")
    assert (nine.licence_file, nine.latest_release, nine.releases_count) == (None, None, 0)

    nineteen = _facts(snapshots[19])  # no README (19 % 10 == 9)
    assert nineteen.readme is None and nineteen.root is not None

    big = _facts(snapshots[6])  # a manifest over the limit is listed, not fetched
    assert [("package.json", None, True)] == [(f.path, f.text, f.truncated) for f in big.files]

    empty = _facts(snapshots[1])
    assert (True, [], None) == (empty.empty, empty.root, empty.readme)
    assert snapshots[2].archived

    if kind == "github":
        assert 3 == _facts(snapshots[3]).commits_last_year
        ci = root_files(_facts(snapshots[11]).root)  # 11 % 5 == 1: .github/workflows
        assert ci is not None and ci["ci"] is not None
    if kind == "gitlab":
        assert _facts(snapshots[10]).commits_last_year is None  # GitLab counts none cheaply
        ci = root_files(_facts(snapshots[10]).root)  # .gitlab-ci.yml
        assert ci is not None and ci["ci"] is not None


@pytest.mark.parametrize(("kind", "listing"), [("gitlab", 1), ("github", 1)])
def test_graphql_facts_cost_one_request_per_page(
    fake_time: FakeTime, kind: str, listing: int
) -> None:
    """With facts: the listing plus one request for the page's texts; without: the listing."""
    fake, registration = _forge(kind)
    report = crawl(fake, registration, MemorySink(), fake_time)
    assert listing + 1 == report.requests
    fake, registration = _forge(kind)
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time, facts=False)
    assert listing == report.requests
    assert all(s.payload["repository"] is None for s in sink.snapshots.values())


def test_gitea_facts_cost_is_honest_rest(fake_time: FakeTime) -> None:
    """Gitea: per repository its root, one request per file found, the latest release where
    the counter says there is one, the head commit; an empty repository costs nothing more."""
    fake, registration = _forge("gitea")
    report = crawl(fake, registration, MemorySink(), fake_time)
    repos = [r for r in fake.repos if not r.empty]
    files = sum(
        1
        for r in repos
        for name, text in r.files.items()
        if name in ("README.md", "LICENSE", "package.json") and len(text) <= 256 * 1024
    ) + sum(1 for r in fake.repos if r.publiccode)
    workflows = sum(1 for r in repos if ".github" in r.dirs)
    releases = sum(1 for r in repos if r.releases)
    since = since_year(datetime.now(UTC))
    inactive = sum(1 for r in repos if r.activity < since)  # a second commits request
    profiles = 0  # org0 sets no contact e-mail: its owner object tells (crawler.gitea.profiles)
    expected = 1 + len(repos) + files + workflows + releases + len(repos) + inactive + profiles
    assert expected == report.requests


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_unchanged_repository_keeps_its_stored_facts(fake_time: FakeTime, kind: str) -> None:
    """An incremental crawl fetches the facts of what moved only; the others are not asked."""
    fake, registration = _forge(kind)
    sink = MemorySink()
    crawl(fake, registration, sink, fake_time)
    before = {key: s.payload["repository"] for key, s in sink.snapshots.items()}
    fake.touch([4])
    fake.by_id()[4].files["README.md"] = "# changed\n\nThe new README of project four is here.\n"
    fake.paths.clear()
    report = crawl(fake, registration, sink, fake_time)
    assert (False, 1) == (report.full, report.repositories)
    after = {key: s.payload["repository"] for key, s in sink.snapshots.items()}
    changed = [key for key in before if before[key] != after[key]]
    assert [(kind, "4")] == changed
    assert "The new README" in (_facts(sink.snapshots[(kind, "4")]).readme.text or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_records_carry_the_facts(fake_time: FakeTime, kind: str) -> None:
    """Normalised records keep the facts: README cut, LICENSE text as an SPDX id, packages
    from package.json; a record nothing describes is described by its README."""
    fake, registration = _forge(kind)
    fake.by_id()[8].publiccode = None
    sink = MemorySink()
    crawl(fake, registration, sink, fake_time)
    snapshot = sink.snapshots[(kind, "12")]
    snapshot.payload["description"] = None
    raw = snapshot.payload["raw"]
    raw.pop("description", None)
    records = {
        r.repository.forge_id: r
        for r in records_from_snapshots(list(sink.snapshots.values()), registration=registration)
    }
    twelve = records["12"]  # README, LICENSE (MIT), package.json, no description
    facts = twelve.repository.facts
    assert facts is not None
    assert ("README.md", "LICENSE", "MIT") == (
        facts.readme_path,
        facts.licence_path,
        facts.licence_from_file,
    )
    assert "helps public administrations" in (facts.readme_text or "")
    description = next(iter(twelve.descriptions.values()))
    assert (description.short or "").startswith("project-12 helps public administrations")
    assert "badge" not in (description.short or "")
    assert ["pkg:npm/left-pad"] == [use.key for use in twelve.packages.uses]
    assert records["6"].findings and any(
        "larger than the crawl fetches" in f.message for f in records["6"].findings
    )
    assert records["1"].repository.facts is not None and records["1"].repository.facts.empty


@pytest.mark.parametrize(("kind", "field"), [("gitlab", "openIssuesCount"), ("github", "size")])
def test_an_older_forge_lacking_a_facts_field_is_crawled_without_facts(
    fake_time: FakeTime, kind: str, field: str
) -> None:
    """A GraphQL API that refuses a facts field (an older self-hosted version) gets the crawl
    without facts and a notice, not a failed crawl."""
    fake, registration = _forge(kind)
    refusal = {"errors": [{"message": f"Field '{field}' doesn't exist on type 'Project'"}]}

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("graphql") and f" {field}".encode() in request.content:
            return httpx.Response(200, json=refusal)
        return None

    fake.fail = refuse
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time)
    assert ("succeeded", 20, []) == (report.status, report.repositories, report.findings)
    assert all(s.payload["repository"] is None for s in sink.snapshots.values())
    assert any("without repository facts" in notice for notice in report.notices)
