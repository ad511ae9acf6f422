"""The Gitea forge kind (and Gogs, its ancestor with the same ``/api/v1``): REST only.

`GITEA` is the kind's spec (`crawler.spec.ForgeKindSpec`), registered in `crawler.kinds`;
Forgejo (`crawler.forgejo`) shares everything here but its name, probe and hosts. The worked
example of docs/forge-kinds.md.
"""

from __future__ import annotations

import re

from crawler.gitea.crawler import GiteaCrawler
from crawler.gitea.owners import read_owner
from crawler.gitea.snapshots import SPELLINGS
from crawler.spec import ApiLocations, ForgeKindSpec, Probe, imported_on_use, users_and_repositories

UI_ROUTES = re.compile(
    r"/(?:explore(?:/.*)?|user/(?:login|sign_up|settings)(?:/.*)?|org/[^/]+(?:/.*)?"
    r"|admin(?:/.*)?|-/.*|notifications|issues|pulls|milestones)$"
)


def api_locations(base: str) -> ApiLocations:
    """``URL/api/v1``; there is no GraphQL."""
    return ApiLocations(rest=f"{base}/api/v1", graphql=None)


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


GITEA = ForgeKindSpec(
    name="gitea",
    label="Gitea",
    crawler=GiteaCrawler,
    api_locations=api_locations,
    probes=(Probe("/version", "a JSON object with 'version'", _version),),
    scope_urls=users_and_repositories,
    raw_file_url=raw_file_url,
    file_page_url=file_page_url,
    read_owner=read_owner,
    spellings=SPELLINGS,
    ui_routes=UI_ROUTES,
    public_hosts={"gitea.com": "https://gitea.com"},
    host_words=("gitea", "gogs"),
    registry_names=frozenset({"gitea", "gogs"}),
    owner_prefixes=("org",),
    auth_scheme="token",
    proposer=imported_on_use("crawler.gitea.proposals", "gitea_proposer"),
    issue_tracker=imported_on_use("crawler.gitea.issues", "gitea_issues"),
)

__all__ = ["GITEA"]
