"""What the API, the page and the badge show of one record's maturity (pure functions)."""

from __future__ import annotations

from api.catalogue import record_path
from api.maturity_models import (
    MaturityCriterionOut,
    MaturityFactsOut,
    MaturityResponse,
    RootFileOut,
)
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
    return MaturityFactsOut(
        read=True,
        empty=facts.empty,
        default_branch=record.repository.default_branch,
        releases_count=facts.releases_count,
        latest_release=facts.latest_release,
        last_commit_at=facts.last_commit_at,
        commits_last_year=facts.commits_last_year,
        open_issues=facts.open_issues,
        readme_size=facts.readme_size,
        root_files=files,
    )


def next_missing(assessment: Assessment) -> list[str]:
    """Conditions not met for the level above the assessment's (empty at level 3)."""
    if assessment.level >= 3:
        return []
    return missing_for(assessment.levels(), assessment.level + 1)  # type: ignore[arg-type]


def maturity_response(record: Record) -> MaturityResponse:
    """The maturity answer of the API for `record`, measured at its crawl time."""
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
            MaturityCriterionOut(
                name=criterion.name,
                level=criterion.level,
                reason_code=criterion.reason,
                reason=reasons(criterion),
                evidence=criterion.evidence,
            )
            for criterion in assessment.criteria
        ],
        facts=facts_out(record),
        links={
            "self": f"/api/v1/software/{path}/maturity",
            "software": f"/api/v1/software/{path}",
            "page": f"/software/{path}#maturity",
            "badge": f"/api/v1/software/{path}/badge.svg",
        },
    )
