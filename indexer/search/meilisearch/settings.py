"""The Meilisearch index settings for the catalogue, and the minimum server version they need.

Pure data, no I/O. The choices follow `docs/research/meilisearch-and-embedded-search.md` §1:

* **searchableAttributes** in attribute-rank order: name > other names > short description >
  features > categories, topics and organisation (``tags``) > long description (then licence
  ids, lowest). Per-language texts are nested objects (``short_description.de``), so all
  languages of one text share the rank of their parent attribute instead of ranking German
  above English.
* **filterableAttributes** as granular rules (v1.14+): the facets get equality + facet search, the
  numbers equality + comparison, internal keys equality only. Meilisearch applies the *first*
  matching rule, so specific rules come first and there is deliberately no ``"*"`` catch-all:
  nothing that is not listed here can be filtered on.
* **typoTolerance** off on licence ids and on numbers ("2024" must not match "2025").
* **localizedAttributes**: ``*.de`` is German, ``*.en`` English, … (the nested language keys).
* **distinctAttribute** ``mirror_group``: mirrors of one piece of software collapse to one hit.
* **rankingRules**: ``sort`` first, so a sort the user asks for (name, stars, activity) orders
  the hits strictly and relevance only breaks its ties, as the protocol promises; then
  Meilisearch's default rules; then ``quality_rank:asc`` (declared and valid, then described,
  then mature first: `documents.SearchDocument.quality_rank`) and ``activity_rank_ts:desc``, so among
  equally relevant hits those and then the recently active one come first; then ``mirror_order:asc``, which with the distinct
  attribute keeps the preferred copy of mirrored software (see `documents.settle_mirrors`).
* **synonyms**: the shipped domain groups (`indexer.search.synonyms`), each phrase → the
  others of its group, as the embedded backend applies them at query time.
* **pagination.maxTotalHits** high enough that ``totalHits`` is exact for the whole catalogue.
"""

from __future__ import annotations

from typing import Any

from indexer.search.protocol import KEYWORD_FIELDS
from indexer.search.synonyms import domain_synonyms

# v1.50.0: the first release with the fix for escaped quotes and backslashes in filter strings
# (meilisearch issue #6493, "Fixed escaped character handling in filter expressions"); every
# filter value we send is quoted and escaped, so older servers may reject or mis-read them.
# It also covers everything else used here: granular filterableAttributes (v1.14),
# disableOnNumbers (v1.15), swap-indexes `rename` (v1.18), the attributeRank/wordPosition
# ranking rules (v1.36).
MINIMUM_VERSION: tuple[int, int, int] = (1, 50, 0)

PRIMARY_KEY = "pk"

# ISO 639-3 codes Meilisearch's tokenizer takes, for the protocol's locales.
LOCALE_CODES: dict[str, str] = {"de": "deu", "en": "eng", "it": "ita", "fr": "fra", "nl": "nld"}

SEARCHABLE_ATTRIBUTES: list[str] = [
    "name",
    "names",  # the name again, localised and generic names, the application suite
    "short_description",
    "features",
    "tags",  # categories, forge topics and the organisation's name
    "long_description",
    "licence",
]

# Protocol filter/facet name → document attribute. Booleans and keywords keep their name.
FILTER_ATTRIBUTES: dict[str, str] = {
    "licence": "licence",
    "category": "category",
    "platform": "platform",
    "software_type": "software_type",
    "development_status": "development_status",
    "maintenance_type": "maintenance_type",
    "organisation": "organisation",
    "forge": "forge",
    "language": "language",
    "declared": "declared",
    "archived": "archived",
    "reused_by_organisations": "reused_by_organisations",
    # maturity (lists of strings, like the other facets)
    "maturity": "maturity",
    "has_release": "has_release",
    "has_ci": "has_ci",
    "has_security_policy": "has_security_policy",
    "active_within": "active_within",
    # Publisher views (issue 13).
    "valid": "valid",
    "has_findings": "has_findings",
    "finding": "finding",
    "last_activity": "last_activity_ts",
}
EQUALITY_ONLY_ATTRIBUTES: tuple[str, ...] = (
    "declared",
    "archived",
    "mirror_group",
    "id",
    "valid",  # publisher views (issue 13)
    "has_findings",
)
FACET_ATTRIBUTES: tuple[str, ...] = tuple(
    name for name in KEYWORD_FIELDS if name not in EQUALITY_ONLY_ATTRIBUTES
)
"""The filterable fields with value counts: all but the yes/no ones and the ids."""
MAX_MIRROR_GROUP_FETCH = 1000  # documents fetched per request when settling mirror groups
COMPARABLE_ATTRIBUTES: tuple[str, ...] = ("last_activity_ts", "stars")

# Protocol sort key → Meilisearch sort clauses (no clause: relevance, then the ranking rules).
SORTS: dict[str, list[str]] = {
    "relevance": [],
    "last_activity": ["last_activity_ts:desc"],
    "-last_activity": ["last_activity_ts:asc"],
    "name": ["name_sort:asc"],
    "-name": ["name_sort:desc"],
    "stars": ["stars:desc"],
    "-stars": ["stars:asc"],
    "reused_by_organisations": ["reuse_level:desc", "last_activity_ts:desc"],
    "-reused_by_organisations": ["reuse_level:asc", "last_activity_ts:desc"],
    "maturity": ["maturity_level:desc", "last_activity_ts:desc"],
    "-maturity": ["maturity_level:asc", "last_activity_ts:desc"],
}
SORTABLE_ATTRIBUTES: list[str] = [
    "last_activity_ts",
    "name_sort",
    "stars",
    "reuse_level",
    "maturity_level",
]

# Facet counts are exact and complete up to this many values per facet (most frequent first).
MAX_VALUES_PER_FACET = 1000
# `totalHits` is exact up to this many matches; far above any public-sector catalogue.
MAX_TOTAL_HITS = 1_000_000


def filterable_rules() -> list[dict[str, Any]]:
    """The granular ``filterableAttributes`` rules, most specific first."""
    return [
        {
            "attributePatterns": list(FACET_ATTRIBUTES),
            "features": {"facetSearch": True, "filter": {"equality": True, "comparison": False}},
        },
        {
            "attributePatterns": list(COMPARABLE_ATTRIBUTES),
            "features": {"facetSearch": False, "filter": {"equality": True, "comparison": True}},
        },
        {
            "attributePatterns": list(EQUALITY_ONLY_ATTRIBUTES),
            "features": {"facetSearch": False, "filter": {"equality": True, "comparison": False}},
        },
    ]


def index_settings() -> dict[str, Any]:
    """The body of ``PATCH /indexes/{uid}/settings`` for a catalogue index.

    Every setting the search relies on is sent explicitly, so an index created by an older
    version of codereuse (or by hand) converges to the same behaviour.
    """
    return {
        "displayedAttributes": ["*"],
        "searchableAttributes": list(SEARCHABLE_ATTRIBUTES),
        "filterableAttributes": filterable_rules(),
        "sortableAttributes": list(SORTABLE_ATTRIBUTES),
        "rankingRules": [
            "sort",
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "wordPosition",
            "exactness",
            "quality_rank:asc",
            "activity_rank_ts:desc",
            "mirror_order:asc",
        ],
        "distinctAttribute": "mirror_group",
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnAttributes": ["licence"],
            "disableOnNumbers": True,
        },
        "faceting": {
            "maxValuesPerFacet": MAX_VALUES_PER_FACET,
            "sortFacetValuesBy": {"*": "count"},
        },
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
        "localizedAttributes": [
            {"attributePatterns": [f"*.{locale}"], "locales": [code]}
            for locale, code in LOCALE_CODES.items()
        ],
        "proximityPrecision": "byWord",
        "facetSearch": True,
        "prefixSearch": "indexingTime",
        "stopWords": [],
        "synonyms": domain_synonyms().meilisearch_synonyms(),
    }
