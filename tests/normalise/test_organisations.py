"""Every record gets an organisation: declared → registry → account's declaration → forge profile."""

from __future__ import annotations

from typing import Any

from crawler.normalise import OrganisationDirectory, federated_catalogue, record_from_snapshot
from schemas.organisation import (
    RegistryOrganisation,
    account_id,
    identifier_of_uri,
    organisation_id,
)
from tests.normalise.helpers import publiccode, registration, snapshot

GITLAB = registration("lab", "gitlab", "https://gitlab.example.org")
GITHUB = registration("hub", "github", "https://github.com")
TOOI = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"


def _github_node(owner: dict[str, Any], name: str = "app") -> dict[str, Any]:
    login = owner["login"]
    return {
        "kind": "github",
        "api": "graphql",
        "name": name,
        "full_path": f"{login}/{name}",
        "raw": {"nameWithOwner": f"{login}/{name}", "owner": owner},
    }


def _gitlab_node(group: dict[str, Any] | None, namespace: str, name: str = "app") -> dict[str, Any]:
    return {
        "kind": "gitlab",
        "api": "graphql",
        "name": name,
        "full_path": f"{namespace}/{name}",
        "raw": {
            "fullPath": f"{namespace}/{name}",
            "group": group,
            "namespace": {"fullPath": namespace, "name": namespace},
        },
    }


ORG = {
    "__typename": "Organization",
    "login": "Amsterdam",
    "name": "Gemeente Amsterdam",
    "description": "Code of the city",
    "websiteUrl": "https://amsterdam.nl",
    "avatarUrl": "https://avatars.example/a.png",
    "url": "https://github.com/Amsterdam",
}
USER = {"__typename": "User", "login": "anna-jones", "url": "https://github.com/anna-jones"}


def _declared(name: str, url: str, organisation: str) -> str:
    return publiccode(name, url) + organisation


def test_organisation_namespace_gives_the_forge_profile() -> None:
    """An undeclared repository of a GitHub organisation carries the organisation's profile name."""
    url = "https://github.com/Amsterdam/app"
    record = record_from_snapshot(
        snapshot(url, forge="hub", payload=_github_node(ORG)), registration=GITHUB
    )
    assert record.organisation is not None
    assert (
        "account:github.com:amsterdam",
        "Gemeente Amsterdam",
        "unknown",
        "forge",
        "github.com/amsterdam",
    ) == (
        record.organisation.id,
        record.organisation.name,
        record.organisation.kind,
        record.organisation.source,
        record.repository.owner,
    )


def test_user_namespace_is_a_person_without_a_name() -> None:
    """A user's repository carries kind person and no name, even with a deprecated repoOwner."""
    url = "https://github.com/anna-jones/app"
    text = publiccode("App", url).replace("legal:\n", "legal:\n  repoOwner: Anna Jones\n")
    record = record_from_snapshot(
        snapshot(url, forge="hub", payload=_github_node(USER), publiccode=text),
        registration=GITHUB,
    )
    assert record.organisation is not None
    assert ("person", None, "account:github.com:anna-jones") == (
        record.organisation.kind,
        record.organisation.name,
        record.organisation.id,
    )


def test_gitlab_user_namespace_and_nested_group() -> None:
    """GitLab: no group means a user namespace; a subgroup is named by its full path and profile."""
    person = record_from_snapshot(
        snapshot(
            "https://gitlab.example.org/jdoe/tool",
            forge="lab",
            payload=_gitlab_node(None, "jdoe", "tool"),
        ),
        registration=GITLAB,
    )
    group = {"fullPath": "city/it", "name": "IT office", "parent": {"fullPath": "city"}}
    member = record_from_snapshot(
        snapshot(
            "https://gitlab.example.org/city/it/tool",
            forge="lab",
            payload=_gitlab_node(group, "city/it", "tool"),
        ),
        registration=GITLAB,
    )
    assert person.organisation is not None and member.organisation is not None
    assert ("person", "account:gitlab.example.org:city:it", "IT office") == (
        person.organisation.kind,
        member.organisation.id,
        member.organisation.name,
    )


def test_valid_declaration_wins_and_a_registry_uri_names_a_public_body() -> None:
    """A declared TOOI URI becomes the organisation id, kind public_body, source publiccode."""
    url = "https://github.com/Amsterdam/app"
    text = _declared("App", url, f"organisation:\n  name: City of Amsterdam\n  uri: {TOOI}\n")
    record = record_from_snapshot(
        snapshot(url, forge="hub", payload=_github_node(ORG), publiccode=text),
        registration=GITHUB,
    )
    assert record.organisation is not None
    assert ("tooi:gm0363", "City of Amsterdam", "public_body", "publiccode") == (
        record.organisation.id,
        record.organisation.name,
        record.organisation.kind,
        record.organisation.source,
    )


def test_invalid_declaration_falls_back_to_the_registry() -> None:
    """A declared organisation with an error finding is not used; the registry's entry is."""
    url = "https://github.com/Amsterdam/app"
    text = _declared("App", url, "organisation:\n  name: x\n  uri: not a uri at all\n")
    directory = OrganisationDirectory.from_registry(
        [
            RegistryOrganisation(
                source="nl-publishers:publishers.json",
                accounts=[account_id("github.com", "amsterdam")],
                name="Gemeente Amsterdam",
                identifiers=[("tooi", "gm0363")],
                country="NL",
            )
        ]
    )
    record = record_from_snapshot(
        snapshot(url, forge="hub", payload=_github_node(ORG), publiccode=text),
        registration=GITHUB,
        directory=directory,
    )
    assert record.organisation is not None
    assert any(f.key.startswith("organisation") for f in record.findings)
    assert ("tooi:gm0363", "Gemeente Amsterdam", "registry") == (
        record.organisation.id,
        record.organisation.name,
        record.organisation.source,
    )


def test_one_organisation_across_forges() -> None:
    """A GitHub organisation and a GitLab group declaring the same URI are one organisation;
    the accounts' undeclared repositories join it, and its entity lists both accounts."""
    hub_url = "https://github.com/Amsterdam/app"
    lab_url = "https://gitlab.example.org/amsterdam/portal"
    declaration = f"organisation:\n  name: City of Amsterdam\n  uri: {TOOI}\n"
    group = {"fullPath": "amsterdam", "name": "Amsterdam", "description": "City group"}
    snapshots = [
        snapshot(
            hub_url,
            forge="hub",
            payload=_github_node(ORG),
            publiccode=_declared("App", hub_url, declaration),
        ),
        snapshot(
            "https://github.com/Amsterdam/other", forge="hub", payload=_github_node(ORG, "other")
        ),
        snapshot(
            lab_url,
            forge="lab",
            payload=_gitlab_node(group, "amsterdam", "portal"),
            publiccode=_declared("Portal", lab_url, declaration),
        ),
    ]
    records, entities = federated_catalogue(snapshots, [GITHUB, GITLAB])
    assert {"tooi:gm0363"} == {r.organisation.id for r in records if r.organisation}
    [entity] = entities
    assert (
        ["github.com/amsterdam", "gitlab.example.org/amsterdam"],
        "City of Amsterdam",
        "publiccode",
        "Code of the city",
        "forge",
        [("tooi", "gm0363")],
    ) == (
        [account.owner for account in entity.accounts],
        entity.name,
        entity.sources["name"].kind,
        entity.description,
        entity.sources["description"].kind,
        [(i.scheme, i.value) for i in entity.identifiers],
    )


def test_registry_name_and_identifiers_win_over_the_forge_profile() -> None:
    """Registry values (name, country, identifiers) win; the profile fills description and avatar."""
    entry = RegistryOrganisation(
        source="nl-publishers:publishers.json",
        accounts=["github.com/amsterdam"],
        name="Gemeente Amsterdam (register)",
        identifiers=[("tooi", "gm0363"), ("roo", "12345")],
        country="NL",
    )
    records, [entity] = federated_catalogue(
        [snapshot("https://github.com/Amsterdam/app", forge="hub", payload=_github_node(ORG))],
        [GITHUB],
        OrganisationDirectory.from_registry([entry]),
    )
    assert (
        "Gemeente Amsterdam (register)",
        "registry",
        "NL",
        "https://avatars.example/a.png",
        "forge",
        "public_body",
    ) == (
        records[0].organisation.name if records[0].organisation else None,
        entity.sources["name"].kind,
        entity.country,
        entity.avatar_url,
        entity.sources["avatar_url"].kind,
        entity.kind,
    )


def test_identifiers_of_uris() -> None:
    """publiccode organisation URIs spell TOOI, ld.admin.ch, iPA, service-public ids, or none."""
    assert [
        ("tooi", "gm0363"),
        ("ld_admin_ch", "office/i.1.5"),
        ("ipa", "c_h501"),
        ("pso_id", "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8"),
        ("uri", "https://example.org/org"),
    ] == [
        identifier_of_uri(TOOI),
        identifier_of_uri("https://ld.admin.ch/office/I.1.5"),
        identifier_of_uri("urn:x-italian-pa:c_h501"),
        identifier_of_uri(
            "https://lannuaire.service-public.fr/gouvernement/db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8"
        ),
        identifier_of_uri("https://example.org/org"),
    ]
    assert "ld_admin_ch:office:i.1.5" == organisation_id("ld_admin_ch", "office/i.1.5")
    assert organisation_id("uri", "https://example.org/a b").startswith("uri:")


def test_a_subgroup_belongs_to_the_organisation_a_registry_names_for_its_parent() -> None:
    """A registry naming the GitLab group ``city`` gives its subgroup ``city/it`` the same
    organisation and the registry's kind (was: an ``unknown`` organisation of its own)."""
    entry = RegistryOrganisation(
        source="codegouvfr:comptes-organismes-publics.yml",
        accounts=[account_id("gitlab.example.org", "city")],
        identifiers=[("pso_id", "db2b74d4-0000-4000-8000-000000000001")],
        country="FR",
    )
    group = {"fullPath": "city/it", "name": "IT office", "parent": {"fullPath": "city"}}
    records, [entity] = federated_catalogue(
        [
            snapshot(
                "https://gitlab.example.org/city/it/tool",
                forge="lab",
                payload=_gitlab_node(group, "city/it", "tool"),
            )
        ],
        [GITLAB],
        OrganisationDirectory.from_registry([entry]),
    )
    assert records[0].organisation is not None
    assert ("pso_id:db2b74d4-0000-4000-8000-000000000001", "public_body", "registry") == (
        records[0].organisation.id,
        records[0].organisation.kind,
        entity.sources["kind"].kind,
    )
    assert "public_body" == entity.kind


def test_an_account_adopting_a_registry_identifier_is_a_public_body() -> None:
    """An undeclared repository of an account whose other repository declares a TOOI URI
    joins that organisation with its kind, public_body (was: ``unknown``)."""
    declared_url = "https://github.com/Amsterdam/app"
    text = _declared(
        "App", declared_url, f"organisation:\n  name: City of Amsterdam\n  uri: {TOOI}\n"
    )
    records, [entity] = federated_catalogue(
        [
            snapshot(declared_url, forge="hub", payload=_github_node(ORG), publiccode=text),
            snapshot(
                "https://github.com/Amsterdam/other",
                forge="hub",
                payload=_github_node(ORG, "other"),
            ),
        ],
        [GITHUB],
    )
    assert {("tooi:gm0363", "public_body")} == {
        (r.organisation.id, r.organisation.kind) for r in records if r.organisation
    }
    assert "public_body" == entity.kind


def test_a_name_alone_never_makes_a_public_body() -> None:
    """The conservative rule: an organisation known only by a forge profile or a declared name
    stays ``unknown``, however official its name sounds."""
    profile = {**ORG, "login": "stadt-muenchen", "name": "Landeshauptstadt München"}
    named_url = "https://github.com/stadt-muenchen/named"
    text = _declared("Named", named_url, "organisation:\n  name: Landeshauptstadt München\n")
    records, entities = federated_catalogue(
        [
            snapshot(
                "https://github.com/stadt-muenchen/app",
                forge="hub",
                payload=_github_node(profile),
            ),
            snapshot(
                named_url, forge="hub", payload=_github_node(profile, "named"), publiccode=text
            ),
        ],
        [GITHUB],
    )
    assert {"unknown"} == {r.organisation.kind for r in records if r.organisation}
    assert {"unknown"} == {entity.kind for entity in entities}


def test_two_forges_on_one_host_are_two_accounts() -> None:
    """Forges on one host but different ports keep their groups apart (the port is in the id);
    the default port names the same account as no port."""
    one = registration("one", "gitlab", "https://git.example.org")
    two = registration("two", "gitlab", "https://git.example.org:8443")
    group = {"fullPath": "city", "name": "City", "parent": None}
    records, entities = federated_catalogue(
        [
            snapshot(
                "https://git.example.org/city/app",
                forge="one",
                payload=_gitlab_node(group, "city"),
            ),
            snapshot(
                "https://git.example.org:8443/city/tool",
                forge="two",
                payload=_gitlab_node({**group, "name": "Another city"}, "city", "tool"),
            ),
        ],
        [one, two],
    )
    owners = {
        r.id: (r.repository.owner, r.organisation.id if r.organisation else None) for r in records
    }
    assert owners == {
        "git.example.org/city/app": ("git.example.org/city", "account:git.example.org:city"),
        "git.example.org:8443/city/tool": (
            "git.example.org:8443/city",
            "account:git.example.org~8443:city",
        ),
    }
    assert {e.id: e.name for e in entities} == {
        "account:git.example.org:city": "City",
        "account:git.example.org~8443:city": "Another city",
    }
