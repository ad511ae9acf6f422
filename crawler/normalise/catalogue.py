"""The whole catalogue from the stored snapshots of every forge: normalise, then federate.

Federation needs every forge's records at once (a mirror on GitHub and its original on GitLab
are crawled by different runs), and records that share an id would overwrite each other if
they were written one forge page at a time. So the catalogue is derived from the snapshots the
store keeps (architecture decision 1), with no network: call `federated_records` after crawls
(and for ``index --rebuild``), upsert what it returns and tombstone the live ids it no longer
returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from crawler.normalise.federation import federate
from crawler.normalise.organisations import (
    EMPTY_DIRECTORY,
    OrganisationDirectory,
    organisation_entities,
    unify,
)
from crawler.normalise.records import owner_profile, records_from_snapshots
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.organisation import OrganisationEntity, OwnerProfile
from schemas.record import Record


def federated_records(
    snapshots: Iterable[RepositorySnapshot],
    registrations: Mapping[str, ForgeRegistration] | Iterable[ForgeRegistration],
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
) -> list[Record]:
    """One record per piece of software across all forges, sorted by id (pure).

    `registrations` maps forge names to registrations (or is a list of them); snapshots of a
    forge that is no longer registered are left out. `directory` holds the registries'
    organisations and the accounts' declared ones (`crawler.normalise.organisations`).
    """
    records, _ = federated_catalogue(snapshots, registrations, directory, entities=False)
    return records


def federated_catalogue(
    snapshots: Iterable[RepositorySnapshot],
    registrations: Mapping[str, ForgeRegistration] | Iterable[ForgeRegistration],
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
    *,
    entities: bool = True,
) -> tuple[list[Record], list[OrganisationEntity]]:
    """`federated_records` and the organisations they name (`organisation_entities`, with the
    forge profiles of the snapshots' owners); no organisations when `entities` is False."""
    by_name = (
        dict(registrations)
        if isinstance(registrations, Mapping)
        else {registration.name: registration for registration in registrations}
    )
    per_forge: dict[str, list[RepositorySnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        if snapshot.forge in by_name:
            per_forge[snapshot.forge].append(snapshot)
    records: list[Record] = []
    profiles: dict[str, tuple[str, OwnerProfile | None]] = {}
    for forge, forge_snapshots in sorted(per_forge.items()):
        for snapshot in forge_snapshots:
            owner, profile = owner_profile(snapshot, by_name[forge])
            if owner and _better(profile, profiles.get(owner, ("", None))[1]):
                profiles[owner] = (forge, profile)
    best = {owner: profile for owner, (_forge, profile) in profiles.items()}
    for forge, forge_snapshots in sorted(per_forge.items()):
        records.extend(
            records_from_snapshots(
                forge_snapshots, registration=by_name[forge], directory=directory, profiles=best
            )
        )
    federated = unify(federate(records), directory)
    if not entities:
        return federated, []
    return federated, organisation_entities(federated, profiles, directory)


def _better(profile: OwnerProfile | None, known: OwnerProfile | None) -> bool:
    """True when `profile` should replace `known` for its owner: the first one, or one that
    tells a person from an organisation where the known one did not (a Gitea crawl that read
    an owner's profile for some of its repositories only)."""
    if profile is None:
        return False
    return known is None or (known.person is None and profile.person is not None)
