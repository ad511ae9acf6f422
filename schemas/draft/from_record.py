"""A catalogue record → the `DraftFacts` the drafter reads (pure).

Reads the record's repository facts (forge metadata; README, root files, releases and commits
where the crawl kept them), its licence (the forge's detection, or the LICENSE text recognised
during normalisation) and its organisation. The owner is the repository URL's owner part
(host + path without the repository name) until an organisation entity names it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from schemas.draft.inputs import DraftFacts, LicenceFact, Owner
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
    licence = record.licence
    if licence is not None and licence.valid:
        return LicenceFact(expression=licence.expression, source="forge")
    if record.repository.licence:
        return LicenceFact(expression=record.repository.licence, source="forge")
    return None


def draft_facts(record: Record) -> DraftFacts:
    """What the record knows about its repository, for `draft_publiccode`."""
    repository = record.repository
    return DraftFacts(
        name=record.name,
        url=record.url,
        forge=repository.forge,
        description=repository.description,
        homepage=repository.homepage or record.landing_url,
        topics=tuple(repository.topics),
        languages=tuple(repository.languages),
        licence=_licence(record),
        created_at=repository.created_at,
        last_commit_at=repository.last_activity,
        archived=repository.archived,
        is_fork=repository.is_fork,
        owner=_owner(record),
        now=record.provenance.fetched_at,
    )
