"""A per-forge deadline: a forge that answers slowly or not at all is cut off, not waited for.

A forge answering every request after 40 s (the client gives up after 30 s) would otherwise keep
a crawl busy for minutes of retries and halved GraphQL batches. `Deadline` measures one forge's
crawl on the governor's clock (injectable, so tests never sleep): `ForgeClient` checks it before
every attempt and before a rate-limit wait, and shortens the last request's timeout to what is
left. When it has passed, `DeadlineExceededError` ends the forge's crawl at its last checkpoint
with a finding; the next run continues from there. Other forges are crawled concurrently and
are not held up.
"""

from __future__ import annotations

from collections.abc import Callable

from schemas.errors import DeadlineExceededError

DEFAULT_DEADLINE = 30 * 60
"""Seconds one forge's crawl may take (the setting ``CODEREUSE_CRAWL_DEADLINE``, default 30m)."""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


class Deadline:
    """`seconds` from now on `clock` (the forge's governor clock, epoch seconds)."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self.ends_at = clock() + seconds

    def left(self) -> float:
        """Seconds left, never below zero."""
        return max(0.0, self.ends_at - self.clock())

    def describe(self) -> str:
        """What is left, for progress lines: ``27 min of the 30 min deadline left``."""
        return f"{_minutes(self.left())} of the {_minutes(self.seconds)} deadline left"

    def check(self, url: str, *, blocked_until: float = 0.0) -> None:
        """Raise `DeadlineExceededError` once the deadline has passed, or when the forge's rate
        limit keeps it closed (`blocked_until`) beyond the deadline: waiting would be in vain.
        """
        if self.clock() >= self.ends_at:
            raise DeadlineExceededError(url, _minutes(self.seconds), "waiting for an answer")
        if blocked_until > self.ends_at:
            raise DeadlineExceededError(
                url, _minutes(self.seconds), "its rate limit resets only after the deadline"
            )
