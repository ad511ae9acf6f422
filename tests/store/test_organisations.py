"""Organisations in the store: entities, counts from records, registry entries, account hints."""

from __future__ import annotations

from indexer.store import Store
from schemas.organisation import ForgeAccount, OrganisationEntity, RegistryOrganisation
from tests.store.builders import at, make_record


def test_entities_keep_accounts_across_saves(store: Store) -> None:
    """A second save of an organisation adds its newly seen accounts to those stored before."""
    first = OrganisationEntity(
        id="tooi:gm1", name="A", accounts=[ForgeAccount(forge="hub", owner="github.com/a")]
    )
    second = OrganisationEntity(
        id="tooi:gm1", name="A2", accounts=[ForgeAccount(forge="lab", owner="gitlab.example.org/a")]
    )
    store.save_organisations([first], now=at(1))
    store.save_organisations([second], now=at(2))
    stored = store.get_organisation("tooi:gm1")
    assert stored is not None
    assert ("A2", ["github.com/a", "gitlab.example.org/a"]) == (
        stored.name,
        [account.owner for account in stored.accounts],
    )
    assert ["tooi:gm1"] == [entity.id for entity in store.list_organisations()]
    assert store.get_organisation("tooi:unknown") is None


def test_counts_and_declared_organisations_by_owner(store: Store) -> None:
    """Counts per organisation come from live records; owners map to their declared organisation."""
    declared = {"id": "tooi:gm1", "name": "Stadt", "kind": "public_body", "source": "publiccode"}
    forge_org = {"id": "account:x:b", "name": "b", "kind": "unknown", "source": "forge"}
    store.upsert_records(
        [
            make_record(
                "https://x/a/one",
                organisation=declared,
                repository={"forge": "lab", "url": "https://x/a/one", "owner": "x/a"},
            ),
            make_record(
                "https://x/a/two",
                declared=False,
                organisation=declared,
                repository={"forge": "hub", "url": "https://x/a/two", "owner": "x/a"},
            ),
            make_record(
                "https://x/b/three",
                organisation=forge_org,
                repository={"forge": "lab", "url": "https://x/b/three", "owner": "x/b"},
            ),
        ],
        now=at(1),
    )
    store.delete_records(["x/b/three"], now=at(2))
    counts = store.organisation_counts()
    assert (2, 1, 1, ("hub", "lab")) == (
        counts["tooi:gm1"].software,
        counts["tooi:gm1"].declared,
        counts["tooi:gm1"].valid,
        counts["tooi:gm1"].forges,
    )
    assert "account:x:b" not in counts
    assert {"x/a": "tooi:gm1"} == store.declared_organisations_by_owner()
    assert ["x/a/one", "x/a/two"] == store.organisation_record_ids("tooi:gm1")


def test_registry_entries_replace_their_source(store: Store) -> None:
    """Importing a registry file again replaces what that file said, other files stay."""
    french = RegistryOrganisation(
        source="codegouvfr:a.yml", accounts=["gitlab.com/etalab"], identifiers=[("pso_id", "1")]
    )
    dutch = RegistryOrganisation(
        source="nl-publishers:p.json", accounts=["github.com/cbs"], name="CBS"
    )
    store.save_registry_organisations([french, dutch], now=at(1))
    renamed = dutch.model_copy(update={"name": "Centraal Bureau voor de Statistiek"})
    store.save_registry_organisations([renamed], now=at(2))
    assert [("codegouvfr:a.yml", None), ("nl-publishers:p.json", renamed.name)] == [
        (entry.source, entry.name) for entry in store.registry_organisations()
    ]
