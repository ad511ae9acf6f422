"""publiccode.yml drafts for repositories that have none, and suggested fixes for broken ones.

`draft_publiccode(facts)` turns what the forge knows (`DraftFacts`, built from a record by
`draft_facts`) into a publiccode.yml 0.7 document that the validator accepts with no error,
every value noted with its source and, for guesses, a TODO; `Draft.to_yaml()` writes it with a
comment per value. The inference rules are in `schemas.draft.inference` (docs/drafts.md).
Pure, no I/O: the API, the CLI, the proposer and the benchmark all call these functions.
"""

from schemas.draft.document import NO_LICENCE, Draft, FieldNote, draft_publiccode
from schemas.draft.from_record import draft_facts, owner_url
from schemas.draft.inputs import DraftFacts, LicenceFact, Owner, Release
from schemas.record import Record

__all__ = [
    "NO_LICENCE",
    "Draft",
    "DraftFacts",
    "FieldNote",
    "LicenceFact",
    "Owner",
    "Release",
    "draft_facts",
    "draft_for_record",
    "draft_publiccode",
    "owner_url",
]


def draft_for_record(record: Record) -> Draft:
    """The draft for a catalogue record."""
    return draft_publiccode(draft_facts(record))
