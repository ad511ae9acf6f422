"""The crawler's HTTP layer: one async httpx client factory and the `ForgeClient` on top.

`create_http_client` is the only place an `httpx.AsyncClient` is built; tests and the benchmark
hand in a transport (respx, `httpx.MockTransport`). `ForgeClient` sends every request of one
forge through its rate-limit governor and the one retry policy, classifies answers into our
exceptions (`schemas.errors`) and counts the requests it sent, so a crawl can report its cost.

The token is sent as ``Authorization: Bearer`` (GitHub and GitLab both accept it for personal
access tokens) and never appears in an error message: messages name URLs only.

Requests go only to the registered forge's API origins (scheme, host, port of its REST and
GraphQL URLs): `ForgeClient` refuses any other URL before sending (a `Link: rel="next"`, a
stored next-page URL, a raw-file URL) and any redirect hop elsewhere, with `ForeignHostError`,
which callers report as a finding on the forge. So no caller can send the token to another
host, and a forge cannot lead the crawl anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity.wait import wait_base

from crawler.deadline import Deadline
from crawler.ratelimit import Governor
from crawler.retry import DEFAULT_ATTEMPTS, is_transient, is_transient_but_not_timeout, retrying
from schemas.errors import (
    ForeignHostError,
    ForgeResponseError,
    ForgeUnresponsiveError,
    GraphQLQueryError,
    TransientForgeError,
)
from schemas.redaction import redact, secret_values

DEFAULT_TIMEOUT = 30.0
GIVE_UP_AFTER_TIMEOUTS = 3
"""Answers in a row not in time after which a forge's crawl stops (`ForgeUnresponsiveError`).

One timeout may be a GraphQL batch too large (the crawler halves it); a second at the halved
batch says the forge is slow, not the query; the third ends the crawl at its checkpoint, rather
than halving on to a batch of 1 and retrying each request until the deadline (30 min)."""
SLOW_GATEWAY_SECONDS = 5.0
"""A 502 counts as an answer that did not come in time (towards `GIVE_UP_AFTER_TIMEOUTS`) only
after this long: a gateway giving up on a slow forge (GitLab's proxy after its worker timeout,
GitHub's GraphQL after 10 s) answers 502 late, a forge that is down or failing answers it at
once, and that is its error, reported as such (``crawl.unreachable``, "HTTP 502"). A 504 says
"timeout" by name and always counts."""
_COMPLEXITY_WORDS = (
    "complexity",
    "too many",
    "max_node_limit",
    "node limit",
    "blobs size limit",
    "timeout",
    "timed out",
    "resource limit",
)


def create_http_client(
    *,
    user_agent: str,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    request_hooks: Sequence[Callable[[httpx.Request], Awaitable[None]]] = (),
) -> httpx.AsyncClient:
    """Build the async client every crawl request goes through.

    Redirects are followed (GitHub answers 301 for renamed repositories; the best-practice page
    asks clients to follow them); the descriptive User-Agent lets forge admins reach us.
    `request_hooks` run before every request and every redirect hop (the SSRF guard).
    """
    return httpx.AsyncClient(
        transport=transport,
        event_hooks={"request": list(request_hooks)},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        headers={"User-Agent": user_agent, "Accept": "application/json"},
    )


@dataclass
class ForgeResponse:
    """One answer: status, headers and the parsed JSON (None for 304/404 and raw bodies)."""

    status: int
    headers: Mapping[str, str]
    data: Any = None
    content: bytes = b""


@dataclass
class GraphQLResult:
    """A GraphQL answer: `data` (possibly partial) and the error messages beside it."""

    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)


Origin = tuple[str, str, int | None]


def origin_of(url: str | httpx.URL) -> Origin:
    """(scheme, host, port) of `url`, lower-cased, with the scheme's default port filled in.

    Raises:
        httpx.InvalidURL: `url` cannot be parsed.
    """
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    default = {"https": 443, "http": 80}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), parsed.port or default


def _is_complexity(messages: list[str]) -> bool:
    lowered = " ".join(messages).lower()
    return any(word in lowered for word in _COMPLEXITY_WORDS)


class ForgeClient:
    """Requests to one forge with one token, paced by its governor, retried by the policy.

    Args:
        http: the client from `create_http_client`.
        governor: the governor of this forge's host and token.
        api_urls: the forge's API locations (REST base, GraphQL endpoint); requests, redirects
            and credentials go to their origins only.
        token: sent as a bearer token; None for anonymous access.
        wait, sleep: injected into the retry policy (tests pass ``wait_none()``).
        attempts: ordinary failures before a request is given up.
        deadline: the forge's crawl deadline (`crawler.deadline`), checked before every attempt.
        on_notice: told at once what the client waits for when an answer does not come.
        give_up_after: answers in a row that do not come in time (client timeout, 504, a 502
            after `SLOW_GATEWAY_SECONDS`) after which `ForgeUnresponsiveError` ends the forge's
            crawl (None: never).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        governor: Governor,
        *,
        api_urls: Collection[str],
        token: str | None = None,
        auth_scheme: str = "Bearer",
        wait: wait_base | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        attempts: int = DEFAULT_ATTEMPTS,
        deadline: Deadline | None = None,
        on_notice: Callable[[str], None] | None = None,
        give_up_after: int | None = GIVE_UP_AFTER_TIMEOUTS,
    ) -> None:
        self.http = http
        self.give_up_after = give_up_after
        self.timeouts_in_row = 0
        self.deadline = deadline
        self.on_notice = on_notice
        self.governor = governor
        self.api_origins = frozenset(origin_of(url) for url in api_urls)
        self._allowed = ", ".join(sorted({f"{s}://{h}" for s, h, _ in self.api_origins}))
        # Redirect hops run the client's request hooks, not `_send_once`: refuse them there too.
        hooks = dict(http.event_hooks)
        hooks["request"] = [*hooks.get("request", []), self._refuse_foreign_hop]
        http.event_hooks = hooks
        self.has_token = token is not None
        self.secrets: tuple[str, ...] = (token,) if token else ()
        """Values `redact` must mask in anything this client's answers put into a message."""
        # GitHub and GitLab read "Bearer", Gitea and Forgejo "token" (the kind's spec says).
        self._auth = {"Authorization": f"{auth_scheme} {token}"} if token else {}
        self._wait = wait
        self._sleep = sleep
        self._attempts = attempts
        self.requests = 0
        """HTTP requests actually sent (retries included)."""

    def _waited_in_vain(self, url: str, seconds: float | None) -> None:
        """Say at once which answer did not come (a slow forge otherwise looks like a hang)."""
        if self.on_notice is not None:
            left = f"; {self.deadline.describe()}" if self.deadline is not None else ""
            self.on_notice(f"no answer from {url} within {seconds or 0:.0f} s{left}")

    def _timed_out(self, url: str, seconds: float | None) -> None:
        """Count an answer that did not come in time; past `give_up_after` in a row, give up."""
        self.timeouts_in_row += 1
        if self.give_up_after is not None and self.timeouts_in_row >= self.give_up_after:
            raise ForgeUnresponsiveError(url, self.timeouts_in_row, seconds)

    def redact(self, text: str) -> str:
        """`text` with this client's token, the environment's secrets and token shapes masked."""
        return redact(text, [*secret_values(), *self.secrets])

    def _check_origin(self, url: str | httpx.URL) -> None:
        """Raise `ForeignHostError` unless `url` lies on one of the forge's API origins."""
        shown = str(url)[:300]
        try:
            origin = origin_of(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise ForeignHostError(shown, self._allowed, "is not a usable URL, so not on") from None
        if origin not in self.api_origins:
            raise ForeignHostError(shown, self._allowed)

    async def _refuse_foreign_hop(self, request: httpx.Request) -> None:
        self._check_origin(request.url.copy_with(query=None))

    async def _send_once(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        body: Any,
        raw: bool,
        accept_statuses: tuple[int, ...],
    ) -> ForgeResponse:
        self._check_origin(url)
        shown_url = url.split("?", 1)[0]
        if self.deadline is not None:
            self.deadline.check(shown_url, blocked_until=self.governor.blocked_until)
        await self.governor.wait_turn()
        timeout = self.http.timeout
        if self.deadline is not None:
            self.deadline.check(shown_url)
            if self.deadline.left() < (timeout.read or DEFAULT_TIMEOUT):
                timeout = httpx.Timeout(max(self.deadline.left(), 1.0))
        async with self.governor.semaphore:
            self.requests += 1
            sent_at = self.governor.clock()
            try:
                response = await self.http.request(
                    method,
                    url,
                    params=params,
                    headers={**self._auth, **(headers or {})},
                    json=body,
                    timeout=timeout,
                )
                content = await response.aread()
            except httpx.TimeoutException as error:
                self._waited_in_vain(shown_url, timeout.read)
                self._timed_out(shown_url, timeout.read)
                raise TransientForgeError(
                    url, f"timed out ({type(error).__name__})", timeout=True
                ) from error
            except httpx.TransportError as error:
                raise TransientForgeError(
                    url, f"connection failed ({type(error).__name__})"
                ) from error
        status = response.status_code
        shown = str(response.request.url.copy_with(query=None)) if response.request else url
        slow = self.governor.clock() - sent_at >= SLOW_GATEWAY_SECONDS
        if status == 504 or (status == 502 and slow):
            self._timed_out(shown, None)
        else:
            self.timeouts_in_row = 0
        if self.governor.observe(status, response.headers, content if status == 403 else b""):
            raise TransientForgeError(
                shown, f"HTTP {status}: rate limited", status=status, rate_limited=True
            )
        if status in accept_statuses or status == 304:
            return ForgeResponse(status, response.headers)
        if status >= 500:
            raise TransientForgeError(
                shown, f"HTTP {status}", status=status, timeout=status in (502, 504)
            )
        if status >= 400:
            # Masked before it is cut, so a cut cannot leave half a token unrecognised.
            detail = self.redact(content[:4000].decode("utf-8", "replace"))[:200].strip()
            raise ForgeResponseError(shown, status, detail)
        if raw:
            return ForgeResponse(status, response.headers, content=content)
        try:
            data = json.loads(content)
        except ValueError as error:
            raise TransientForgeError(shown, "truncated or invalid JSON", status=status) from error
        return ForgeResponse(status, response.headers, data=data, content=b"")

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        raw: bool = False,
        accept_statuses: tuple[int, ...] = (),
        retry_timeouts: bool = True,
    ) -> ForgeResponse:
        """Send one request through the governor and the retry policy.

        Returns the answer; statuses in `accept_statuses` (e.g. 404 for "no such file") and 304
        come back without data instead of raising.

        Raises:
            ForgeResponseError: a 4xx other than 429 (not retried).
            TransientForgeError: retries exhausted; with ``retry_timeouts=False`` a timeout
                (502/504, client timeout) is raised at once, so the caller can shrink its batch.
        """
        predicate = is_transient if retry_timeouts else is_transient_but_not_timeout
        policy = retrying(
            predicate=predicate, attempts=self._attempts, wait=self._wait, sleep=self._sleep
        )
        async for attempt in policy:
            with attempt:
                return await self._send_once(
                    method,
                    url,
                    params=params,
                    headers=headers,
                    body=body,
                    raw=raw,
                    accept_statuses=accept_statuses,
                )
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def get_json(self, url: str, **options: Any) -> ForgeResponse:
        """GET a JSON resource (see `request`)."""
        return await self.request("GET", url, **options)

    async def graphql(
        self,
        url: str,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        shrinkable: bool = False,
    ) -> GraphQLResult:
        """POST a GraphQL query and return its data and errors.

        Partial data (``data`` beside ``errors``) is returned for the caller to report; a
        refused query (no data) raises `GraphQLQueryError`, with ``complexity=True`` when a
        smaller batch may pass. GitHub's ``RATE_LIMITED`` error waits for the reset and retries.
        With `shrinkable`, timeouts are raised at once (see `request`).
        """
        body = {"query": query, "variables": dict(variables or {})}
        policy = retrying(
            predicate=is_transient_but_not_timeout if shrinkable else is_transient,
            attempts=self._attempts,
            wait=self._wait,
            sleep=self._sleep,
        )
        async for attempt in policy:
            with attempt:
                response = await self._send_once(
                    "POST", url, params=None, headers=None, body=body, raw=False, accept_statuses=()
                )
                payload = response.data if isinstance(response.data, dict) else {}
                errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
                if any(e.get("type") == "RATE_LIMITED" for e in errors):
                    self.governor.observe(429, response.headers)
                    raise TransientForgeError(url, "GraphQL rate limit spent", rate_limited=True)
                data = payload.get("data")
                if not isinstance(data, dict) or (
                    errors and not any(v is not None for v in data.values())
                ):
                    messages = [str(e.get("message", "")) for e in errors] or [
                        "no data in the answer"
                    ]
                    raise GraphQLQueryError(url, messages, complexity=_is_complexity(messages))
                rate_limit = data.get("rateLimit")
                if isinstance(rate_limit, dict):
                    self.governor.observe_graphql(rate_limit)
                return GraphQLResult(data=data, errors=errors)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover


def next_link(headers: Mapping[str, str]) -> str | None:
    """The ``rel="next"`` URL of a `Link` header, or None at the end of a listing.

    Both forges ask clients to follow `Link` instead of building page URLs; GitLab omits
    `X-Total`/`X-Total-Pages` above 10,000 rows, so page arithmetic is never used.
    """
    value = headers.get("link") or headers.get("Link")
    if not value:
        return None
    for part in value.split(","):
        section = part.split(";")
        if len(section) < 2:
            continue
        target = section[0].strip()
        if any(p.strip().replace(" ", "") in ('rel="next"', "rel=next") for p in section[1:]):
            return target.removeprefix("<").removesuffix(">")
    return None
