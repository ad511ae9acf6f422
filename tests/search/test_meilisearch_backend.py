"""The Meilisearch backend end to end, against the fake server (always) and a live one (if set).

Every request goes through the OpenAPI contract transport, so each test also checks that every
body the backend sent is one Meilisearch 1.53 accepts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.search.meilisearch.documents import document_key
from indexer.search.protocol import SORT_KEYS, ActivityRange
from tests.search.meili_corpus import (
    CORPUS,
    DECIDIM,
    GEOPORTAL,
    HOSTILE_VALUES,
    OPENDESK,
    TERMINE,
    make_record,
    utc,
)
from tests.search.meili_server import SERVER_KINDS, MeiliServer, open_server


@pytest.fixture(params=SERVER_KINDS)
def server(request: pytest.FixtureRequest) -> Iterator[MeiliServer]:
    yield from open_server(request.param)


def ids(result: object) -> list[str]:
    return [hit.id for hit in result.hits]  # type: ignore[attr-defined]


def test_upsert_applies_settings_then_adds_documents_in_batches(server: MeiliServer) -> None:
    """The first write creates the index with its settings, then sends bounded batches."""
    backend = server.backend(batch_documents=3)
    backend.upsert([*CORPUS, make_record("https://gitlab.opencode.de/x/extra", "Extra")])
    routes = [r for r in server.transport.routes() if not r.startswith("GET /tasks/")]
    index = f"/indexes/{server.index}"
    assert [
        "GET /version",
        f"GET {index}",
        "POST /indexes",
        f"PATCH {index}/settings",
        f"POST {index}/documents",
        f"POST {index}/documents",
    ] == routes
    batches = [r.body for r in server.transport.requests if r.path == f"{index}/documents"]
    assert [3, 2] == [len(batch) for batch in batches]
    assert [{"primaryKey": "pk"}] * 2 == [
        r.params for r in server.transport.requests if r.path == f"{index}/documents"
    ]
    assert 5 == backend.search().total


def test_every_task_is_waited_for(server: MeiliServer) -> None:
    """Each enqueued task is polled until it finishes before the write returns."""
    server.backend().upsert(CORPUS)
    polled = {r.path for r in server.transport.requests if r.path.startswith("/tasks/")}
    if server.fake is not None:
        assert {f"/tasks/{task.uid}" for task in server.fake.tasks} == polled
        assert all(task.status == "succeeded" for task in server.fake.tasks)
    assert 3 == len(polled)  # index creation, settings, one batch of documents


def test_keyword_filter_values_are_or_ed_and_fields_and_ed(server: MeiliServer) -> None:
    """licence MIT or AGPL gives both; adding an organisation narrows to the AND."""
    backend = server.backend()
    backend.upsert(CORPUS)
    either = backend.search(filters={"licence": ("MIT", "AGPL-3.0-or-later")}, sort="name")
    assert [GEOPORTAL.id, OPENDESK.id, TERMINE.id] == ids(either)
    both = backend.search(
        filters={"licence": ("MIT", "AGPL-3.0-or-later"), "organisation": ("Land Berlin",)},
        sort="name",
    )
    assert [GEOPORTAL.id, TERMINE.id] == ids(both)


def test_boolean_filters(server: MeiliServer) -> None:
    """declared and archived filter on true/false."""
    backend = server.backend()
    backend.upsert(CORPUS)
    assert [OPENDESK.id] == ids(backend.search(filters={"declared": ("false",)}))
    assert [GEOPORTAL.id] == ids(backend.search(filters={"archived": ("true",)}))
    active = backend.search(filters={"archived": ("false",), "declared": ("true",)}, sort="name")
    assert [DECIDIM.id, TERMINE.id] == ids(active)


def test_last_activity_range_is_since_inclusive_until_exclusive(server: MeiliServer) -> None:
    """A range on epoch seconds keeps since <= t < until."""
    backend = server.backend()
    backend.upsert(CORPUS)
    window = ActivityRange(since=utc(2025, 3, 15), until=utc(2026, 6, 30))
    assert [TERMINE.id] == ids(backend.search(filters={"last_activity": window}))
    open_ended = ActivityRange(since=utc(2026, 6, 30))
    result = backend.search(filters={"last_activity": open_ended}, sort="-last_activity")
    assert [OPENDESK.id, DECIDIM.id] == ids(result)
    sent = [r.body["filter"] for r in server.transport.requests if r.path.endswith("/search")]
    assert f"last_activity_ts >= {int(utc(2025, 3, 15).timestamp())}" in sent[0]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", [DECIDIM, GEOPORTAL, OPENDESK, TERMINE]),
        ("-name", [TERMINE, OPENDESK, GEOPORTAL, DECIDIM]),
        ("last_activity", [DECIDIM, OPENDESK, TERMINE, GEOPORTAL]),
        ("-last_activity", [GEOPORTAL, TERMINE, OPENDESK, DECIDIM]),
        ("stars", [OPENDESK, DECIDIM, TERMINE, GEOPORTAL]),
        ("-stars", [TERMINE, DECIDIM, OPENDESK, GEOPORTAL]),
        # No record is reused: every one ties on its reuse level, recent activity decides.
        ("reused_by_organisations", [DECIDIM, OPENDESK, TERMINE, GEOPORTAL]),
        ("-reused_by_organisations", [DECIDIM, OPENDESK, TERMINE, GEOPORTAL]),
        # No record has repository facts: every one is at maturity level 0, activity decides.
        ("maturity", [DECIDIM, OPENDESK, TERMINE, GEOPORTAL]),
        ("-maturity", [DECIDIM, OPENDESK, TERMINE, GEOPORTAL]),
        # Browsing by relevance: every record ties on text, so declared (and described)
        # records come first, then recent activity decides; OpenDesk is inferred.
        ("relevance", [DECIDIM, TERMINE, GEOPORTAL, OPENDESK]),
    ],
)
def test_every_sort(server: MeiliServer, sort: str, expected: list[object]) -> None:
    """Each protocol sort orders the browse list; records without stars come last both ways."""
    backend = server.backend()
    backend.upsert(CORPUS)
    assert [record.id for record in expected] == ids(backend.search(sort=sort))  # type: ignore[attr-defined]


def test_sorts_cover_the_protocol() -> None:
    """The sort test above covers every protocol sort key."""
    assert {
        "name",
        "-name",
        "last_activity",
        "-last_activity",
        "stars",
        "-stars",
        "reused_by_organisations",
        "-reused_by_organisations",
        "maturity",
        "-maturity",
        "relevance",
    } == set(SORT_KEYS)


def test_facet_counts_are_exact_and_most_first(server: MeiliServer) -> None:
    """Facet counts cover the filtered hits, most frequent first, then by value."""
    backend = server.backend()
    backend.upsert(CORPUS)
    result = backend.search(facets=["licence", "declared", "organisation"])
    assert {"EUPL-1.2": 2, "MIT": 2, "AGPL-3.0-or-later": 1} == result.facets["licence"]
    assert ["EUPL-1.2", "MIT", "AGPL-3.0-or-later"] == list(result.facets["licence"])
    assert {"true": 3, "false": 1} == result.facets["declared"]
    filtered = backend.search(filters={"organisation": ("Land Berlin",)}, facets=["licence"])
    assert {"MIT": 2, "EUPL-1.2": 1} == filtered.facets["licence"]
    assert 2 == filtered.total


def test_query_finds_words_and_prefixes(server: MeiliServer) -> None:
    """A word finds its record; the last word matches as a prefix (search as you type)."""
    backend = server.backend()
    backend.upsert(CORPUS)
    assert [TERMINE.id] == ids(backend.search("Terminvereinbarung"))
    assert [TERMINE.id] == ids(backend.search("terminverein"))
    assert [DECIDIM.id] == ids(backend.search("Decidim"))


def test_query_syntax_is_searched_as_plain_words(server: MeiliServer) -> None:
    """Quotes and a leading minus do not make a phrase or an exclusion."""
    backend = server.backend()
    backend.upsert(CORPUS)
    assert [DECIDIM.id] == ids(backend.search('"Decidim'))
    assert [DECIDIM.id] == ids(backend.search("-Decidim"))
    assert "Decidim" == server.transport.requests[-1].body["q"]
    backend.search("\ud800")  # a lone surrogate cannot be sent as UTF-8: it becomes "?"
    assert "?" == server.transport.requests[-1].body["q"]


def test_pages_have_exact_totals(server: MeiliServer) -> None:
    """page/per_page slice the hits while total stays exact."""
    backend = server.backend()
    backend.upsert(CORPUS)
    second = backend.search(sort="name", page=2, per_page=3)
    assert (4, [TERMINE.id], 2, 3) == (second.total, ids(second), second.page, second.per_page)


def test_hit_fields_and_locale(server: MeiliServer) -> None:
    """A hit carries the card fields, the short description in the asked locale or English."""
    backend = server.backend()
    backend.upsert(CORPUS)
    german = backend.search(filters={"organisation": ("Stadt Köln",)}, locale="de").hits[0]
    english = backend.search(filters={"organisation": ("Stadt Köln",)}, locale="it").hits[0]
    assert "Plattform für Bürgerbeteiligung" == german.short_description
    assert "Participatory democracy platform" == english.short_description
    assert (DECIDIM.url, "Decidim", "EUPL-1.2", utc(2026, 10, 1), True, True, "opencode", 120) == (
        german.url,
        german.name,
        german.licence,
        german.last_activity,
        german.declared,
        german.valid,
        german.forge,
        german.stars,
    )
    assert "Stadt Köln" == german.organisation


def test_highlights_are_escaped_before_marks(server: MeiliServer) -> None:
    """Markup in a name is escaped; only the match is wrapped in <mark>."""
    backend = server.backend()
    backend.upsert([make_record("https://gitlab.opencode.de/x/tags", "<b>Formular</b> & Co")])
    hit = backend.search("Formular").hits[0]
    assert "&lt;b&gt;<mark>Formular</mark>&lt;/b&gt; &amp; Co" == hit.highlights["name"]


def test_mirrors_collapse_to_one_hit(server: MeiliServer) -> None:
    """Two mirrors of one software are one hit; the declared copy is kept."""
    upstream = "https://gitlab.opencode.de/koeln/decidim"
    mirror = make_record(
        "https://github.com/koeln/decidim-mirror",
        "Decidim",
        declared=False,
        mirrors=(upstream,),
        last_activity=utc(2026, 10, 1),
    )
    original = DECIDIM.model_copy(
        update={"relations": DECIDIM.relations.model_copy(update={"mirrors": [mirror.url]})}
    )
    backend = server.backend()
    backend.upsert([original, mirror, TERMINE])
    result = backend.search("Decidim")
    assert ([DECIDIM.id], 1) == (ids(result), result.total)


def test_mirror_choice_ignores_activity_and_survives_partial_upserts(server: MeiliServer) -> None:
    """The declared copy is kept even when the inferred one is more recent, also after
    upserting only the inferred copy (its indexed partner is fetched and re-settled)."""
    upstream = "https://gitlab.opencode.de/koeln/decidim"
    mirror = make_record(
        "https://github.com/koeln/decidim-mirror",
        "Decidim",
        declared=False,
        mirrors=(upstream,),
        last_activity=utc(2026, 11, 20),
    )
    original = DECIDIM.model_copy(
        update={"relations": DECIDIM.relations.model_copy(update={"mirrors": [mirror.url]})}
    )
    backend = server.backend()
    backend.upsert([original, mirror, TERMINE, OPENDESK])
    browse = backend.search()
    assert [DECIDIM.id, TERMINE.id, OPENDESK.id] == ids(browse)  # at Decidim's own activity
    newer = mirror.model_copy(
        update={"repository": mirror.repository.model_copy(update={"stars": 7})}
    )
    server.transport.requests.clear()
    server.backend().upsert([newer])
    assert [DECIDIM.id, TERMINE.id, OPENDESK.id] == ids(server.backend().search())
    fetched = [r for r in server.transport.requests if r.path.endswith("/documents/fetch")]
    assert 1 == len(fetched)


def test_a_requested_sort_beats_relevance(server: MeiliServer) -> None:
    """A query sorted by name lists its hits alphabetically, whatever attribute matched."""
    backend = server.backend()
    backend.upsert(
        [
            make_record("https://gitlab.opencode.de/s/a", "Zebra Plattform"),
            make_record("https://gitlab.opencode.de/s/b", "Alpha", short_en="a Plattform thing"),
            make_record("https://gitlab.opencode.de/s/c", "Mitte Plattform"),
        ]
    )
    assert ["Alpha", "Mitte Plattform", "Zebra Plattform"] == [
        hit.name for hit in backend.search("Plattform", sort="name").hits
    ]


def test_delete_removes_by_id_and_ignores_unknown(server: MeiliServer) -> None:
    """delete() removes the named records and ignores ids that are not indexed."""
    backend = server.backend()
    backend.upsert(CORPUS)
    backend.delete([TERMINE.id, "gitlab.example.org/never/indexed"])
    assert [DECIDIM.id, GEOPORTAL.id, OPENDESK.id] == ids(backend.search(sort="name"))
    sent = [r.body for r in server.transport.requests if r.path.endswith("/delete-batch")]
    assert [[document_key(TERMINE.id), document_key("gitlab.example.org/never/indexed")]] == sent


def test_rebuild_fills_a_new_index_and_swaps_it_in(server: MeiliServer) -> None:
    """rebuild() builds <index>_<timestamp> with settings first, swaps it in, deletes the old."""
    server.backend().upsert([TERMINE])
    server.transport.requests.clear()
    server.backend(CORPUS).rebuild()
    fresh = f"{server.index}_20261130T010203456789"
    routes = [r for r in server.transport.routes() if not r.startswith("GET /tasks/")]
    assert [
        "GET /version",
        "POST /indexes",
        f"PATCH /indexes/{fresh}/settings",
        f"POST /indexes/{fresh}/documents",
        f"GET /indexes/{fresh}/stats",
        f"GET /indexes/{server.index}",
        "POST /swap-indexes",
        f"DELETE /indexes/{fresh}",
    ] == routes
    swap = next(r.body for r in server.transport.requests if r.path == "/swap-indexes")
    assert [{"indexes": [server.index, fresh]}] == swap
    assert 4 == server.backend().search().total
    if server.fake is not None:
        assert [server.index] == sorted(server.fake.indexes)


def test_rebuild_without_a_live_index_renames_the_new_one(server: MeiliServer) -> None:
    """With no live index yet, the new index is renamed into place."""
    server.backend(CORPUS).rebuild()
    fresh = f"{server.index}_20261130T010203456789"
    swap = next(r.body for r in server.transport.requests if r.path == "/swap-indexes")
    assert [{"indexes": [fresh, server.index], "rename": True}] == swap
    assert [DECIDIM.id, GEOPORTAL.id, OPENDESK.id, TERMINE.id] == ids(
        server.backend().search(sort="name")
    )


def test_hostile_filter_values_match_only_themselves(server: MeiliServer) -> None:
    """Quotes, backslashes, keywords and newlines in values stay values: each finds one record."""
    records = [
        make_record(
            f"https://gitlab.opencode.de/hostile/r{number}", f"R{number}", organisation=value
        )
        for number, value in enumerate(HOSTILE_VALUES)
    ]
    backend = server.backend()
    backend.upsert([*records, *CORPUS])
    for record, value in zip(records, HOSTILE_VALUES, strict=True):
        result = backend.search(filters={"organisation": (value,)})
        assert ([record.id], value) == (ids(result), value)


def test_counts_come_from_an_all_words_search_and_synonyms_are_named(server: MeiliServer) -> None:
    """Several words: hits from `last`, counts from a hit-less `all` search; synonyms named."""
    backend = server.backend()
    backend.upsert(CORPUS)
    server.transport.requests.clear()
    result = backend.search("Plattform Bürgerbeteiligung ", facets=["licence"])
    sent = [r.body for r in server.transport.requests if r.path.endswith("/search")]
    assert ["last", "all"] == [body["matchingStrategy"] for body in sent]
    assert 0 == sent[1]["hitsPerPage"]
    assert (1, 0) == (result.total, result.partial_total)
    assert "Partizipation" in result.also_searched
