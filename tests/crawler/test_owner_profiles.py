"""Owner profiles ride along in the listings: every record of an organisation namespace carries
an organisation with a name, every record of a user namespace kind ``person`` — on every kind
and API, at no more than one extra request per 50 organisations (Gitea) and none elsewhere."""

from __future__ import annotations

import pytest

from crawler.normalise import federated_catalogue
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import (
    FakeForge,
    FakeGitea,
    FakeGitHub,
    FakeGitLab,
    FakeRepo,
    is_person,
    make_repos,
    organisation_name,
)
from tests.crawler.memory_sink import MemorySink


def _repos() -> list[FakeRepo]:
    """24 repositories: org0 and org1, and every fourth one in the user namespace user0."""
    repos = make_repos(24, owners=2, facts=False)
    for repo in repos[::4]:
        repo.owner = "user0"
    return repos


def _fake_and_registration(kind: str) -> tuple[FakeForge, ForgeRegistration]:
    if kind == "github":
        registration = ForgeRegistration(
            name="hub",
            kind="github",
            url="https://github.example.org",
            orgs=["org0", "org1", "user0"],
            token_env="TOKEN",
        )
        return FakeGitHub("github.example.org", _repos()), registration
    fake: FakeForge = (
        FakeGitLab("lab.example.org", _repos())
        if kind == "gitlab"
        else FakeGitea("lab.example.org", _repos())
    )
    return fake, ForgeRegistration(
        name="lab", kind=kind, url="https://lab.example.org", token_env="TOKEN"
    )


@pytest.mark.parametrize(
    ("kind", "rest"),
    [("gitlab", False), ("gitlab", True), ("github", False), ("github", True)],
)
def test_every_record_of_an_organisation_carries_its_name(
    fake_time: FakeTime, kind: str, rest: bool
) -> None:
    """Organisation namespaces: named organisations; user namespaces: kind person, no name."""
    fake, registration = _fake_and_registration(kind)
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time, prefer_rest=rest, full=True)
    assert "succeeded" == report.status, report.findings
    records, entities = federated_catalogue(sink.snapshots.values(), [registration])
    people = [
        r for r in records if is_person(r.name) or (r.repository.owner or "").endswith("/user0")
    ]
    named = {
        (r.repository.owner or "").rsplit("/", 1)[-1]: r.organisation.name
        if r.organisation
        else None
        for r in records
        if r not in people
    }
    assert (24, 6) == (len(records), len(people))
    assert {"person"} == {r.organisation.kind for r in people if r.organisation}
    assert {None} == {r.organisation.name for r in people if r.organisation}
    # GitHub REST and GitLab REST name the account, not the organisation's display name, where
    # the repository JSON lacks it; GraphQL and Gitea give the profile's name.
    expected = (
        {"org0": "org0", "org1": "org1"}
        if kind == "github" and rest
        else {o: organisation_name(o) for o in ("org0", "org1")}
    )
    assert expected == named
    organisations = {e.id: e for e in entities if e.kind != "person"}
    assert 2 == len(organisations)


@pytest.mark.parametrize("kind", ["gitlab", "github"])
def test_graphql_profiles_cost_no_request(fake_time: FakeTime, kind: str) -> None:
    """The GraphQL listings carry the profile: requests equal a crawl without any profile."""
    fake, registration = _fake_and_registration(kind)
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time, full=True)
    profile = next(
        s.payload["raw"].get("group") or s.payload["raw"].get("owner")
        for s in sink.snapshots.values()
        if not is_person(str(s.payload["full_path"]).split("/")[0])
    )
    assert profile["name"] in {organisation_name("org0"), organisation_name("org1")}
    assert 1 == report.requests  # 24 repositories, 3 owners: one listing request, no more
