"""The HTTP layer: retries, rate-limit waits and classification, with no real sleeping."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from tenacity import wait_none

from crawler.http import ForgeClient, create_http_client, next_link
from crawler.ratelimit import BACKOFF_CAP, Governor
from schemas.errors import ForeignHostError, ForgeResponseError, TransientForgeError
from tests.crawler.conftest import FakeTime

URL = "https://forge.example.org/api/v4/projects"


def _run(
    answers: list[Any], fake_time: FakeTime, *, token: str | None = None, jitter: float = 0.5
) -> tuple[Any, int, list[httpx.Request]]:
    """Send one GET through a client whose transport plays `answers` in turn."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers[min(len(seen), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def go() -> tuple[Any, int]:
        governor = Governor(
            "forge.example.org",
            clock=fake_time.clock,
            sleep=fake_time.sleep,
            on_wait=fake_time.on_wait,
            jitter=lambda: jitter,
        )
        async with create_http_client(
            user_agent="test", transport=httpx.MockTransport(handler)
        ) as http:
            client = ForgeClient(
                http,
                governor,
                api_urls=[URL],
                token=token,
                wait=wait_none(),
                sleep=fake_time.sleep,
            )
            try:
                return await client.get_json(URL), client.requests
            except Exception as error:  # the tests look at what was raised
                return error, client.requests

    result, count = asyncio.run(go())
    return result, count, seen


def _ok() -> httpx.Response:
    return httpx.Response(200, json=[{"id": 1}])


def test_retry_after_is_honoured(fake_time: FakeTime) -> None:
    """A 429 with Retry-After: 30 waits 30 seconds, then the request succeeds."""
    result, count, _ = _run([httpx.Response(429, headers={"Retry-After": "30"}), _ok()], fake_time)
    assert ([{"id": 1}], 2, 30.0) == (result.data, count, sum(fake_time.sleeps))


def test_429_without_headers_backs_off_exponentially_with_jitter(fake_time: FakeTime) -> None:
    """Blind 429s wait 2^n/2 + jitter·2^n/2 seconds: 1.5, 3, 6 with jitter 0.5."""
    bare = httpx.Response(429)
    result, count, _ = _run([bare, bare, bare, _ok()], fake_time)
    assert (4, [1.5, 3.0, 6.0]) == (count, [s for s in fake_time.sleeps if s])
    assert 200 == result.status


def test_blind_backoff_is_capped(fake_time: FakeTime) -> None:
    """However many 429s come in a row, one wait never exceeds the cap."""
    governor = Governor("h", clock=fake_time.clock, jitter=lambda: 1.0)
    for _ in range(20):
        governor.observe(429, {})
    assert BACKOFF_CAP == governor.blocked_until - fake_time.now


def test_gitlab_403_with_nothing_remaining_waits_for_the_reset(fake_time: FakeTime) -> None:
    """GitLab's 403 with RateLimit-Remaining: 0 waits until RateLimit-Reset (+1 s), showing the countdown."""
    reset = int(fake_time.now) + 95
    refused = httpx.Response(
        403, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)}
    )
    _result, count, _ = _run([refused, _ok()], fake_time)
    assert (2, 96.0) == (count, sum(fake_time.sleeps))
    assert [96.0, 86.0] == [round(w[1]) for w in fake_time.waits[:2]]


def test_spent_quota_on_a_success_delays_the_next_request(fake_time: FakeTime) -> None:
    """X-RateLimit-Remaining: 0 on a 200 makes the governor wait for the reset before the next send."""
    governor = Governor("h", clock=fake_time.clock, sleep=fake_time.sleep)
    governor.observe(
        200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(fake_time.now) + 50)}
    )
    asyncio.run(governor.wait_turn())
    assert 51.0 == sum(fake_time.sleeps)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(504),
        httpx.Response(500),
        httpx.Response(200, content=b'[{"id": 1'),
        httpx.ReadTimeout("slow"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    ],
    ids=["502", "503", "504", "500", "truncated-json", "timeout", "reset", "incomplete-body"],
)
def test_transient_failures_are_retried(failure: Any, fake_time: FakeTime) -> None:
    """5xx, timeouts, resets and truncated JSON are retried until the answer comes."""
    result, count, _ = _run([failure, failure, _ok()], fake_time)
    assert ([{"id": 1}], 3) == (result.data, count)


def test_retries_give_up_after_five_attempts(fake_time: FakeTime) -> None:
    """A request that keeps failing raises TransientForgeError after 5 attempts."""
    result, count, _ = _run([httpx.Response(503)], fake_time)
    assert (TransientForgeError, 5) == (type(result), count)


def test_other_4xx_are_not_retried(fake_time: FakeTime) -> None:
    """A 404 is raised at once as ForgeResponseError and sent only once."""
    result, count, _ = _run(
        [httpx.Response(404, json={"message": "404 Project Not Found"})], fake_time
    )
    assert (ForgeResponseError, 404, 1) == (type(result), result.status, count)


def test_token_is_sent_but_never_in_errors(fake_time: FakeTime) -> None:
    """The token goes in the Authorization header and appears in no error message."""
    result, _, seen = _run(
        [httpx.Response(401, json={"message": "401 Unauthorized"})], fake_time, token="glpat-SECRET"
    )
    assert "Bearer glpat-SECRET" == seen[0].headers["authorization"]
    assert "SECRET" not in str(result)


def test_concurrency_is_bounded_per_governor(fake_time: FakeTime) -> None:
    """With a concurrency of 2, no more than 2 requests are ever in flight."""
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        in_flight -= 1
        return _ok()

    async def go() -> None:
        governor = Governor("h", concurrency=2, clock=fake_time.clock, sleep=fake_time.sleep)
        async with create_http_client(
            user_agent="t", transport=httpx.MockTransport(handler)
        ) as http:
            client = ForgeClient(http, governor, api_urls=[URL], wait=wait_none())
            await asyncio.gather(*(client.get_json(URL) for _ in range(8)))

    asyncio.run(go())
    assert 2 == peak


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://x/p?id_after=5>; rel="next"', "https://x/p?id_after=5"),
        (
            '<https://x/p?page=1>; rel="first", <https://x/p?page=3>; rel="next"',
            "https://x/p?page=3",
        ),
        ('<https://x/p?page=9>; rel="last"', None),
    ],
)
def test_next_link_reads_rel_next(header: str, expected: str | None) -> None:
    """The next page comes from Link rel="next" only."""
    assert expected == next_link({"link": header})


def test_secondary_rate_limit_403_without_headers_waits_at_least_a_minute(
    fake_time: FakeTime,
) -> None:
    """GitHub's secondary-limit 403 with no header waits 60 s or more, then retries."""
    body = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
    result, count, _ = _run([httpx.Response(403, json=body), _ok()], fake_time)
    assert (2, 200, 60.0) == (count, result.status, sum(fake_time.sleeps))


EVIL = "https://evil.example.net/api/v4/projects?page=2"


def test_a_redirect_to_another_host_is_refused_before_it_is_sent(fake_time: FakeTime) -> None:
    """A 302 to another host ends in ForeignHostError; that host never sees a request."""
    result, _count, seen = _run(
        [httpx.Response(302, headers={"Location": EVIL}), _ok()], fake_time, token="secret"
    )
    assert isinstance(result, ForeignHostError)
    assert ["forge.example.org"] == [request.url.host for request in seen]
    assert "evil.example.net" in str(result) and "secret" not in str(result)


def test_a_url_off_the_api_origin_is_refused(fake_time: FakeTime) -> None:
    """Another host, a downgrade to http and an unparsable URL are all refused unsent."""
    seen: list[httpx.Request] = []

    async def go() -> list[str]:
        async with create_http_client(
            user_agent="t", transport=httpx.MockTransport(lambda r: seen.append(r) or _ok())
        ) as http:
            client = ForgeClient(http, Governor("h"), api_urls=[URL], token="secret")
            refused = []
            for url in (EVIL, URL.replace("https:", "http:"), "http://[::1/x"):
                with pytest.raises(ForeignHostError) as caught:
                    await client.get_json(url)
                refused.append(caught.value.url)
            return refused

    assert 3 == len(asyncio.run(go()))
    assert [] == seen
