"""Owner profiles ride along in the listings: every record of an organisation namespace carries
an organisation with a name, every record of a user namespace kind ``person`` — on every kind
and API, at no extra request on GitLab and GitHub and for Gitea owner scopes; for a whole Gitea
instance the owner objects tell most owners, and at most one ``/orgs`` page per 100 owners the
rest."""

from __future__ import annotations

import httpx
import pytest

from crawler.base import CrawlReport
from crawler.gitea.profiles import owner_cue
from crawler.normalise import federated_catalogue
from schemas.forge import ForgeRegistration
from schemas.organisation import OrganisationEntity
from schemas.record import Record
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
    [("gitlab", False), ("gitlab", True), ("github", False), ("github", True), ("gitea", True)],
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


def _gitea_records(
    fake: FakeGitea, registration: ForgeRegistration, fake_time: FakeTime
) -> tuple[list[Record], CrawlReport, dict[str, OrganisationEntity]]:
    sink = MemorySink()
    report = crawl(fake, registration, sink, fake_time, full=True)
    records, entities = federated_catalogue(sink.snapshots.values(), [registration])
    return records, report, {e.id: e for e in entities}


def _kinds(records: list[Record]) -> dict[str, tuple[str | None, str | None]]:
    return {
        (r.repository.owner or "").rsplit("/", 1)[-1]: (
            r.organisation.kind if r.organisation else None,
            r.organisation.name if r.organisation else None,
        )
        for r in records
    }


def test_gitea_instance_profiles_come_from_one_orgs_page_per_100_owners(
    fake_time: FakeTime,
) -> None:
    """A whole Gitea instance: the ``/orgs`` listing tells organisations (with their profile:
    name, description, website, location, e-mail, avatar) from users at one extra request."""
    fake = FakeGitea("lab.example.org", _repos())
    registration = ForgeRegistration(name="lab", kind="gitea", url="https://lab.example.org")
    records, report, entities = _gitea_records(fake, registration, fake_time)
    assert 1 == sum(n for path, n in fake.paths.items() if path.startswith("/api/v1/orgs"))
    kinds = _kinds(records)
    assert ("person", None) == kinds["user0"]
    assert {organisation_name("org0"), organisation_name("org1")} == {
        kinds["org0"][1],
        kinds["org1"][1],
    }
    assert "person" not in {kinds["org0"][0], kinds["org1"][0]}
    org1 = next(r.organisation for r in records if (r.repository.owner or "").endswith("/org1"))
    assert org1 is not None and org1.id is not None
    entity = entities[org1.id]
    assert (
        "Public body org1",
        "https://org1.example",
        "Musterstadt",
        "opensource@org1.example",
        "https://lab.example.org/avatars/org1",
    ) == (entity.description, entity.website, entity.location, entity.email, entity.avatar_url)
    assert "succeeded" == report.status


def test_gitea_owner_scopes_read_profiles_at_no_extra_request(fake_time: FakeTime) -> None:
    """Registered owners: ``GET /orgs/{org}`` replaces the probe of ``/orgs/{org}/repos``, so
    the profiles cost nothing; a user is told by its 404 there."""
    fake = FakeGitea("lab.example.org", _repos())
    registration = ForgeRegistration(
        name="lab", kind="gitea", url="https://lab.example.org", orgs=["org0", "org1", "user0"]
    )
    records, _report, _entities = _gitea_records(fake, registration, fake_time)
    kinds = _kinds(records)
    assert ("person", None) == kinds["user0"]
    assert organisation_name("org0") == kinds["org0"][1]
    assert "person" != kinds["org0"][0]
    # per organisation: its profile, then its listing; the user: the 404, a probe, its listing
    # — as many requests as the probes of /orgs/{org}/repos cost before, and no /orgs page
    assert {"/api/v1/orgs/org0": 1, "/api/v1/orgs/org0/repos": 1} == {
        path: n for path, n in fake.paths.items() if path.startswith("/api/v1/orgs/org0")
    }
    assert (1, 2, 0) == (
        fake.paths["/api/v1/orgs/user0"],
        fake.paths["/api/v1/users/user0/repos"],
        fake.paths["/api/v1/orgs"],
    )


def test_gitea_never_reads_more_orgs_pages_than_one_per_100_owners(
    fake_time: FakeTime,
) -> None:
    """130 organisations would need 3 pages of ``/orgs``; the budget for 130 owners is 1.
    Organisations without a contact e-mail are told by their owner object (no request); those
    with one are told by the page read, the rest stay untold: never persons, named by their
    account, not by the object's ``full_name`` (which may be a person's)."""
    fake = FakeGitea("lab.example.org", make_repos(260, owners=130))
    registration = ForgeRegistration(name="lab", kind="gitea", url="https://lab.example.org")
    records, report, entities = _gitea_records(fake, registration, fake_time)
    assert 1 == fake.paths["/api/v1/orgs"]
    read = set(fake.organisations()[:50])
    untold = {o for o in fake.organisations() if o not in read and int(o[3:]) % 2}
    assert 30 < len(untold) < 65
    for owner, (kind, name) in _kinds(records).items():
        assert "person" != kind, owner
        assert (owner if owner in untold else organisation_name(owner)) == name
    told = {
        (r.repository.owner or "").rsplit("/", 1)[-1]
        for r in records
        if r.organisation and r.organisation.id and entities[r.organisation.id].description
    }
    assert set(fake.organisations()) - untold == told
    assert "succeeded" == report.status


def test_gitea_owner_objects_tell_most_owners_at_no_request() -> None:
    """Gitea's rules read from the owner object: an empty e-mail is an organisation's, the
    ``login@noreply…`` placeholder or any star or follow a person's; a shown address alone
    tells nothing, nor does an object without an e-mail field."""

    def cue(**owner: object) -> bool | None:
        return owner_cue({"owner": {"login": "Anna", **owner}})

    assert False is cue(email="")
    assert True is cue(email="anna@noreply.codeberg.org")
    assert None is cue(email="anna@codeberg.org")
    assert None is cue(email="other@noreply.codeberg.org")
    assert True is cue(email="anna@example.org", starred_repos_count=3)
    assert True is cue(email="", following_count=1)
    assert None is cue()
    assert None is owner_cue({"full_name": "a/b"})


def test_an_untold_gitea_owner_keeps_no_name_of_its_object(fake_time: FakeTime) -> None:
    """A person showing their address is told by the ``/orgs`` listing only; while it cannot
    be read the owner is untold — named by its account, never by the person's full name,
    with no e-mail, location or bio — and the record is not counted as a person either."""
    repos = _repos()
    fake = FakeGitea("lab.example.org", repos)
    user = fake.user_object

    def shown(owner: str) -> dict[str, object]:
        body = user(owner)
        return {**body, "email": "anna.jones@example.org"} if is_person(owner) else body

    fake.user_object = shown  # type: ignore[method-assign]
    fake.fail = lambda request: (
        httpx.Response(403, json={"message": "forbidden"})
        if request.url.path == "/api/v1/orgs"
        else None
    )
    registration = ForgeRegistration(name="lab", kind="gitea", url="https://lab.example.org")
    records, report, entities = _gitea_records(fake, registration, fake_time)
    assert "succeeded" == report.status
    anna = [r for r in records if (r.repository.owner or "").endswith("/user0")]
    assert anna and {("unknown", "user0")} == {
        (r.organisation.kind, r.organisation.name) for r in anna if r.organisation
    }
    organisation = anna[0].organisation
    assert organisation is not None and organisation.id is not None
    entity = entities[organisation.id]
    assert (None, None, None) == (entity.email, entity.location, entity.description)
    assert "Anna Jones" not in {e.name for e in entities.values()}


def test_a_failing_orgs_page_leaves_owners_untold_with_a_notice(fake_time: FakeTime) -> None:
    """``/orgs`` answering 403 (an instance that hides it) is a notice, not a failed crawl;
    no owner it would have told is taken for a person."""
    fake = FakeGitea("lab.example.org", _repos())
    fake.fail = lambda request: (
        httpx.Response(403, json={"message": "forbidden"})
        if request.url.path == "/api/v1/orgs"
        else None
    )
    registration = ForgeRegistration(name="lab", kind="gitea", url="https://lab.example.org")
    records, report, _entities = _gitea_records(fake, registration, fake_time)
    assert "succeeded" == report.status
    assert any("organisation profiles not read" in notice for notice in report.notices)
    kinds = _kinds(records)
    # org1 (a contact e-mail) waited for the page: untold, never a person; org0 and user0 are
    # told by their owner objects
    assert ("unknown", "org1") == kinds["org1"]
    assert ("person", None) == kinds["user0"]
    assert organisation_name("org0") == kinds["org0"][1]
    assert 1 == fake.paths["/api/v1/orgs"]


def test_gitea_owners_met_before_their_orgs_page_resolve_like_the_rest(
    fake_time: FakeTime,
) -> None:
    """110 owners (100 organisations, 10 users; the bench's shape): one ``/orgs`` page at most;
    every record of one owner still resolves alike (the best profile of the owner wins), users
    are persons, every organisation named."""
    repos = make_repos(1100, owners=100)
    for index, repo in enumerate(repos[::21]):
        repo.owner = f"user{index % 10}"
    fake = FakeGitea("lab.example.org", repos)
    registration = ForgeRegistration(name="lab", kind="gitea", url="https://lab.example.org")
    records, _report, _entities = _gitea_records(fake, registration, fake_time)
    assert 1 == fake.paths["/api/v1/orgs"]  # 110 owners: at most one page
    people = [r for r in records if is_person((r.repository.owner or "").rsplit("/", 1)[-1])]
    assert {"person"} == {r.organisation.kind for r in people if r.organisation}
    assert len(people) == sum(1 for r in people if r.organisation)
    others = [r for r in records if r not in people]
    assert all(r.organisation and r.organisation.name for r in others)
    by_owner: dict[str, set[str | None]] = {}
    for r in others:
        by_owner.setdefault((r.repository.owner or "").rsplit("/", 1)[-1], set()).add(
            r.organisation.kind if r.organisation else None
        )
    assert all(1 == len(kinds) for kinds in by_owner.values())
