"""The catalogue record and the canonical identity of repositories."""

from schemas.record.identity import canonical_id, canonical_url
from schemas.record.model import (
    RECORD_SCHEMA_VERSION,
    Contact,
    Contractor,
    Dependency,
    Description,
    Licence,
    Maintenance,
    Organisation,
    Provenance,
    Record,
    Relations,
    Repository,
)

__all__ = [
    "RECORD_SCHEMA_VERSION",
    "Contact",
    "Contractor",
    "Dependency",
    "Description",
    "Licence",
    "Maintenance",
    "Organisation",
    "Provenance",
    "Record",
    "Relations",
    "Repository",
    "canonical_id",
    "canonical_url",
]
