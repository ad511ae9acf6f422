"""The GitLab forge kind: GraphQL listings with publiccode blobs inline, REST fallbacks.

`GITLAB` is the kind's spec (`crawler.spec.ForgeKindSpec`), registered in `crawler.kinds`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from crawler.gitlab.crawler import GitLabCrawler
from crawler.gitlab.owners import read_owner
from crawler.gitlab.snapshots import SPELLINGS
from crawler.spec import GROUPS, ApiLocations, ForgeKindSpec, Probe, imported_on_use
from schemas.forge import ForgeRegistration

# UI routes that name a page of a forge, not the forge: the registrant copied them from a browser.
UI_ROUTES = re.compile(
    r"/(?:explore(?:/(?:groups|projects|snippets|catalog)(?:/[^/]*)?)?|dashboard(?:/.*)?"
    r"|users/sign_in|users/sign_up|help(?:/.*)?|admin(?:/.*)?|-/.*|groups)$"
)


def api_locations(base: str) -> ApiLocations:
    """``URL/api/v4`` and ``URL/api/graphql`` (GitLab may sit under a relative URL root)."""
    return ApiLocations(rest=f"{base}/api/v4", graphql=f"{base}/api/graphql")


def scope_urls(rest: str, registration: ForgeRegistration) -> list[tuple[str, str]]:
    """``GET /groups/:path`` and ``/projects/:path`` per group and project."""
    return [
        *((f"group {g}", f"{rest}/groups/{quote(g, safe='')}") for g in registration.groups),
        *((f"repository {r}", f"{rest}/projects/{quote(r, safe='')}") for r in registration.repos),
    ]


def advice(registration: ForgeRegistration) -> str:
    """A URL with a path that did not answer may be a group on the instance at the root."""
    path = urlsplit(registration.url).path.strip("/")
    if not path:
        return ""
    root = registration.url[: -len(path) - 1]
    return (
        f"; if {path} is a group, register the instance with its group: "
        f"`codereuse forges add {root} --kind gitlab --group {path}`"
    )


GITLAB = ForgeKindSpec(
    name="gitlab",
    label="GitLab",
    crawler=GitLabCrawler,
    api_locations=api_locations,
    probes=(
        Probe(
            "/version",
            "a JSON object with 'version'",
            lambda b: isinstance(b, dict) and "version" in b,
        ),
        Probe("/projects?per_page=1", "a JSON list of projects", lambda b: isinstance(b, list)),
    ),
    scope_urls=scope_urls,
    raw_file_url=lambda repository, ref, path: f"{repository}/-/raw/{ref}/{path}",
    file_page_url=lambda repository, ref, path: f"{repository}/-/blob/{ref}/{path}",
    read_owner=read_owner,
    spellings=SPELLINGS,
    owners=GROUPS,
    root_only=False,
    ui_routes=UI_ROUTES,
    public_hosts={"gitlab.com": "https://gitlab.com"},
    host_words=("gitlab",),
    registry_names=frozenset({"gitlab"}),
    advice=advice,
    proposer=imported_on_use("crawler.gitlab.proposals", "gitlab_proposer"),
    issue_tracker=imported_on_use("crawler.gitlab.issues", "gitlab_issues"),
    proposal_noun="merge request",
)

__all__ = ["GITLAB"]
