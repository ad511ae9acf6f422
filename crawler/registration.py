"""Registering a forge: normalise its URL, work out its API locations, check it answers.

`register` is the one way a forge enters the registry from a person (CLI or API): it normalises
the URL (so ``https://GitLab.example.org/explore/groups/`` and ``https://gitlab.example.org`` are
the same forge), refuses hosts that lead to private networks (`crawler.addresses`), and asks the
forge whether it is what the registrant says it is before anything is saved. The token named by
`token_env` is read from the environment for that one check and never kept, logged or shown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from crawler.addresses import Resolver
from schemas.errors import InvalidURLError, RegistrationError
from schemas.forge import ForgeKind, ForgeRegistration
from schemas.record.identity import host_problem
from schemas.token_env import token_env_problem

logger = logging.getLogger(__name__)

GITHUB_COM = "https://github.com"
_MAX_REDIRECTS = 5
_TIMEOUT = httpx.Timeout(15.0, connect=10.0)

# UI routes that name a page of a forge, not the forge: the registrant copied them from a browser.
_GITLAB_UI = re.compile(
    r"/(?:explore(?:/(?:groups|projects|snippets|catalog)(?:/[^/]*)?)?|dashboard(?:/.*)?"
    r"|users/sign_in|users/sign_up|help(?:/.*)?|admin(?:/.*)?|-/.*|groups)$"
)
_GITHUB_UI = re.compile(
    r"/(?:orgs/[^/]+(?:/.*)?|enterprises/[^/]+(?:/.*)?|explore|topics(?:/.*)?|search|dashboard"
    r"|settings(?:/.*)?|login|organizations(?:/.*)?|trending(?:/.*)?)$"
)


@dataclass(frozen=True)
class ApiLocations:
    """Where a forge's APIs live: `rest` (GitLab v4 / GitHub v3 base) and `graphql` (endpoint)."""

    rest: str
    graphql: str


def api_locations(reg: ForgeRegistration) -> ApiLocations:
    """The REST base and GraphQL endpoint of the registered forge.

    GitLab: ``URL/api/v4`` and ``URL/api/graphql``. GitHub: ``https://github.com`` →
    ``https://api.github.com`` and ``https://api.github.com/graphql``; any other GitHub URL is an
    Enterprise Server with ``URL/api/v3`` and ``URL/api/graphql``.
    """
    base = reg.url.rstrip("/")
    if reg.kind == "gitlab":
        return ApiLocations(rest=f"{base}/api/v4", graphql=f"{base}/api/graphql")
    if base == GITHUB_COM:
        return ApiLocations(rest="https://api.github.com", graphql="https://api.github.com/graphql")
    return ApiLocations(rest=f"{base}/api/v3", graphql=f"{base}/api/graphql")


def redact_url(url: str) -> str:
    """`url` without user name, password, query and fragment: safe to show in messages."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}" if parts.scheme else netloc + parts.path


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, netloc, path) of a forge URL, normalised; raises InvalidURLError."""
    text = url.strip()
    if not text:
        raise InvalidURLError(
            url, "empty URL; give the forge's address, e.g. https://gitlab.example.org"
        )
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    shown = redact_url(text)
    if scheme not in {"http", "https"}:
        raise InvalidURLError(shown, f"unsupported scheme {scheme!r}; use an https URL")
    try:
        port = parts.port
    except ValueError:
        raise InvalidURLError(shown, "the port is not a number between 0 and 65535") from None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidURLError(shown, "no host; give a URL like https://gitlab.example.org")
    problem = host_problem(host)
    if problem:
        raise InvalidURLError(shown, problem)
    if (scheme, port) in {("http", 80), ("https", 443)}:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc = f"{netloc}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if path.lower().endswith(".git"):
        path = path[: -len(".git")].rstrip("/")
    return scheme, netloc, path


def _is_github_host(netloc: str, kind: ForgeKind | None) -> bool:
    return netloc in {"github.com", "www.github.com"} or kind == "github"


def normalise_forge_url(url: str, *, kind: ForgeKind | None = None) -> str:
    """The canonical base URL of the forge `url` points into.

    Lower-case scheme and host, no credentials, default port, query, fragment, ``.git`` or trailing
    slash, and no forge UI route (GitLab ``/explore/groups``, ``/explore/projects``,
    ``/dashboard/...``, ``/-/...``; GitHub ``/orgs/X``, ``/enterprises/X``, ...). A GitHub forge
    (github.com, or any URL when `kind` is ``github``) never has a path: GitHub Enterprise Server
    is served from the host root. A GitLab path that is not a UI route is kept, since GitLab may be
    installed under a relative URL root (``https://example.org/gitlab``), except on gitlab.com.
    ``www.github.com`` becomes ``github.com``; ``http`` is kept when given (on-premises forges).

    Raises:
        InvalidURLError: no host, a scheme other than http(s), or a bad port.
    """
    scheme, netloc, path = _split(url)
    if _is_github_host(netloc, kind):
        netloc = "github.com" if netloc == "www.github.com" else netloc
        return f"{'https' if netloc == 'github.com' else scheme}://{netloc}"
    if netloc == "gitlab.com":
        return "https://gitlab.com"
    previous = None
    while previous != path:
        previous = path
        path = _GITLAB_UI.sub("", path)
        if kind is None:
            path = _GITHUB_UI.sub("", path)
        path = path.rstrip("/")
        if path.lower().endswith(".git"):
            path = path[: -len(".git")].rstrip("/")
    return f"{scheme}://{netloc}{path}"


def scope_from_url(url: str, *, kind: ForgeKind) -> tuple[str, list[str], list[str]]:
    """(forge URL, groups or orgs, repos) read from a URL that points inside a forge.

    ``https://github.com/orgs/X`` and ``https://github.com/X`` name organisation X,
    ``https://github.com/X/Y`` repository X/Y; on gitlab.com a path names a group (a project path
    cannot be told from a subgroup path without asking, so it is taken as a group). On other GitLab
    instances the path is kept as part of the forge URL (relative URL root).
    """
    _scheme, netloc, path = _split(url)
    segments = [segment for segment in path.split("/") if segment]
    base = normalise_forge_url(url, kind=kind)
    if kind == "github":
        if segments[:1] == ["orgs"] and len(segments) >= 2:
            return base, [segments[1]], []
        if _GITHUB_UI.search(path) or not segments:
            return base, [], []
        if len(segments) == 1:
            return base, [segments[0]], []
        return base, [], [f"{segments[0]}/{segments[1]}"]
    if netloc == "gitlab.com":
        trimmed = _GITLAB_UI.sub("", path).strip("/")
        if trimmed.startswith("groups/"):
            trimmed = trimmed.removeprefix("groups/")
        return base, [trimmed] if trimmed else [], []
    return base, [], []


def default_name(url: str, *, orgs: Sequence[str] = (), groups: Sequence[str] = ()) -> str:
    """A registration name derived from the host (and the single org/group on shared forges)."""
    host = urlsplit(url).hostname or "forge"
    scope = [*orgs, *groups]
    raw = f"{host}-{scope[0]}" if host in {"github.com", "gitlab.com"} and len(scope) == 1 else host
    return slug(raw)


def slug(text: str) -> str:
    """`text` as a registration name: lower-case, ``[a-z0-9._-]``, at most 63 characters."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return (name or "forge")[:63].rstrip("-._")


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        cleaned = value.strip().strip("/")
        if cleaned and cleaned.lower() not in seen:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())


def build_registration(
    url: str,
    *,
    kind: ForgeKind,
    name: str | None = None,
    groups: Iterable[str] = (),
    orgs: Iterable[str] = (),
    repos: Iterable[str] = (),
    exclude: Iterable[str] = (),
    token_env: str | None = None,
    allow_private: bool = False,
) -> ForgeRegistration:
    """A validated registration without any network check (also used by registry imports).

    Raises:
        RegistrationError: bad URL, scope that does not fit the kind, bad name, or a token
            variable that is malformed or one of codereuse's own settings
            (`schemas.token_env`; the API also applies the operator's allow-list).
    """
    try:
        base, url_scope, url_repos = scope_from_url(url, kind=kind)
    except InvalidURLError as error:
        raise RegistrationError(f"{error.url}: {error.reason}") from None
    group_list = _unique([*groups, *(url_scope if kind == "gitlab" else [])])
    org_list = _unique([*orgs, *(url_scope if kind == "github" else [])])
    repo_list = _unique([*repos, *url_repos])
    if kind == "gitlab" and org_list:
        raise RegistrationError(f"{base}: --org is for GitHub; on GitLab name groups with --group")
    if kind == "github" and group_list:
        raise RegistrationError(
            f"{base}: --group is for GitLab; on GitHub name organisations with --org"
        )
    for repo in repo_list:
        if repo.count("/") < 1 or (kind == "github" and repo.count("/") != 1):
            raise RegistrationError(f"{base}: repository {repo!r} must be written OWNER/NAME")
    if base == GITHUB_COM and not (org_list or repo_list):
        raise RegistrationError(
            f"{base}: github.com cannot be crawled whole; name at least one --org LOGIN or --repo OWNER/NAME"
        )
    problem = token_env_problem(token_env) if token_env is not None else None
    if problem:
        raise RegistrationError(f"{base}: {problem}")
    chosen = name if name is not None else default_name(base, orgs=org_list, groups=group_list)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,62}", chosen):
        raise RegistrationError(
            f"{base}: name {chosen!r} must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
        )
    return ForgeRegistration(
        name=chosen,
        kind=kind,
        url=base,
        groups=group_list,
        orgs=org_list,
        repos=repo_list,
        exclude=_unique(exclude),
        token_env=token_env,
        allow_private=allow_private,
    )


def register(
    url: str,
    *,
    kind: ForgeKind,
    name: str | None = None,
    groups: Sequence[str] = (),
    orgs: Sequence[str] = (),
    repos: Sequence[str] = (),
    exclude: Sequence[str] = (),
    token_env: str | None = None,
    allow_private: bool = False,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> ForgeRegistration:
    """Build a registration from what a person typed and check the forge answers as `kind`.

    Nothing is saved here: the caller stores the returned registration. `client` and `resolver`
    are injected by tests (respx / a fake DNS); by default a fresh httpx client and the system
    resolver are used.

    Raises:
        RegistrationError: what is wrong (URL, scope, private address, wrong kind, unreachable)
        and what to do; never the token.
    """
    registration = build_registration(
        url,
        kind=kind,
        name=name,
        groups=groups,
        orgs=orgs,
        repos=repos,
        exclude=exclude,
        token_env=token_env,
        allow_private=allow_private,
    )
    # Imported here: forge_check needs api_locations and redact_url from this module.
    from crawler.forge_check import check_forge

    for note in check_forge(registration, client=client, resolver=resolver):
        logger.warning("%s: %s", registration.url, note)
    return registration
