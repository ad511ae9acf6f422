"""ASGI middleware: request limits, ETag / 304 on GETs, and request metrics.

Pure ASGI (no BaseHTTPMiddleware), so streamed exports pass through untouched and nothing
buffers more than one finished response body.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from api.metrics import Metrics
from api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, kind_for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 64 * 1024
MAX_QUERY_STRING_BYTES = 4 * 1024
MAX_PATH_BYTES = 1024


async def send_problem(send: Send, scope: Scope, status: int, detail: str) -> None:
    """Answer with a problem+json body without going through the app."""
    body = json.dumps(
        {
            "type": PROBLEM_TYPE_BASE + kind_for(status),
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "errors": [],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HTTPMiddleware:
    """Pure ASGI middleware for HTTP requests: `handle` sees the requests `handles` accepts;
    anything else (lifespan events, the requests it declines) passes to `app` untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def handles(self, scope: Scope) -> bool:
        """Whether `handle` sees this HTTP request (all of them unless a subclass narrows)."""
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.handles(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request, usually by calling `app` with a wrapped `receive`/`send`."""
        raise NotImplementedError


class LimitsMiddleware(HTTPMiddleware):
    """Refuse over-long URLs (414) and request bodies over `max_body` bytes (413)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING_BYTES:
            await send_problem(
                send, scope, 414, f"the query string is over {MAX_QUERY_STRING_BYTES} bytes"
            )
            return
        if len(scope.get("raw_path", b"") or b"") > MAX_PATH_BYTES:
            await send_problem(send, scope, 414, f"the path is over {MAX_PATH_BYTES} bytes")
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                await send_problem(
                    send, scope, 413, f"the request body is over {self.max_body} bytes"
                )
                return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
        if too_large and not started:
            await send_problem(send, scope, 413, f"the request body is over {self.max_body} bytes")


class ETagMiddleware(HTTPMiddleware):
    """Give whole (non-streamed) 200 answers to GET/HEAD a strong ETag; answer 304 on a match.

    Streamed bodies (exports) have no Content-Length and several body messages; they pass
    through unchanged.
    """

    def handles(self, scope: Scope) -> bool:
        return scope["method"] in {"GET", "HEAD"}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if_none_match = _header(scope, b"if-none-match")
        start: Message | None = None
        passthrough = False

        async def etag_send(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if (
                    message["status"] != 200
                    or b"content-length" not in headers
                    or b"etag" in headers
                ):
                    passthrough = True
                    await send(message)
                else:
                    start = message
                return
            if message["type"] == "http.response.body" and start is not None:
                body = message.get("body", b"")
                if message.get("more_body", False):
                    passthrough = True
                    await send(start)
                    await send(message)
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                tagged = [*start.get("headers", []), (b"etag", etag.encode())]
                if if_none_match is not None and _matches(if_none_match, etag):
                    kept = [
                        (k, v) for k, v in tagged if k not in {b"content-length", b"content-type"}
                    ]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    await send({"type": "http.response.body", "body": b""})
                    return
                await send({**start, "headers": tagged})
                await send(message)
                return
            await send(message)

        await self.app(scope, receive, etag_send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in candidates


class MetricsMiddleware(HTTPMiddleware):
    """Count requests and time them by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(
                scope["method"], template, status, time.perf_counter() - started
            )
