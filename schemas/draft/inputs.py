"""`DraftFacts`: everything the drafter reads about one repository, kind-neutral and typed.

The drafter never looks at a forge's JSON: a record (with the repository facts the crawl keeps
on it) becomes `DraftFacts` through `schemas.draft.from_record.draft_facts`; tests and benchmarks
build `DraftFacts` directly. Unknown is None (or empty), never a made-up value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Release:
    """The latest release (or tag) of the repository."""

    tag: str
    published_at: datetime | None = None
    prerelease: bool = False


@dataclass(frozen=True)
class Owner:
    """Who publishes the repository: the forge owner, and its organisation where one is known."""

    name: str | None = None
    """Display name of the forge owner (user or group/organisation)."""
    url: str | None = None
    """The owner's profile URL on the forge (https://host/owner)."""
    organisation_name: str | None = None
    organisation_uri: str | None = None
    contact_email: str | None = None
    """A public contact address the forge profile or a registry gives; never guessed."""
    kind: str | None = None
    """public_body, project, company, person or unknown (the organisations work)."""


@dataclass(frozen=True)
class LicenceFact:
    """An SPDX expression and where it was found."""

    expression: str
    source: str
    """``LICENSE`` (the file's text recognised) or ``forge`` (the forge's own detection)."""
    version_choice_unknown: bool = False


@dataclass(frozen=True)
class DraftFacts:
    """What is known about a repository when no publiccode.yml says it."""

    name: str
    url: str
    """The canonical repository URL."""
    forge: str = ""
    description: str | None = None
    """The forge's one-line description of the repository."""
    homepage: str | None = None
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    """Programming languages, main first."""
    readme: str | None = None
    """README text (Markdown or plain), at most 64 KiB."""
    root_names: tuple[str, ...] | None = None
    """Names of the files and folders at the repository root; None when not known."""
    licence: LicenceFact | None = None
    latest_release: Release | None = None
    releases_count: int | None = None
    created_at: datetime | None = None
    last_commit_at: datetime | None = None
    commits_last_year: int | None = None
    archived: bool = False
    is_fork: bool = False
    owner: Owner = Owner()
    now: datetime | None = None
    """The moment "recent" is measured from (the crawl's fetch time): drafts stay reproducible."""
