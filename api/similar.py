"""Similar software: TF-IDF over names, descriptions, features, categories and topics.

"Other administrations built something similar": for one record, the records of *other*
organisations whose words weigh most alike (cosine of TF-IDF vectors, sublinear term
frequency), each with the words they share as the reason. Lexical only: no model, no
download, explainable.

The index is built from the store's stored JSON (`Store.iter_documents`, no model
validation) once per change position, in a background thread: pages never wait for it, and
until the first index is ready they show no similar software (a stale index keeps answering
while a newer one builds). A query touches only the posting lists of the record's strongest
terms, skipping terms in more than `MAX_DOCUMENT_SHARE` of a large catalogue, so it costs well
under a millisecond per thousand candidates.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from schemas.errors import InvalidURLError
from schemas.record import canonical_id

logger = logging.getLogger(__name__)
QUERY_TERMS = 16
MAX_DOCUMENT_SHARE = 0.05
MIN_POSTINGS_KEPT = 200  # below this a term's posting list is cheap whatever its share
MIN_DOCUMENT_FREQUENCY = 2  # a word only one record has says nothing about similarity
LONG_TEXT_CHARS = 800
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
STOPWORDS = frozenset(
    [
        "aber",
        "alle",
        "allen",
        "aller",
        "als",
        "also",
        "auch",
        "auf",
        "aus",
        "bei",
        "beim",
        "bis",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "dies",
        "diese",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "für",
        "gegen",
        "hat",
        "haben",
        "hier",
        "ihr",
        "ihre",
        "ist",
        "jede",
        "jeder",
        "kann",
        "kein",
        "können",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "oder",
        "ohne",
        "sein",
        "seine",
        "sich",
        "sie",
        "sind",
        "soll",
        "über",
        "und",
        "uns",
        "unter",
        "vom",
        "von",
        "vor",
        "war",
        "was",
        "weil",
        "wenn",
        "werden",
        "wie",
        "wir",
        "wird",
        "wurde",
        "zum",
        "zur",
        "zwischen",
        "sowie",
        "bzw",
        "etc",
        "about",
        "all",
        "also",
        "and",
        "any",
        "are",
        "been",
        "but",
        "can",
        "could",
        "each",
        "for",
        "from",
        "has",
        "have",
        "how",
        "into",
        "its",
        "may",
        "more",
        "most",
        "not",
        "one",
        "only",
        "other",
        "our",
        "out",
        "over",
        "should",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "within",
        "without",
        "you",
        "your",
        "software",
        "open",
        "source",
        "code",
        "tool",
        "tools",
        "system",
        "systeme",
        "systems",
        "application",
        "applications",
        "anwendung",
        "anwendungen",
        "app",
        "apps",
        "based",
        "basiert",
        "project",
        "projekt",
        "version",
        "data",
        "daten",
        "plattform",
        "platform",
        "service",
        "services",
        "dienst",
        "web",
        "online",
        "digital",
        "digitale",
        "digitalen",
        "management",
        "verwaltung",
    ]
)
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
    """Weighted terms of one stored record and the surface form shown for each."""
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
        add(" ".join(description.get("features") or []), 1)
        add((description.get("long") or "")[:LONG_TEXT_CHARS], 1)
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
    """An immutable TF-IDF index of the catalogue; build with `SimilarIndex.build`."""

    def __init__(
        self,
        documents: list[_Document],
        vectors: list[dict[str, float]],
        postings: dict[str, list[tuple[int, float]]],
        surface: dict[str, str],
    ) -> None:
        self._documents = documents
        self._vectors = vectors
        self._postings = postings
        self._surface = surface
        self._position = {document.id: index for index, document in enumerate(documents)}

    @classmethod
    def build(cls, stored: Iterable[str]) -> SimilarIndex:
        """Index every stored record JSON document of `stored` (as `Store.iter_documents`)."""
        documents: list[_Document] = []
        raw: list[Counter[str]] = []
        surface: dict[str, str] = {}
        frequency: Counter[str] = Counter()
        for text in stored:
            document = json.loads(text)
            counts, forms = _terms(document)
            organisation = (document.get("organisation") or {}).get("name")
            documents.append(
                _Document(document["id"], document["name"], organisation, _related(document))
            )
            raw.append(counts)
            frequency.update(counts.keys())
            for term, form in forms.items():
                surface.setdefault(term, form)
        total = max(1, len(documents))
        vectors: list[dict[str, float]] = []
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, counts in enumerate(raw):
            weights = {
                term: (1 + math.log(count)) * math.log(total / frequency[term])
                for term, count in counts.items()
                if frequency[term] >= MIN_DOCUMENT_FREQUENCY
            }
            norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
            vector = {term: weight / norm for term, weight in weights.items() if weight > 0}
            vectors.append(vector)
            for term, weight in vector.items():
                postings[term].append((index, weight))
        limit = max(MIN_POSTINGS_KEPT, int(total * MAX_DOCUMENT_SHARE))
        kept = {term: items for term, items in postings.items() if len(items) <= limit}
        return cls(documents, vectors, kept, surface)

    def __len__(self) -> int:
        return len(self._documents)

    def similar(self, record_id: str, limit: int = 5) -> list[Similar]:
        """Up to `limit` records of other organisations most like `record_id`, best first."""
        position = self._position.get(record_id)
        if position is None:
            return []
        source = self._documents[position]
        vector = self._vectors[position]
        strongest = sorted(vector.items(), key=lambda item: -item[1])[:QUERY_TERMS]
        scores: dict[int, float] = defaultdict(float)
        shared: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for term, weight in strongest:
            for other, other_weight in self._postings.get(term, ()):
                if other == position:
                    continue
                contribution = weight * other_weight
                scores[other] += contribution
                shared[other].append((contribution, term))
        found: list[Similar] = []
        for other, score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
            candidate = self._documents[other]
            if (
                candidate.id in source.related
                or source.id in candidate.related
                or (source.organisation and candidate.organisation == source.organisation)
            ):
                continue
            words = [term for _, term in sorted(shared[other], reverse=True)[:4]]
            found.append(
                Similar(
                    candidate.id,
                    candidate.name,
                    candidate.organisation,
                    round(score, 4),
                    tuple(words),
                )
            )
            if len(found) == limit:
                break
        return found

    def surface(self, term: str) -> str:
        """How a term is shown: the word as first written, or the category slug/topic."""
        return self._surface.get(term, term.partition(":")[2] or term)


class SimilarCache:
    """The newest built index, rebuilt in a background thread when the catalogue moved.

    `get(position, documents)` answers at once with the index it has (None before the first
    one is ready) and starts one build when `position` is newer than the index's.
    """

    def __init__(self) -> None:
        self._index: SimilarIndex | None = None
        self._position: Any = None
        self._building: Any = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    def get(self, position: Any, documents: Callable[[], Iterator[str]]) -> SimilarIndex | None:
        """The current index (maybe older than `position`); a build of `position` is started."""
        with self._lock:
            if position != self._position and position != self._building:
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
            if self._building == position:
                self._building = None
                self._idle.set()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no build is running (tests, warm-up); True when idle within `timeout`."""
        return self._idle.wait(timeout)
