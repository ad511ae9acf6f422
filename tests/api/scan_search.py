"""A linear-scan search over the store, for API tests until the real backend is wired in."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from api.selection import record_matches
from indexer.search.documents import facet_values
from indexer.search.protocol import FilterValue, Hit, SearchResult, check_request
from schemas.record import Record


class ScanSearch:
    def __init__(self, store: Any) -> None:
        self.store = store

    def search(
        self,
        query: str = "",
        filters: Mapping[str, FilterValue] | None = None,
        facets: Sequence[str] = (),
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        locale: str = "en",
    ) -> SearchResult:
        check_request(filters, facets, sort, page, per_page, locale)
        words = query.lower().split()
        matched: list[Record] = []
        for record in self.store.iter_records():
            description = record.description_in(locale)
            text = " ".join([record.name, description.short or "" if description else ""]).lower()
            if all(word in text for word in words) and record_matches(record, filters or {}):
                matched.append(record)
        if sort in {"name", "-name"}:
            matched.sort(key=lambda r: r.name.lower(), reverse=sort == "-name")
        counts: dict[str, Counter[str]] = {name: Counter() for name in facets}
        for record in matched:
            values = facet_values(record)
            for name in facets:
                counts[name].update(values[name])
        start = (page - 1) * per_page
        hits = [self._hit(record, words, locale) for record in matched[start : start + per_page]]
        return SearchResult(
            hits=hits,
            total=len(matched),
            facets={name: dict(counter.most_common()) for name, counter in counts.items()},
            page=page,
            per_page=per_page,
        )

    def _hit(self, record: Record, words: list[str], locale: str) -> Hit:
        description = record.description_in(locale)
        short = description.short if description else None

        def mark(text: str) -> str:
            escaped = html.escape(text)
            for word in words:
                escaped = escaped.replace(word, f"<mark>{word}</mark>")
            return escaped

        return Hit(
            id=record.id,
            url=record.url,
            name=record.name,
            short_description=short,
            licence=record.licence.expression if record.licence else None,
            last_activity=record.repository.last_activity,
            declared=record.declared,
            valid=record.valid,
            forge=record.repository.forge,
            stars=record.repository.stars,
            organisation=record.organisation.name if record.organisation else None,
            highlights={
                "name": mark(record.name),
                **({"short_description": mark(short)} if short else {}),
            },
        )

    def upsert(self, records: Iterable[Record]) -> None:
        return None

    def delete(self, ids: Iterable[str]) -> None:
        return None

    def rebuild(self) -> None:
        return None
