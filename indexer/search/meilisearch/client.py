"""A small synchronous Meilisearch HTTP client: requests, errors, task waiting, version check.

Built on httpx with an injectable transport (tests hand in a fake server and record every
request), an injectable ``sleep`` and ``clock`` (tests never wait). We do not use the official
``meilisearch`` package here: it sends through module-level ``requests`` calls, so a test cannot
capture and validate request bodies at an httpx transport, and its ``wait_for_task`` returns failed
tasks without raising (research notes §3).

Errors: every failure is a `SearchError`; a refusal from the server or a failed task is a
`SearchServerError` carrying Meilisearch's error ``code`` and message. The API key is sent as
``Authorization: Bearer`` and never appears in an error message or a log line.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any, TypedDict, Unpack
from urllib.parse import urlsplit, urlunsplit

import httpx

from schemas.errors import BackendVersionError, SearchError, SearchServerError

logger = logging.getLogger(__name__)

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")
FINISHED = frozenset({"succeeded", "failed", "canceled"})


def display_url(url: str) -> str:
    """`url` without user name and password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.53.0"`` (or ``"v1.53.0-rc.1"``) → ``(1, 53, 0)``; raises `SearchError` otherwise."""
    match = _VERSION.match(text.strip())
    if not match:
        raise SearchError(f"Meilisearch reported an unreadable version {text!r}")
    major, minor, patch = (int(group) for group in match.groups())
    return major, minor, patch


class Body(TypedDict, total=False):
    """What a request sends: ``json`` (serialised by httpx) or ``content`` (JSON already
    serialised), and query ``params``."""

    json: Any
    content: bytes | None
    params: dict[str, str] | None


class MeilisearchClient:
    """One Meilisearch server: JSON requests, task waiting, version check.

    Args:
        url: the server's base URL (``CODEREUSE_MEILI_URL``).
        key: the API key, or None for a server without a master key.
        transport: httpx transport; None uses the network.
        timeout: seconds per HTTP request.
        task_timeout: seconds to wait for one task to finish before giving up.
        sleep, clock: injectable ``time.sleep`` and ``time.monotonic``.
    """

    def __init__(
        self,
        url: str,
        key: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        task_timeout: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = display_url(url)
        self._key = key or None
        headers = {"Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        self._http = httpx.Client(
            base_url=url.rstrip("/"), headers=headers, transport=transport, timeout=timeout
        )
        self._task_timeout = task_timeout
        self._sleep = sleep
        self._clock = clock

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    def request(
        self, method: str, path: str, *, allow_not_found: bool = False, **body: Unpack[Body]
    ) -> Any:
        """Send one request and return the decoded JSON body (None for 404 if allowed).

        `body`'s ``json`` is serialised by httpx; its ``content`` is an already serialised JSON
        body (see `Body`).

        Raises:
            SearchError: the server cannot be reached or answered something that is not JSON.
            SearchServerError: the server answered with an error (its code and message).
        """
        content, params = body.get("content"), body.get("params")
        try:
            if content is not None:
                response = self._http.request(
                    method,
                    path,
                    content=content,
                    params=params,
                    headers={"Content-Type": "application/json"},
                )
            else:
                response = self._http.request(method, path, json=body.get("json"), params=params)
        except httpx.TransportError as error:
            raise SearchError(
                self._redact(
                    f"cannot reach Meilisearch at {self.url} ({method} {path}): "
                    f"{type(error).__name__}: {error}; check CODEREUSE_MEILI_URL and that the "
                    "server is running"
                )
            ) from None
        if response.status_code == 404 and allow_not_found:
            return None
        if response.status_code >= 400:
            raise self._error(method, path, response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise SearchError(
                f"Meilisearch at {self.url} answered {method} {path} with a body that is not JSON"
            ) from None

    def _error(self, method: str, path: str, response: httpx.Response) -> SearchServerError:
        code: str | None = None
        message = response.text[:500]
        try:
            body = response.json()
            if isinstance(body, dict):
                code = body.get("code")
                message = str(body.get("message", message))
        except ValueError:
            pass
        hint = ""
        if response.status_code in {401, 403}:
            hint = "; check CODEREUSE_MEILI_KEY (it needs search, documents, indexes, settings and tasks rights)"
        text = (
            f"Meilisearch at {self.url} refused {method} {path} (HTTP {response.status_code}, "
            f"{code or 'no code'}): {message}{hint}"
        )
        return SearchServerError(self._redact(text), code=code)

    def submit(self, method: str, path: str, **body: Unpack[Body]) -> int:
        """Send a request that enqueues a task and return the task uid (without waiting)."""
        answer = self.request(method, path, **body)
        if not isinstance(answer, dict) or not isinstance(answer.get("taskUid"), int):
            raise SearchError(
                f"Meilisearch at {self.url} answered {method} {path} without a task uid"
            )
        uid: int = answer["taskUid"]
        logger.debug("meilisearch task %s enqueued: %s %s", uid, method, path)
        return uid

    def wait(self, uid: int) -> dict[str, Any]:
        """Poll ``GET /tasks/{uid}`` until the task finishes; return it when it succeeded.

        Polls after 50 ms, doubling to at most 1 s between polls, for at most ``task_timeout``.

        Raises:
            SearchServerError: the task failed or was canceled (Meilisearch's code and message).
            SearchError: the task did not finish in time.
        """
        deadline = self._clock() + self._task_timeout
        interval = 0.05
        while True:
            task = self.request("GET", f"/tasks/{uid}")
            status = task.get("status") if isinstance(task, dict) else None
            if status in FINISHED:
                break
            if self._clock() >= deadline:
                raise SearchError(
                    f"Meilisearch task {uid} at {self.url} is still {status} after "
                    f"{self._task_timeout:.0f} s; look at GET /tasks/{uid} and retry later"
                )
            self._sleep(interval)
            interval = min(interval * 2, 1.0)
        if status == "succeeded":
            return dict(task)
        error = task.get("error") or {}
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        raise SearchServerError(
            self._redact(
                f"Meilisearch task {uid} ({task.get('type')}) on index {task.get('indexUid')!r} "
                f"at {self.url} {status}: {code or 'no code'}: {message or 'no message'}"
            ),
            code=code,
        )

    def wait_all(self, uids: Iterable[int]) -> None:
        """Wait for every task in order; the first failure raises."""
        for uid in uids:
            self.wait(uid)

    def version(self) -> tuple[int, int, int]:
        """The server's version from ``GET /version``."""
        body = self.request("GET", "/version")
        if not isinstance(body, dict) or not isinstance(body.get("pkgVersion"), str):
            raise SearchError(f"Meilisearch at {self.url} answered GET /version without pkgVersion")
        return parse_version(body["pkgVersion"])

    def require_version(self, minimum: tuple[int, int, int]) -> tuple[int, int, int]:
        """Return the server version; raise `BackendVersionError` when it is below `minimum`."""
        found = self.version()
        if found < minimum:
            wanted = ".".join(map(str, minimum))
            raise BackendVersionError(
                f"Meilisearch at {self.url} is version {'.'.join(map(str, found))}; codereuse "
                f"needs {wanted} or newer (escaped filter values, granular filterable "
                f"attributes); upgrade the server to {wanted}+"
            )
        return found
