"""Records from snapshots as the crawler core builds them (kind-neutral payload around `raw`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.github.snapshots import snapshot_from_graphql as github_graphql
from crawler.github.snapshots import snapshot_from_rest as github_rest
from crawler.gitlab.snapshots import snapshot_from_graphql as gitlab_graphql
from crawler.gitlab.snapshots import snapshot_from_rest as gitlab_rest
from crawler.normalise import records_from_snapshots
from tests.normalise.helpers import FETCHED, payload, registration

GITLAB = registration("opencode", "gitlab", "https://gitlab.example.org")
GITHUB = registration("github-germany", "github", "https://github.com")


@pytest.mark.parametrize(
    ("build", "fixture", "forge", "expected"),
    [
        (
            gitlab_rest,
            "https_gitlab.example.org/api_v4_projects_4711.json",
            GITLAB,
            (
                "gitlab.example.org/musterstadt/digital/formserver",
                "EUPL-1.2",
                ["Java", "TypeScript", "Shell"],
                ["ozg", "forms"],
                12,
                "https://gitlab.example.org/upstream/formserver",
                False,
            ),
        ),
        (
            gitlab_graphql,
            "https_gitlab.example.org/graphql_project_node.json",
            GITLAB,
            (
                "gitlab.example.org/musterstadt/digital/formserver",
                None,
                ["Java", "TypeScript"],
                ["ozg", "forms"],
                12,
                None,
                True,
            ),
        ),
        (
            github_rest,
            "https_api.github.com/repos_digitalservicebund_widget.json",
            GITHUB,
            (
                "github.com/digitalservicebund/widget",
                "MIT",
                ["Python"],
                ["forms", "govtech"],
                42,
                "https://github.com/upstream-org/widget",
                False,
            ),
        ),
        (
            github_graphql,
            "https_api.github.com/graphql_repository_node.json",
            GITHUB,
            (
                "github.com/digitalservicebund/widget",
                None,
                ["Python", "HTML"],  # the primary language first, then the node's languages
                ["forms", "govtech"],
                42,
                "https://github.com/upstream-org/widget",
                False,
            ),
        ),
    ],
)
def test_crawler_snapshots_give_the_same_facts(build, fixture, forge, expected) -> None:  # type: ignore[no-untyped-def]
    """Each of the crawler's four snapshot builders yields a record with the forge's facts."""
    shot = build(payload(fixture), forge.name, FETCHED)
    [record] = records_from_snapshots([shot], registration=forge)
    assert expected == (
        record.id,
        record.repository.licence,
        record.repository.languages,
        record.repository.topics,
        record.repository.stars,
        record.relations.fork_of,
        record.repository.archived,
    )


def test_crawler_snapshot_last_activity_and_name() -> None:
    """Last activity and the name come through the crawler's snapshot unchanged."""
    shot = github_graphql(
        payload("https_api.github.com/graphql_repository_node.json"), "github-germany", FETCHED
    )
    [record] = records_from_snapshots([shot], registration=GITHUB)
    assert (
        "widget",
        datetime(2025, 9, 29, 16, 45, 12, tzinfo=UTC),
        "A widget for public forms",
    ) == (
        record.name,
        record.last_activity,
        record.descriptions["und"].short,
    )
