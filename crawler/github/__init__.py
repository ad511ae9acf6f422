"""The GitHub forge kind (github.com and Enterprise Server): GraphQL listings, REST without a token.

`GITHUB` is the kind's spec (`crawler.spec.ForgeKindSpec`), registered in `crawler.kinds`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.github.crawler import GitHubCrawler
from crawler.github.owners import read_owner
from crawler.github.snapshots import SPELLINGS
from crawler.spec import ApiLocations, ForgeKindSpec, Probe, imported_on_use, users_and_repositories

GITHUB_COM = "https://github.com"
UI_ROUTES = re.compile(
    r"/(?:orgs/[^/]+(?:/.*)?|enterprises/[^/]+(?:/.*)?|explore|topics(?:/.*)?|search|dashboard"
    r"|settings(?:/.*)?|login|organizations(?:/.*)?|trending(?:/.*)?)$"
)
_META_KEYS = {"verifiable_password_authentication", "installed_version", "hooks", "git", "api"}


def api_locations(base: str) -> ApiLocations:
    """github.com → ``https://api.github.com`` (+ ``/graphql``); Enterprise Server →
    ``URL/api/v3`` and ``URL/api/graphql``."""
    if base == GITHUB_COM:
        return ApiLocations(rest="https://api.github.com", graphql="https://api.github.com/graphql")
    return ApiLocations(rest=f"{base}/api/v3", graphql=f"{base}/api/graphql")


def raw_file_url(repository: str, ref: str, path: str) -> str:
    """github.com serves raw files from raw.githubusercontent.com; Enterprise Server from ``/raw/``."""
    parts = urlsplit(repository)
    if parts.hostname == "github.com":
        return f"https://raw.githubusercontent.com{parts.path}/{ref}/{path}"
    return f"{repository}/raw/{ref}/{path}"


def _meta(body: object) -> bool:
    return isinstance(body, dict) and bool(_META_KEYS & body.keys())


def _rate_limit(body: object) -> bool:
    return isinstance(body, dict) and ("resources" in body or "rate" in body)


GITHUB = ForgeKindSpec(
    name="github",
    label="GitHub",
    crawler=GitHubCrawler,
    api_locations=api_locations,
    probes=(
        Probe("/meta", "GitHub's meta JSON object", lambda b: _meta(b) or _rate_limit(b)),
        Probe(
            "/rate_limit", "GitHub's rate_limit JSON object", lambda b: _meta(b) or _rate_limit(b)
        ),
    ),
    scope_urls=users_and_repositories,
    raw_file_url=raw_file_url,
    file_page_url=lambda repository, ref, path: f"{repository}/blob/{ref}/{path}",
    read_owner=read_owner,
    spellings=SPELLINGS,
    ui_routes=UI_ROUTES,
    public_hosts={"github.com": GITHUB_COM, "www.github.com": GITHUB_COM},
    scope_required=frozenset({GITHUB_COM}),
    token_required=frozenset({GITHUB_COM}),
    host_words=("github",),
    registry_names=frozenset({"github"}),
    owner_prefixes=("orgs",),
    proposer=imported_on_use("crawler.github.proposals", "github_proposer"),
    issue_tracker=imported_on_use("crawler.github.issues", "github_issues"),
)

__all__ = ["GITHUB", "GITHUB_COM"]
