"""Every GraphQL query the crawlers can send validates against the forges' public schemas."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from graphql import DocumentNode, GraphQLSchema, build_ast_schema, parse, validate

from crawler.github import queries as github
from crawler.gitlab import queries as gitlab

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "graphql"

pytestmark = pytest.mark.skipif(
    not SCHEMAS.is_dir(),
    reason=f"the public GraphQL schemas are not at {SCHEMAS} (../shared absent)",
)


def _without_duplicate_fields(document: DocumentNode) -> DocumentNode:
    """Keep the first definition of each field (GitHub defines two of EnterpriseOwnerInfo twice)."""
    definitions = []
    for definition in document.definitions:
        fields = getattr(definition, "fields", None)
        if fields:
            unique: dict[str, Any] = {}
            for field in fields:
                unique.setdefault(field.name.value, field)
            if len(unique) != len(fields):
                definition = replace(definition, fields=tuple(unique.values()))  # type: ignore[type-var]
        definitions.append(definition)
    return replace(document, definitions=tuple(definitions))


NEWER_FIELDS = {
    "gitlab": "extend type Project { forkedFrom: Project }\n",
}
"""Fields the crawlers ask for that came after the stored schema (GitLab 16.3): ``forkedFrom``
(merge request 183115). A GitLab refusing it is crawled without it (`crawler.gitlab.crawler`)."""


@cache
def _schema(name: str) -> GraphQLSchema:
    text = (SCHEMAS / f"{name}.schema.graphql").read_text(encoding="utf-8")
    text += NEWER_FIELDS.get(name, "")
    # assume_valid: graphql-core 3.3 rejects deprecated interface implementations that GitHub ships.
    return build_ast_schema(_without_duplicate_fields(parse(text)), assume_valid=True)


def _errors(schema: str, query: str) -> list[str]:
    return [error.message for error in validate(_schema(schema), parse(query))]


GITLAB_QUERIES = {
    "instance projects": gitlab.INSTANCE_PROJECTS,
    "group projects": gitlab.GROUP_PROJECTS,
    "projects by id": gitlab.PROJECTS_BY_ID,
    "one project by path": gitlab.projects_by_path(1),
    "100 projects by path": gitlab.projects_by_path(100),
}

GITLAB_QUERIES.update(
    {f"{name} with facts": gitlab.with_facts(query) for name, query in list(GITLAB_QUERIES.items())}
)
GITLAB_QUERIES.update(
    {
        f"{name} without the fork parent": gitlab.without_fork_parent(query)
        for name, query in list(GITLAB_QUERIES.items())
    }
)
GITLAB_QUERIES["files of a page"] = gitlab.PROJECT_FILES

GITHUB_QUERIES = {
    "one owner": github.owner_repositories([github.OwnerSlice("a", 100)])[0],
    "twenty owners": github.owner_repositories(
        [github.OwnerSlice(f"o{i}", 5, "c") for i in range(20)]
    )[0],
    "activity of one owner": github.owner_activity([github.OwnerSlice("a", 10)])[0],
    "activity of twenty owners": github.owner_activity(
        [github.OwnerSlice(f"o{i}", 10, "c") for i in range(20)]
    )[0],
    "repositories by id": github.REPOSITORIES_BY_ID,
    "repositories by name": github.repositories_by_name([("a", "b"), ("c", "d")])[0],
}


SINCE = "2025-12-02T00:00:00Z"
GITHUB_QUERIES.update(
    {
        f"{name} with facts": github.with_facts(query, SINCE)
        for name, query in list(GITHUB_QUERIES.items())
    }
)
GITHUB_QUERIES["files of repositories"] = github.repository_files(
    [("R_1", ["README.md", "LICENSE"]), ("R_2", ["package.json"])]
)[0]


def test_facts_are_asked_where_the_fragment_is() -> None:
    """`with_facts` changes every query with repository fields, and only those."""
    assert "releases(first: 1" in gitlab.with_facts(gitlab.INSTANCE_PROJECTS)
    assert "history(since:" in github.with_facts(github.REPOSITORIES_BY_ID, SINCE)
    activity = github.owner_activity([github.OwnerSlice("a", 10)])[0]
    assert activity == github.with_facts(activity, SINCE)
    with pytest.raises(ValueError):
        github.with_facts(github.REPOSITORIES_BY_ID, 'x") { evil }')


@pytest.mark.parametrize("name", sorted(GITLAB_QUERIES))
def test_gitlab_query_is_valid(name: str) -> None:
    """The GitLab query validates against GitLab's public schema."""
    assert [] == _errors("gitlab", GITLAB_QUERIES[name])


@pytest.mark.parametrize("name", sorted(GITHUB_QUERIES))
def test_github_query_is_valid(name: str) -> None:
    """The GitHub query validates against GitHub's public schema."""
    assert [] == _errors("github", GITHUB_QUERIES[name])


def test_validation_catches_a_field_the_api_lacks() -> None:
    """A misspelt field fails validation, so the tests above can fail."""
    broken = gitlab.INSTANCE_PROJECTS.replace("lastActivityAt", "lastActivityAtt")
    assert 1 == len(_errors("gitlab", broken))


def test_only_the_fork_parent_is_newer_than_the_stored_gitlab_schema() -> None:
    """Without ``forkedFrom`` every GitLab query validates against the 16.3 schema as stored;
    with it, the stored schema alone names that one field."""
    text = (SCHEMAS / "gitlab.schema.graphql").read_text(encoding="utf-8")
    stored = build_ast_schema(parse(text), assume_valid=True)
    assert [] == [
        error.message
        for error in validate(stored, parse(gitlab.without_fork_parent(gitlab.INSTANCE_PROJECTS)))
    ]
    refused = [error.message for error in validate(stored, parse(gitlab.INSTANCE_PROJECTS))]
    assert 1 == len(refused) and "forkedFrom" in refused[0]
