"""Normalisation never raises: any publiccode content and any payload give a schema-valid record."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.normalise import records_from_snapshots
from crawler.urls import normalise_forge_url
from tests.normalise.helpers import registration, snapshot

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schemas" / "json" / "record.schema.json").read_text(encoding="utf-8"))
)
KEYS = st.sampled_from(
    [
        "publiccodeYmlVersion",
        "name",
        "url",
        "isBasedOn",
        "logo",
        "releaseDate",
        "softwareVersion",
        "platforms",
        "description",
        "legal",
        "license",
        "maintenance",
        "contacts",
        "contractors",
        "until",
        "dependsOn",
        "open",
        "localisation",
        "localisationReady",
        "fundedBy",
        "supports",
        "id",
        "en",
        "shortDescription",
        "screenshots",
        "developmentStatus",
        "softwareType",
        "organisation",
        "uri",
        "intendedAudience",
        "countries",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates().map(str),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_any_publiccode_mapping_gives_a_valid_record(document: dict[str, object]) -> None:
    """Whatever shape the keys hold, the declared record is built and matches the JSON Schema."""
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    [record] = records_from_snapshots(
        [snapshot("https://gitlab.example.org/g/app", publiccode=content)],
        registration=registration(),
    )
    assert (True, []) == (
        record.declared,
        [e.message for e in SCHEMA.iter_errors(record.model_dump(mode="json"))],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "description",
                "topics",
                "tag_list",
                "languages",
                "license",
                "licenseInfo",
                "star_count",
                "stargazerCount",
                "forks_count",
                "pushed_at",
                "lastActivityAt",
                "archived",
                "fork",
                "parent",
                "forked_from_project",
                "defaultBranchRef",
                "repositoryTopics",
                "raw",
                "licence",
                "fork_parent",
            ]
        ),
        VALUES,
        max_size=8,
    )
)
def test_any_payload_gives_a_valid_inferred_record(payload: dict[str, object]) -> None:
    """Whatever a payload holds, the inferred record is built and matches the JSON Schema."""
    [record] = records_from_snapshots(
        [snapshot("https://gitlab.example.org/g/app", payload=payload)], registration=registration()
    )
    assert (False, []) == (
        record.declared,
        [e.message for e in SCHEMA.iter_errors(record.model_dump(mode="json"))],
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(
        ["gitlab.example.org", "GitLab.Example.ORG", "github.com", "ghe.example.org:8443", "[::1]"]
    ),
    st.lists(
        st.sampled_from(
            ["explore", "groups", "projects", "dashboard", "team", "app.git", "", "-", "orgs", "x"]
        ),
        max_size=4,
    ),
)
def test_forge_url_normalisation_is_idempotent(scheme: str, host: str, segments: list[str]) -> None:
    """Normalising a normalised forge URL changes nothing."""
    once = normalise_forge_url(f"{scheme}://{host}/{'/'.join(segments)}")
    assert once == normalise_forge_url(once)


def test_scalar_where_a_list_belongs_gives_no_items() -> None:
    """`dependsOn: {open: true}` and `fundedBy: 3` give a record without items, not a TypeError."""
    text = (
        'publiccodeYmlVersion: "0.4"\nname: x\nurl: https://gitlab.example.org/g/x\n'
        "dependsOn: {open: true}\nfundedBy: 3\nmaintenance: {contacts: true}\n"
    )
    [record] = records_from_snapshots(
        [snapshot("https://gitlab.example.org/g/x", publiccode=text)], registration=registration()
    )
    assert ([], []) == (record.dependencies, record.funded_by)
