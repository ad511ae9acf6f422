"""Serve an ``httpx``-style fake forge (``handle(request) -> response``) over real HTTP on loopback.

Used where the code under test runs in another process (the SIGKILL resume test, the end-to-end
test through the installed console command): the fake forges of `tests.crawler.fakeforge` answer
as real servers on 127.0.0.1, never on any other address.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Handle = Callable[[httpx.Request], httpx.Response]


@contextlib.contextmanager
def serve(
    handle: Handle,
    *,
    host_of: Callable[[int], str] = lambda port: f"127.0.0.1:{port}",
    delay: float = 0.0,
) -> Iterator[int]:
    """Serve `handle` on 127.0.0.1 on a free port; yield the port, shut down on exit.

    `delay` seconds pass between computing an answer and sending it (a slow forge), so a test
    can kill a client mid-crawl; the request is counted on arrival.
    """
    state: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{host_of(state['port'])}{self.path}",
                headers=dict(self.headers),
                content=body,
            )
            response = handle(request)
            content = response.read()
            if delay:
                time.sleep(delay)
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(content)

        do_GET = _answer
        do_POST = _answer
        do_HEAD = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["port"] = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state["port"]
    finally:
        server.shutdown()
        server.server_close()
