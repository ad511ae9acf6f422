"""The whole catalogue federated in bounded memory: `federated_catalogue` for a full pass.

`federated_catalogue` holds every snapshot and every record as objects at once; a record with
its repository facts takes about 20 KiB as pydantic objects but 3 KiB as JSON, so a full pass
over 15,000 repositories peaked near 600 MB. `stream_catalogue` gives the same result
(`tests/normalise/test_streamed_catalogue.py` compares the two) while holding only:

- the snapshots one at a time (they are read twice from `snapshots()`: owners' profiles first,
  as `federated_catalogue` needs every profile before the first record);
- each record as its JSON text (compressed), with a few ids beside it;
- as objects, only the records federation can change: those sharing an id, those claiming
  another repository (a mirror's publiccode.yml `url`), the repositories they claim, and the
  upstreams and parents named by ``isBasedOn`` and fork data, with the records naming them.
  Every other record is its own owner with nothing to merge or link: `federate` returns it
  unchanged;
- one organisation's records at a time for its entity.

Organisations are unified in two streaming passes (`unify`'s steps: accounts' declared
organisations and the one name per organisation are aggregates).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from crawler.normalise.federation import federate
from crawler.normalise.organisations import (
    EMPTY_DIRECTORY,
    OrganisationDirectory,
    adopt_organisation,
    declared_by_account,
    note_name,
    organisation_entities,
    with_name,
)
from crawler.normalise.records import owner_profile, record_from_snapshot
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.organisation import OrganisationEntity, OwnerProfile
from schemas.record import Record, canonical_id

_COMPUTED = set(Record.model_computed_fields)


def _encode(record: Record) -> bytes:
    """`record` as compressed JSON: a third of the text, and fast to pack and unpack."""
    return zlib.compress(record.model_dump_json(exclude=_COMPUTED).encode(), 1)


def _decode(document: bytes) -> Record:
    return Record.model_validate_json(zlib.decompress(document))


@dataclass
class Catalogue:
    """Federated records as compressed JSON, sorted by id; iterating decodes one at a time."""

    documents: list[tuple[str, bytes]] = field(default_factory=list)
    """(id, record JSON compressed) pairs, sorted by id."""

    def __iter__(self) -> Iterator[Record]:
        for _id, document in self.documents:
            yield _decode(document)

    def __len__(self) -> int:
        return len(self.documents)

    def ids(self) -> list[str]:
        """The record ids, sorted."""
        return [record_id for record_id, _ in self.documents]

    def chunks(self, size: int) -> Iterator[list[Record]]:
        """The records decoded `size` at a time, in id order."""
        for start in range(0, len(self.documents), size):
            yield [_decode(document) for _, document in self.documents[start : start + size]]


def _best_profiles(
    snapshots: Iterable[RepositorySnapshot], by_name: Mapping[str, ForgeRegistration]
) -> dict[str, tuple[str, OwnerProfile | None]]:
    """Each owner's profile as `federated_catalogue` picks it (forges in name order, the first
    profile, replaced once by a later one that tells a person from an organisation where it did
    not), from one pass in any forge order: per forge, an owner's first profile and its first
    that tells."""
    first: dict[tuple[str, str], OwnerProfile] = {}
    telling: dict[tuple[str, str], OwnerProfile] = {}
    for snapshot in snapshots:
        registration = by_name.get(snapshot.forge)
        if registration is None:
            continue
        owner, profile = owner_profile(snapshot, registration)
        if not owner or profile is None:
            continue
        key = (snapshot.forge, owner)
        first.setdefault(key, profile)
        if profile.person is not None:
            telling.setdefault(key, profile)
    chosen: dict[str, tuple[str, OwnerProfile | None]] = {}
    for forge, owner in sorted(first, key=lambda key: key[0]):
        known = chosen.get(owner, ("", None))[1]
        if known is None:
            chosen[owner] = (forge, first[(forge, owner)])
            known = first[(forge, owner)]
        if known.person is None and (forge, owner) in telling:
            chosen[owner] = (forge, telling[(forge, owner)])
    return chosen


def stream_catalogue(
    snapshots: Callable[[], Iterable[RepositorySnapshot]],
    registrations: Mapping[str, ForgeRegistration] | Iterable[ForgeRegistration],
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
) -> tuple[Catalogue, list[OrganisationEntity]]:
    """`federated_catalogue(snapshots(), registrations, directory)` in bounded memory (see the
    module docstring); `snapshots` is called twice and must give the same snapshots each time
    (`Store.iter_snapshots`)."""
    by_name = (
        dict(registrations)
        if isinstance(registrations, Mapping)
        else {registration.name: registration for registration in registrations}
    )
    profiles = _best_profiles(snapshots(), by_name)
    best = {owner: profile for owner, (_forge, profile) in profiles.items()}
    documents: list[tuple[str, bytes]] = []
    counts: dict[str, int] = defaultdict(int)
    special: set[str] = set()
    for snapshot in snapshots():
        registration = by_name.get(snapshot.forge)
        if registration is None:
            continue
        record = record_from_snapshot(
            snapshot, registration=registration, directory=directory, profiles=best
        )
        documents.append((record.id, _encode(record)))
        counts[record.id] += 1
        hosting = canonical_id(record.repository.url)
        relations = record.relations
        targets = [canonical_id(url) for url in relations.is_based_on]
        if relations.fork_of:
            targets.append(canonical_id(relations.fork_of))
        if hosting != record.id:  # a claimant: merged into, or re-keyed beside, another
            special.update((record.id, hosting))
        if targets:  # linked: the upstream or parent lists it
            special.update((record.id, *targets))
    special.update(record_id for record_id, count in counts.items() if count > 1)
    changing = [_decode(document) for record_id, document in documents if record_id in special]
    merged = [(record.id, _encode(record)) for record in federate(changing)]
    kept = [(record_id, document) for record_id, document in documents if record_id not in special]
    del documents, changing
    federated = sorted(kept + merged, key=lambda item: item[0])
    del kept, merged
    catalogue = Catalogue(federated)
    hints = {**directory.account_hints, **declared_by_account(iter(catalogue))}
    names: dict[str, tuple[int, str]] = {}
    for index, (record_id, document) in enumerate(catalogue.documents):
        record = _decode(document)
        adopted = adopt_organisation(record, hints, directory)
        note_name(names, adopted)
        if adopted is not record:
            catalogue.documents[index] = (record_id, _encode(adopted))
    members: dict[str, list[int]] = defaultdict(list)
    for index, (record_id, document) in enumerate(catalogue.documents):
        record = _decode(document)
        named = with_name(record, names)
        if named is not record:
            catalogue.documents[index] = (record_id, _encode(named))
        if named.organisation and named.organisation.id:
            members[named.organisation.id].append(index)
    entities: list[OrganisationEntity] = []
    for oid in sorted(members):
        group = [_decode(catalogue.documents[index][1]) for index in members[oid]]
        entities.extend(organisation_entities(group, profiles, directory))
    return catalogue, entities
