"""Posting one webhook delivery: the SSRF guard, no redirects, retries with exponential backoff.

The URL was checked when the webhook was registered (`check_webhook_url`, the same rules as a
forge registration: `crawler.addresses`); each delivery connects through a pinned transport
(`crawler.pinning`), so the address connected to is one the check just passed: loopback,
private, link-local and metadata addresses are refused unless the admin registered the webhook
with ``allow_private``. Redirects are never followed (a 3xx is a failed delivery), so a receiver
cannot bounce the request to an internal address.

A 2xx answer is delivered; 408, 429, 5xx answers and connection failures are retried up to
`MAX_ATTEMPTS` times with waits of 1, 2, 4, 8 … seconds (`wait` is injectable: tests pass one
that records and returns at once); any other answer, a refused address or a redirect ends the
delivery at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from crawler.addresses import Resolver, check_host
from crawler.pinning import PinnedSyncBackend, PinnedSyncTransport
from schemas.errors import RegistrationError

MAX_ATTEMPTS = 5
FIRST_WAIT = 1.0
TIMEOUT = 10.0
_RETRIED = {408, 425, 429}


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery came to: the last status code (None: no answer), attempts, error."""

    delivered: bool
    status_code: int | None
    attempts: int
    error: str | None


def check_webhook_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> str:
    """`url` if codereuse may post to it; the check a forge registration gets.

    Raises:
        RegistrationError: not an http(s) URL with a host, or (without `allow_private`) its host
            is or resolves to a non-public address.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistrationError(
            f"{url}: a webhook needs an http or https URL with a host, like https://example.org/hook"
        )
    if parts.username or parts.password:
        raise RegistrationError(f"{url}: no credentials in a webhook URL; use the secret instead")
    check_host(parts.hostname, where=url, allow_private=allow_private, resolver=resolver)
    return url.strip()


def _retried(status: int) -> bool:
    return status in _RETRIED or status >= 500


def post_delivery(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    wait: Callable[[float], None] = time.sleep,
    max_attempts: int = MAX_ATTEMPTS,
    user_agent: str = "codereuse",
) -> DeliveryResult:
    """POST `body` to `url` with `headers`, retrying as the module says; never raises.

    `transport` replaces the pinned transport (tests); without it every connection goes to an
    address `crawler.addresses.checked_addresses` passed for `allow_private`.
    """
    pinned = transport or PinnedSyncTransport(
        PinnedSyncBackend(where=url, allow_private=allow_private, resolver=resolver)
    )
    status: int | None = None
    error: str | None = None
    attempt = 0
    with httpx.Client(
        transport=pinned,
        follow_redirects=False,
        timeout=TIMEOUT,
        headers={"User-Agent": user_agent},
    ) as client:
        while attempt < max_attempts:
            if attempt:
                wait(FIRST_WAIT * 2 ** (attempt - 1))
            attempt += 1
            try:
                response = client.post(url, content=body, headers=headers)
            except RegistrationError as refused:
                return DeliveryResult(False, None, attempt, f"refused: {refused}")
            except httpx.HTTPError as failure:
                status, error = None, f"{type(failure).__name__}: {failure}"
                continue
            status = response.status_code
            if 200 <= status < 300:
                return DeliveryResult(True, status, attempt, None)
            if 300 <= status < 400:
                where = response.headers.get("location", "")
                error = f"answered {status} (a redirect to {where or 'nowhere'}): not followed"
                return DeliveryResult(False, status, attempt, error)
            error = f"answered {status}"
            if not _retried(status):
                return DeliveryResult(False, status, attempt, error)
    return DeliveryResult(False, status, attempt, f"{error}; gave up after {attempt} attempts")
