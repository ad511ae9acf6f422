"""The search contract: filters, facet counts, sort and paging on the fixed corpus.

Runs against every registered backend (see `conftest.BACKEND_FACTORIES`). Expected numbers are
computed here from the records themselves, independently of the backends' document code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer.search.protocol import (
    FACET_FIELDS,
    REUSE_THRESHOLDS,
    ActivityRange,
    SearchBackend,
)
from schemas.errors import InvalidQueryError
from schemas.maturity import assess
from schemas.record import Record, canonical_id


def _values(record: Record, field: str) -> list[str]:
    """Facet values of `record`, read straight from the record model."""
    repository = record.repository
    if field == "licence":
        if record.licence and record.licence.ids:
            return list(dict.fromkeys(record.licence.ids))
        return [repository.licence] if repository.licence else []
    simple: dict[str, Callable[[Record], list[str]]] = {
        "category": lambda r: list(dict.fromkeys(r.categories)),
        "platform": lambda r: list(dict.fromkeys(r.platforms)),
        "software_type": lambda r: [r.software_type] if r.software_type else [],
        "development_status": lambda r: [r.development_status] if r.development_status else [],
        "maintenance_type": lambda r: [r.maintenance.type] if r.maintenance.type else [],
        "organisation": lambda r: (
            [r.organisation.id]
            if r.organisation and r.organisation.id and r.organisation.kind != "person"
            else []
        ),
        "forge": lambda r: [r.repository.forge],
        "language": lambda r: list(dict.fromkeys(r.repository.languages)),
        "declared": lambda r: ["true" if r.declared else "false"],
        "archived": lambda r: ["true" if r.repository.archived else "false"],
        "reused_by_organisations": lambda r: [
            f"{t}+" for t in REUSE_THRESHOLDS if r.reuse.used_by_organisations >= t
        ],
        # maturity: straight from the assessment (schemas.maturity), not the document code
        "maturity": lambda r: [str(assess(r).level)],
        "has_release": lambda r: _flag(r, "released", {"met", "partly"}),
        "has_ci": lambda r: _flag(r, "tested", {"met"}),
        "has_security_policy": lambda r: _flag(r, "secure", {"met"}),
        "active_within": lambda r: {"met": ["90d", "1y"], "partly": ["1y"]}.get(
            assess(r).criterion("active").level, []
        ),
        # Publisher views (issue 13).
        "valid": lambda r: ["true" if r.valid else "false"],
        "has_findings": lambda r: ["true" if r.findings else "false"],
        "finding": lambda r: list(dict.fromkeys(f.code for f in r.findings if f.code)),
    }
    return simple[field](record)


def _flag(record: Record, criterion: str, true_levels: set[str]) -> list[str]:
    """``["true"]``/``["false"]`` for a maturity flag, ``[]`` when the criterion is unknown."""
    level = assess(record).criterion(criterion).level  # type: ignore[arg-type]
    return [] if level == "unknown" else ["true" if level in true_levels else "false"]


def _collapse(records: list[Record]) -> list[Record]:
    """Keep one record per mirror group: declared before inferred, active before archived, id."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        key = min([record.id, *(canonical_id(url) for url in record.relations.mirrors)])
        groups.setdefault(key, []).append(record)
    kept = []
    for members in groups.values():
        members.sort(key=lambda r: (not r.declared, r.repository.archived, r.id))
        kept.append(members[0])
    return kept


def _expected(records: list[Record], filters: dict[str, tuple[str, ...]]) -> list[Record]:
    matching = [
        r
        for r in records
        if all(
            {v.casefold() for v in _values(r, field)} & {v.casefold() for v in wanted}
            for field, wanted in filters.items()
        )
    ]
    return _collapse(matching)


def _all_ids(backend: SearchBackend, **request: object) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        result = backend.search(page=page, per_page=100, **request)  # type: ignore[arg-type]
        ids += [hit.id for hit in result.hits]
        if len(result.hits) < 100:
            return ids
        page += 1


def test_empty_query_returns_every_record_once(
    backend: SearchBackend, corpus: list[Record]
) -> None:
    """An empty query lists the whole catalogue with mirror copies collapsed."""
    expected = sorted(r.id for r in _collapse(corpus))
    result = backend.search("")
    assert len(expected) == result.total
    assert expected == sorted(_all_ids(backend, query=""))


FILTER_CASES = [
    {"forge": ("gitlab.com",)},
    {"licence": ("EUPL-1.2", "AGPL-3.0-only")},
    {"category": ("document-management",), "forge": ("github.com",)},
    {"declared": ("false",)},
    {"archived": ("true",)},
    {"development_status": ("stable",), "software_type": ("standalone/web",)},
    {"language": ("Python",)},
    {"platform": ("web",), "licence": ("AGPL-3.0-or-later",)},
    {"forge": ("GitLab.COM",)},
    {"maturity": ("0", "2"), "forge": ("github.com",)},
    {"active_within": ("1y",)},
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: ",".join(f))
def test_filters_select_exactly_the_matching_records(
    backend: SearchBackend, corpus: list[Record], filters: dict[str, tuple[str, ...]]
) -> None:
    """Values of one field are OR-ed, fields AND-ed, values compared case-insensitively."""
    expected = sorted(r.id for r in _expected(corpus, filters))
    assert expected, "each case must select something, or it proves nothing"
    assert expected == sorted(_all_ids(backend, query="", filters=filters))
    assert len(expected) == backend.search("", filters=filters).total


def test_unknown_filter_value_matches_nothing(backend: SearchBackend) -> None:
    """A well-formed filter on a value no record has gives no hits, not an error."""
    assert 0 == backend.search("", filters={"forge": ("no.such.forge",)}).total


def test_last_activity_range_is_closed_open(backend: SearchBackend, corpus: list[Record]) -> None:
    """``since <= last_activity < until``, either end open."""
    since, until = datetime(2022, 1, 1, tzinfo=UTC), datetime(2023, 7, 1, tzinfo=UTC)
    cases = [ActivityRange(since, until), ActivityRange(since=since), ActivityRange(until=until)]
    for window in cases:

        def inside(record: Record, window: ActivityRange = window) -> bool:
            moment = record.repository.last_activity
            return moment is not None and (
                (window.since is None or moment >= window.since)
                and (window.until is None or moment < window.until)
            )

        expected = sorted(r.id for r in _collapse([r for r in corpus if inside(r)]))
        assert expected == sorted(_all_ids(backend, query="", filters={"last_activity": window}))


def _expected_facets(records: list[Record]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {}
    for field in FACET_FIELDS:
        counts = Counter(value for record in records for value in _values(record, field))
        facets[field] = dict(counts)
    return facets


def test_facet_counts_are_exact_over_the_whole_catalogue(
    backend: SearchBackend, corpus: list[Record]
) -> None:
    """Every facet counts each value over all (collapsed) records."""
    result = backend.search("", facets=FACET_FIELDS)
    assert _expected_facets(_collapse(corpus)) == {
        name: dict(counts) for name, counts in result.facets.items()
    }


def test_facet_counts_follow_the_filters(backend: SearchBackend, corpus: list[Record]) -> None:
    """Facet counts are computed over the hits matching all filters."""
    filters = {"forge": ("github.com",), "declared": ("true",)}
    result = backend.search("", filters=filters, facets=FACET_FIELDS)
    assert _expected_facets(_expected(corpus, filters)) == {
        name: dict(counts) for name, counts in result.facets.items()
    }


def test_facet_values_come_most_frequent_first(backend: SearchBackend) -> None:
    """Facet values are ordered by count, highest first."""
    counts = list(backend.search("", facets=["category"]).facets["category"].values())
    assert sorted(counts, reverse=True) == counts


def test_facets_follow_the_query(backend: SearchBackend, corpus: list[Record]) -> None:
    """With a query, facet counts add up over the query's hits only."""
    result = backend.search("whistleblowing", facets=["forge"])
    assert 0 < result.total < len(corpus)
    assert result.total == sum(result.facets["forge"].values())


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("last_activity", lambda r: r.repository.last_activity, True),
        ("-last_activity", lambda r: r.repository.last_activity, False),
        ("name", lambda r: r.name.casefold(), False),
        ("-name", lambda r: r.name.casefold(), True),
        ("stars", lambda r: r.repository.stars, True),
        ("-stars", lambda r: r.repository.stars, False),
    ],
)
def test_sort_orders_the_whole_result(
    backend: SearchBackend,
    corpus: list[Record],
    sort: str,
    key: Callable[[Record], object],
    reverse: bool,
) -> None:
    """Each sort key orders every page of the result by that key."""
    by_id = {r.id: r for r in corpus}
    ids = _all_ids(backend, query="", sort=sort)
    values = [key(by_id[i]) for i in ids]
    assert sorted(values, reverse=reverse) == values  # type: ignore[type-var]
    assert len(_collapse(corpus)) == len(ids)


def test_sort_applies_to_query_results(backend: SearchBackend, corpus: list[Record]) -> None:
    """A query sorted by name lists its hits alphabetically."""
    names = [hit.name.casefold() for hit in backend.search("meteo", sort="name").hits]
    assert len(names) > 2
    assert sorted(names) == names


def test_pages_split_the_result_without_overlap(backend: SearchBackend) -> None:
    """Consecutive pages hold consecutive slices of one ordering."""
    whole = [h.id for h in backend.search("", sort="name", per_page=40).hits]
    pages = []
    for page in range(1, 5):
        pages += [h.id for h in backend.search("", sort="name", page=page, per_page=10).hits]
    assert whole == pages


def test_page_past_the_end_is_empty(backend: SearchBackend, corpus: list[Record]) -> None:
    """A page beyond the last hit is empty and still reports the total."""
    result = backend.search("", page=50, per_page=50)
    assert [] == list(result.hits)
    assert len(_collapse(corpus)) == result.total


def test_mirrors_collapse_into_one_hit(backend: SearchBackend, corpus: list[Record]) -> None:
    """Two records listing each other as mirrors give one hit that names the other copy."""
    pair = [r for r in corpus if r.relations.mirrors]
    assert 2 == len(pair)
    result = backend.search("globaleaks", per_page=50)
    shown = [hit for hit in result.hits if hit.id in {r.id for r in pair}]
    assert 1 == len(shown)
    other = next(r for r in pair if r.id != shown[0].id)
    assert other.url in shown[0].mirrors or other.id in shown[0].mirrors


@pytest.mark.parametrize(
    ("request_", "named"),
    [
        ({"filters": {"colour": ("red",)}}, "colour"),
        ({"filters": {"declared": ("maybe",)}}, "declared"),
        ({"filters": {"forge": ActivityRange()}}, "forge"),
        ({"facets": ["secret"]}, "secret"),
        ({"sort": "price"}, "price"),
        ({"page": 0}, "page"),
        ({"per_page": 1000}, "per_page"),
        ({"page": 5000, "per_page": 100}, "too deep"),
        ({"locale": "xx"}, "xx"),
    ],
)
def test_unusable_requests_are_refused_by_name(
    backend: SearchBackend, request_: dict[str, object], named: str
) -> None:
    """Unknown fields, facets, sorts, locales and bad pages raise InvalidQueryError naming them."""
    with pytest.raises(InvalidQueryError, match=named):
        backend.search("", **request_)  # type: ignore[arg-type]


def test_highlights_escape_html_before_marking(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """Highlights are HTML-escaped text with <mark> added around the matched words."""
    from tests.search.corpus import make_record

    backend = make_backend(
        [make_record("x", "<b>Termin</b> & Co", texts={"de": 'Termine "online" <script>'})]
    )
    hit = backend.search("termin").hits[0]
    assert "&lt;b&gt;<mark>Termin</mark>&lt;/b&gt; &amp; Co" == hit.highlights["name"]
    assert (
        "<mark>Termine</mark> &quot;online&quot; &lt;script&gt;"
        == (hit.highlights["short_description"])
    )


def _counting_corpus() -> list[Record]:
    from tests.search.corpus import make_record

    return [
        make_record("both", "Harbour", texts={"en": "Open ledger for harbour fees"}),
        make_record("first", "Quay", texts={"en": "Open quay planning"}, licence="MIT"),
        make_record("second", "Dock", texts={"en": "Ledger of dock fees"}),
    ]


def test_partial_matches_are_listed_after_and_counted_apart(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """Records holding all words are the total; those holding only the first come after, apart."""
    backend = make_backend(_counting_corpus())
    result = backend.search("open ledger ", facets=["licence"])
    assert (1, 1) == (result.total, result.partial_total)
    assert [("harbour", False), ("quay", True)] == [
        (hit.name.lower(), hit.partial) for hit in result.hits
    ]
    assert {"licence": {"EUPL-1.2": 1}} == result.facets


def test_only_partial_matches_still_count_their_facets(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """Without any full match the facets count the partial matches, and the total stays 0."""
    backend = make_backend(_counting_corpus())
    result = backend.search("quay ledger ", facets=["licence"])
    assert (0, 1) == (result.total, result.partial_total)
    assert {"licence": {"MIT": 1}} == result.facets
    assert [True] == [hit.partial for hit in result.hits]


def test_explicit_sort_lists_the_full_matches_only(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """Under a sort other than relevance only records holding every word are listed."""
    backend = make_backend(_counting_corpus())
    result = backend.search("open ledger ", sort="name")
    assert (1, 0, ["Harbour"]) == (
        result.total,
        result.partial_total,
        [hit.name for hit in result.hits],
    )


def test_equal_text_relevance_prefers_declared_then_described_records(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """On equal text relevance: declared before inferred, with a description before without."""
    from tests.search.corpus import make_record

    newest = datetime(2026, 6, 1, tzinfo=UTC)
    backend = make_backend(
        [
            make_record(
                "inferred", "Ledger", texts={"en": "Ledger"}, declared=False, last_activity=newest
            ),
            make_record("empty", "Ledger", last_activity=newest),
            make_record("described", "Ledger", texts={"en": "Ledger"}),
        ]
    )
    hits = backend.search("ledger ").hits
    assert ["described", "empty", "inferred"] == [hit.id.rsplit("/", 1)[1] for hit in hits]


# --- maturity: filters, facets, sort and the relevance tie-break (issue 12) --------------------


def _mature(
    slug: str, name: str, *, ci: bool, security: bool, releases: int | None, **kw: Any
) -> Record:
    """A corpus-style record with repository facts: README, CONTRIBUTING, maybe CI and SECURITY."""
    from schemas.facts import Release, RepositoryFacts, RootEntry
    from tests.search.corpus import make_record

    record = make_record(slug, name, **kw)
    fetched = record.provenance.fetched_at
    files = ["README.md", "CONTRIBUTING.md", *([".gitlab-ci.yml"] if ci else [])]
    files += ["SECURITY.md"] if security else []
    record.repository.facts = RepositoryFacts(
        empty=False,
        root=[RootEntry(name=file) for file in files],
        releases_count=releases,
        latest_release=(
            Release(tag="v1.0", published_at=fetched - timedelta(days=30)) if releases else None
        ),
        last_commit_at=fetched - timedelta(days=10),
        readme_path="README.md",
        readme_text="Documentation. " * 100,
    )
    return record


def _maturity_records() -> list[Record]:
    from tests.search.corpus import make_record

    return [
        _mature("mature", "Ledger", texts={"en": "Ledger"}, ci=True, security=True, releases=3),
        _mature("tested", "Ledger", texts={"en": "Ledger"}, ci=True, security=False, releases=0),
        _mature(
            "untested", "Ledger", texts={"en": "Ledger"}, ci=False, security=False, releases=None
        ),
        make_record("unread", "Ledger", texts={"en": "Ledger"}),
    ]


def test_maturity_filters_and_facets_read_the_criteria(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """has_ci/has_security_policy/has_release select met (or not met) criteria, never unknown
    ones; maturity and active_within select by level; the facets count the same."""
    backend = make_backend(_maturity_records())

    def ids(**filters: tuple[str, ...]) -> list[str]:
        return sorted(hit.id.rsplit("/", 1)[1] for hit in backend.search("", filters=filters).hits)

    assert ["mature", "tested"] == ids(has_ci=("true",))
    assert ["untested"] == ids(has_ci=("false",))
    assert ["mature"] == ids(has_security_policy=("true",))
    assert ["mature"] == ids(has_release=("true",))
    assert ["tested"] == ids(has_release=("false",))
    assert ["mature"] == ids(maturity=("3",))
    assert ["mature", "tested", "untested"] == ids(active_within=("90d",))
    facets = backend.search("", facets=["maturity", "has_ci", "active_within"]).facets
    assert {"3": 1, "2": 1, "1": 1, "0": 1} == dict(facets["maturity"])
    assert {"true": 2, "false": 1} == dict(facets["has_ci"])
    assert {"90d": 3, "1y": 3} == dict(facets["active_within"])


def test_maturity_sort_and_relevance_ties_prefer_mature_records(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """sort=maturity lists the most mature first (-maturity the least); equally relevant hits
    go mature first, and records whose facts are unknown last."""
    backend = make_backend(_maturity_records())
    by_level = [hit.id.rsplit("/", 1)[1] for hit in backend.search("", sort="maturity").hits]
    assert ["mature", "tested", "untested", "unread"] == by_level
    reverse = [hit.id.rsplit("/", 1)[1] for hit in backend.search("", sort="-maturity").hits]
    assert ["unread", "untested", "tested", "mature"] == reverse
    relevance = [hit.id.rsplit("/", 1)[1] for hit in backend.search("ledger").hits]
    assert ["mature", "tested", "untested", "unread"] == relevance


def test_maturity_filters_refuse_unknown_values(backend: SearchBackend) -> None:
    """A maturity level or flag value the protocol does not know is refused by name."""
    for filters in ({"maturity": ("4",)}, {"has_ci": ("yes",)}, {"active_within": ("30d",)}):
        with pytest.raises(InvalidQueryError, match=next(iter(filters))):
            backend.search("", filters=filters)


# -- publisher views (issue 13): valid, has_findings, finding ---------------------------------


def _findings_corpus() -> list[Record]:
    from schemas.findings import Finding
    from tests.search.corpus import make_record

    error = Finding(type="error", key="url", message="bad", code="publiccode.not_url")
    warning = Finding(type="warning", key="logo", message="old", code="publiccode.deprecated")
    clean = make_record("clean", "Clean", texts={"en": "Harbour fees"})
    broken = make_record("broken", "Broken", texts={"en": "Harbour ledger"})
    warned = make_record("warned", "Warned", texts={"en": "Harbour quay"})
    return [
        clean,
        broken.model_copy(update={"findings": [error, warning]}),
        warned.model_copy(update={"findings": [warning]}),
    ]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({"valid": ("false",)}, ["broken"]),
        ({"valid": ("true",)}, ["clean", "warned"]),
        ({"has_findings": ("true",)}, ["broken", "warned"]),
        ({"has_findings": ("false",)}, ["clean"]),
        ({"finding": ("publiccode.deprecated",)}, ["broken", "warned"]),
        ({"finding": ("publiccode.not_url",), "has_findings": ("true",)}, ["broken"]),
    ],
    ids=lambda value: str(value),
)
def test_publisher_filters_select_by_findings(
    make_backend: Callable[[list[Record]], SearchBackend],
    filters: dict[str, tuple[str, ...]],
    names: list[str],
) -> None:
    """valid=false, has_findings and finding=<code> select the records by their findings, and
    the finding facet counts each code once per record."""
    backend = make_backend(_findings_corpus())
    result = backend.search("", filters=filters, facets=["finding"], per_page=10)
    assert names == sorted(hit.name.lower() for hit in result.hits)
    if not filters.get("finding") and filters.get("valid") == ("false",):
        assert {"publiccode.not_url": 1, "publiccode.deprecated": 1} == result.facets["finding"]


def test_the_organisation_facet_counts_and_filters_by_id(
    make_backend: Callable[[list[Record]], SearchBackend],
) -> None:
    """Two organisations named alike stay apart: the facet counts ids, a filter by one id finds
    only its software, hits carry the id beside the name; a person is no facet value."""
    from schemas.record import Organisation
    from tests.search.corpus import make_record

    def owned(slug: str, organisation: Organisation) -> Record:
        return make_record(slug, f"Tool {slug}").model_copy(update={"organisation": organisation})

    north = Organisation(id="account:git.north.example:it", name="IT-Dienst", kind="unknown")
    south = Organisation(id="tooi:gm0001", name="IT-Dienst", kind="public_body")
    person = Organisation(id="account:github.com:anna", kind="person")
    backend = make_backend(
        [
            owned("a", north),
            owned("b", north),
            owned("c", south),
            owned("d", person),
        ]
    )
    counts = backend.search(facets=["organisation"]).facets["organisation"]
    assert {north.id: 2, south.id: 1} == dict(counts)
    found = backend.search(filters={"organisation": (south.id,)}, facets=["organisation"])
    assert (["c"], {south.id: 1}) == (
        [hit.id.rsplit("/", 1)[1] for hit in found.hits],
        dict(found.facets["organisation"]),
    )
    assert [("IT-Dienst", south.id)] == [(h.organisation, h.organisation_id) for h in found.hits]
    assert 0 == backend.search(filters={"organisation": ("IT-Dienst",)}).total
