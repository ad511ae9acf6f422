"""Inferred records from forge metadata, for every payload shape the crawler may store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.gitlab import GITLAB
from crawler.normalise import read_facts, records_from_snapshots
from schemas.record import Description, Licence
from tests.normalise.helpers import payload, registration, snapshot

GITLAB_URL = "https://gitlab.example.org/musterstadt/digital/formserver"
GITHUB_URL = "https://github.com/digitalservicebund/widget"


def test_gitlab_rest_project() -> None:
    """A GitLab REST project gives every fact: licence, languages by share, fork parent."""
    [record] = records_from_snapshots(
        [
            snapshot(
                GITLAB_URL, payload=payload("https_gitlab.example.org/api_v4_projects_4711.json")
            )
        ],
        registration=registration(),
    )
    assert (
        "gitlab.example.org/musterstadt/digital/formserver",
        False,
        "formserver",
        {"und": Description(short="Formularserver für Verwaltungsleistungen")},
        Licence(expression="EUPL-1.2", ids=["EUPL-1.2"], valid=True),
        ["ozg", "forms"],
        ["Java", "TypeScript", "Shell"],
        datetime(2025, 10, 1, 14, 3, 27, tzinfo=UTC),
        (12, 3, "develop", False, True),
        "https://gitlab.example.org/upstream/formserver",
        True,
    ) == (
        record.id,
        record.declared,
        record.name,
        record.descriptions,
        record.licence,
        record.repository.topics,
        record.repository.languages,
        record.last_activity,
        (
            record.repository.stars,
            record.repository.forks,
            record.repository.default_branch,
            record.repository.archived,
            record.repository.is_fork,
        ),
        record.relations.fork_of,
        record.valid,
    )


def test_gitlab_graphql_project_node() -> None:
    """A GitLab GraphQL node gives the same facts in camelCase, archived and rootRef included."""
    facts = read_facts(
        payload("https_gitlab.example.org/graphql_project_node.json"), GITLAB.spellings
    )
    assert (
        "formserver",
        "musterstadt/digital/formserver",
        ["ozg", "forms"],
        ["Java", "TypeScript"],
        (12, 3, "develop", True, False),
        datetime(2025, 10, 1, 14, 3, 27, tzinfo=UTC),
        datetime(2021, 3, 4, 9, 12, 44, tzinfo=UTC),
    ) == (
        facts.name,
        facts.path,
        facts.topics,
        facts.languages,
        (facts.stars, facts.forks, facts.default_branch, facts.archived, facts.is_fork),
        facts.last_activity,
        facts.created_at,
    )


def test_github_rest_repository() -> None:
    """A GitHub REST repository: SPDX licence, main language, homepage and parent."""
    [record] = records_from_snapshots(
        [
            snapshot(
                GITHUB_URL,
                forge="gh",
                payload=payload("https_api.github.com/repos_digitalservicebund_widget.json"),
            )
        ],
        registration=registration("gh", "github", "https://github.com"),
    )
    assert (
        "github.com/digitalservicebund/widget",
        Licence(expression="MIT", ids=["MIT"], valid=True),
        ["Python"],
        ["forms", "govtech"],
        (42, 7, "main", True),
        "https://github.com/upstream-org/widget",
        "https://widget.example.org",
        datetime(2025, 9, 29, 16, 45, 12, tzinfo=UTC),
    ) == (
        record.id,
        record.licence,
        record.repository.languages,
        record.repository.topics,
        (
            record.repository.stars,
            record.repository.forks,
            record.repository.default_branch,
            record.repository.is_fork,
        ),
        record.relations.fork_of,
        record.repository.homepage,
        record.last_activity,
    )


def test_github_graphql_repository_node() -> None:
    """A GitHub GraphQL node: NOASSERTION gives no licence, topics from repositoryTopics."""
    [record] = records_from_snapshots(
        [
            snapshot(
                GITHUB_URL,
                forge="gh",
                payload=payload("https_api.github.com/graphql_repository_node.json"),
            )
        ],
        registration=registration("gh", "github", "https://github.com"),
    )
    assert (
        None,
        None,
        ["Python", "HTML"],
        ["forms", "govtech"],
        (42, 7, "main"),
        "https://github.com/upstream-org/widget",
    ) == (
        record.licence,
        record.repository.licence,
        record.repository.languages,
        record.repository.topics,
        (record.repository.stars, record.repository.forks, record.repository.default_branch),
        record.relations.fork_of,
    )


def test_snapshot_facts_win_over_payload() -> None:
    """The crawler's own last_activity/archived/is_fork on the snapshot take precedence."""
    shot = snapshot(GITHUB_URL, payload={"name": "widget", "archived": False}, is_fork=True)
    shot = shot.model_copy(
        update={"archived": True, "last_activity": datetime(2026, 1, 1, tzinfo=UTC)}
    )
    [record] = records_from_snapshots([shot], registration=registration())
    assert (True, True, datetime(2026, 1, 1, tzinfo=UTC)) == (
        record.repository.archived,
        record.repository.is_fork,
        record.last_activity,
    )


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {"name": 5, "topics": "x", "languages": 3, "star_count": -1, "license": "MIT"},
        {"pushed_at": "yesterday"},
    ],
)
def test_odd_payloads_still_give_a_record(odd: dict[str, object]) -> None:
    """Missing or oddly typed payload fields never raise; the name falls back to the URL."""
    [record] = records_from_snapshots(
        [snapshot(GITHUB_URL, payload=odd)], registration=registration()
    )
    assert ("widget", None, None) == (record.name, record.repository.stars, record.last_activity)
