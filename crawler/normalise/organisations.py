"""Every record gets an organisation: the resolution rule and the catalogue's organisations.

For one repository (`resolve`), in order:

1. the declared ``organisation`` of its publiccode.yml when it is valid (a name or URI and no
   error finding under ``organisation``); a URI that spells a registry identifier (TOOI,
   ``ld.admin.ch``, iPA, service-public.fr, OIN) names that organisation, so the same
   organisation on several forges is one;
2. else the registry organisation of its owner (``forges import`` keeps what the French,
   Dutch, Swiss, Italian and GitHub-government files say about each account);
3. else the organisation the owner's other records declare (an account publishing
   publiccode.yml files for one organisation belongs to it: `account_hints`);
4. else the forge's profile of the owner: a group or organisation (named by its profile, else
   by its path), or a user namespace — kind ``person``, no name, never shown as an organisation.

The kind follows the same sources, conservatively (``docs/organisations.md``): a registry's kind
(public body, or project for the lists' project sections); ``public_body`` for an organisation
named by a registry identifier (TOOI, ``ld.admin.ch``, iPA, service-public.fr, OIN), declared or
adopted; ``person`` for a user namespace; otherwise ``unknown`` — never guessed from a name, a
description or the forge it is on.

The organisation's name follows its strongest source: registry > publiccode > forge profile.
`organisation_entities` builds the `OrganisationEntity` of each organisation the records name,
every field with its source. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from schemas.organisation import (
    ForgeAccount,
    Identifier,
    OrganisationEntity,
    OrganisationKind,
    OwnerProfile,
    RegistryOrganisation,
    Source,
    account_organisation_id,
    identifier_of_uri,
    name_id,
    organisation_id,
    preferred_id,
)
from schemas.record import Organisation, Record

_REGISTRY_KINDS = frozenset({"tooi", "ld_admin_ch", "ipa", "pso_id", "oin"})


@dataclass(frozen=True)
class OrganisationDirectory:
    """What is known beyond a repository's own answer: registry entries by account owner path
    and by organisation id, and the organisation each account's declared records name."""

    accounts: Mapping[str, RegistryOrganisation] = field(default_factory=dict)
    """Owner path (``host/path``) → the registry's organisation of that account."""
    identified: Mapping[str, RegistryOrganisation] = field(default_factory=dict)
    """Organisation id (from the registry's identifiers) → registry organisation."""
    account_hints: Mapping[str, str] = field(default_factory=dict)
    """Owner path → organisation id the account's declared records name (stored records)."""

    @classmethod
    def from_registry(
        cls,
        entries: Iterable[RegistryOrganisation],
        account_hints: Mapping[str, str] | None = None,
    ) -> OrganisationDirectory:
        """A directory of registry `entries`, joined into one entry per organisation: entries
        sharing an identifier or an account are one organisation (the first entry's values
        win, the others fill what it lacks), and an account entry without identifiers whose
        login spells the abbreviation of a same-country taxonomy entry (``swisstopo``,
        ``blw-ofag-ufag``) joins that entry."""
        groups: list[RegistryOrganisation] = []
        by_id: dict[str, int] = {}
        by_account: dict[str, int] = {}
        for entry in _linked(list(entries)):
            oid = preferred_id(entry.identifiers)
            index = by_id.get(oid) if oid else None
            if index is None:
                index = next((by_account[a] for a in entry.accounts if a in by_account), None)
                if index is not None and oid and preferred_id(groups[index].identifiers):
                    index = None  # an account two organisations claim: the first keeps it
            if index is None:
                groups.append(entry)
                index = len(groups) - 1
            else:
                groups[index] = _merge(groups[index], entry)
            found = preferred_id(groups[index].identifiers)
            if found:
                by_id.setdefault(found, index)
            for account in groups[index].accounts:
                by_account.setdefault(account, index)
        identified = {oid: groups[index] for oid, index in by_id.items()}
        accounts = {account: groups[index] for account, index in by_account.items()}
        return cls(accounts, identified, dict(account_hints or {}))

    def account(self, owner: str) -> RegistryOrganisation | None:
        """The registry organisation of account `owner`, else of its nearest parent group
        (``host/city/it`` belongs to the organisation a registry names for ``host/city``: a
        GitLab subgroup is its parent group's), else of its whole forge host."""
        path = owner
        while True:
            found = self.accounts.get(path)
            if found is not None or "/" not in path:
                return found
            path = path.rsplit("/", 1)[0]


def _merge(first: RegistryOrganisation, other: RegistryOrganisation) -> RegistryOrganisation:
    """`first` with what it lacks taken from `other` (lists and names united)."""
    update: dict[str, object] = {
        name: getattr(other, name)
        for name in ("name", "abbreviation", "country", "level", "parent", "website")
        if getattr(first, name) is None and getattr(other, name) is not None
    }
    update["accounts"] = list(dict.fromkeys([*first.accounts, *other.accounts]))
    update["identifiers"] = list(dict.fromkeys([*first.identifiers, *other.identifiers]))
    update["names"] = {**other.names, **first.names}
    if first.source != other.source and other.source not in first.source.split(" + "):
        update["source"] = f"{first.source} + {other.source}"
    return first.model_copy(update=update)


_TOKENS = re.compile(r"[^a-z0-9]+")


def _linked(entries: list[RegistryOrganisation]) -> list[RegistryOrganisation]:
    """Account entries without identifiers given the identifiers of the same-country taxonomy
    entry whose abbreviation (or one-word name) a token of the login spells."""
    words: dict[tuple[str | None, str], RegistryOrganisation] = {}
    for entry in entries:
        if entry.accounts or not entry.identifiers:
            continue
        spelled = (entry.abbreviation or "").split()
        spelled += [name for name in entry.names.values() if " " not in name.strip()]
        for word in spelled:
            if len(word) >= 3:
                words.setdefault((entry.country, word.lower()), entry)
    if not words:
        return entries
    linked: list[RegistryOrganisation] = []
    for entry in entries:
        if entry.accounts and not entry.identifiers:
            login = entry.accounts[0].rsplit("/", 1)[-1]
            tokens = [login, *_TOKENS.split(login)]
            match = next(
                (words[(entry.country, t)] for t in tokens if (entry.country, t) in words), None
            )
            if match is not None:
                entry = entry.model_copy(update={"identifiers": list(match.identifiers)})
        linked.append(entry)
    return linked


EMPTY_DIRECTORY = OrganisationDirectory()


def registry_id(entry: RegistryOrganisation) -> str:
    """The organisation id of a registry entry: its best identifier, else its first account."""
    found = preferred_id(entry.identifiers)
    if found:
        return found
    if entry.accounts:
        return account_organisation_id(entry.accounts[0])
    return name_id(entry.name or entry.source)


def kind_of_id(oid: str) -> OrganisationKind:
    """The kind an organisation id alone tells: a registry identifier (TOOI, ``ld.admin.ch``,
    iPA, service-public.fr, OIN) names a public body; any other id (a name, an account, an
    arbitrary URI) tells nothing, ``unknown``."""
    return "public_body" if oid.split(":", 1)[0] in _REGISTRY_KINDS else "unknown"


def declared_id(declared: Organisation) -> tuple[str, OrganisationKind] | None:
    """Id and kind of a declared organisation: by its URI (a registry identifier makes it a
    public body, `kind_of_id`), else by its name; None when it has neither."""
    if declared.uri:
        oid = organisation_id(*identifier_of_uri(declared.uri))
        return oid, kind_of_id(oid)
    if declared.name:
        return name_id(declared.name), "unknown"
    return None


def _declared_valid(record: Record) -> bool:
    if not record.declared or record.organisation is None:
        return False
    if not (record.organisation.name or record.organisation.uri):
        return False
    return not any(
        finding.type == "error" and finding.key.split(".")[0].split("[")[0] == "organisation"
        for finding in record.findings
    )


def resolve(
    record: Record,
    owner: str | None,
    profile: OwnerProfile | None,
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
) -> Organisation | None:
    """The organisation of `record` by the rule of the module docstring; `owner` is the
    repository's owner path (``host/path``), `profile` what the forge said about the owner."""
    declared = record.organisation
    if declared is not None and _declared_valid(record):
        found = declared_id(declared)
        if found is not None:
            oid, kind = found
            entry = directory.identified.get(oid)
            if entry is not None:
                return Organisation(
                    id=oid,
                    name=entry.name or declared.name,
                    uri=declared.uri,
                    kind=entry.kind,
                    source="publiccode",
                )
            entry = directory.account(owner) if owner and declared.uri is None else None
            if entry is not None:
                # A name without URI, published from a registered account: that organisation.
                return Organisation(
                    id=registry_id(entry),
                    name=entry.name or declared.name,
                    kind=entry.kind,
                    source="registry",
                )
            return Organisation(
                id=oid, name=declared.name, uri=declared.uri, kind=kind, source="publiccode"
            )
    entry = directory.account(owner) if owner else None
    if owner and entry is not None:
        return Organisation(
            id=registry_id(entry),
            name=entry.name or (profile.name if profile else None) or _last(owner),
            kind=entry.kind,
            source="registry",
        )
    if owner and owner in directory.account_hints:
        hinted = directory.account_hints[owner]
        entry = directory.identified.get(hinted)
        return Organisation(
            id=hinted,
            name=entry.name if entry else None,
            kind=entry.kind if entry else kind_of_id(hinted),
            source="publiccode",
        )
    if owner is None:
        return declared if declared and (declared.name or declared.uri) else None
    if profile is not None and profile.person:
        return Organisation(id=account_organisation_id(owner), kind="person", source="forge")
    name = (profile.name if profile else None) or _last(owner)
    return Organisation(
        id=account_organisation_id(owner), name=name, kind="unknown", source="forge"
    )


def _last(owner: str) -> str:
    return owner.rsplit("/", 1)[-1]


def declared_by_account(records: Iterable[Record]) -> dict[str, str]:
    """Owner path → the organisation id most of its records declare (ties: the smallest id)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        organisation, owner = record.organisation, record.repository.owner
        if owner and organisation and organisation.source == "publiccode" and organisation.id:
            votes[owner][organisation.id] += 1
    return {
        owner: min(counts, key=lambda oid: (-counts[oid], oid)) for owner, counts in votes.items()
    }


def unify(records: list[Record], directory: OrganisationDirectory) -> list[Record]:
    """Records whose account declares an organisation elsewhere adopt it (rule 3), and every
    record of one organisation carries the same name (the entity's): returns new records."""
    hints = {**directory.account_hints, **declared_by_account(records)}
    names: dict[str, tuple[int, str]] = {}
    adopted: list[Record] = []
    for record in records:
        record = adopt_organisation(record, hints, directory)
        adopted.append(record)
        note_name(names, record)
    return [with_name(record, names) for record in adopted]


def adopt_organisation(
    record: Record, hints: Mapping[str, str], directory: OrganisationDirectory
) -> Record:
    """`record` with the organisation its account declares elsewhere (`hints`: owner path →
    organisation id, from `declared_by_account` over the catalogue), if it has only the
    forge's (rule 3); otherwise `record` itself. One step of `unify`."""
    organisation, owner = record.organisation, record.repository.owner
    if (
        organisation is not None
        and owner
        and organisation.source == "forge"
        and organisation.kind != "person"
        and owner in hints
    ):
        entry = directory.identified.get(hints[owner])
        organisation = Organisation(
            id=hints[owner],
            name=entry.name if entry else None,
            kind=entry.kind if entry else kind_of_id(hints[owner]),
            source="publiccode",
        )
        return record.model_copy(update={"organisation": organisation})
    return record


def note_name(names: dict[str, tuple[int, str]], record: Record) -> None:
    """Count `record`'s organisation name towards its organisation's one name in `names`
    (the best source wins, then the smallest name). One step of `unify`."""
    organisation = record.organisation
    if organisation and organisation.id and organisation.name:
        rank = (_NAME_RANK[organisation.source or "forge"], organisation.name)
        names[organisation.id] = min(names.get(organisation.id, rank), rank)


def with_name(record: Record, names: Mapping[str, tuple[int, str]]) -> Record:
    """`record` carrying its organisation's one name from `names` (`note_name`)."""
    organisation = record.organisation
    if organisation and organisation.id and organisation.id in names:
        name = names[organisation.id][1]
        if name != organisation.name:
            organisation = organisation.model_copy(update={"name": name})
            return record.model_copy(update={"organisation": organisation})
    return record


_NAME_RANK = {"registry": 0, "publiccode": 1, "forge": 2}


def organisation_entities(
    records: Iterable[Record],
    profiles: Mapping[str, tuple[str, OwnerProfile | None]],
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
) -> list[OrganisationEntity]:
    """The organisations `records` name (persons included, with no profile text), sorted by id.

    `profiles` maps an owner path to (forge name, the forge's profile of it). Registry values
    win for name, kind, country, level and identifiers; the forge profile fills the rest.
    """
    members: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.organisation and record.organisation.id:
            members[record.organisation.id].append(record)
    entities = []
    for oid, named in sorted(members.items()):
        entities.append(_entity(oid, named, profiles, directory))
    return entities


def _entity(
    oid: str,
    records: list[Record],
    profiles: Mapping[str, tuple[str, OwnerProfile | None]],
    directory: OrganisationDirectory,
) -> OrganisationEntity:
    first = records[0].organisation
    assert first is not None
    kind = first.kind or "unknown"
    entity = OrganisationEntity(id=oid, kind=kind)
    sources = entity.sources
    owners = sorted({r.repository.owner for r in records if r.repository.owner})
    accounts: dict[str, ForgeAccount] = {}
    for owner in owners:
        forge, profile = profiles.get(owner, ("", None))
        if not forge:
            forge = next(r.repository.forge for r in records if r.repository.owner == owner)
        accounts[owner] = ForgeAccount(
            forge=forge, owner=owner, url=profile.web_url if profile else None
        )
    entity.accounts = list(accounts.values())
    if kind == "person":
        sources["kind"] = Source(kind="forge", detail=entity.accounts[0].forge if accounts else "")
        return entity
    registry = directory.identified.get(oid) or next(
        (found for o in owners if (found := directory.account(o)) is not None), None
    )
    declared = next(
        (r for r in records if r.organisation and r.organisation.source == "publiccode"), None
    )
    if registry is not None:
        detail = registry.source
        _set(entity, "name", registry.name, "registry", detail)
        entity.names = dict(registry.names)
        _set(entity, "kind", registry.kind, "registry", detail)
        _set(entity, "country", registry.country, "registry", detail)
        _set(entity, "level", registry.level, "registry", detail)
        _set(entity, "website", registry.website, "registry", detail)
        _set(entity, "parent", registry.parent, "registry", detail)
        entity.identifiers = [
            Identifier(scheme=scheme, value=value, source=Source(kind="registry", detail=detail))
            for scheme, value in registry.identifiers
        ]
    if declared is not None and declared.organisation is not None:
        uri = declared.organisation.uri
        _set(entity, "uri", uri, "publiccode", declared.id)
        if entity.name is None:
            declared_name = _declared_name(records)
            _set(entity, "name", declared_name, "publiccode", declared.id)
        if uri and not any(i.value == uri for i in entity.identifiers):
            scheme, value = identifier_of_uri(uri)
            entity.identifiers.append(
                Identifier(
                    scheme=scheme,
                    value=uri if scheme == "uri" else value,
                    source=Source(kind="publiccode", detail=declared.id),
                )
            )
        if "kind" not in sources:
            _set(entity, "kind", kind, "publiccode", declared.id)
    for owner in owners:
        forge, profile = profiles.get(owner, ("", None))
        if profile is None or profile.person:
            continue
        for field_name in ("name", "description", "website", "email", "location", "avatar_url"):
            _set(entity, field_name, getattr(profile, field_name), "forge", forge)
        if profile.parent and entity.parent is None:
            host = owner.split("/", 1)[0]
            _set(
                entity,
                "parent",
                account_organisation_id(f"{host}/{profile.parent}"),
                "forge",
                forge,
            )
    if entity.name is None:
        _set(
            entity,
            "name",
            first.name or (owners[0].rsplit("/", 1)[-1] if owners else None),
            first.source or "forge",
            records[0].repository.forge,
        )
    return entity


def _declared_name(records: list[Record]) -> str | None:
    counts = Counter(
        r.organisation.name
        for r in records
        if r.organisation and r.organisation.source == "publiccode" and r.organisation.name
    )
    return counts.most_common(1)[0][0] if counts else None


def _set(entity: OrganisationEntity, name: str, value: object, kind: str, detail: str) -> None:
    """Set `name` on `entity` unless a stronger source set it already; note the source."""
    if value is None or value == "" or name in entity.sources:
        return
    setattr(entity, name, value)
    entity.sources[name] = Source(kind=kind, detail=detail)  # type: ignore[arg-type]
