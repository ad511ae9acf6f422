"""Atom feeds of change events per forge, per organisation and per saved search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from indexer.store import Store
from schemas.organisation import name_id
from tests.api.client import AppClient
from tests.api.conftest import corpus

ATOM = "{http://www.w3.org/2005/Atom}"
AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def events(store: Store) -> None:
    """The corpus as federation saw it first (all new), then E-Akte broken, then Beteiligung Plus gone."""
    records = corpus()
    broken = records[2]  # E-Akte, with an error
    records[2] = broken.model_copy(update={"findings": []})
    store.note_changes(records, scope=None, now=AT)
    store.note_changes([broken], scope={broken.id}, now=AT + timedelta(1))
    store.delete_records(["github.com/land/beteiligung-plus"])
    store.note_changes([], scope={"github.com/land/beteiligung-plus"}, now=AT + timedelta(2))


def _feed(response: object) -> tuple[str, list[tuple[str, str]]]:
    """The feed's title and its entries' (title, category), after checking it is Atom."""
    assert 200 == response.status_code  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/atom+xml")  # type: ignore[attr-defined]
    root = ElementTree.fromstring(response.content)  # type: ignore[attr-defined]
    assert f"{ATOM}feed" == root.tag
    for entry in root.iter(f"{ATOM}entry"):
        for child in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{child}"), child  # required by RFC 4287
    entries = [
        (entry.findtext(f"{ATOM}title") or "", entry.find(f"{ATOM}category").get("term") or "")  # type: ignore[union-attr]
        for entry in root.iter(f"{ATOM}entry")
    ]
    return root.findtext(f"{ATOM}title") or "", entries


def test_forge_feed_lists_that_forges_events_newest_first(client: AppClient) -> None:
    """opencode's feed: E-Akte turned invalid first in line, then the four new records."""
    title, entries = _feed(client.get("/forges/opencode/feed?lang=en"))
    assert "Changes of the software on opencode" == title
    assert ("Invalid publiccode.yml: E-Akte", "invalid") == entries[0]
    assert 5 == len(entries)
    assert {"new"} == {kind for _, kind in entries[1:]}


def test_feeds_are_titled_in_german(client: AppClient) -> None:
    """?lang=de gives German titles; the removed software is in its forge's feed."""
    title, entries = _feed(client.get("/forges/github/feed?lang=de"))
    assert "Änderungen der Software auf github" == title
    root = ElementTree.fromstring(client.get("/forges/github/feed?lang=de").content)
    summaries = [entry.findtext(f"{ATOM}summary") for entry in root.iter(f"{ATOM}entry")]
    assert [
        "Beteiligung Plus ist nicht mehr im Katalog.",
        "Beteiligung Plus ist neu im Katalog.",
    ] == summaries
    assert [("Entfernt: Beteiligung Plus", "removed"), ("Neu: Beteiligung Plus", "new")] == entries


def test_unknown_forge_and_organisation_are_404(client: AppClient) -> None:
    """A feed of nothing known answers 404 problem+json."""
    assert 404 == client.get("/forges/nowhere/feed").status_code
    assert 404 == client.get("/organisations/name:nobody/feed").status_code


def test_organisation_feed(client: AppClient) -> None:
    """Kreis Muster's feed holds only its E-Akte's events."""
    title, entries = _feed(client.get(f"/organisations/{name_id('Kreis Muster')}/feed?lang=en"))
    assert "Changes of the software of Kreis Muster" == title
    assert [("Invalid publiccode.yml: E-Akte", "invalid"), ("New: E-Akte", "new")] == entries


def test_saved_search_feed_takes_the_search_filters(client: AppClient) -> None:
    """Any search URL + /feed: the filters select the events' software, removed ones included."""
    _, entries = _feed(client.get("/feed?licence=MIT&lang=en"))
    assert [("Invalid publiccode.yml: E-Akte", "invalid"), ("New: E-Akte", "new")] == entries
    _, entries = _feed(client.get("/api/v1/software/feed?forge=github&lang=en"))
    assert ["removed", "new"] == [kind for _, kind in entries]
    assert _feed(client.get("/search/feed?licence=MIT")) == _feed(client.get("/feed?licence=MIT"))


def test_saved_search_feed_with_words(client: AppClient) -> None:
    """With words, only the search's hits count (the removed software has left the index)."""
    title, entries = _feed(client.get("/api/v1/software/feed?q=Aktenführung&lang=en"))
    assert "Changes of the software found for “Aktenführung”" == title
    assert ["invalid", "new"] == [kind for _, kind in entries]


def test_feed_is_kept_until_the_next_event(client: AppClient, store: Store) -> None:
    """The second request is a cache hit; a new event makes the feed new."""
    assert "miss" == client.get("/forges/opencode/feed").headers["x-cache"]
    assert "hit" == client.get("/forges/opencode/feed").headers["x-cache"]
    fixed = corpus()[2].model_copy(update={"findings": []})
    store.note_changes([fixed], scope=set(), now=AT + timedelta(3))
    response = client.get("/forges/opencode/feed?lang=en")
    assert ("Fixed publiccode.yml: E-Akte", "fixed") == _feed(response)[1][0]


def test_pages_link_their_change_feeds(client: AppClient) -> None:
    """Search, organisation and forges pages announce their feeds in <head>."""
    search = client.get("/?licence=MIT&q=akte").text
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Changes of the software found for “akte”" href="/feed?q=akte&amp;licence=MIT">'
    ) in search
    organisation = client.get(f"/organisations/{name_id('Kreis Muster')}?lang=en").text
    assert f'href="/organisations/{name_id("Kreis Muster")}/feed"' in organisation
    forges = client.get("/forges?lang=en").text
    assert (
        'type="application/atom+xml" title="Changes of the software on github" href="/forges/github/feed"'
        in forges
    )
