"""The live check of a registration: does the URL answer as the claimed forge kind?

Every request goes through the SSRF guard (`crawler.addresses`), hop by hop: redirects are
followed by hand so that a public URL cannot redirect the check into a private network, and the
token goes only to the host the registrant named.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin, urlsplit

import httpx

from crawler.addresses import Resolver, check_host
from crawler.kinds import KINDS, kind_spec
from crawler.pinning import PinnedSyncBackend, PinnedSyncTransport
from crawler.spec import ForgeKindSpec
from crawler.urls import redact_url
from schemas.errors import RegistrationError
from schemas.forge import ForgeRegistration

_MAX_REDIRECTS = 5
_TIMEOUT = httpx.Timeout(15.0, connect=10.0)


def _get_checked(
    client: httpx.Client,
    url: str,
    *,
    token: str | None,
    allow_private: bool,
    resolver: Resolver | None,
    spec: ForgeKindSpec,
) -> httpx.Response:
    """GET `url`, following redirects by hand so that every hop's host passes the SSRF guard.

    The token goes only to the host the registrant named, never to a host a redirect leads to.
    """
    origin = urlsplit(url).netloc
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        try:  # the host httpx will connect to, parsed by httpx itself (no parser differential)
            host = httpx.URL(current).host
        except httpx.InvalidURL:
            raise RegistrationError(
                f"{redact_url(current)}: not a usable URL; register the forge's https URL"
            ) from None
        check_host(host, where=redact_url(current), allow_private=allow_private, resolver=resolver)
        headers = {"Accept": "application/json"}
        if urlsplit(current).netloc == origin:
            headers.update(spec.auth_headers(token))
        response = client.get(current, headers=headers, follow_redirects=False)
        location = response.headers.get("location")
        if response.is_redirect and location:
            current = urljoin(current, location)
            if urlsplit(current).scheme not in {"http", "https"}:
                raise RegistrationError(
                    f"{redact_url(url)}: redirects to a non-HTTP location; register the forge's final https URL"
                )
            continue
        return response
    raise RegistrationError(
        f"{redact_url(url)}: more than {_MAX_REDIRECTS} redirects; register the forge's final URL"
    )


def _check_kind(
    reg: ForgeRegistration,
    http: httpx.Client,
    *,
    token: str | None,
    resolver: Resolver | None,
) -> None:
    spec = kind_spec(reg.kind)
    base = reg.url.rstrip("/")
    rest = spec.api_locations(base).rest
    tried: list[str] = []
    needs_token = False
    for probe in spec.probes:
        url = probe.url(base, rest)
        response = _fetch(reg, http, url, token=token, resolver=resolver)
        body: object = None
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if probe.proves(body):
                return
        needs_token = needs_token or response.status_code in {401, 403}
        kind_of_body = (
            "JSON" if body is not None else response.headers.get("content-type", "no body")
        )
        tried.append(
            f"GET {url} → {response.status_code} ({kind_of_body}, expected {probe.expects})"
        )
    others = " or ".join(other.label for other in KINDS.values() if other is not spec)
    advice = f"check the URL and --kind (is it a {others} forge?)"
    if spec.advice is not None:
        advice += spec.advice(reg)
    if needs_token:
        advice = _token_advice(reg, token)
    raise RegistrationError(
        f"{reg.url}: does not answer as a {reg.kind} forge: {'; '.join(tried)}; {advice}"
    )


def _token_advice(reg: ForgeRegistration, token: str | None) -> str:
    if reg.token_env and token is None:
        return (
            f"the forge asks for a token and the environment variable {reg.token_env} is not "
            "set; export it and try again"
        )
    if not reg.token_env:
        return "the forge asks for a token; pass --token-env VAR naming an environment variable that holds one"
    return f"the forge refused the token in {reg.token_env}; check that it is valid and may read the API"


def _fetch(
    reg: ForgeRegistration,
    http: httpx.Client,
    url: str,
    *,
    token: str | None,
    resolver: Resolver | None,
) -> httpx.Response:
    try:
        return _get_checked(
            http,
            url,
            token=token,
            allow_private=reg.allow_private,
            resolver=resolver,
            spec=kind_spec(reg.kind),
        )
    except httpx.HTTPError as error:
        raise RegistrationError(
            f"{reg.url}: cannot reach the forge ({type(error).__name__}); check the URL, "
            "your network and proxy settings"
        ) from None


def _check_scope(
    reg: ForgeRegistration,
    http: httpx.Client,
    *,
    token: str | None,
    resolver: Resolver | None,
) -> list[str]:
    """Refuse groups, orgs and repositories the forge does not know; return notes on what was
    left unchecked (a spent rate limit is no reason to refuse)."""
    missing: list[str] = []
    hidden: list[str] = []
    spec = kind_spec(reg.kind)
    for what, url in spec.scope_urls(spec.api_locations(reg.url.rstrip("/")).rest, reg):
        response = _fetch(reg, http, url, token=token, resolver=resolver)
        if response.status_code == 404:
            missing.append(what)
        elif response.status_code in {403, 429} and (
            response.headers.get("x-ratelimit-remaining") == "0"
            or response.headers.get("ratelimit-remaining") == "0"
            or response.status_code == 429
        ):
            return [f"rate limit reached; {what} and the rest of the scope were not checked"]
        elif response.status_code in {401, 403}:
            hidden.append(what)
    if missing or hidden:
        problems = []
        if missing:
            problems.append(
                f"not found: {', '.join(missing)} (check the spelling and that it is public, or give a token)"
            )
        if hidden:
            problems.append(f"not visible: {', '.join(hidden)} ({_token_advice(reg, token)})")
        raise RegistrationError(f"{reg.url}: {'; '.join(problems)}")
    return []


def check_forge(
    reg: ForgeRegistration,
    *,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> list[str]:
    """Ask the forge whether it answers as `reg.kind` and knows every group, org and repository.

    Kind: the kind's probes (`crawler.spec.ForgeKindSpec.probes`, e.g. GitLab ``GET
    /api/v4/version``, else ``GET /api/v4/projects?per_page=1``) until one proves it. Scope: one
    request per owner and repository (the kind's `scope_urls`, e.g. GitLab ``GET
    /groups/:path``). The token is read from ``os.environ[reg.token_env]`` for this check only. Returns notes
    on what could not be checked (a spent rate limit).

    Raises:
        RegistrationError: a private address (unless allowed), an unreachable forge, answers that
        do not look like the claimed kind, or scope the forge does not know; the message says
        what was tried and what to do.
    """
    token = os.environ.get(reg.token_env) if reg.token_env else None
    own_client = client is None
    http = client or httpx.Client(
        timeout=_TIMEOUT,
        headers={"User-Agent": "codereuse (forge registration check)"},
        # Connect to the addresses the guard checked: no second DNS answer (rebinding).
        transport=PinnedSyncTransport(
            PinnedSyncBackend(where=reg.url, allow_private=reg.allow_private, resolver=resolver)
        ),
    )
    try:
        _check_kind(reg, http, token=token, resolver=resolver)
        return _check_scope(reg, http, token=token, resolver=resolver)
    finally:
        if own_client:
            http.close()
