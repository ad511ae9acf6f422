"""Publisher views (issue 13): the files with errors of one forge or one organisation.

A state IT department asks "which of our publiccode.yml files are broken, and why?". The answer
is computed from the store (the source of truth), so it is exact also while the search index
catches up: every live record of the forge (or organisation) is counted, and those with an
error finding (invalid or unreadable publiccode.yml) are listed with their findings in the
language asked for, most errors first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, Field
from pydantic_core import from_json

from api.catalogue import record_path
from api.models import FindingOut, findings_out
from api.selection import matching_documents, preselected_ids
from indexer.store import Store
from schemas.record import Record

MAX_LISTED = 500
"""Files listed at most (the counts always cover every record)."""


class ErrorFile(BaseModel):
    """One record whose publiccode.yml has errors, with its findings."""

    id: str
    name: str
    url: str
    errors: int
    warnings: int
    findings: list[FindingOut]
    links: dict[str, str] = Field(description="page, api, status")


class ErrorList(BaseModel):
    """The files with errors of one forge or organisation, and counts over all its records."""

    scope: Literal["forge", "organisation"]
    name: str = Field(description="forge name or organisation id")
    records: int = Field(description="live records")
    invalid: int = Field(description="records with at least one error finding")
    with_warnings: int = Field(description="records with at least one warning finding")
    errors: int = Field(description="error findings over all records")
    warnings: int = Field(description="warning findings over all records")
    files: list[ErrorFile] = Field(description="records with errors, most errors first")
    truncated: bool = Field(description=f"more than {MAX_LISTED} files have errors")


def _error_list(
    scope: Literal["forge", "organisation"], name: str, documents: Iterable[str], language: str
) -> ErrorList:
    records = invalid = with_warnings = errors = warnings = 0
    broken: list[tuple[int, str, str]] = []
    for document in documents:
        records += 1
        parsed = from_json(document)
        findings = parsed.get("findings") or []
        found_errors = sum(1 for f in findings if f.get("type") == "error")
        found_warnings = len(findings) - found_errors
        errors += found_errors
        warnings += found_warnings
        with_warnings += 1 if found_warnings else 0
        if found_errors:
            invalid += 1
            broken.append((found_errors, str(parsed.get("name") or ""), document))
    broken.sort(key=lambda item: (-item[0], item[1].casefold()))
    files = []
    for _count, _name, document in broken[:MAX_LISTED]:
        record = Record.model_validate_json(document)
        path = record_path(record.id)
        files.append(
            ErrorFile(
                id=record.id,
                name=record.name,
                url=record.url,
                errors=sum(1 for f in record.findings if f.type == "error"),
                warnings=sum(1 for f in record.findings if f.type == "warning"),
                findings=findings_out(record.findings, language),
                links={
                    "page": f"/software/{path}",
                    "api": f"/api/v1/software/{path}",
                    "status": "/api/v1/status?" + urlencode({"url": record.url}),
                },
            )
        )
    return ErrorList(
        scope=scope,
        name=name,
        records=records,
        invalid=invalid,
        with_warnings=with_warnings,
        errors=errors,
        warnings=warnings,
        files=files,
        truncated=len(broken) > MAX_LISTED,
    )


def forge_errors(store: Store, forge: str, language: str) -> ErrorList:
    """The files with errors of the registered forge `forge` (see the module docstring)."""
    filters = {"forge": (forge,)}
    ids = preselected_ids(store, filters)
    documents = (document for document, _parsed in matching_documents(store, filters, ids=ids))
    return _error_list("forge", forge, documents, language)


def organisation_errors(store: Store, organisation_id: str, language: str) -> ErrorList:
    """The files with errors of the organisation `organisation_id`."""
    ids = store.organisation_record_ids(organisation_id)
    return _error_list("organisation", organisation_id, store.iter_documents(ids=ids), language)
