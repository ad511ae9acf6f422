"""The full federation pass in bounded memory (`stream_catalogue`) gives exactly what
`federated_catalogue` gives: records (mirrors, claims refused and confirmed, variants, forks,
one repository on two registrations, organisations across forges) and organisation entities."""

from __future__ import annotations

import random
from datetime import timedelta

from crawler.normalise import federated_catalogue
from crawler.normalise.streaming import stream_catalogue
from tests.normalise.helpers import FETCHED, publiccode, registration, snapshot
from tests.normalise.test_organisations import ORG, USER, _declared, _github_node, _gitlab_node

LAB = registration("lab", "gitlab", "https://gitlab.example.org")
LAB_AGAIN = registration("lab-again", "gitlab", "https://gitlab.example.org")
HUB = registration("hub", "github", "https://github.com")
TOOI = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"


def _snapshots() -> list:  # type: ignore[type-arg]
    lab, hub = "https://gitlab.example.org", "https://github.com"
    declaration = f"organisation:\n  name: City of Amsterdam\n  uri: {TOOI}\n"
    group = {"fullPath": "amsterdam", "name": "Amsterdam", "description": "City group"}
    plain = [
        snapshot(
            f"{lab}/team/app-{i}",
            forge="lab",
            publiccode=publiccode(f"App {i}", f"{lab}/team/app-{i}"),
        )
        for i in range(5)
    ]
    return [
        *plain,
        # one repository through two registrations
        snapshot(
            f"{lab}/team/formserver",
            forge="lab",
            publiccode=publiccode("Formserver", f"{lab}/team/formserver"),
        ),
        snapshot(
            "https://GitLab.example.org/Team/Formserver.git",
            forge="lab-again",
            fetched_at=FETCHED - timedelta(days=1),
        ),
        # a mirror on another forge, and a claim the original does not confirm
        snapshot(
            f"{hub}/city/formserver",
            forge="hub",
            publiccode=publiccode("Formserver", f"{lab}/team/formserver.git"),
        ),
        snapshot(
            f"{hub}/other/formserver",
            forge="hub",
            publiccode=publiccode("Other", f"{lab}/team/formserver"),
        ),
        # copies of an uncrawled original
        snapshot(
            f"{hub}/a/leaks",
            forge="hub",
            publiccode=publiccode("Leaks", f"{hub}/globaleaks/GlobaLeaks"),
        ),
        snapshot(
            f"{lab}/b/leaks",
            forge="lab",
            publiccode=publiccode("Leaks", f"{hub}/globaleaks/GlobaLeaks"),
        ),
        # a url copied from a template
        snapshot(
            f"{lab}/templates/app",
            forge="lab",
            publiccode=publiccode("Template App", f"{lab}/templates/app"),
        ),
        snapshot(
            f"{lab}/team/shop", forge="lab", publiccode=publiccode("Shop", f"{lab}/templates/app")
        ),
        # a variant and forks
        snapshot(
            f"{hub}/upstream/suite",
            forge="hub",
            publiccode=publiccode("Suite", f"{hub}/upstream/suite"),
        ),
        snapshot(
            f"{lab}/team/suite-plus",
            forge="lab",
            publiccode=publiccode(
                "Suite Plus", f"{lab}/team/suite-plus", based_on=[f"{hub}/upstream/suite.git"]
            ),
        ),
        snapshot(f"{lab}/upstream/forms", forge="lab", payload={"name": "forms"}),
        snapshot(
            f"{lab}/city/forms",
            forge="lab",
            payload={"name": "forms", "forked_from_project": {"web_url": f"{lab}/upstream/forms"}},
        ),
        snapshot(
            f"{hub}/c/suite",
            forge="hub",
            publiccode=publiccode("Suite", f"{hub}/upstream/suite"),
            payload={"fork": True, "parent": {"html_url": f"{hub}/upstream/suite"}},
        ),
        # organisations across forges, a person, an account adopting its declared organisation
        snapshot(
            f"{hub}/Amsterdam/app",
            forge="hub",
            payload=_github_node(ORG),
            publiccode=_declared("App", f"{hub}/Amsterdam/app", declaration),
        ),
        snapshot(f"{hub}/Amsterdam/other", forge="hub", payload=_github_node(ORG, "other")),
        snapshot(f"{hub}/anna-jones/tool", forge="hub", payload=_github_node(USER, "tool")),
        snapshot(
            f"{lab}/amsterdam/portal",
            forge="lab",
            payload=_gitlab_node(group, "amsterdam", "portal"),
            publiccode=_declared("Portal", f"{lab}/amsterdam/portal", declaration),
        ),
        snapshot(f"{lab}/gone/app", forge="removed-forge"),
    ]


def test_streamed_catalogue_equals_the_federated_catalogue() -> None:
    """Same records in the same order and the same entities, whatever the snapshot order."""
    for seed in range(4):
        snapshots = _snapshots()
        random.Random(seed).shuffle(snapshots)
        records, entities = federated_catalogue(snapshots, [LAB, LAB_AGAIN, HUB])
        catalogue, streamed_entities = stream_catalogue(
            lambda snapshots=snapshots: iter(snapshots), [LAB, LAB_AGAIN, HUB]
        )
        assert [record.model_dump() for record in records] == [
            record.model_dump() for record in catalogue
        ]
        assert [record.id for record in records] == catalogue.ids()
        assert entities == streamed_entities
    assert any(record.mirrors for record in records)
    assert any(record.relations.variants for record in records)
    assert any(record.relations.forks for record in records)
    assert len(entities) >= 3
