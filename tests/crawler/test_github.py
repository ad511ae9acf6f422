"""The GitHub crawler against a fake GitHub at the transport (respx)."""

from __future__ import annotations

import json

import httpx

from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitHub, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "github.example.org"


def _registration(**fields: object) -> ForgeRegistration:
    options: dict[str, object] = {"orgs": ["org0", "org1", "org2"], "token_env": "TOKEN"}
    options.update(fields)
    return ForgeRegistration(name="hub", kind="github", url=f"https://{HOST}", **options)  # type: ignore[arg-type]


def _queries(fake_requests: list[httpx.Request]) -> list[str]:
    return [
        json.loads(r.content)["query"].strip().split("(")[0].removeprefix("query ")
        for r in fake_requests
    ]


def test_full_crawl_packs_owners_and_keeps_blobs(fake_time: FakeTime) -> None:
    """Three owners of 100 repositories: one probe of all three, then one request per remaining 100."""
    fake = FakeGitHub(HOST, make_repos(300, owners=3, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert ("succeeded", 300) == (report.status, len(sink.snapshots))
    assert 4 == report.requests  # a probe of 3 x 33, then the remaining 201 in full batches of 100
    stored = sink.snapshots[("hub", "21")]
    assert ("publiccode.yaml", fake.by_id()[21].blob(HOST)) == (
        stored.publiccode_path,
        stored.blob_id,
    )
    assert ("EUPL-1.2", ["egov"]) == (stored.payload["licence"], stored.payload["topics"])


def test_many_small_owners_share_requests(fake_time: FakeTime) -> None:
    """Forty owners of 5 repositories each are crawled in 4 requests (10 owners per probe)."""
    fake = FakeGitHub(HOST, make_repos(200, owners=40, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(orgs=[f"org{i}" for i in range(40)]), sink, fake_time)
    assert (200, 4) == (len(sink.snapshots), report.requests)


def test_incremental_crawl_refetches_only_changed_repositories(fake_time: FakeTime) -> None:
    """After a full crawl, 2 pushed repositories cost one activity query and one nodes query."""
    fake = FakeGitHub(HOST, make_repos(300, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(), sink, fake_time)
    fake.touch([5, 250])
    seen: list[httpx.Request] = []
    fake.fail = lambda request: seen.append(request)  # type: ignore[func-returns-value]
    report = crawl(fake, _registration(), sink, fake_time)
    assert (False, 2) == (report.full, report.repositories)
    assert ["OwnerActivity", "RepositoriesById"] == _queries(seen)
    assert b"1.2.0" in (sink.snapshots[("hub", "250")].publiccode or b"")


def test_graphql_rate_limit_waits_for_the_reset(fake_time: FakeTime) -> None:
    """When rateLimit.remaining hits 0 the next request waits until resetAt, counting down."""
    fake = FakeGitHub(HOST, make_repos(300, owners=3, facts=False))
    fake.remaining = 1
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert "succeeded" == report.status
    assert 3601 == round(sum(fake_time.sleeps))
    assert [3601.0, 3591.0] == [round(w[1]) for w in fake_time.waits[:2]]
    assert "api.github.example.org" == fake_time.waits[0][0]


def test_missing_owner_is_a_finding_and_the_others_are_crawled(fake_time: FakeTime) -> None:
    """Partial data: an alias that is null (unknown login) is reported; the others are saved."""
    fake = FakeGitHub(HOST, make_repos(30, owners=2, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(orgs=["org0", "nobody", "org1"]), sink, fake_time)
    assert (30, "partial") == (len(sink.snapshots), report.status)
    assert "owner 'nobody' not found" in report.findings[0].message


def test_single_repositories_are_fetched_by_name(fake_time: FakeTime) -> None:
    """--repo OWNER/NAME registrations are fetched in one aliased query."""
    fake = FakeGitHub(HOST, make_repos(30, owners=2, facts=False))
    sink = MemorySink()
    registration = _registration(orgs=[], repos=["org0/project-1", "org1/project-2"])
    report = crawl(fake, registration, sink, fake_time)
    assert ({"1", "2"}, 1) == ({k[1] for k in sink.snapshots}, report.requests)


def test_without_token_crawls_rest_and_says_60_requests_per_hour(fake_time: FakeTime) -> None:
    """No token: the notice naming the 60/hour limit comes before the first request; REST is used."""
    fake = FakeGitHub(HOST, make_repos(20, owners=2, facts=False))
    sink = MemorySink()
    told: list[tuple[str, int]] = []
    report = crawl(
        fake,
        _registration(token_env=None, orgs=["org0", "org1"]),
        sink,
        fake_time,
        environ={},
        on_notice=lambda message: told.append((message, fake.total)),
    )
    assert 1 == len(told) and 0 == told[0][1]
    assert "60 REST requests per hour" in told[0][0]
    assert (20, 6) == (len(sink.snapshots), sum(1 for s in sink.snapshots.values() if s.publiccode))
    assert 2 + 40 == report.requests


def test_rest_recrawl_sends_etags_and_takes_304(fake_time: FakeTime) -> None:
    """An incremental REST crawl sends If-None-Match; an unchanged file answers 304."""
    fake = FakeGitHub(HOST, make_repos(20, owners=1, facts=False))
    sink = MemorySink()
    registration = _registration(token_env=None, orgs=["org0"])
    crawl(fake, registration, sink, fake_time, environ={})
    fake.touch([1], change_file=False)
    statuses: list[int] = []

    def watch(request: httpx.Request) -> httpx.Response | None:
        answer = fake.handle(request)
        statuses.append(answer.status_code)
        return answer

    fake.fail = watch
    crawl(fake, registration, sink, fake_time, environ={})
    assert 304 in statuses


def test_many_changes_in_one_owner_are_read_in_pages_of_100(fake_time: FakeTime) -> None:
    """30 pushes in one organisation: a first activity page of 10, then one of 100, then one refetch."""
    fake = FakeGitHub(HOST, make_repos(300, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(), sink, fake_time)
    fake.touch([i for i in range(1, 300) if (i - 1) % 3 == 0][:30])
    seen: list[httpx.Request] = []
    fake.fail = lambda request: seen.append(request)  # type: ignore[func-returns-value]
    report = crawl(fake, _registration(), sink, fake_time)
    assert 30 == report.repositories
    assert ["OwnerActivity", "OwnerActivity", "RepositoriesById"] == _queries(seen)
    assert [10, 100] == [json.loads(r.content)["variables"]["f0"] for r in seen[:2]]


def test_whole_enterprise_server_lists_its_organisations_first(fake_time: FakeTime) -> None:
    """A GHES registration without orgs lists /organizations, then crawls every organisation."""
    fake = FakeGitHub(HOST, make_repos(60, owners=4, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(orgs=[]), sink, fake_time)
    assert (60, "succeeded") == (len(sink.snapshots), report.status)
    assert 1 == fake.counts["GET"]


def test_excluded_paths_are_left_out(fake_time: FakeTime) -> None:
    """--exclude drops an owner's repositories (and single paths) from the crawl."""
    fake = FakeGitHub(HOST, make_repos(30, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(exclude=["org1", "org2/project-3"]), sink, fake_time)
    paths = {s.payload["full_path"] for s in sink.snapshots.values()}
    assert (20 - 1, set()) == (len(paths), {p for p in paths if p.startswith("org1/")})


def test_token_variable_named_but_empty_is_a_clear_error(fake_time: FakeTime) -> None:
    """A registration naming an unset token variable fails with the variable's name, asking nothing."""
    fake = FakeGitHub(HOST, make_repos(3, owners=1, facts=False))
    report = crawl(fake, _registration(), MemorySink(), fake_time, environ={})
    assert ("failed", 0) == (report.status, fake.total)
    assert "the environment variable TOKEN holds no token" in report.findings[0].message


def test_renamed_and_deleted_repositories_on_github(fake_time: FakeTime) -> None:
    """A rename is followed by databaseId; a deletion is tombstoned on the third complete listing."""
    fake = FakeGitHub(HOST, make_repos(30, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(), sink, fake_time)
    fake.rename(4, "new-name")
    fake.delete(5)
    reports = [crawl(fake, _registration(), sink, fake_time, full=True) for _ in range(3)]
    assert ([1, 0, 0], [[], [], ["5"]]) == (
        [r.renamed for r in reports],
        [r.tombstoned for r in reports],
    )
    assert [f"https://{HOST}/org0/project-4"] == sink.aliases[("hub", "4")]


def test_a_newly_added_organisation_triggers_a_full_listing(fake_time: FakeTime) -> None:
    """After an org is added to the registration, the next crawl is full and lists it whole."""
    fake = FakeGitHub(HOST, make_repos(40, owners=2, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(orgs=["org0"]), sink, fake_time)
    report = crawl(fake, _registration(orgs=["org0", "org1"]), sink, fake_time)
    assert (True, 40) == (report.full, len(sink.snapshots))
    assert False is crawl(fake, _registration(orgs=["org1", "org0"]), sink, fake_time).full


def test_timeouts_shrink_the_packed_query_and_the_crawl_completes(fake_time: FakeTime) -> None:
    """GitHub's 502 on queries asking for more than 40 repositories halves the batch until they pass."""

    def slow_when_big(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/graphql":
            variables = json.loads(request.content)["variables"]
            asked = sum(v for k, v in variables.items() if k.startswith("f") and isinstance(v, int))
            if asked > 40:
                return httpx.Response(502, json={"message": "Server Error"})
        return None

    fake = FakeGitHub(HOST, make_repos(300, owners=3, facts=False), fail=slow_when_big)
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert ("succeeded", 300) == (report.status, len(sink.snapshots))


def test_bad_token_fails_the_forge_with_a_finding_and_no_retries(fake_time: FakeTime) -> None:
    """A 401 from GraphQL ends the crawl of that forge as failed, naming the answer, sent once."""
    fake = FakeGitHub(
        HOST,
        make_repos(10, owners=1, facts=False),
        fail=lambda request: httpx.Response(401, json={"message": "Bad credentials"}),
    )
    sink = MemorySink()
    report = crawl(fake, _registration(orgs=["org0"]), sink, fake_time)
    assert ("failed", 1) == (report.status, fake.total)
    assert (
        "HTTP 401: " in report.findings[0].message
        and "Bad credentials" in report.findings[0].message
    )
    assert "failed" == sink.runs[-1]["status"]


def test_owners_of_any_size_are_packed_into_full_batches(fake_time: FakeTime) -> None:
    """1,000 repositories over 7 owners take 11 requests: every query but the last asks for 100."""
    fake = FakeGitHub(HOST, make_repos(1000, owners=7, facts=False))
    report = crawl(fake, _registration(orgs=[f"org{i}" for i in range(7)]), MemorySink(), fake_time)
    assert (1000, 11) == (report.repositories, report.requests)
