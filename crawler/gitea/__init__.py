"""The Gitea forge kind (and Gogs, its ancestor with the same ``/api/v1``): REST only.

`GITEA` is the kind's spec (`crawler.spec.ForgeKindSpec`), registered in `crawler.kinds`;
Forgejo (`crawler.forgejo`) shares everything here but its name, probe and hosts. The worked
example of docs/forge-kinds.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from crawler.gitea.crawler import GiteaCrawler
from crawler.spec import ApiLocations, ForgeKindSpec, Probe
from schemas.forge import ForgeRegistration

UI_ROUTES = re.compile(
    r"/(?:explore(?:/.*)?|user/(?:login|sign_up|settings)(?:/.*)?|org/[^/]+(?:/.*)?"
    r"|admin(?:/.*)?|-/.*|notifications|issues|pulls|milestones)$"
)


if TYPE_CHECKING:
    from crawler.proposals import ForgeProposer


def api_locations(base: str) -> ApiLocations:
    """``URL/api/v1``; there is no GraphQL."""
    return ApiLocations(rest=f"{base}/api/v1", graphql=None)


def scope_urls(rest: str, registration: ForgeRegistration) -> list[tuple[str, str]]:
    """``GET /users/:login`` (organisations answer there too) and ``/repos/:owner/:name``."""
    return [
        *((f"organisation {o}", f"{rest}/users/{quote(o, safe='')}") for o in registration.orgs),
        *((f"repository {r}", f"{rest}/repos/{quote(r, safe='/')}") for r in registration.repos),
    ]


def raw_file_url(repository: str, ref: str, path: str) -> str:
    """``/raw/branch/{ref}/{path}``; ``/raw/{path}`` (the default branch) when the ref is unknown."""
    if ref == "HEAD":
        return f"{repository}/raw/{path}"
    return f"{repository}/raw/branch/{ref}/{path}"


def file_page_url(repository: str, ref: str, path: str) -> str:
    """``/src/branch/{ref}/{path}``; without a known ref, the legacy ``/src/{path}`` route, which
    Gitea serves from the default branch."""
    if ref == "HEAD":
        return f"{repository}/src/{path}"
    return f"{repository}/src/branch/{ref}/{path}"


def _version(body: object) -> bool:
    return isinstance(body, dict) and isinstance(body.get("version"), str)


def proposer(base_url: str, rest_base: str, token: str) -> ForgeProposer:
    """Gitea/Forgejo pull requests (`crawler/gitea/proposals.py`), imported on first use."""
    from crawler.gitea.proposals import gitea_proposer

    return gitea_proposer(base_url, rest_base, token)


GITEA = ForgeKindSpec(
    name="gitea",
    label="Gitea",
    crawler=GiteaCrawler,
    api_locations=api_locations,
    probes=(Probe("/version", "a JSON object with 'version'", _version),),
    scope_urls=scope_urls,
    raw_file_url=raw_file_url,
    file_page_url=file_page_url,
    spellings={
        "name": ("name",),
        "path": ("full_name",),
        "description": ("description",),
        "default_branch": ("default_branch",),
        "stars": ("stars_count",),
        "forks": ("forks_count",),
        "topics": ("topics",),
        "languages": ("language",),
        "created_at": ("created_at",),
        "last_activity": ("updated_at",),
        "archived": ("archived",),
        "is_fork": ("fork",),
        "fork_parent_url": ("parent.html_url",),
        "homepage": ("website",),
    },
    owner_field="orgs",
    owner_option="--org",
    owner_noun="organisation",
    nested_owners=False,
    root_only=True,
    ui_routes=UI_ROUTES,
    public_hosts={"gitea.com": "https://gitea.com"},
    host_words=("gitea", "gogs"),
    registry_names=frozenset({"gitea", "gogs"}),
    owner_prefixes=("org",),
    auth_scheme="token",
    proposer=proposer,
)

__all__ = ["GITEA"]
