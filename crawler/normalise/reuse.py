"""Reuse links between catalogue records, and the summary each record carries (pure).

`links_among(pool, touched)` computes every `ReuseLink` (see `schemas.reuse`) between records of
`pool` that involves a record of `touched` (as user or as software): the pipeline passes the
records a crawl touched plus the stored records that publish what they use, use what they
publish, or were linked to them before, so the links of one crawl are settled without reading
the whole catalogue. `summarise` turns the stored links of one record into its `ReuseSummary`.

Rules:
- ``depends_on``: a package key the user uses is published by the software. Confidence is
  *high* for a direct dependency on the only publisher; *medium* for a lock-file or indirect
  name, or when several catalogue records publish the key (a fork publishing its upstream's
  name is not counted as a publisher while its parent is in the catalogue); *low* when the user
  is a fork of the software (it inherits the manifest rather than choosing the package).
- ``fork_of``: the forge says the user's repository is a fork of the software's.
- ``based_on``: the user's publiccode.yml ``isBasedOn`` names the software.
- ``declared_used_by``: each ``usedBy`` entry of the software's publiccode.yml, self-declared,
  low confidence, never internal (no repository to tell).
- A link whose user and software belong to one organisation (`organisation_key`) is internal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from schemas.errors import InvalidURLError
from schemas.manifests.model import PackageUse
from schemas.record import Record, canonical_id
from schemas.reuse import Confidence, ReuseLink, ReuseSummary, owner_path

_CONFIDENCE_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
REUSE_COUNTED = frozenset({"depends_on", "fork_of", "based_on"})
"""Link kinds backed by a repository of the user: the ones counted as reuse."""


def organisation_key(record: Record) -> str:
    """The organisation a record belongs to: its organisation entity's id where the record has
    one, else the forge owner path of its repository (host and first path segment)."""
    organisation = record.organisation
    entity_id = getattr(organisation, "id", None) if organisation is not None else None
    if isinstance(entity_id, str) and entity_id:
        return entity_id
    return owner_path(record.repository.url)


def safely(convert: Callable[[str], str], url: str | None) -> str | None:
    """`convert(url)` (`canonical_id`, `canonical_url`), or None when there is no `url` or it
    is no repository URL."""
    if not url:
        return None
    try:
        return convert(url)
    except InvalidURLError:
        return None


def safe_id(url: str | None) -> str | None:
    """The canonical id of `url`, or None when there is none or it is no repository URL."""
    return safely(canonical_id, url)


def _publishers(pool: Mapping[str, Record]) -> dict[str, list[str]]:
    """Package key → ids of the records publishing it, forks of a co-publisher left out."""
    found: dict[str, list[str]] = {}
    for record_id in sorted(pool):
        for package in pool[record_id].packages.publishes:
            found.setdefault(package.key, []).append(record_id)
    for key, ids in found.items():
        if len(ids) > 1:
            kept = [i for i in ids if safe_id(pool[i].relations.fork_of) not in ids]
            found[key] = kept or ids
    return found


def _evidence_url(record: Record, path: str | None, line: int | None) -> str | None:
    for manifest in record.packages.manifests:
        if manifest.path == path and manifest.url:
            return f"{manifest.url}#L{line}" if line else manifest.url
    return None


def _link(
    kind: str,
    user: Record,
    software: Record,
    confidence: Confidence,
    *,
    use: PackageUse | None = None,
    path: str | None = None,
    evidence_url: str | None = None,
) -> ReuseLink:
    user_org, software_org = organisation_key(user), organisation_key(software)
    path = use.path if use is not None else path
    line = use.line if use is not None else None
    return ReuseLink.model_validate(
        {
            "kind": kind,
            "software_id": software.id,
            "software_organisation": software_org,
            "user_id": user.id,
            "user_organisation": user_org,
            "user_url": user.url,
            "purl": use.purl if use is not None else None,
            "path": path,
            "line": line,
            "evidence_url": evidence_url or _evidence_url(user, path, line),
            "confidence": confidence,
            "internal": user_org == software_org,
        }
    )


def _dependency_links(
    user: Record, pool: Mapping[str, Record], publishers: Mapping[str, list[str]]
) -> list[ReuseLink]:
    best: dict[tuple[str, str], ReuseLink] = {}
    parent = safe_id(user.relations.fork_of)
    for use in user.packages.uses:
        owners = [i for i in publishers.get(use.key, []) if i != user.id]
        for software_id in owners:
            confidence: Confidence = "high"
            if software_id == parent:
                confidence = "low"
            elif use.scope == "indirect" or len(owners) > 1:
                confidence = "medium"
            link = _link("depends_on", user, pool[software_id], confidence, use=use)
            key = (software_id, use.key)
            kept = best.get(key)
            if kept is None or _CONFIDENCE_ORDER[confidence] < _CONFIDENCE_ORDER[kept.confidence]:
                best[key] = link
    return list(best.values())


def _publiccode_url(record: Record) -> str | None:
    return _evidence_url(record, record.provenance.file_path, None)


def _links_of_user(
    user: Record, pool: Mapping[str, Record], publishers: Mapping[str, list[str]]
) -> list[ReuseLink]:
    links = _dependency_links(user, pool, publishers)
    parent = safe_id(user.relations.fork_of)
    if parent is not None and parent in pool and parent != user.id:
        links.append(_link("fork_of", user, pool[parent], "high", evidence_url=user.url))
    for upstream in user.relations.is_based_on:
        upstream_id = safe_id(upstream)
        if upstream_id is not None and upstream_id in pool and upstream_id != user.id:
            links.append(
                _link(
                    "based_on",
                    user,
                    pool[upstream_id],
                    "high",
                    path=user.provenance.file_path,
                    evidence_url=_publiccode_url(user),
                )
            )
    return links


def _declared_links(software: Record) -> list[ReuseLink]:
    organisation = organisation_key(software)
    evidence = _publiccode_url(software)
    links: dict[str, ReuseLink] = {}
    for name in software.used_by:
        label = " ".join(name.split())[:300]
        if not label or label.casefold() in links:
            continue
        links[label.casefold()] = ReuseLink(
            kind="declared_used_by",
            software_id=software.id,
            software_organisation=organisation,
            user_organisation=label,
            path=software.provenance.file_path,
            evidence_url=evidence,
            confidence="low",
            self_declared=True,
            internal=False,
        )
    return list(links.values())


def links_among(
    pool: Mapping[str, Record], touched: Iterable[str], *, now: datetime | None = None
) -> list[ReuseLink]:
    """Every link between records of `pool` (by id) that involves a `touched` id (see module
    docstring), sorted by identity; `now` becomes first and last seen."""
    wanted = set(touched)
    publishers = _publishers(pool)
    links: list[ReuseLink] = []
    for record_id in sorted(pool):
        record = pool[record_id]
        for link in _links_of_user(record, pool, publishers):
            if link.user_id in wanted or link.software_id in wanted:
                links.append(link)
        if record_id in wanted:
            links.extend(_declared_links(record))
    if now is not None:
        links = [link.model_copy(update={"first_seen": now, "last_seen": now}) for link in links]
    return sorted(links, key=lambda link: link.identity)


def summarise(record_id: str, links: Iterable[ReuseLink]) -> ReuseSummary:
    """The reuse summary of record `record_id` from every link naming it (as user or software)."""
    users: set[str] = set()
    organisations: set[str] = set()
    internal: set[str] = set()
    declared: set[str] = set()
    uses: set[str] = set()
    for link in links:
        if link.software_id == record_id:
            if link.kind == "declared_used_by":
                declared.add(link.user_organisation.casefold())
            elif link.internal and link.user_id:
                internal.add(link.user_id)
            elif link.user_id:
                users.add(link.user_id)
                organisations.add(link.user_organisation)
        elif link.user_id == record_id and not link.internal and link.kind in REUSE_COUNTED:
            uses.add(link.software_id)
    return ReuseSummary(
        used_by_repositories=len(users),
        used_by_organisations=len(organisations),
        internal_repositories=len(internal - users),
        declared_users=len(declared),
        uses_software=len(uses),
    )
