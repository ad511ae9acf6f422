"""A real HTTP listener on loopback for webhook deliveries: checks signatures, answers on cue."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from schemas.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_matches


@dataclass
class Received:
    """One request the listener got, and whether its signature and timestamp checked out."""

    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Listener:
    """What the handler answers (`statuses`, popped in order, then 200) and what it got."""

    secret: str
    statuses: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""


def _handler(listener: Listener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            signed = signature_matches(
                listener.secret, body, headers.get(SIGNATURE_HEADER.lower(), "")
            )
            stamp = headers.get(TIMESTAMP_HEADER.lower(), "")
            fresh = signed and str(json.loads(body).get("timestamp")) == stamp
            listener.received.append(Received(self.path, headers, body, signed and fresh))
            status, extra = listener.statuses.pop(0) if listener.statuses else (200, {})
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests assert on what was received."""

    return Handler


@contextmanager
def listening(secret: str) -> Iterator[Listener]:
    """A `Listener` serving on 127.0.0.1 (a free port) in a thread, for the `with` block."""
    listener = Listener(secret=secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(listener))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
