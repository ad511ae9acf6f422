"""What the API, the page and the badge show of one record's maturity (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from api.catalogue import record_path
from api.i18n import translate
from api.maturity_models import (
    EvidenceOut,
    MaturityChangeOut,
    MaturityCriterionOut,
    MaturityFactsOut,
    MaturityResponse,
    RootFileOut,
)
from indexer.store import MaturityChange
from schemas.copying import from_attributes
from schemas.facts import root_files
from schemas.maturity import (
    LANGUAGES,
    Assessment,
    assess,
    level_name,
    missing_for,
    reasons,
    summary_rule,
)
from schemas.record import Record


def facts_out(record: Record) -> MaturityFactsOut:
    """The repository facts of `record` the criteria rest on."""
    facts = record.repository.facts
    if facts is None:
        return MaturityFactsOut(read=False, default_branch=record.repository.default_branch)
    found = root_files(facts.root)
    files = (
        None
        if found is None
        else [RootFileOut(kind=kind, path=entry.name) for kind, entry in found.items() if entry]
    )
    return from_attributes(
        MaturityFactsOut,
        facts,
        read=True,
        default_branch=record.repository.default_branch,
        root_files=files,
    )


def next_missing(assessment: Assessment) -> list[str]:
    """Conditions not met for the level above the assessment's (empty at level 3)."""
    if assessment.level >= 3:
        return []
    return missing_for(assessment.levels(), assessment.level + 1)  # type: ignore[arg-type]


def changed_at(history: Sequence[MaturityChange], name: str, level: str) -> datetime | None:
    """When criterion `name` last changed to `level` in `history` (oldest first); None when it
    never changed, or when the history does not end at `level` (not recorded yet)."""
    since: datetime | None = None
    previous: str | None = None
    for change in history:
        current = change.criteria.get(name)
        if current is None:
            continue
        if previous is not None and current != previous:
            since = change.assessed_at
        previous = current
    return since if previous == level else None


def maturity_response(record: Record, history: Sequence[MaturityChange] = ()) -> MaturityResponse:
    """The maturity answer of the API for `record`, measured at its crawl time; `history` is
    the store's record of earlier assessments (oldest first)."""
    assessment = assess(record)
    path = record_path(record.id)
    return MaturityResponse(
        id=record.id,
        level=assessment.level,
        level_name={language: level_name(assessment.level, language) for language in LANGUAGES},
        rule={language: summary_rule(language) for language in LANGUAGES},
        missing_for_next=next_missing(assessment),
        assessed_at=assessment.assessed_at,
        criteria=[
            from_attributes(
                MaturityCriterionOut,
                criterion,
                reason_code=criterion.reason,
                reason=reasons(criterion),
                evidence=EvidenceOut(**asdict(criterion.evidence)),
                changed_at=changed_at(history, criterion.name, criterion.level),
            )
            for criterion in assessment.criteria
        ],
        facts=facts_out(record),
        history=[
            MaturityChangeOut(
                assessed_at=change.assessed_at,
                level=change.level,  # type: ignore[arg-type]
                criteria=change.criteria,  # type: ignore[arg-type]
            )
            for change in history
        ],
        links={
            "self": f"/api/v1/software/{path}/maturity",
            "software": f"/api/v1/software/{path}",
            "page": f"/software/{path}#maturity",
            "badge": f"/api/v1/software/{path}/badge.svg",
        },
    )


def maturity_badge(record: Record, language: str, base_url: str) -> dict[str, str]:
    """The page's badge: its same-origin `src`, its `alt` text, and Markdown for a README."""
    assessment = assess(record)
    path = record_path(record.id)
    src = f"/api/v1/software/{path}/badge.svg?lang={language}"
    alt = translate(
        language,
        "maturity.badge_title",
        level=assessment.level,
        name=level_name(assessment.level, language),
    )
    return {"src": src, "alt": alt, "markdown": f"![{alt}]({base_url.rstrip('/')}{src})"}
