"""Output models of the maturity API: criteria with evidence and reasons, facts, history."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from schemas.facts import FileKind, Release
from schemas.maturity import CriterionName, Level, SummaryLevel
from schemas.maturity.model import EvidenceSource


class EvidenceOut(BaseModel):
    """What a criterion's level rests on; a criterion fills the fields its reason names."""

    source: EvidenceSource | None = Field(
        default=None, description="where the fact was read: commit, activity, release, …"
    )
    path: str | None = Field(default=None, description="a file at the repository root")
    date: datetime | None = Field(default=None, description="a commit, activity or release date")
    days: int | None = Field(default=None, description="days between `date` and the assessment")
    count: int | None = Field(default=None, description="characters, releases, contacts, errors")
    value: str | None = Field(default=None, description="a licence id, a release tag, a type")


class MaturityCriterionOut(BaseModel):
    """One criterion: its level, the evidence, the reason in German and English."""

    name: CriterionName
    level: Level
    reason_code: str = Field(description="stable code of the reason, e.g. active.commit_recent")
    reason: dict[str, str] = Field(description="the reason sentence per language (de, en)")
    evidence: EvidenceOut
    changed_at: datetime | None = Field(
        default=None,
        description="the crawl (fetch time) at which the criterion last changed to its level; "
        "null when it has had this level since its first recorded assessment",
    )


class RootFileOut(BaseModel):
    """A well-known file at the repository root."""

    kind: FileKind
    path: str


class MaturityFactsOut(BaseModel):
    """The repository facts the criteria rest on (all null when the crawl did not read them)."""

    read: bool = Field(description="false when the crawl read no repository facts")
    empty: bool | None = None
    default_branch: str | None = None
    releases_count: int | None = None
    latest_release: Release | None = None
    last_commit_at: datetime | None = None
    commits_last_year: int | None = None
    open_issues: int | None = None
    readme_size: int | None = Field(default=None, description="bytes of the whole README")
    root_files: list[RootFileOut] | None = Field(
        default=None, description="well-known root files present; null when the root was not read"
    )


class MaturityChangeOut(BaseModel):
    """One recorded assessment: stored when the summary level or a criterion's level changed."""

    assessed_at: datetime = Field(description="the crawl's fetch time of the record")
    level: SummaryLevel
    criteria: dict[str, Level]


class MaturityResponse(BaseModel):
    """The maturity assessment of one software: summary level with its rule, every criterion."""

    id: str
    level: SummaryLevel = Field(description="summary level 0–3 (see rule)")
    level_name: dict[str, str] = Field(description="the level's name per language")
    rule: dict[str, list[str]] = Field(description="the summary rule per language, level 0 to 3")
    missing_for_next: list[str] = Field(
        description="conditions not met for the next level: criterion:met, criterion:partly "
        "or any:secure,described,maintained (empty at level 3)"
    )
    assessed_at: datetime = Field(description="the moment measured against: the crawl time")
    criteria: list[MaturityCriterionOut]
    facts: MaturityFactsOut
    history: list[MaturityChangeOut] = Field(
        description="the recorded assessments of this software, oldest first (only changes)"
    )
    links: dict[str, str]
