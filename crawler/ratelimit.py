"""Rate-limit governors: one per (host, token), so one forge's limits never slow another.

A governor

* bounds concurrency (a polite default of 4 requests in flight per forge and token);
* reads `RateLimit-Remaining`/`RateLimit-Reset` (GitLab) and `X-RateLimit-Remaining`/
  `X-RateLimit-Reset` (GitHub) after every answer, and GitHub GraphQL's `rateLimit` object;
  when nothing remains it waits for the reset — showing the countdown through `on_wait` —
  instead of failing (Perceval issue #457 is what happens otherwise);
* honours `Retry-After`;
* falls back to capped exponential backoff with jitter when a 429 carries no header at all
  (GitLab.com does that: gitlab-org/gitlab#365728).

Clock, sleep and randomness are injected, so tests never sleep.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime

WaitCallback = Callable[[str, float, str], None]
"""on_wait(host, seconds_left, reason): called as a wait starts and as it counts down."""

DEFAULT_CONCURRENCY = 4
BACKOFF_CAP = 300.0
"""Longest blind backoff after a 429 without headers, in seconds."""
COUNTDOWN_STEP = 10.0
"""A long wait is slept in steps of this many seconds, reporting the time left after each."""
SECONDARY_MIN_WAIT = 60.0
"""GitHub: after a secondary-limit answer without headers, wait at least a minute."""
MAX_RESET_WAIT = 3700.0
"""A reset further away than this is treated as bogus and capped (GitHub resets hourly)."""


def _says_rate_limit(body: bytes) -> bool:
    text = body[:500].decode("utf-8", "replace").lower()
    return "rate limit" in text or "abuse detection" in text


def _header(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta seconds or an HTTP date)."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def parse_reset(value: str, now: float) -> float | None:
    """Epoch second of the reset: GitHub and GitLab send an epoch; some send seconds left."""
    try:
        number = float(value)
    except ValueError:
        return None
    # A small number is "seconds until reset" (IETF RateLimit draft), a large one an epoch.
    return number if number > 1_000_000_000 else now + number


@dataclass
class Governor:
    """Paces requests to one host with one token; see the module docstring."""

    host: str
    concurrency: int = DEFAULT_CONCURRENCY
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    on_wait: WaitCallback | None = None
    jitter: Callable[[], float] = random.random
    blocked_until: float = 0.0
    remaining: int | None = None
    blind_backoffs: int = 0
    waited_seconds: float = 0.0
    _semaphore: asyncio.Semaphore | None = field(default=None, repr=False)

    @property
    def semaphore(self) -> asyncio.Semaphore:
        """The concurrency bound, created lazily inside the running event loop."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        return self._semaphore

    async def wait_turn(self) -> None:
        """Sleep until the forge lets us send again, reporting the countdown."""
        while True:
            left = self.blocked_until - self.clock()
            if left <= 0:
                return
            if self.on_wait is not None:
                self.on_wait(self.host, left, "rate limit")
            step = min(left, COUNTDOWN_STEP)
            self.waited_seconds += step
            await self.sleep(step)

    def _block_for(self, seconds: float) -> None:
        seconds = min(max(0.0, seconds), MAX_RESET_WAIT)
        self.blocked_until = max(self.blocked_until, self.clock() + seconds)

    def observe(self, status: int, headers: Mapping[str, str], body: bytes = b"") -> bool:
        """Learn from one answer; return True when it was a rate-limit refusal.

        A refusal is a 429, or a 403 whose remaining-header is 0, that carries `Retry-After`, or
        whose body says it is a (secondary) rate limit — GitHub's secondary limits and its older
        "abuse detection mechanism" answer sometimes come without headers; GitHub then asks for
        at least a minute's wait, so a blind wait after such a 403 is never shorter.
        """
        now = self.clock()
        remaining_text = _header(headers, "ratelimit-remaining", "x-ratelimit-remaining")
        reset_text = _header(headers, "ratelimit-reset", "x-ratelimit-reset")
        retry_after_text = _header(headers, "retry-after")
        if remaining_text is not None:
            try:
                self.remaining = int(float(remaining_text))
            except ValueError:
                self.remaining = None
        reset = parse_reset(reset_text, now) if reset_text else None
        retry_after = parse_retry_after(retry_after_text, now) if retry_after_text else None
        secondary = status == 403 and _says_rate_limit(body)
        refused = (
            status == 429
            or secondary
            or (status == 403 and (self.remaining == 0 or retry_after is not None))
        )
        if retry_after is not None and (refused or status == 503):
            self._block_for(retry_after)
        elif self.remaining == 0 and reset is not None:
            # Nothing left: wait for the reset (plus a second for clock skew), refused or not.
            self._block_for(reset - now + 1)
        elif refused:
            self.blind_backoffs += 1
            base = min(BACKOFF_CAP, 2.0**self.blind_backoffs)
            wait = base / 2 + self.jitter() * base / 2
            self._block_for(max(wait, SECONDARY_MIN_WAIT) if secondary else wait)
        if not refused and status < 400:
            self.blind_backoffs = 0
        return refused

    def observe_graphql(self, rate_limit: Mapping[str, object] | None) -> None:
        """Learn from GitHub GraphQL's ``rateLimit { cost remaining resetAt }`` object."""
        if not rate_limit:
            return
        remaining = rate_limit.get("remaining")
        if isinstance(remaining, int):
            self.remaining = remaining
        reset_at = rate_limit.get("resetAt")
        cost = rate_limit.get("cost")
        if isinstance(remaining, int) and isinstance(reset_at, str):
            needed = cost if isinstance(cost, int) else 1
            if remaining < needed:
                reset = datetime.fromisoformat(reset_at.replace("Z", "+00:00")).timestamp()
                self._block_for(reset - self.clock() + 1)


@dataclass
class GovernorRegistry:
    """Hands out one `Governor` per (host, token); the token is kept only as a hash."""

    concurrency: int = DEFAULT_CONCURRENCY
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    on_wait: WaitCallback | None = None
    jitter: Callable[[], float] = random.random
    _governors: dict[tuple[str, str], Governor] = field(default_factory=dict, repr=False)

    def for_host(self, host: str, token: str | None) -> Governor:
        """The governor of `host` used with `token` (None: anonymous)."""
        token_key = hashlib.sha256(token.encode()).hexdigest()[:16] if token else ""
        key = (host.lower(), token_key)
        if key not in self._governors:
            self._governors[key] = Governor(
                host=host.lower(),
                concurrency=self.concurrency,
                clock=self.clock,
                sleep=self.sleep,
                on_wait=self.on_wait,
                jitter=self.jitter,
            )
        return self._governors[key]
