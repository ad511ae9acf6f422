"""The GitLab crawler against a fake GitLab at the transport (respx)."""

from __future__ import annotations

import asyncio
import json

import httpx
import respx

from crawler.run import CrawlOptions, crawl_forges
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl, locate, minimal_records, public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos
from tests.crawler.memory_sink import MemorySink

HOST = "gitlab.example.org"


def _registration(**fields: object) -> ForgeRegistration:
    return ForgeRegistration(
        name="lab", kind="gitlab", url=f"https://{HOST}", token_env="TOKEN", **fields
    )  # type: ignore[arg-type]


def _graphql_first(request: httpx.Request) -> int:
    return int(json.loads(request.content)["variables"].get("first", 0))


def test_full_crawl_lists_every_project_with_its_publiccode_in_one_request_per_100(
    fake_time: FakeTime,
) -> None:
    """A full crawl of 250 projects takes 3 GraphQL requests and keeps every publiccode file."""
    fake = FakeGitLab(HOST, make_repos(250, owners=3, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert ("succeeded", 3, 3) == (report.status, report.requests, fake.total)
    assert 250 == len(sink.fingerprints("lab"))
    assert 75 == sum(1 for s in sink.snapshots.values() if s.publiccode is not None)
    repo = fake.by_id()[21]
    stored = sink.snapshots[("lab", "21")]
    assert ("publiccode.yaml", repo.content(HOST), repo.blob(HOST)) == (
        stored.publiccode_path,
        stored.publiccode.decode() if stored.publiccode else None,
        stored.blob_id,
    )
    assert ["Python", "HTML"] == stored.payload["languages"]


def test_group_scope_lists_only_the_group(fake_time: FakeTime) -> None:
    """A registration with a group crawls that group's projects only."""
    fake = FakeGitLab(HOST, make_repos(30, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(groups=["org1"]), sink, fake_time)
    assert {"org1"} == {s.payload["full_path"].split("/")[0] for s in sink.snapshots.values()}
    assert 10 == len(sink.snapshots)


def test_incremental_crawl_fetches_only_what_moved(fake_time: FakeTime) -> None:
    """After a full crawl, a recrawl with 3 changed projects costs one listing and one GraphQL request."""
    fake = FakeGitLab(HOST, make_repos(250, owners=3, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(), sink, fake_time)
    fake.touch([3, 100, 201])
    fake.counts.clear()
    report = crawl(fake, _registration(), sink, fake_time)
    assert (False, 2, 3) == (report.full, fake.total, report.repositories)
    assert b"softwareVersion: 1.2.0" in (sink.snapshots[("lab", "201")].publiccode or b"")


def test_complexity_error_halves_the_batch_and_the_crawl_completes(fake_time: FakeTime) -> None:
    """A query refused as too complex above 25 projects is retried with smaller batches."""
    sizes: list[int] = []

    def refuse_big(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/graphql"):
            sizes.append(_graphql_first(request))
            if sizes[-1] > 25:
                return httpx.Response(
                    200,
                    json={
                        "errors": [
                            {
                                "message": "Query has complexity of 301, which exceeds max complexity of 250"
                            }
                        ]
                    },
                )
        return None

    fake = FakeGitLab(HOST, make_repos(120, owners=2, facts=False), fail=refuse_big)
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert ("succeeded", 120) == (report.status, len(sink.snapshots))
    assert [100, 50, 25] == sizes[:3]


def test_gateway_timeouts_halve_the_batch_then_it_grows_back(fake_time: FakeTime) -> None:
    """502/504 answers shrink the batch at once (no retries at full size); success doubles it again."""
    sizes: list[int] = []

    def time_out_big(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/graphql"):
            sizes.append(_graphql_first(request))
            if sizes[-1] == 100 and len(sizes) <= 2:
                return httpx.Response(504 if len(sizes) == 1 else 502)
        return None

    fake = FakeGitLab(HOST, make_repos(200, owners=2, facts=False), fail=time_out_big)
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert ("succeeded", 200) == (report.status, len(sink.snapshots))
    assert [100, 50, 100] == sizes[:3]


def test_partial_data_fetches_the_missing_blob_through_rest(fake_time: FakeTime) -> None:
    """A GraphQL error pointing at one project's blobs is repaired with the REST raw-file endpoint."""

    def break_blob(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/graphql"):
            answer = fake.handle(request)
            body = answer.json()
            body["data"]["projects"]["nodes"][1]["repository"] = None
            body["errors"] = [
                {
                    "message": "Max blobs size limit exceeded",
                    "path": ["projects", "nodes", 1, "repository"],
                }
            ]
            return httpx.Response(200, json=body)
        return None

    fake = FakeGitLab(HOST, make_repos(10, owners=1, facts=False), fail=break_blob)
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert (
        fake.by_id()[2].content(HOST) == (sink.snapshots[("lab", "2")].publiccode or b"").decode()
    )
    assert (1, 2) == (fake.counts["POST"], fake.counts["GET"])
    assert "succeeded" == report.status


def test_rest_listing_skips_a_page_that_always_answers_500(fake_time: FakeTime) -> None:
    """A keyset page that keeps answering 500 is skipped and reported; the rest is crawled, nothing tombstoned."""

    def poison(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/api/v4/projects" and request.url.params.get("id_after") == "100":
            return httpx.Response(500, json={"message": "500 Internal Server Error"})
        return None

    fake = FakeGitLab(HOST, make_repos(300, owners=3, facts=False), fail=poison)
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time, prefer_rest=True)
    assert "partial" == report.status
    assert 200 == len(sink.snapshots)  # ids 101..200 sat on the poisoned page
    assert 1 == len(report.findings) and "kept failing" in report.findings[0].message
    assert [] == report.tombstoned


def test_rest_crawl_fetches_each_file_name_per_project(fake_time: FakeTime) -> None:
    """The REST crawl asks the raw-file endpoint once per project and file name."""
    fake = FakeGitLab(HOST, make_repos(120, owners=2, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time, prefer_rest=True)
    assert (2 + 240, 36) == (
        report.requests,
        sum(1 for s in sink.snapshots.values() if s.publiccode),
    )


def test_unknown_group_becomes_a_finding_not_a_crash(fake_time: FakeTime) -> None:
    """A group that does not exist is reported as a finding on the forge."""
    fake = FakeGitLab(HOST, make_repos(10, owners=1, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(groups=["missing"]), sink, fake_time)
    assert "partial" == report.status
    assert "group 'missing' not found" in report.findings[0].message


def test_forbidden_answer_is_not_retried_and_becomes_a_finding(fake_time: FakeTime) -> None:
    """A 403 without rate-limit headers is sent once and reported."""
    fake = FakeGitLab(
        HOST,
        make_repos(10, owners=1, facts=False),
        fail=lambda r: httpx.Response(403, json={"message": "403 Forbidden"}),
    )
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert (1, "partial") == (fake.total, report.status)
    assert "HTTP 403" in report.findings[0].message


def test_missing_graphql_endpoint_falls_back_to_rest_and_says_so(fake_time: FakeTime) -> None:
    """A 404 from the GraphQL endpoint switches the crawl to REST with a notice."""
    fake = FakeGitLab(
        HOST,
        make_repos(10, owners=1, facts=False),
        fail=lambda r: (
            httpx.Response(404, json={"message": "404"}) if r.url.path == "/api/graphql" else None
        ),
    )
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time)
    assert 10 == len(sink.snapshots)
    assert "crawling through REST" in report.notices[0]


def _walk(
    fake: FakeGitLab, url: str, params: dict[str, object]
) -> tuple[list[int], list[httpx.Response]]:
    """Run the REST listing over `fake` and return the ids seen and the raw answers."""
    import asyncio

    from crawler.http import ForgeClient, create_http_client
    from crawler.listing import listing
    from crawler.ratelimit import Governor

    answers: list[httpx.Response] = []

    def record(request: httpx.Request) -> httpx.Response:
        answers.append(fake.handle(request))
        return answers[-1]

    async def go() -> list[int]:
        async with create_http_client(
            user_agent="t", transport=httpx.MockTransport(record)
        ) as http:
            client = ForgeClient(http, Governor(HOST), api_urls=[url])
            return [
                item["id"]
                async for page in listing(client, url, params, on_skip=lambda u, e: None)
                for item in page.items
            ]

    return asyncio.run(go()), answers


def test_offset_listing_above_10000_rows_follows_next_page_without_totals() -> None:
    """A group of 10,050 projects is listed completely although GitLab sends no X-Total."""
    fake = FakeGitLab(HOST, make_repos(10_050, owners=1, facts=False))
    ids, answers = _walk(
        fake,
        f"https://{HOST}/api/v4/groups/org0/projects",
        {"per_page": 100, "include_subgroups": "true"},
    )
    assert (list(range(1, 10_051)), 101) == (ids, len(answers))
    assert all("x-total" not in answer.headers for answer in answers)


def test_keyset_listing_follows_the_link_header() -> None:
    """Keyset pagination walks id_after pages by the Link header until it is absent."""
    fake = FakeGitLab(HOST, make_repos(250, owners=2, facts=False))
    ids, answers = _walk(
        fake,
        f"https://{HOST}/api/v4/projects",
        {"pagination": "keyset", "order_by": "id", "sort": "asc", "per_page": 100},
    )
    assert (list(range(1, 251)), 3) == (ids, len(answers))
    assert "link" not in answers[-1].headers


def test_single_projects_are_fetched_by_path_in_one_query(fake_time: FakeTime) -> None:
    """--repo registrations are fetched with one aliased project(fullPath:) query; unknown ones are findings."""
    fake = FakeGitLab(HOST, make_repos(20, owners=2, facts=False))
    sink = MemorySink()
    registration = _registration(repos=["org0/project-1", "org1/project-2", "org9/nothing"])
    report = crawl(fake, registration, sink, fake_time)
    assert ({"1", "2"}, 1) == ({key[1] for key in sink.snapshots}, report.requests)
    assert "project 'org9/nothing' not found" in report.findings[0].message


def test_private_address_is_refused_at_crawl_time(fake_time: FakeTime) -> None:
    """A forge whose name resolves to a private address is not asked anything and the run fails."""
    from crawler.run import CrawlOptions

    fake = FakeGitLab(HOST, make_repos(10, owners=1, facts=False))
    sink = MemorySink()
    report = crawl(fake, _registration(), sink, fake_time, resolver=lambda host: ["10.1.2.3"])
    assert ("failed", 0) == (report.status, fake.total)
    assert "10.1.2.3" in report.findings[0].message
    assert CrawlOptions().resolver is None


def test_incremental_crawl_of_a_group_reads_its_newest_activity_first(fake_time: FakeTime) -> None:
    """A group's recrawl lists projects newest activity first (offset pages) and stops at older ones."""
    fake = FakeGitLab(HOST, make_repos(300, owners=2, facts=False))
    sink = MemorySink()
    crawl(fake, _registration(groups=["org1"]), sink, fake_time)
    fake.touch([2, 150])
    seen: list[httpx.Request] = []
    fake.fail = lambda request: seen.append(request)  # type: ignore[func-returns-value]
    report = crawl(fake, _registration(groups=["org1"]), sink, fake_time)
    assert (False, 2, 1) == (report.full, report.repositories, len(seen) - 1)
    assert "last_activity_at" == seen[0].url.params["order_by"]


def test_a_next_link_to_another_host_is_a_finding_not_a_credentialed_request(
    fake_time: FakeTime,
) -> None:
    """GitLab's `Link: rel="next"` naming another host is reported; that host is never asked."""
    evil_page = "https://evil.example.net/api/v4/projects?id_after=1&pagination=keyset"
    with respx.mock(assert_all_called=False) as router:
        listing = router.get(f"https://{HOST}/api/v4/projects").respond(
            json=[{"id": 1, "path_with_namespace": "g/p", "web_url": f"https://{HOST}/g/p"}],
            headers={"Link": f'<{evil_page}>; rel="next"'},
        )
        router.get(url__regex=rf"https://{HOST}/api/v4/projects/1/.*").respond(404)
        evil = router.route(host="evil.example.net").respond(json=[])
        [report] = asyncio.run(
            crawl_forges(
                [_registration()],
                MemorySink(),
                CrawlOptions(prefer_rest=True, resolver=public_resolver, sleep=fake_time.sleep),
                normalise=minimal_records,
                locate=locate,
                environ={"TOKEN": "secret-token"},
            )
        )
    assert (True, False) == (listing.called, evil.called)
    assert "partial" == report.status
    assert any("evil.example.net" in finding.message for finding in report.findings)
