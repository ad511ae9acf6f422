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
"""

from __future__ import annotations

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


def owner_repositories(slices: list[OwnerSlice]) -> tuple[str, dict[str, object]]:
    """Full listing: each owner's next page of repositories with their publiccode blobs."""
    if not slices:
        raise ValueError("at least one owner")
    declared, values = _owner_variables(slices)
    fields = "\n".join(
        f"  o{i}: repositoryOwner(login: $o{i}) {{ repositories(first: $f{i}, after: $a{i}, "
        f"{_LISTING_ARGS}, orderBy: {{field: CREATED_AT, direction: ASC}}) {{ totalCount "
        f"pageInfo {{ hasNextPage endCursor }} nodes {{ ...RepositoryFields }} }} }}"
        for i in range(len(slices))
    )
    query = f"query OwnerRepositories({declared}) {{\n  {RATE_LIMIT}\n{fields}\n}}\n"
    return query + REPOSITORY_FIELDS, values


def owner_activity(slices: list[OwnerSlice]) -> tuple[str, dict[str, object]]:
    """Change detection: each owner's repositories, most recently pushed first, ids only."""
    if not slices:
        raise ValueError("at least one owner")
    declared, values = _owner_variables(slices)
    fields = "\n".join(
        f"  o{i}: repositoryOwner(login: $o{i}) {{ repositories(first: $f{i}, after: $a{i}, "
        f"{_LISTING_ARGS}, orderBy: {{field: PUSHED_AT, direction: DESC}}) {{ "
        f"pageInfo {{ hasNextPage endCursor }} nodes {{ id databaseId pushedAt }} }} }}"
        for i in range(len(slices))
    )
    return f"query OwnerActivity({declared}) {{\n  {RATE_LIMIT}\n{fields}\n}}\n", values


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
