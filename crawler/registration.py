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
from typing import Required, TypedDict, Unpack
from urllib.parse import urlsplit

import httpx

from crawler.addresses import Resolver
from crawler.forge_check import check_forge
from crawler.kinds import KINDS, kind_spec
from crawler.urls import scope_from_url
from schemas.errors import InvalidURLError, RegistrationError
from schemas.forge import ForgeKind, ForgeRegistration
from schemas.token_env import token_env_problem

logger = logging.getLogger(__name__)


def default_name(url: str, *, orgs: Sequence[str] = (), groups: Sequence[str] = ()) -> str:
    """A registration name derived from the host (and the single org/group on shared forges)."""
    host = urlsplit(url).hostname or "forge"
    scope = [*orgs, *groups]
    public = any(host in spec.public_hosts for spec in KINDS.values())
    raw = f"{host}-{scope[0]}" if public and len(scope) == 1 else host
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


BUILD_FIELDS = (
    "url",
    "kind",
    "name",
    "groups",
    "orgs",
    "repos",
    "exclude",
    "token_env",
    "allow_private",
)
"""The `ForgeRegistration` fields `build_registration` takes (a registration rebuilt from them)."""


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
    spec = kind_spec(kind)
    try:
        base, url_scope, url_repos = scope_from_url(url, kind=kind)
    except InvalidURLError as error:
        raise RegistrationError(f"{error.url}: {error.reason}") from None
    owners = {"groups": list(groups), "orgs": list(orgs)}
    for field, option in (("groups", "--group"), ("orgs", "--org")):
        if field != spec.owners.field and _unique(owners[field]):
            raise RegistrationError(
                f"{base}: {option} is not used on {spec.label}; name {spec.owners.noun}s with "
                f"{spec.owners.option}"
            )
    owner_list = _unique([*owners[spec.owners.field], *url_scope])
    group_list = owner_list if spec.owners.field == "groups" else []
    org_list = owner_list if spec.owners.field == "orgs" else []
    repo_list = _unique([*repos, *url_repos])
    for repo in repo_list:
        if repo.count("/") < 1 or (not spec.owners.nested and repo.count("/") != 1):
            raise RegistrationError(f"{base}: repository {repo!r} must be written OWNER/NAME")
    if base in spec.scope_required and not (owner_list or repo_list):
        raise RegistrationError(
            f"{base}: {urlsplit(base).netloc} cannot be crawled whole; name at least one "
            f"{spec.owners.option} {spec.owners.noun.upper()} or --repo OWNER/NAME"
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


class RegistrationFields(TypedDict, total=False):
    """What `register` hands to `build_registration` (its keyword arguments)."""

    kind: Required[ForgeKind]
    name: str | None
    groups: Iterable[str]
    orgs: Iterable[str]
    repos: Iterable[str]
    exclude: Iterable[str]
    token_env: str | None
    allow_private: bool


def register(
    url: str,
    *,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
    check: bool = True,
    **fields: Unpack[RegistrationFields],
) -> ForgeRegistration:
    """Build a registration from what a person typed and check the forge answers as `kind`.

    With `check` False the forge is not asked (a change that leaves its URL as it was, such as
    a new group list): only what `build_registration` validates is checked.

    Nothing is saved here: the caller stores the returned registration. `client` and `resolver`
    are injected by tests (respx / a fake DNS); by default a fresh httpx client and the system
    resolver are used.

    Raises:
        RegistrationError: what is wrong (URL, scope, private address, wrong kind, unreachable)
        and what to do; never the token.
    """
    registration = build_registration(url, **fields)
    if not check:
        return registration
    for note in check_forge(registration, client=client, resolver=resolver):
        logger.warning("%s: %s", registration.url, note)
    return registration
