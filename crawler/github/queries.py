"""Every GraphQL query the GitHub crawler sends, built here and validated by a test against the
public schema (``../shared/reference/graphql/github.schema.graphql``).

Repositories are listed with ``object(expression: "HEAD:publiccode.yml")`` and ``…yaml``
inline; ``object`` is a plain field, so the file contents add no connection cost. Several
owners are aliased into one query (``o0``, ``o1`` …) so small organisations share a request.
Each listing query also asks for ``rateLimit { cost remaining resetAt }`` to feed the governor.
Cost: ``repositoryTopics(first: 10)`` adds one connection per repository, so a page of 100
repositories costs 2 points instead of 1 — still 1 request. The owner's profile (organisation
name, description, location, e-mail, website, avatar; ``User`` for a person) rides along as a
plain field: no extra request and no extra point.

Repository facts (`crawler.facts`; `with_facts` turns them on in any query with the fragment)
ride along: ``isEmpty``, the default branch's head ``committedDate`` and ``history(since:)
{ totalCount }`` (commits in the last 365 days), ``latestRelease``, ``releases { totalCount }``,
``issues(states: OPEN) { totalCount }``, the root tree's entries (``object(expression:
"HEAD:")``: names, types, sizes) and the ``.github/workflows`` tree. The three ``totalCount``
connections add no node cost (no ``first``), so a page stays 1–2 points. The README, LICENSE and
manifest texts the root names come afterwards, many repositories per request: `repository_files`
aliases ``node(id:)`` per repository and ``object(expression: "HEAD:<path>")`` per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RATE_LIMIT = "rateLimit { cost remaining resetAt }"

REPOSITORY_FIELDS = """
fragment RepositoryFields on Repository {
  id
  databaseId
  name
  nameWithOwner
  url
  description
  homepageUrl
  pushedAt
  createdAt
  isArchived
  isFork
  isPrivate
  parent { url }
  stargazerCount
  forkCount
  licenseInfo { spdxId }
  primaryLanguage { name }
  defaultBranchRef { name }
  repositoryTopics(first: 10) { nodes { topic { name } } }
  owner {
    __typename login url avatarUrl
    ... on Organization { name description location email websiteUrl }
  }
  yml: object(expression: "HEAD:publiccode.yml") { ... on Blob { oid text byteSize isTruncated } }
  yaml: object(expression: "HEAD:publiccode.yaml") { ... on Blob { oid text byteSize isTruncated } }
}
"""

_BRANCH = "  defaultBranchRef { name }\n"
_BLOB = "... on Blob { text byteSize isTruncated }"


def with_facts(query: str, since: str) -> str:
    """`query` asking for the repository facts too (unchanged when it has no repository
    fields); `since` is the ISO 8601 start of the commit-count window."""
    if _BRANCH not in query:
        return query
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", since):
        raise ValueError(f"not a GitTimestamp: {since!r}")
    facts = f"""  isEmpty
  defaultBranchRef {{
    name
    target {{ ... on Commit {{ committedDate history(since: "{since}") {{ totalCount }} }} }}
  }}
  latestRelease {{ tagName name publishedAt isPrerelease }}
  releases {{ totalCount }}
  openIssues: issues(states: OPEN) {{ totalCount }}
  root: object(expression: "HEAD:") {{ ... on Tree {{ entries {{ name type size }} }} }}
  workflows: object(expression: "HEAD:.github/workflows") {{ ... on Tree {{ entries {{ name }} }} }}
"""
    return query.replace(_BRANCH, facts, 1)


def repository_files(batch: list[tuple[str, list[str]]]) -> tuple[str, dict[str, object]]:
    """The texts of files of many repositories: ``r<i>: node(id: $i<i>)`` per repository (node
    id, paths) and ``f<i>_<j>: object(expression: $x<i>_<j>)`` per path (``HEAD:<path>``)."""
    if not batch:
        raise ValueError("at least one repository")
    declared: list[str] = []
    values: dict[str, object] = {}
    fields: list[str] = []
    for i, (node_id, paths) in enumerate(batch):
        declared.append(f"$i{i}: ID!")
        values[f"i{i}"] = node_id
        objects = []
        for j, path in enumerate(paths):
            declared.append(f"$x{i}_{j}: String!")
            values[f"x{i}_{j}"] = f"HEAD:{path}"
            objects.append(f"f{i}_{j}: object(expression: $x{i}_{j}) {{ {_BLOB} }}")
        fields.append(f"  r{i}: node(id: $i{i}) {{ ... on Repository {{ {' '.join(objects)} }} }}")
    body = "\n".join(fields)
    query = f"query RepositoryFiles({', '.join(declared)}) {{\n  {RATE_LIMIT}\n{body}\n}}\n"
    return query, values


_LISTING_ARGS = "privacy: PUBLIC, ownerAffiliations: [OWNER]"


@dataclass(frozen=True)
class OwnerSlice:
    """One aliased owner in a listing query: login, page size and cursor."""

    login: str
    first: int
    after: str | None = None


def _owner_variables(slices: list[OwnerSlice]) -> tuple[str, dict[str, object]]:
    declared = []
    values: dict[str, object] = {}
    for i, part in enumerate(slices):
        declared.append(f"$o{i}: String!, $f{i}: Int!, $a{i}: String")
        values.update({f"o{i}": part.login, f"f{i}": part.first, f"a{i}": part.after})
    return ", ".join(declared), values


def _owner_listing(
    name: str, slices: list[OwnerSlice], order: str, selection: str
) -> tuple[str, dict[str, object]]:
    """Query `name`: each owner's next page of repositories in `order`, `selection` of each."""
    if not slices:
        raise ValueError("at least one owner")
    declared, values = _owner_variables(slices)
    fields = "\n".join(
        f"  o{i}: repositoryOwner(login: $o{i}) {{ repositories(first: $f{i}, after: $a{i}, "
        f"{_LISTING_ARGS}, orderBy: {{{order}}}) {{ {selection} }} }}"
        for i in range(len(slices))
    )
    return f"query {name}({declared}) {{\n  {RATE_LIMIT}\n{fields}\n}}\n", values


def owner_repositories(slices: list[OwnerSlice]) -> tuple[str, dict[str, object]]:
    """Full listing: each owner's next page of repositories with their publiccode blobs."""
    query, values = _owner_listing(
        "OwnerRepositories",
        slices,
        "field: CREATED_AT, direction: ASC",
        "totalCount pageInfo { hasNextPage endCursor } nodes { ...RepositoryFields }",
    )
    return query + REPOSITORY_FIELDS, values


def owner_activity(slices: list[OwnerSlice]) -> tuple[str, dict[str, object]]:
    """Change detection: each owner's repositories, most recently pushed first, ids only."""
    return _owner_listing(
        "OwnerActivity",
        slices,
        "field: PUSHED_AT, direction: DESC",
        "pageInfo { hasNextPage endCursor } nodes { id databaseId pushedAt }",
    )


REPOSITORIES_BY_ID = (
    f"""
query RepositoriesById($ids: [ID!]!) {{
  {RATE_LIMIT}
  nodes(ids: $ids) {{ ... on Repository {{ ...RepositoryFields }} }}
}}
"""
    + REPOSITORY_FIELDS
)
"""Refetch of changed repositories by node id (at most 100 ids per request)."""


def repositories_by_name(names: list[tuple[str, str]]) -> tuple[str, dict[str, object]]:
    """Single repositories by (owner, name), aliased ``r0``, ``r1`` …"""
    if not names:
        raise ValueError("at least one repository")
    declared = ", ".join(f"$r{i}o: String!, $r{i}n: String!" for i in range(len(names)))
    values: dict[str, object] = {}
    for i, (owner, name) in enumerate(names):
        values.update({f"r{i}o": owner, f"r{i}n": name})
    fields = "\n".join(
        f"  r{i}: repository(owner: $r{i}o, name: $r{i}n) {{ ...RepositoryFields }}"
        for i in range(len(names))
    )
    query = f"query RepositoriesByName({declared}) {{\n  {RATE_LIMIT}\n{fields}\n}}\n"
    return query + REPOSITORY_FIELDS, values
