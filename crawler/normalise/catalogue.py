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
from crawler.normalise.records import records_from_snapshots
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record


def federated_records(
    snapshots: Iterable[RepositorySnapshot],
    registrations: Mapping[str, ForgeRegistration] | Iterable[ForgeRegistration],
) -> list[Record]:
    """One record per piece of software across all forges, sorted by id (pure).

    `registrations` maps forge names to registrations (or is a list of them); snapshots of a
    forge that is no longer registered are left out.
    """
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
    for forge, forge_snapshots in sorted(per_forge.items()):
        records.extend(records_from_snapshots(forge_snapshots, registration=by_name[forge]))
    return federate(records)
