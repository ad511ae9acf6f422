"""What a forge kind is: the one spec each ``crawler/<kind>/`` folder exports.

A spec holds everything the rest of codereuse needs to know about a kind of forge, so that no
code outside the kind's folder branches on the kind (architecture decision 11): the crawler
class, where the APIs are, the live check, the words of its scope, raw-file URLs, how to tell its
hosts in a registry, and the reading of its own repository JSON into kind-neutral facts
(`schemas.forge.ForgeFacts`). `crawler.kinds` registers the specs by name.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.native import Spellings
from schemas.forge import ForgeRegistration
from schemas.organisation import OwnerProfile

if TYPE_CHECKING:
    from crawler.base import ForgeCrawler
    from crawler.issues import IssueTrackerFactory
    from crawler.proposals import ProposerFactory


@dataclass(frozen=True)
class ApiLocations:
    """Where a forge's APIs live: the REST base and the GraphQL endpoint (None: no GraphQL)."""

    rest: str
    graphql: str | None


@dataclass(frozen=True)
class Probe:
    """One request of the live check: a REST path and what proves the forge is of this kind."""

    path: str
    """Relative to the REST base, e.g. ``/version`` (to the forge's URL with `from_base`)."""
    expects: str
    """What a good answer is, for the message when none came."""
    proves: Callable[[object], bool]
    """True when the decoded JSON body is what this kind answers."""
    from_base: bool = False
    """True when `path` is relative to the forge's URL, not to the REST base."""

    def url(self, base: str, rest: str) -> str:
        """The probe's URL on the forge at `base` whose REST base is `rest`."""
        return f"{base if self.from_base else rest}{self.path}"


@dataclass(frozen=True)
class Owners:
    """What a kind calls the owners of repositories (groups, organisations) and how."""

    field: str
    """The registration field naming owners on this kind: ``groups`` or ``orgs``."""
    option: str
    """The CLI option naming one owner: ``--group`` or ``--org``."""
    noun: str
    """What an owner is called on this kind: ``group``, ``organisation``."""
    nested: bool
    """True when owners nest (GitLab subgroups): a repository path may have more than 2 parts."""


GROUPS = Owners("groups", "--group", "group", nested=True)
ORGANISATIONS = Owners("orgs", "--org", "organisation", nested=False)


def users_and_repositories(rest: str, registration: ForgeRegistration) -> list[tuple[str, str]]:
    """The live check's scope URLs of kinds that answer every owner at ``GET /users/:login``
    (organisations too) and each repository at ``/repos/:owner/:name`` (GitHub, Gitea)."""
    return [
        *((f"organisation {o}", f"{rest}/users/{quote(o, safe='')}") for o in registration.orgs),
        *((f"repository {r}", f"{rest}/repos/{quote(r, safe='/')}") for r in registration.repos),
    ]


def imported_on_use(module: str, name: str) -> Callable[[str, str, str], Any]:
    """A writer factory (`ProposerFactory`, `IssueTrackerFactory`) that imports `module` on its
    first call and hands the (base URL, REST base, token) to its factory `name`.

    The writers need client libraries (PyGithub, python-gitlab) that a crawl never uses.
    """

    def factory(base_url: str, rest_base: str, token: str) -> Any:
        return getattr(importlib.import_module(module), name)(base_url, rest_base, token)

    return factory


@dataclass(frozen=True)
class ForgeKindSpec:
    """One forge kind (see the module docstring); instances are immutable and shared."""

    name: str
    """The kind's name in registrations, the CLI and the API, e.g. ``gitlab``."""
    label: str
    """How people write it, e.g. ``GitLab``."""
    crawler: type[ForgeCrawler]
    api_locations: Callable[[str], ApiLocations]
    """Forge base URL → API locations."""
    probes: Sequence[Probe]
    """The live check, tried in order; the first that proves the kind ends it."""
    scope_urls: Callable[[str, ForgeRegistration], list[tuple[str, str]]]
    """(REST base, registration) → (what, URL) per owner and repository, for the live check."""
    raw_file_url: Callable[[str, str, str], str]
    """(repository URL, ref, path in the repository) → URL of the file's raw bytes."""
    spellings: Spellings
    """Where the kind's own repository JSON holds each fact (``crawler/<kind>/snapshots.py``)."""
    ui_routes: re.Pattern[str]
    """Paths of web pages that name a page of the forge, not the forge (stripped from URLs)."""
    owners: Owners = ORGANISATIONS
    """What owns repositories on this kind (`GROUPS` on GitLab)."""
    root_only: bool = True
    """True when the forge is always served from its host's root (the URL never has a path)."""
    public_hosts: Mapping[str, str] = field(default_factory=dict)
    """Host → canonical base URL of the public instances of this kind (github.com, gitlab.com)."""
    scope_required: frozenset[str] = frozenset()
    """Base URLs that cannot be crawled whole: a registration must name owners or repositories."""
    token_required: frozenset[str] = frozenset()
    """Base URLs whose owner listings need a token (the scheduler skips them without one)."""
    host_words: tuple[str, ...] = ()
    """First-label prefixes that tell a host of this kind in a registry (``gitlab.example.org``)."""
    registry_names: frozenset[str] = frozenset()
    """Names third-party registries give this kind (code.gouv.fr's ``forge:`` values)."""
    owner_prefixes: tuple[str, ...] = ()
    """Path segments that precede an owner in web URLs (GitHub ``/orgs/X``)."""
    auth_scheme: str = "Bearer"
    """The word before the token in the ``Authorization`` header."""
    advice: Callable[[ForgeRegistration], str] | None = None
    """Extra advice when the live check fails (e.g. a GitLab group mistaken for a URL root)."""
    proposer: ProposerFactory | None = None
    """Opens merge/pull requests adding a drafted publiccode.yml (``crawler/<kind>/proposals.py``,
    `crawler.proposals`); None: this kind cannot."""
    proposal_noun: str = "pull request"
    """What the forge calls a request to merge a branch (GitLab: ``merge request``)."""
    issue_tracker: IssueTrackerFactory | None = None
    """Opens, updates and closes issues about broken publiccode.yml files
    (``crawler/<kind>/issues.py``, `crawler.issues`); None: this kind cannot."""
    file_page_url: Callable[[str, str, str], str] | None = None
    """(repository URL, ref, path) → the file's web page, where ``#L<n>`` marks line n (reuse
    evidence links to the manifest line); None when the kind has no such page."""
    read_owner: Callable[[Mapping[str, Any]], OwnerProfile | None] | None = None
    """The forge's own repository JSON (REST or GraphQL, as stored in a snapshot's ``raw``) →
    the profile of the repository's owner (organisation, group or person); None: not told."""

    def auth_headers(self, token: str | None) -> dict[str, str]:
        """The ``Authorization`` header carrying `token`, or none."""
        return {"Authorization": f"{self.auth_scheme} {token}"} if token else {}

    def scope_from_path(self, netloc: str, path: str) -> tuple[list[str], list[str]]:
        """(owners, repositories) a web URL's path names on this kind (see `owner_prefixes`).

        A forge served from its root reads ``/OWNER`` and ``/OWNER/NAME``; on a public instance
        of a kind with nested owners the whole path is an owner (a project path cannot be told
        from a subgroup path without asking); elsewhere the path is the forge's URL root.
        """
        segments = [segment for segment in path.split("/") if segment]
        if segments[:1] and segments[0] in self.owner_prefixes and len(segments) >= 2:
            return [segments[1]], []
        if not self.root_only and netloc not in self.public_hosts:
            return [], []
        if self.owners.nested:
            trimmed = self.ui_routes.sub("", path).strip("/").removeprefix("groups/")
            return ([trimmed] if trimmed else []), []
        if self.ui_routes.search(path) or not segments:
            return [], []
        if len(segments) == 1:
            return [segments[0]], []
        return [], [f"{segments[0]}/{segments[1]}"]

    def claims_host(self, host: str) -> bool:
        """True when a registry entry on `host` is of this kind, by its name alone."""
        lowered = host.lower()
        first_label = lowered.split(".")[0]
        return lowered in self.public_hosts or any(word in first_label for word in self.host_words)
