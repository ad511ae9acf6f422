"""Every GraphQL query the GitLab crawler sends, built here and validated by a test against the
public schema (``../shared/reference/graphql/gitlab.schema.graphql``).

Projects are listed with their ``publiccode.yml``/``publiccode.yaml`` blobs inline
(``repository { blobs(paths: [...]) }``): one request per 100 projects including file contents.
Complexity stays far below the 250 limit because a 100-item connection only doubles the cost of
its children (``app/graphql/types/base_field.rb``); the batch still adapts (see the crawler).
The owner rides along: ``group`` (null in a user namespace, so the project is a person's) with
its profile and parent, and ``namespace`` — no extra request. So does the fork parent,
``forkedFrom { webUrl }`` (null unless the project is a fork the caller may see the source of):
forks are told and linked to their parent at no request; a GitLab older than the field refuses
it once, and the crawl goes on without it (`without_fork_parent`).

Repository facts (`crawler.facts`; `with_facts` turns them on in any query above) ride along
too: ``openIssuesCount``, ``releases(first: 1)`` with its ``count``, ``repository.empty`` and the
root ``tree`` (its ``lastCommit`` date and its first 100 blobs and trees — GitLab trees tell no
sizes). The README, LICENSE and manifest texts the tree names come afterwards, for a whole page
at once: `PROJECT_FILES` asks ``projects(ids: …) { repository { blobs(paths: …) } }`` with the
union of the page's paths (a project answers only the paths it has) — one more request per 100
projects. GitLab counts no commits per period cheaply, so ``commits_last_year`` stays unknown.
"""

from __future__ import annotations

import json

from crawler.snapshot import PUBLICCODE_NAMES

_PATHS = json.dumps(list(PUBLICCODE_NAMES))

PROJECT_FIELDS = f"""
fragment ProjectFields on Project {{
  id
  fullPath
  name
  description
  webUrl
  lastActivityAt
  createdAt
  archived
  visibility
  starCount
  forksCount
  topics
  languages {{ name share }}
  namespace {{ fullPath name }}
  group {{ fullPath name description avatarUrl webUrl parent {{ fullPath }} }}
  forkedFrom {{ webUrl }}
  repository {{
    rootRef
    blobs(paths: {_PATHS}) {{ nodes {{ path oid rawBlob rawSize }} }}
  }}
}}
"""

_REPOSITORY = "  repository {\n    rootRef\n"
_FACTS = """  openIssuesCount
  releases(first: 1, sort: RELEASED_AT_DESC) {
    count
    nodes { tagName name releasedAt upcomingRelease }
  }
  repository {
    rootRef
    empty
    tree {
      lastCommit { authoredDate }
      blobs(first: 100) { pageInfo { hasNextPage } nodes { name type mode } }
      trees(first: 100) { pageInfo { hasNextPage } nodes { name } }
    }
"""

TREE_PAGE = 100
"""Root blobs (and trees) read per project; a root with more is kept as truncated."""
PATHS_PER_REQUEST = 100
"""Distinct paths one `PROJECT_FILES` request asks every project of the page for."""


_FORK_PARENT = "  forkedFrom { webUrl }\n"
FORK_PARENT_FIELD = "forkedFrom"
"""``Project.forkedFrom``, added by GitLab merge request 183115 (2025): absent from older
versions and from the 16.3 schema the tests validate against (they extend it by this field)."""


def without_fork_parent(query: str) -> str:
    """`query` (any project query above) without ``forkedFrom``, for a GitLab that refuses it."""
    if _FORK_PARENT not in query:
        raise ValueError("not a query with the project fields")
    return query.replace(_FORK_PARENT, "", 1)


def with_facts(query: str) -> str:
    """`query` (any project query above) asking for the repository facts too."""
    if _REPOSITORY not in query:
        raise ValueError("not a query with the project fields")
    return query.replace(_REPOSITORY, _FACTS, 1)


PROJECT_FILES = """
query ProjectFiles($ids: [ID!], $paths: [String!]!, $first: Int!) {
  projects(ids: $ids, first: $first) {
    nodes { id repository { blobs(paths: $paths) { nodes { path rawTextBlob size } } } }
  }
}
"""
"""The README, LICENSE and manifest texts of a page's projects (the union of their paths)."""

INSTANCE_PROJECTS = (
    """
query InstanceProjects($first: Int!, $after: String) {
  projects(first: $first, after: $after, sort: "id_asc") {
    pageInfo { hasNextPage endCursor }
    nodes { ...ProjectFields }
  }
}
"""
    + PROJECT_FIELDS
)
"""Every project the caller can see, oldest id first."""

GROUP_PROJECTS = (
    """
query GroupProjects($fullPath: ID!, $first: Int!, $after: String) {
  group(fullPath: $fullPath) {
    projects(includeSubgroups: true, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...ProjectFields }
    }
  }
}
"""
    + PROJECT_FIELDS
)
"""A group's projects, subgroups included."""

PROJECTS_BY_ID = (
    """
query ProjectsById($ids: [ID!], $first: Int!) {
  projects(ids: $ids, first: $first) {
    nodes { ...ProjectFields }
  }
}
"""
    + PROJECT_FIELDS
)
"""Projects named by global id (``gid://gitlab/Project/N``): the refetch of an incremental crawl."""


def projects_by_path(count: int) -> str:
    """A query fetching `count` projects by full path, aliased ``p0``…, variables ``$p0``…."""
    if count < 1:
        raise ValueError("count must be at least 1")
    variables = ", ".join(f"$p{i}: ID!" for i in range(count))
    fields = "\n".join(
        f"  p{i}: project(fullPath: $p{i}) {{ ...ProjectFields }}" for i in range(count)
    )
    return f"query ProjectsByPath({variables}) {{\n{fields}\n}}\n" + PROJECT_FIELDS


def global_id(numeric_id: str | int) -> str:
    """GitLab's global id of a project."""
    return f"gid://gitlab/Project/{numeric_id}"


def numeric_id(gid: str) -> str:
    """The numeric id inside a global id (``gid://gitlab/Project/42`` → ``42``)."""
    return gid.rsplit("/", 1)[-1]
