"""Turning matched rowids into the protocol's answer: filters, facet counts, hits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from indexer.search.documents import pick_language, timestamp
from indexer.search.embedded.facets import Selection
from indexer.search.embedded.highlight import WordMatcher, highlight
from indexer.search.embedded.state import IndexState
from indexer.search.embedded.stored import StoredData
from indexer.search.protocol import ActivityRange, FilterValue, Hit


def filtered(state: IndexState, filters: Mapping[str, FilterValue]) -> int:
    """The live records passing every filter: values of a field OR-ed (case-insensitive), fields AND-ed."""
    allowed = state.everything
    for name, value in filters.items():
        if isinstance(value, ActivityRange):
            since = timestamp(value.since) if value.since else None
            until = timestamp(value.until) if value.until else None
            allowed &= state.activity_between(since, until)
            continue
        values = state.facets.get(name, {})
        lookup = state.facet_lookup.get(name, {})
        either = 0
        for wanted in value:
            for stored in lookup.get(wanted.casefold(), ()):
                either |= values[stored]
        allowed &= either
    return allowed


def facet_counts(state: IndexState, name: str, selection: Selection) -> dict[str, int]:
    """Exact counts of facet `name`'s values over `selection`, most frequent first, then by value."""
    return state.facet_field(name).counts(selection)


def build_hits(
    stored: StoredData,
    rowids: list[int],
    state: IndexState,
    locale: str,
    matcher: WordMatcher | None,
    partial: int = 0,
) -> list[Hit]:
    """Hits for `rowids` in order, texts in `locale`, highlighted where `matcher` finds words.

    Rowids in the bitmap `partial` are flagged as partial matches.

    Only the features that matched are highlighted (a record can list dozens).
    """
    if not rowids:
        return []
    shown = []
    for rowid, data in stored.get(rowids).items():
        short = pick_language(data["short"], locale)
        features = pick_language(data["features"], locale) or []
        texts = [data["name"], short or "", *features] if matcher is not None else []
        shown.append((rowid, data, short, [stored.split(text) for text in texts]))
    if matcher is not None:
        # Every word of the page at once: the matcher decides for them in bulk.
        matcher.prepare(set().union(*[parts[1::2] for _, _, _, split in shown for parts in split]))
    hits = []
    for rowid, data, short, split in shown:
        highlights: dict[str, str] = {}
        if matcher is not None:
            for key, parts in (("name", split[0]), ("short_description", split[1])):
                marked = highlight("", matcher, parts) if len(parts) > 1 else None
                if marked:
                    highlights[key] = marked
            marked_features = [highlight("", matcher, parts) for parts in split[2:]]
            if any(marked_features):
                # Only the features that matched: a list can be long (one record has 60).
                highlights["features"] = " · ".join(m for m in marked_features if m)
        mirrors = tuple(data["mirrors"])  # mirror links are symmetric in the store
        hits.append(
            Hit(
                id=state.ids[rowid],
                url=data["url"],
                name=data["name"],
                short_description=short,
                licence=data["licence"],
                last_activity=datetime.fromisoformat(data["last_activity"])
                if data["last_activity"]
                else None,
                declared=data["declared"],
                valid=data["valid"],
                forge=data["forge"],
                stars=data["stars"],
                organisation=data["organisation"],
                mirrors=mirrors,
                highlights=highlights,
                partial=bool(partial >> rowid & 1),
                organisation_id=data.get("organisation_id"),
            )
        )
    return hits
