"""A catalogue record → the `DraftFacts` the drafter reads (pure).

Reads the record's repository facts (forge metadata; README, root files, releases and commits
where the crawl kept them), its licence (the forge's detection, or the LICENSE text recognised
during normalisation) and its organisation. The owner is the repository URL's owner part
(host + path without the repository name) until an organisation entity names it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from schemas.draft.inputs import DraftFacts, LicenceFact, Owner, Release
from schemas.facts import RepositoryFacts
from schemas.record import Record


def owner_url(repository_url: str) -> str | None:
    """``https://host/group/sub`` for ``https://host/group/sub/name``; None without an owner."""
    parts = urlsplit(repository_url)
    path = parts.path.strip("/")
    if "/" not in path or not parts.hostname:
        return None
    return f"{parts.scheme or 'https'}://{parts.netloc}/{path.rsplit('/', 1)[0]}"


def _owner(record: Record) -> Owner:
    url = owner_url(record.repository.url or record.url)
    name = url.rsplit("/", 1)[-1] if url else None
    organisation = record.organisation
    return Owner(
        name=name,
        url=url,
        organisation_name=organisation.name if organisation else None,
        organisation_uri=organisation.uri if organisation else None,
    )


def _licence(record: Record) -> LicenceFact | None:
    """The record's licence (declared or the forge's detection), else the LICENSE file's."""
    licence = record.licence
    if licence is not None and licence.valid:
        return LicenceFact(expression=licence.expression, source="forge")
    if record.repository.licence:
        return LicenceFact(expression=record.repository.licence, source="forge")
    facts = record.repository.facts
    if facts is not None and facts.licence_from_file:
        # A GNU licence text does not say "only" or "or later" (`licence_text`): an ``-only``
        # id found in a file leaves that choice to the owner.
        unknown = "GPL-" in facts.licence_from_file and "-only" in facts.licence_from_file
        return LicenceFact(
            expression=facts.licence_from_file, source="LICENSE", version_choice_unknown=unknown
        )
    return None


def _release(facts: RepositoryFacts | None) -> Release | None:
    latest = facts.latest_release if facts is not None else None
    if latest is None:
        return None
    return Release(tag=latest.tag, published_at=latest.published_at, prerelease=latest.prerelease)


def draft_facts(record: Record) -> DraftFacts:
    """What the record knows about its repository, for `draft_publiccode`."""
    repository = record.repository
    facts = repository.facts
    root = facts.root if facts is not None else None
    return DraftFacts(
        name=record.name,
        url=record.url,
        forge=repository.forge,
        description=repository.description,
        homepage=repository.homepage or record.landing_url,
        topics=tuple(repository.topics),
        languages=tuple(repository.languages),
        readme=facts.readme_text if facts is not None else None,
        root_names=tuple(entry.name for entry in root) if root is not None else None,
        licence=_licence(record),
        latest_release=_release(facts),
        releases_count=facts.releases_count if facts is not None else None,
        commits_last_year=facts.commits_last_year if facts is not None else None,
        created_at=repository.created_at,
        last_commit_at=(facts.last_commit_at if facts is not None else None)
        or repository.last_activity,
        archived=repository.archived,
        is_fork=repository.is_fork,
        owner=_owner(record),
        now=record.provenance.fetched_at,
    )
