"""The registry of forge kinds: each kind's spec, by name (style: register explicitly, never
discover). Adding a kind is a folder ``crawler/<kind>/`` exporting a `ForgeKindSpec` and one
line here (docs/forge-kinds.md)."""

from __future__ import annotations

from crawler.forgejo import FORGEJO
from crawler.gitea import GITEA
from crawler.github import GITHUB
from crawler.gitlab import GITLAB
from crawler.spec import ApiLocations, ForgeKindSpec
from schemas.errors import RegistrationError
from schemas.forge import ForgeRegistration

KINDS: dict[str, ForgeKindSpec] = {spec.name: spec for spec in (GITLAB, GITHUB, GITEA, FORGEJO)}
"""Every forge kind codereuse crawls, by name, in the order shown to people."""


def kind_names() -> tuple[str, ...]:
    """The registered kinds' names (CLI choices, the API's enum, messages)."""
    return tuple(KINDS)


def kind_spec(name: str) -> ForgeKindSpec:
    """The spec of kind `name`.

    Raises:
        RegistrationError: no kind of that name is registered (the message lists the known ones).
    """
    spec = KINDS.get(name)
    if spec is None:
        raise RegistrationError(f"unknown forge kind {name!r}; codereuse knows {', '.join(KINDS)}")
    return spec


def kind_of_host(host: str) -> ForgeKindSpec | None:
    """The kind a host's name tells (github.com, gitlab.com, ``gitlab.*``, ...), else None."""
    return next((spec for spec in KINDS.values() if spec.claims_host(host)), None)


def kind_of_registry_name(name: object) -> ForgeKindSpec | None:
    """The kind a third-party registry means by `name` (code.gouv.fr's ``forge:``), else None."""
    return next((spec for spec in KINDS.values() if name in spec.registry_names), None)


def api_locations(registration: ForgeRegistration) -> ApiLocations:
    """Where the registered forge's APIs are (its kind's `api_locations` of its URL)."""
    return kind_spec(registration.kind).api_locations(registration.url.rstrip("/"))
