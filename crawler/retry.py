"""The one retry policy of the crawler: what is retried, how often, how long to wait.

Retried (named predicates below): 429 and other rate-limit answers, 5xx (502/503/504 above all;
GitLab also has pages that answer 500, gitlab-org/gitlab#262629), timeouts, reset connections,
truncated or invalid JSON. Everything else — other 4xx, GraphQL errors — is raised at once and
becomes a finding on the forge.

Waiting for a rate limit is the governor's job (`crawler.ratelimit`), not this policy's: a
rate-limited attempt is retried without counting against `attempts`, because the governor
already slept until the reset. Other failures wait with capped exponential backoff and jitter;
tests pass ``wait=wait_none()`` so nothing sleeps (style: an injectable wait, swh-core
``swh/core/retry.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

from schemas.errors import TransientForgeError

DEFAULT_ATTEMPTS = 5
"""Failed attempts (not counting rate-limit waits) before a request is given up."""
MAX_RATE_LIMIT_ROUNDS = 50
"""Rate-limit answers tolerated for one request; more means the forge never lets us in."""


def is_rate_limited(error: BaseException) -> bool:
    """True for 429 or a 403 that the forge marked as a rate-limit answer."""
    return isinstance(error, TransientForgeError) and error.rate_limited


def is_timeout(error: BaseException) -> bool:
    """True for 502/504 gateway timeouts and client-side timeouts: a smaller batch may pass."""
    return isinstance(error, TransientForgeError) and error.timeout


def is_transient(error: BaseException) -> bool:
    """True for every failure worth retrying (rate limits, 5xx, resets, bad JSON, timeouts)."""
    return isinstance(error, TransientForgeError)


def is_transient_but_not_timeout(error: BaseException) -> bool:
    """Retryable, except timeouts: used when the caller shrinks its batch on a timeout instead."""
    return is_transient(error) and not is_timeout(error)


def default_wait() -> wait_base:
    """Capped exponential backoff with jitter: about 1, 2, 4 … seconds, never more than 60."""
    return wait_exponential_jitter(initial=1, max=60, jitter=1)


class _Stop:
    """Stop after `attempts` ordinary failures or `MAX_RATE_LIMIT_ROUNDS` rate-limit answers."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        self.failures = 0
        self.rate_limited = 0

    def __call__(self, state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and is_rate_limited(error):
            self.rate_limited += 1
            return self.rate_limited >= MAX_RATE_LIMIT_ROUNDS
        self.failures += 1
        return self.failures >= self.attempts


class _Wait(wait_base):
    """No wait after a rate-limit answer (the governor waits); `inner` after anything else."""

    def __init__(self, inner: wait_base) -> None:
        self.inner = inner

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and is_rate_limited(error):
            return 0.0
        return float(self.inner(state))


def retrying(
    *,
    predicate: Callable[[BaseException], bool] = is_transient,
    attempts: int = DEFAULT_ATTEMPTS,
    wait: wait_base | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    before_sleep: Callable[[RetryCallState], Any] | None = None,
) -> AsyncRetrying:
    """Build the policy for one request.

    Args:
        predicate: which exceptions are retried (one of the named predicates above).
        attempts: ordinary failures before giving up; the last exception is re-raised.
        wait: the backoff between ordinary failures; `default_wait()` when None.
        sleep: the coroutine that sleeps (tests inject one that records instead).
        before_sleep: called before each wait, e.g. to log the retry.
    """
    options: dict[str, Any] = {
        "retry": retry_if_exception(predicate),
        "stop": _Stop(attempts),
        "wait": _Wait(wait if wait is not None else default_wait()),
        "reraise": True,
    }
    if sleep is not None:
        options["sleep"] = sleep
    if before_sleep is not None:
        options["before_sleep"] = before_sleep
    return AsyncRetrying(**options)
