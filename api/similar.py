"""Similar software: TF-IDF over names, descriptions, features, categories and topics.

"Other administrations built something similar": for one record, the records of *other*
organisations whose words weigh most alike (cosine of TF-IDF vectors, sublinear term
frequency), each with the words they share as the reason. Lexical only: no model, no
download, explainable.

The index is built from the store's stored JSON (`Store.iter_documents`, no model
validation) once per change position, in a background thread: pages never wait for it, and
until the first index is ready they show no similar software (a stale index keeps answering
while a newer one builds). A query touches only the posting lists of the record's strongest
terms, skipping terms in more than `MAX_DOCUMENT_SHARE` of a large catalogue (they cannot tell records
apart), so it stays in the low milliseconds at 100,000 records. While a crawl writes, the
index is rebuilt at most every `REBUILD_AFTER` seconds.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import re
import threading
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from schemas.errors import InvalidURLError
from schemas.record import canonical_id

logger = logging.getLogger(__name__)
QUERY_TERMS = 10
TERMS_PER_RECORD = 24
FEATURES = 10
MAX_DOCUMENT_SHARE = 0.01
MIN_POSTINGS_KEPT = 200  # below this a term's posting list is cheap whatever its share
MIN_DOCUMENT_FREQUENCY = 2  # a word only one record has says nothing about similarity
REBUILD_AFTER = 600.0
"""Seconds a built index serves before a moved catalogue (a crawl writes page by page) is
indexed anew; similar software a few minutes old is still similar."""
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOPWORD_TEXT = """
    aber alle allen aller als also auch auf aus bei beim bis das dass
    dem den der des die dies diese diesem diesen dieser dieses durch ein eine
    einem einen einer eines für gegen hat haben hier ihr ihre ist jede jeder
    kann kein können mit nach nicht noch nur oder ohne sein seine sich sie
    sind soll über und uns unter vom von vor war was weil wenn werden
    wie wir wird wurde zum zur zwischen sowie bzw etc about all also and
    any are been but can could each for from has have how into its
    may more most not one only other our out over should such than that
    the their them then there these they this those through use used uses using
    very was were what when where which while who will with within without you
    your software open source code tool tools system systeme systems application applications anwendung anwendungen
    app apps based basiert project projekt version data daten plattform platform service services dienst
    web online digital digitale digitalen management verwaltung
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Function words of German and English plus words nearly every record of this catalogue has."""


@dataclass(frozen=True)
class Similar:
    """One similar record: its id, name, organisation, score and the shared words."""

    id: str
    name: str
    organisation: str | None
    score: float
    shared: tuple[str, ...]


@dataclass
class _Document:
    id: str
    name: str
    organisation: str | None
    organisation_id: str | None  # "other organisations" are told apart by id, not by name
    related: frozenset[str]  # mirrors, forks, variants, upstreams: not "something similar"


def _related(document: dict[str, Any]) -> frozenset[str]:
    relations = document.get("relations") or {}
    urls = [
        *relations.get("mirrors", []),
        *relations.get("aliases", []),
        *relations.get("is_based_on", []),
        *relations.get("forks", []),
        *relations.get("variants", []),
        *([relations["fork_of"]] if relations.get("fork_of") else []),
    ]
    ids = set()
    for url in urls:
        try:
            ids.add(canonical_id(url))
        except InvalidURLError:
            continue
    return frozenset(ids)


def _terms(document: dict[str, Any]) -> tuple[Counter[str], dict[str, str]]:
    """Weighted terms of one stored record and the surface form shown for each.

    Names, short descriptions, features, the forge's description, categories and topics: the
    words that say what a piece of software is for. Long descriptions are left out; they add
    noise and cost more than they tell.
    """
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}

    def add(text: str | None, weight: int) -> None:
        for word in _WORD.findall(text or ""):
            term = word.casefold()
            if term in STOPWORDS:
                continue
            counts[term] += weight
            surface.setdefault(term, word)

    add(document.get("name"), 3)
    for description in (document.get("descriptions") or {}).values():
        add(description.get("localised_name"), 3)
        add(description.get("short"), 2)
        add(" ".join((description.get("features") or [])[:FEATURES]), 1)
    repository = document.get("repository") or {}
    add(repository.get("description"), 2)
    for category in document.get("categories") or []:
        counts[f"category:{category}"] += 3
    for topic in repository.get("topics") or []:
        term = f"topic:{str(topic).casefold()}"
        counts[term] += 2
        surface.setdefault(term, str(topic))
    return counts, surface


class SimilarIndex:
    """An immutable TF-IDF index of the catalogue; build with `SimilarIndex.build`.

    Terms are interned to integers; each record keeps only its `TERMS_PER_RECORD` strongest
    terms, and vectors and posting lists are flat arrays of machine numbers, not objects.
    """

    def __init__(
        self,
        documents: list[_Document],
        vectors: tuple[array[int], array[int], array[float]],
        postings: dict[int, tuple[array[int], array[float]]],
        terms: dict[int, str],
        surface: dict[str, str],
    ) -> None:
        self._documents = documents
        # Record i's terms and weights are [offsets[i]:offsets[i + 1]] of the two flat arrays
        # (a tuple per term would cost ten times the memory at 100,000 records).
        self._offsets, self._vector_terms, self._vector_weights = vectors
        self._postings = postings
        self._terms = terms
        self._surface = surface
        self._position = {document.id: index for index, document in enumerate(documents)}

    @classmethod
    def build(cls, stored: Iterable[str]) -> SimilarIndex:
        """Index every stored record JSON document of `stored` (as `Store.iter_documents`)."""
        documents: list[_Document] = []
        raw: list[list[tuple[int, int]]] = []
        surface: dict[str, str] = {}
        ids: dict[str, int] = {}
        frequency: list[int] = []
        for number, text in enumerate(stored):
            document = json.loads(text)
            counts, forms = _terms(document)
            organisation = document.get("organisation") or {}
            documents.append(
                _Document(
                    document["id"],
                    document["name"],
                    organisation.get("name"),
                    organisation.get("id") or None,
                    _related(document),
                )
            )
            row = []
            for term, count in counts.items():
                term_id = ids.setdefault(term, len(ids))
                if term_id == len(frequency):
                    frequency.append(0)
                    surface[term] = forms.get(term, term)
                frequency[term_id] += 1
                row.append((term_id, count))
            raw.append(row)
            if number % 500 == 0:
                time.sleep(0)  # let the server's request threads have the interpreter
        total = max(1, len(documents))
        idf = [math.log(total / df) if df >= MIN_DOCUMENT_FREQUENCY else 0.0 for df in frequency]
        offsets, vector_terms, vector_weights = array("q", [0]), array("i"), array("f")
        lists: dict[int, tuple[array[int], array[float]]] = {}
        limit = max(MIN_POSTINGS_KEPT, int(total * MAX_DOCUMENT_SHARE))
        for index, row in enumerate(raw):
            weighted = [
                (term_id, (1 + math.log(count)) * idf[term_id])
                for term_id, count in row
                if idf[term_id] > 0
            ]
            strongest = heapq.nlargest(TERMS_PER_RECORD, weighted, key=lambda item: item[1])
            norm = math.sqrt(sum(weight * weight for _, weight in strongest)) or 1.0
            for term_id, raw_weight in strongest:
                weight = raw_weight / norm
                vector_terms.append(term_id)
                vector_weights.append(weight)
                if frequency[term_id] > limit:
                    continue  # too common to tell records apart, and costly to walk
                entry = lists.get(term_id)
                if entry is None:
                    entry = lists[term_id] = (array("i"), array("f"))
                entry[0].append(index)
                entry[1].append(weight)
            offsets.append(len(vector_terms))
        used = set(vector_terms)
        terms = {term_id: term for term, term_id in ids.items() if term_id in used}
        shown = {term: surface[term] for term in terms.values() if term in surface}
        vectors = (offsets, vector_terms, vector_weights)
        return cls(documents, vectors, lists, terms, shown)

    def _vector(self, position: int) -> list[tuple[int, float]]:
        start, end = self._offsets[position], self._offsets[position + 1]
        return list(
            zip(self._vector_terms[start:end], self._vector_weights[start:end], strict=True)
        )

    def __len__(self) -> int:
        return len(self._documents)

    def similar(self, record_id: str, limit: int = 5) -> list[Similar]:
        """Up to `limit` records of other organisations most like `record_id`, best first."""
        position = self._position.get(record_id)
        if position is None:
            return []
        source = self._documents[position]
        scores: dict[int, float] = defaultdict(float)
        for term_id, weight in self._vector(position)[:QUERY_TERMS]:
            found = self._postings.get(term_id)
            if found is None:
                continue
            for other, other_weight in zip(found[0], found[1], strict=True):
                scores[other] += weight * other_weight
        scores.pop(position, None)
        best = heapq.nlargest(limit * 8, scores.items(), key=lambda item: (item[1], -item[0]))
        result: list[Similar] = []
        for other, score in best:
            candidate = self._documents[other]
            if (
                candidate.id in source.related
                or source.id in candidate.related
                or (source.organisation_id and candidate.organisation_id == source.organisation_id)
            ):
                continue
            result.append(
                Similar(
                    candidate.id,
                    candidate.name,
                    candidate.organisation,
                    round(score, 4),
                    self._shared(position, other),
                )
            )
            if len(result) == limit:
                break
        return result

    def _shared(self, position: int, other: int) -> tuple[str, ...]:
        """The (at most four) terms the two records share, strongest contribution first."""
        theirs = dict(self._vector(other))
        common = [
            (weight * theirs[term_id], term_id)
            for term_id, weight in self._vector(position)
            if term_id in theirs
        ]
        return tuple(self._terms[term_id] for _, term_id in sorted(common, reverse=True)[:4])

    def surface(self, term: str) -> str:
        """How a term is shown: the word as first written, or the category slug/topic."""
        return self._surface.get(term, term.partition(":")[2] or term)


class SimilarCache:
    """The newest built index, rebuilt in a background thread when the catalogue moved.

    `get(position, documents)` answers at once with the index it has (None before the first
    one is ready) and starts one build when `position` differs from the index's, no build is
    running and the index is older than `rebuild_after` seconds.
    """

    def __init__(self, rebuild_after: float = REBUILD_AFTER) -> None:
        self.rebuild_after = rebuild_after
        self._index: SimilarIndex | None = None
        self._position: Any = None
        self._built_at = 0.0
        self._building: Any = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    def get(self, position: Any, documents: Callable[[], Iterator[str]]) -> SimilarIndex | None:
        """The current index (maybe older than `position`); a build of `position` is started."""
        with self._lock:
            due = self._index is None or (time.monotonic() - self._built_at >= self.rebuild_after)
            if position != self._position and self._building is None and due:
                self._building = position
                self._idle.clear()
                threading.Thread(
                    target=self._build, args=(position, documents), daemon=True
                ).start()
            return self._index

    def _build(self, position: Any, documents: Callable[[], Iterator[str]]) -> None:
        index: SimilarIndex | None
        try:
            index = SimilarIndex.build(documents())
        except Exception:  # a failed build keeps the previous index; the next view retries
            logger.exception("similar-software index could not be built")
            index = None
        with self._lock:
            if index is not None:
                self._index, self._position = index, position
                self._built_at = time.monotonic()
            if self._building == position:
                self._building = None
                self._idle.set()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no build is running (tests, warm-up); True when idle within `timeout`."""
        return self._idle.wait(timeout)
