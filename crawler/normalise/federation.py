"""Federation: one record per piece of software across every crawled forge (pure).

The rules (written out with examples in docs/federation.md):

1. Records with the same id are one piece of software. The *owner* of an id is a record crawled
   from the repository the id names; a *claimant* is a declared record found elsewhere whose
   publiccode.yml `url` names that repository (a mirror or a technical fork, publiccode.yml
   ``forks.rst``).
2. The anchor of an id is its best owner, or, when the repository itself was not crawled, its
   best claimant: the declared identity wins when nothing contradicts it. Best means declared
   before inferred, valid before invalid, most recently fetched, then forge name.
3. A claimant joins the anchor as a mirror unless both are declared and name different software
   (a `url` copied from a template): then it is re-keyed to its own repository and carries a
   warning on ``url`` explaining what to fix.
4. A forge speaks only for its own repositories. A claimant from another forge than the
   crawled repository it names is *uncorroborated* unless that forge's own fork data says the
   claimant is a fork of it; an uncorroborated claimant never supplies the record's content.
   When the named repository declares the same `url` and name itself (its publiccode.yml agrees)
   the claimant joins as a mirror; otherwise it stays under its own repository's id, keeps the
   named URL as a mirror link, and carries a warning on ``url`` (a hostile or mistaken forge can
   add a link to its own record, never rewrite another forge's record).
5. The merged record takes its content from the best declared record of the group that may
   supply it (the owners and corroborated claimants), its repository facts from the anchor;
   mirrors, aliases (other spellings of the URL) and links are the union of the group's.
6. ``isBasedOn`` marks a variant: the upstream record lists it in ``relations.variants``.
   The forge's fork flag marks a fork: the parent record lists it in ``relations.forks``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from schemas.findings import Finding
from schemas.record import Record, canonical_id, canonical_url

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=65536)
def _cid(url: str) -> str:
    return canonical_id(url)


@lru_cache(maxsize=65536)
def _curl(url: str) -> str:
    return canonical_url(url)


def _hosting_url(record: Record) -> str:
    return _curl(record.repository.url)


def _is_owner(record: Record) -> bool:
    return _cid(record.repository.url) == record.id


def _rank(record: Record) -> tuple[bool, bool, datetime, str]:
    fetched = record.provenance.fetched_at
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    return (record.declared, record.valid, fetched or _EPOCH, record.repository.forge)


def _same_name(first: Record, second: Record) -> bool:
    def key(name: str) -> str:
        return " ".join(name.casefold().split())

    return key(first.name) == key(second.name)


def _union(*lists: Iterable[str], without: str) -> list[str]:
    seen: dict[str, str] = {}
    for values in lists:
        for value in values:
            value_id = _cid(value)
            if value_id != without and value_id not in seen:
                seen[value_id] = value
    return list(seen.values())


def _rekey(
    record: Record,
    why: str,
    *,
    keep_link: bool = False,
    code: str,
    params: dict[str, str | int],
) -> Record:
    """A claimant refused by rule 3 or 4, back under its own repository's id with a warning on
    ``url`` saying `why`; with `keep_link` the repository it named stays a mirror link."""
    hosting = _hosting_url(record)
    mirrors = [m for m in record.relations.mirrors if _cid(m) != _cid(hosting)]
    relations = record.relations.model_copy(
        update={"mirrors": [*mirrors, record.url] if keep_link else mirrors}
    )
    warning = Finding(type="warning", key="url", message=why, code=code, params=params)
    return record.model_copy(
        update={
            "id": _cid(hosting),
            "url": hosting,
            "relations": relations,
            "findings": [*record.findings, warning],
        }
    )


def _copied(record: Record, anchor: Record) -> Record:
    """Rule 3: a declared file whose `url` names another software's crawled repository."""
    hosting = _hosting_url(record)
    return _rekey(
        record,
        f"url names {record.url}, which is crawled and describes another software "
        f"({anchor.name!r}); set url to this repository ({hosting}), and list {record.url} "
        "in isBasedOn if this software derives from it",
        code="federation.url_names_other_software",
        params={"url": record.url, "name": anchor.name, "hosting": hosting},
    )


def _disowned(record: Record, owners: Sequence[Record]) -> Record:
    """Rule 4: an uncorroborated claimant; the repository it names stays a link on its record."""
    hosting = _hosting_url(record)
    forges = ", ".join(sorted({owner.repository.forge for owner in owners}))
    return _rekey(
        record,
        f"url names {record.url}, which the forge {forges} crawls and which does not confirm "
        f"this repository ({hosting}) as its copy: its forge does not list it as a fork and "
        "its own publiccode.yml does not declare the same software, so that record keeps "
        f"its own name and description. Set url to {hosting} (and list {record.url} in "
        "isBasedOn if this software derives from it), or publish the same publiccode.yml "
        f"in {record.url}",
        keep_link=True,
        code="federation.url_not_confirmed",
        params={"url": record.url, "forges": forges, "hosting": hosting},
    )


def _corroborated(claimant: Record, record_id: str, owners: Sequence[Record]) -> bool:
    """True when a claimant may speak for the crawled repository `record_id` names (rule 4):
    it comes from the same forge as an owner, or its forge says it is a fork of that repository."""
    if claimant.repository.forge in {owner.repository.forge for owner in owners}:
        return True
    parent = claimant.relations.fork_of
    return parent is not None and _cid(parent) == record_id


def _merge(record_id: str, group: Sequence[Record]) -> list[Record]:
    """Apply rules 2-5 to the records sharing `record_id`: the merged record, then any re-keyed."""
    if len(group) == 1 and _is_owner(group[0]):
        return [group[0]]
    owners = sorted((r for r in group if _is_owner(r)), key=_rank, reverse=True)
    claimants = sorted((r for r in group if not _is_owner(r)), key=_rank, reverse=True)
    anchor = owners[0] if owners else claimants[0]
    accepted: list[Record] = []
    linked: list[Record] = []  # uncorroborated claimants the owner's own file agrees with
    refused: list[Record] = []
    for claimant in claimants:
        if claimant is anchor:
            continue
        agrees = not (anchor.declared and claimant.declared) or _same_name(anchor, claimant)
        if owners and not _corroborated(claimant, record_id, owners):
            if anchor.declared and claimant.declared and agrees:
                linked.append(claimant)
            else:
                refused.append(_disowned(claimant, owners))
        elif not agrees:
            refused.append(_copied(claimant, anchor))
        else:
            accepted.append(claimant)
    declared = [r for r in [anchor, *owners[1:], *accepted] if r.declared]
    accepted += linked
    members = [anchor, *owners[1:], *accepted]
    content = max(declared, key=_rank) if declared else anchor
    url = anchor.url
    own_id = record_id
    mirrors = _union(
        *(r.relations.mirrors for r in members),
        [_hosting_url(r) for r in accepted],
        [_hosting_url(anchor)] if not _is_owner(anchor) else [],
        without=own_id,
    )
    forks = _union(
        *(r.relations.forks for r in members),
        [_hosting_url(r) for r in accepted if r.repository.is_fork],
        without=own_id,
    )
    spellings = [r.repository.url for r in members if _is_owner(r)]
    aliases = [
        alias
        for alias in dict.fromkeys(
            [
                *(a for r in members for a in r.relations.aliases),
                *(_curl(s) for s in spellings),
            ]
        )
        if alias != url
    ]
    relations = content.relations.model_copy(
        update={
            "mirrors": mirrors,
            "aliases": aliases,
            "forks": forks,
            "fork_of": anchor.relations.fork_of,
            "variants": _union(*(r.relations.variants for r in members), without=own_id),
        }
    )
    merged = content.model_copy(
        update={"id": own_id, "url": url, "relations": relations, "repository": anchor.repository}
    )
    return [merged, *refused]


def _group(records: Iterable[Record]) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.id].append(record)
    return groups


def _link(records: dict[str, Record]) -> None:
    """Rule 5: variants and forks listed on the upstream/parent records that are in the catalogue.

    Replaces the changed records in `records` by copies with new relations (nothing shared is
    mutated, so the caller's records stay as they were).
    """
    variants: dict[str, list[str]] = {}
    forks: dict[str, list[str]] = {}
    for record in sorted(records.values(), key=lambda r: r.id):
        for upstream in record.relations.is_based_on:
            target_id = _cid(upstream)
            if target_id in records and target_id != record.id:
                variants.setdefault(target_id, []).append(record.url)
        parent_url = record.relations.fork_of
        parent_id = _cid(parent_url) if parent_url else None
        if parent_id is not None and parent_id in records and parent_id != record.id:
            forks.setdefault(parent_id, []).append(record.url)
    for target_id in sorted(variants.keys() | forks.keys()):
        target = records[target_id]
        relations = target.relations.model_copy(
            update={
                "variants": _union(
                    target.relations.variants, variants.get(target_id, []), without=target_id
                ),
                "forks": _union(
                    target.relations.forks, forks.get(target_id, []), without=target_id
                ),
            }
        )
        records[target_id] = target.model_copy(update={"relations": relations})


def federate(records: Sequence[Record]) -> list[Record]:
    """One record per id across all forges, with mirrors, aliases, variants and forks linked.

    Pure and order-independent: the same records in any order give the same result, sorted by
    id. Inputs are not modified (outputs may share unchanged parts with them: treat both as
    read-only).
    """
    first_pass: list[Record] = []
    for record_id, group in sorted(_group(records).items()):
        first_pass.extend(_merge(record_id, group))
    settled: dict[str, Record] = {}
    for record_id, group in sorted(_group(first_pass).items()):
        merged = _merge(record_id, group) if len(group) > 1 else [group[0]]
        settled[record_id] = merged[0]
        for extra in merged[1:]:  # a claimant refused twice stays under its own id
            settled.setdefault(extra.id, extra)
    _link(settled)
    return [settled[key] for key in sorted(settled)]
