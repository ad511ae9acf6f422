"""The load driver of `bench/load.py`: a request mix, closed-loop clients and their figures.

`Mix` draws requests by weight from the catalogue's own values (search words, record ids,
filter values); `drive` runs that many concurrent keep-alive clients for a bounded time on a
minimal HTTP/1.1 client written on asyncio streams (Content-Length and chunked bodies), so the
driver spends far less CPU per request than the server and is not what limits the figures.
`summary` turns the timings into requests per second and p50/p95/p99 per endpoint.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

# The mix of issue 9 ("Load"): endpoint name and share of the requests, in percent.
SHARES: tuple[tuple[str, int], ...] = (
    ("search API", 30),
    ("search page", 20),
    ("software page", 25),
    ("record JSON", 5),
    ("filtered CSV", 8),
    ("full NDJSON", 2),
    ("Atom", 7),
    ("stats", 3),
)
SEARCH_ENDPOINTS = ("search API", "search page")
PAGE_ENDPOINTS = ("search page", "software page")
API_FACETS = "licence,category,organisation,forge,software_type,development_status"
REQUEST_TIMEOUT = 60.0


@dataclass(frozen=True)
class Catalogue:
    """What the mix draws from: search words, record ids and filter values by filter name."""

    queries: Sequence[str]
    record_ids: Sequence[str]
    filters: Sequence[tuple[str, str]]


class Mix:
    """Deterministic request paths by endpoint, drawn with the shares of `SHARES`."""

    def __init__(self, catalogue: Catalogue, seed: int) -> None:
        self.catalogue = catalogue
        self.rng = random.Random(seed)
        self.names = [name for name, _ in SHARES]
        self.weights = [share for _, share in SHARES]

    def next(self) -> tuple[str, str]:
        """The next request as (endpoint name, path with query string)."""
        name = self.rng.choices(self.names, weights=self.weights)[0]
        return name, self.path(name)

    def path(self, name: str) -> str:
        """A path for endpoint `name` with values drawn from the catalogue."""
        rng, catalogue = self.rng, self.catalogue
        query = rng.choice(catalogue.queries)
        record = quote(rng.choice(catalogue.record_ids))
        key, value = rng.choice(catalogue.filters)
        language = rng.choice(("de", "en"))
        if name == "search API":
            return "/api/v1/software?" + urlencode({"q": query, "facets": API_FACETS})
        if name == "search page":
            return "/?" + urlencode({"q": query, "lang": language})
        if name == "software page":
            return f"/software/{record}?lang={language}"
        if name == "record JSON":
            return f"/api/v1/software/{record}"
        if name == "filtered CSV":
            return "/api/v1/export?" + urlencode({"format": "csv", key: value})
        if name == "full NDJSON":
            return "/api/v1/export?format=ndjson"
        if name == "Atom":
            pairs = {"lang": language} if rng.random() < 0.5 else {key: value, "lang": language}
            return "/feeds/software.atom?" + urlencode(pairs)
        if name == "stats":
            return "/api/v1/stats"
        raise ValueError(f"unknown endpoint {name!r}")


@dataclass
class Outcome:
    """Timings (seconds) by endpoint, errors by endpoint, a few example failures, and the
    server's ``X-Cache`` answers (hit, miss) by endpoint."""

    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    cache: dict[str, Counter[str]] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    bytes_read: int = 0


class Connection:
    """One keep-alive HTTP/1.1 connection to host:port; reconnects when the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int, str]:
        """GET `path`; returns (status, body bytes, ``X-Cache`` header or "").

        Raises on a broken or refused connection."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.reader, self.writer
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept-Encoding: identity\r\n\r\n".encode("latin-1")
        )
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        size = 0
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                length = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if length == 0:
                    await reader.readuntil(b"\r\n")
                    break
                size += len(await reader.readexactly(length))
                await reader.readexactly(2)
        elif "content-length" in headers:
            size = len(await reader.readexactly(int(headers["content-length"])))
        else:
            size = len(await reader.read())
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, size, headers.get("x-cache", "")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(
    host: str, port: int, mix: Mix, start: float, begin: float, end: float, outcome: Outcome
) -> None:
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    connection = Connection(host, port)
    while time.monotonic() < end:
        name, path = mix.next()
        started = time.monotonic()
        try:
            status, size, cached = await asyncio.wait_for(connection.get(path), REQUEST_TIMEOUT)
            failure = None if status == 200 else f"{status} GET {path}"
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            connection.close()
            status, size, cached = 0, 0, ""
            failure = f"{type(error).__name__} GET {path}"
        finished = time.monotonic()
        if started < begin or finished > end:
            continue  # warming up, or past the end of the measured window
        outcome.bytes_read += size
        if failure is not None:
            outcome.errors[name] = outcome.errors.get(name, 0) + 1
            if len(outcome.examples) < 5:
                outcome.examples.append(failure)
        else:
            outcome.timings.setdefault(name, []).append(finished - started)
            if cached:
                outcome.cache.setdefault(name, Counter())[cached] += 1
    connection.close()


async def _drive(
    host: str, port: int, catalogue: Catalogue, clients: int, warmup: float, duration: float
) -> Outcome:
    outcome = Outcome()
    now = time.monotonic()
    begin = now + warmup
    end = begin + duration
    arrival = warmup / 2 / clients
    await asyncio.gather(
        *(
            _client(host, port, Mix(catalogue, seed), now + seed * arrival, begin, end, outcome)
            for seed in range(clients)
        )
    )
    return outcome


def drive(
    host: str, port: int, catalogue: Catalogue, clients: int, warmup: float, duration: float
) -> Outcome:
    """Run `clients` closed-loop clients: `warmup` seconds unmeasured, then `duration` measured.

    The clients arrive one by one over the first half of the warm-up, as users do, each
    opening its keep-alive connection then: a burst of connections at one instant would all be
    accepted by whichever worker process wakes first (asyncio accepts a whole backlog at once).

    A request counts when it finishes inside the measured window; a status other than 200,
    a broken connection or a request over `REQUEST_TIMEOUT` seconds counts as an error.
    """
    return asyncio.run(_drive(host, port, catalogue, clients, warmup, duration))


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(outcome: Outcome, duration: float) -> dict[str, dict[str, float]]:
    """Per endpoint and for "all", "search" and "pages": count, req/s, p50/p95/p99 (ms), errors."""
    groups: dict[str, list[str]] = {name: [name] for name, _ in SHARES}
    groups["search (API + page)"] = list(SEARCH_ENDPOINTS)
    groups["pages (search + software)"] = list(PAGE_ENDPOINTS)
    groups["all"] = [name for name, _ in SHARES]
    table = {}
    for group, members in groups.items():
        times = [t for name in members for t in outcome.timings.get(name, [])]
        errors = sum(outcome.errors.get(name, 0) for name in members)
        table[group] = {
            "count": float(len(times)),
            "req/s": len(times) / duration,
            "p50": percentile(times, 0.50) * 1000,
            "p95": percentile(times, 0.95) * 1000,
            "p99": percentile(times, 0.99) * 1000,
            "errors": float(errors),
        }
    return table


def hit_rates(outcome: Outcome) -> dict[str, float]:
    """The share of answers the server said it had kept (``X-Cache: hit``), by endpoint."""
    return {
        name: counts["hit"] / max(1, sum(counts.values())) for name, counts in outcome.cache.items()
    }
