"""Normalisation: repository snapshots → catalogue records, and federation across forges.

`records_from_snapshots` (per forge) and `federate` (across all forges) are pure: the crawl loop
and the re-normalisation command call them on stored snapshots, with no network.
"""

from crawler.normalise.catalogue import federated_catalogue, federated_records
from crawler.normalise.facts import read_facts
from crawler.normalise.federation import federate
from crawler.normalise.organisations import OrganisationDirectory
from crawler.normalise.records import record_from_snapshot, records_from_snapshots
from schemas.licence import licence_from_expression, spdx_id

__all__ = [
    "OrganisationDirectory",
    "federate",
    "federated_catalogue",
    "federated_records",
    "licence_from_expression",
    "read_facts",
    "record_from_snapshot",
    "records_from_snapshots",
    "spdx_id",
]
