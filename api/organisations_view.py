"""What the organisation API and pages show: the list with search and facets, one profile.

The catalogue's organisations (`Store.list_organisations`) joined with the live counts of their
records (`Store.organisation_counts`) are computed once per catalogue state (`api.cache`), then
searched and faceted in memory: even at 100,000 records they number in the thousands. Persons
(user namespaces) and organisations without live software are never listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from api.cache import ChangeCache, catalogue_version
from indexer.store import Store
from schemas.organisation import OrganisationEntity
from schemas.record import Record

FACETS: tuple[str, ...] = ("country", "kind", "forge")
"""Facets of the organisation list, in the order the page shows them."""
LIST_BYTES = 512 * 1024  # what one kept list is counted as by the cache


@dataclass(frozen=True)
class OrganisationSummary:
    """One listed organisation: the entity and its live software counts."""

    entity: OrganisationEntity
    software: int
    declared: int
    valid: int
    forges: tuple[str, ...]

    def values(self, facet: str) -> tuple[str, ...]:
        """The organisation's values of list facet `facet` (``country``, ``kind``, ``forge``)."""
        if facet == "forge":
            return self.forges
        if facet == "country":
            return (self.entity.country,) if self.entity.country else ()
        return (self.entity.kind,)

    def matches(self, words: Sequence[str]) -> bool:
        """True when every word occurs in a name, abbreviation, id, account or identifier."""
        entity = self.entity
        haystack = " ".join(
            [
                entity.id,
                entity.name or "",
                *entity.names.values(),
                entity.level or "",
                *(account.owner for account in entity.accounts),
                *(identifier.value for identifier in entity.identifiers),
            ]
        ).casefold()
        return all(word in haystack for word in words)


def summaries(store: Store, cache: ChangeCache) -> list[OrganisationSummary]:
    """Every listable organisation, most software first, then by name (cached per state)."""
    result: list[OrganisationSummary] = cache.compute(
        ("organisation-list",),
        catalogue_version(store),
        lambda: list_summaries(store),
        lambda _: LIST_BYTES,
    )
    return result


def organisation_labels(store: Store, cache: ChangeCache, language: str) -> dict[str, str]:
    """Organisation id → its name in `language` (the organisation facet holds ids, the pages
    and the API show these names beside them)."""
    return {
        item.entity.id: item.entity.name_in(language) or item.entity.id
        for item in summaries(store, cache)
    }


def organisation_filter_values(
    entities: Iterable[OrganisationEntity], values: Sequence[str]
) -> list[str]:
    """The ``organisation`` filter's `values` as organisation ids: an id stays; a name (as links
    made before the filter took ids spell it) becomes the ids of every organisation of that
    name, compared case-insensitively; anything else stays as it is and matches nothing."""
    known = list(entities)
    ids = {entity.id for entity in known}
    by_name: dict[str, list[str]] = {}
    for entity in known:
        for name in {entity.name, *entity.names.values()} - {None}:
            by_name.setdefault(str(name).casefold(), []).append(entity.id)
    result: list[str] = []
    for value in values:
        if value in ids:
            result.append(value)
        else:
            result.extend(sorted(by_name.get(value.casefold(), [value])))
    return list(dict.fromkeys(result))


def list_summaries(store: Store) -> list[OrganisationSummary]:
    """Every listable organisation, most software first, then by name (uncached)."""
    counts = store.organisation_counts()
    listed = [
        OrganisationSummary(entity, found.software, found.declared, found.valid, found.forges)
        for entity in store.list_organisations()
        if entity.kind != "person" and (found := counts.get(entity.id)) is not None
    ]
    listed.sort(key=lambda item: (-item.software, (item.entity.name or item.entity.id).casefold()))
    return listed


@dataclass
class Selection:
    """The organisations a query selects, with facet counts (each facet counted under the
    other facets' filters, so choosing a value never hides its siblings)."""

    items: list[OrganisationSummary]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def select(
    listed: Sequence[OrganisationSummary], q: str, filters: Mapping[str, Sequence[str]]
) -> Selection:
    """The organisations matching words `q` and `filters` (values OR-ed, facets AND-ed)."""
    words = q.casefold().split()
    found = [item for item in listed if item.matches(words)] if words else list(listed)

    def passes(item: OrganisationSummary, skip: str | None) -> bool:
        return all(
            set(item.values(name)) & set(values)
            for name, values in filters.items()
            if values and name != skip
        )

    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        counter: Counter[str] = Counter()
        for item in found:
            if passes(item, name):
                counter.update(item.values(name))
        facets[name] = dict(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))
    return Selection([item for item in found if passes(item, None)], facets)


@dataclass(frozen=True)
class Usage:
    """What an organisation's software uses: licences, categories, activity per year."""

    licences: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    activity: list[tuple[str, int]]
    """(year, records whose repository was last active that year), every year from the first
    to the last (years without activity count 0)."""


def usage(records: Iterable[Record]) -> Usage:
    """Licences and categories used (most used first) and activity per year."""
    licences: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    active: Counter[str] = Counter()
    for record in records:
        ids = record.licence.ids if record.licence else []
        licences.update(ids or ([record.repository.licence] if record.repository.licence else []))
        categories.update(record.categories)
        if record.repository.last_activity:
            active[str(record.repository.last_activity.year)] += 1
    years = sorted(int(year) for year in active)
    every = [str(year) for year in range(years[0], years[-1] + 1)] if years else []
    return Usage(
        licences=licences.most_common(),
        categories=categories.most_common(),
        activity=[(year, active.get(year, 0)) for year in every],
    )
