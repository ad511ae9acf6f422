"""The index settings and the OpenAPI contract harness that validates every request we send."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest

from indexer.search.meilisearch.settings import (
    FACET_ATTRIBUTES,
    FILTER_ATTRIBUTES,
    LOCALE_CODES,
    MINIMUM_VERSION,
    SORTS,
    index_settings,
)
from indexer.search.protocol import FACET_FIELDS, LOCALES, RANGE_FIELDS
from tests.search.meili_openapi import (
    SPEC_PATH,
    Contract,
    ContractViolation,
    load_contract,
    patch_spec,
)


def first_rule(attribute: str) -> dict[str, Any] | None:
    """The features of the first filterable rule matching `attribute` (Meilisearch's rule)."""
    for rule in index_settings()["filterableAttributes"]:
        if any(fnmatch.fnmatchcase(attribute, p) for p in rule["attributePatterns"]):
            features: dict[str, Any] = rule["features"]
            return features
    return None


def test_settings_body_is_valid_for_meilisearch() -> None:
    """The settings PATCH body validates against the (patched, strict) Settings schema."""
    load_contract().check_request("PATCH", "/indexes/software/settings", {}, index_settings())


def test_searchable_attributes_follow_the_attribute_rank() -> None:
    """name > other names > short description > features > tags > long description > licence."""
    assert [
        "name",
        "names",
        "short_description",
        "features",
        "tags",
        "long_description",
        "licence",
    ] == index_settings()["searchableAttributes"]


def test_every_filter_gets_the_operators_it_needs_from_its_first_rule() -> None:
    """Keyword filters get equality, ranges comparison; facets are facet-searchable."""
    for name, attribute in FILTER_ATTRIBUTES.items():
        features = first_rule(attribute)
        assert features is not None, attribute
        needed = "comparison" if name in RANGE_FIELDS else "equality"
        assert features["filter"][needed] is True, attribute
    assert all(first_rule(attribute)["facetSearch"] for attribute in FACET_ATTRIBUTES)  # type: ignore[index]
    assert first_rule("stars")["filter"]["comparison"] is True  # type: ignore[index]


def test_no_catch_all_filter_rule() -> None:
    """Nothing unlisted is filterable: no "*" pattern, texts and names are not filterable."""
    patterns = [
        p for rule in index_settings()["filterableAttributes"] for p in rule["attributePatterns"]
    ]
    assert "*" not in patterns
    assert all(first_rule(text) is None for text in ("long_description", "name", "url"))


def test_facets_and_sorts_cover_the_protocol() -> None:
    """Every protocol facet maps to a filterable attribute; every sort to sortable ones."""
    assert all(first_rule(FILTER_ATTRIBUTES[name]) for name in FACET_FIELDS)
    sortable = set(index_settings()["sortableAttributes"])
    assert {clause.split(":")[0] for clauses in SORTS.values() for clause in clauses} <= sortable


def test_typo_tolerance_is_off_on_licence_ids_and_numbers() -> None:
    """Licence ids never fuzz; numbers never fuzz; 1 typo from 5 letters, 2 from 9."""
    typo = index_settings()["typoTolerance"]
    assert (["licence"], True, {"oneTypo": 5, "twoTypos": 9}) == (
        typo["disableOnAttributes"],
        typo["disableOnNumbers"],
        typo["minWordSizeForTypos"],
    )


def test_every_locale_is_declared_for_its_nested_texts() -> None:
    """localizedAttributes maps *.de to German, … for all protocol locales."""
    rules = index_settings()["localizedAttributes"]
    assert set(LOCALES) == set(LOCALE_CODES)
    assert {f"*.{locale}": [LOCALE_CODES[locale]] for locale in LOCALES} == {
        rule["attributePatterns"][0]: rule["locales"] for rule in rules
    }


def test_synonyms_are_the_shipped_groups_both_ways() -> None:
    """The synonyms setting maps each phrase of a group to the others, multi-word ones too."""
    synonyms = index_settings()["synonyms"]
    assert "müll" in synonyms["abfall"] and "abfall" in synonyms["müll"]
    assert "bürgerbeteiligung" in synonyms["citizen participation"]
    assert {"eakte", "elektronische akte"} <= set(synonyms["e-akte"])


def test_ranking_distinct_pagination_and_faceting() -> None:
    """Sort first, recency breaks ties, mirrors collapse, totals are exact, facets by count."""
    settings = index_settings()
    assert "sort" == settings["rankingRules"][0]  # a user's sort beats relevance
    assert ["quality_rank:asc", "activity_rank_ts:desc", "mirror_order:asc"] == settings[
        "rankingRules"
    ][-3:]
    assert "attributeRank" in settings["rankingRules"]
    assert "mirror_group" == settings["distinctAttribute"]
    assert settings["pagination"]["maxTotalHits"] >= 1_000_000
    assert {"*": "count"} == settings["faceting"]["sortFacetValuesBy"]


def test_minimum_version_is_the_filter_escaping_fix() -> None:
    """The minimum is v1.50.0 (escaped quotes and backslashes in filters fixed)."""
    assert (1, 50, 0) == MINIMUM_VERSION


# -- the harness itself -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_spec() -> dict[str, Any]:
    if not SPEC_PATH.is_file():
        pytest.skip(f"the Meilisearch OpenAPI file is not at {SPEC_PATH} (../shared is absent)")
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@pytest.fixture(scope="module")
def contract(raw_spec: dict[str, Any]) -> Contract:
    return Contract(patch_spec(raw_spec))


SEARCH = "/indexes/software/search"


def test_defect_1_facets_are_a_plain_array(raw_spec: dict[str, Any], contract: Contract) -> None:
    """``"facets": ["licence"]`` fails on the shipped file and passes once patched."""
    with pytest.raises(ContractViolation, match="facets"):
        Contract(raw_spec).check_request("POST", SEARCH, {}, {"facets": ["licence"]})
    contract.check_request("POST", SEARCH, {}, {"facets": ["licence"]})


def test_defect_2_enqueued_tasks_have_null_times(
    raw_spec: dict[str, Any], contract: Contract
) -> None:
    """An enqueued TaskView with null startedAt/finishedAt is valid once patched."""
    task = {
        "uid": 1,
        "status": "enqueued",
        "type": "indexCreation",
        "enqueuedAt": "2026-01-01T00:00:00Z",
        "startedAt": None,
        "finishedAt": None,
    }
    assert list(Contract(raw_spec).schema("TaskView").iter_errors(task))
    assert [] == list(contract.schema("TaskView").iter_errors(task))


def test_defect_3_log_mode_default_is_in_its_enum(contract: Contract) -> None:
    """The patched GetLogs.mode default is a LogMode value."""
    default = contract.spec["components"]["schemas"]["GetLogs"]["properties"]["mode"]["default"]
    assert [] == list(contract.schema("LogMode").iter_errors(default))


def test_defect_4_document_bodies_are_validated(contract: Contract) -> None:
    """Document batches need objects with a valid string primary key."""
    path = "/indexes/software/documents"
    contract.check_request("POST", path, {"primaryKey": "pk"}, [{"pk": "gitlab_com_a-0123"}])
    for bad in ([{"pk": "gitlab.com/a"}], [{"id": "x"}], [{"pk": ""}], {"pk": "x"}):
        with pytest.raises(ContractViolation):
            contract.check_request("POST", path, {}, bad)


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "message"),
    [
        ("POST", SEARCH, {}, {"q": "x", "hitsPerPge": 3}, "hitsPerPge"),
        ("POST", SEARCH, {}, {"locales": ["german"]}, "german"),
        ("POST", SEARCH, {}, {"hitsPerPage": -1}, "minimum"),
        (
            "PATCH",
            "/indexes/software/settings",
            {},
            {"faceting": {"sortFacetValuesBy": {"*": "popularity"}}},
            "popularity",
        ),
        ("POST", "/swap-indexes", {}, [{"indexes": ["a", "b"], "swap": True}], "swap"),
        ("POST", "/indexes/software/documents", {"primaryKey": "pk", "batch": "1"}, [], "batch"),
        ("GET", "/tasks/first", {}, None, "integer"),
        ("POST", "/indexes/soft ware/search", {}, {}, "index uid"),
        ("POST", "/indexes/software/query", {}, {}, "not an operation"),
        ("GET", "/version", {}, {"x": 1}, "takes no body"),
    ],
)
def test_harness_catches_bad_requests(
    contract: Contract, method: str, path: str, params: dict[str, str], body: Any, message: str
) -> None:
    """Misspelt fields, bad values, undeclared parameters, bad paths and bodies are violations."""
    with pytest.raises(ContractViolation, match=message):
        contract.check_request(method, path, params, body)
