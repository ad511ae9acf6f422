"""A deterministic synthetic catalogue of publiccode-like records, for benchmarks.

`synthetic_records(n, seed)` yields `n` records with realistic text lengths in German and
English (a name of 1–3 words, a one-sentence short description, 3–8 features, a long
description of 80–250 words), 40 categories, 500 organisations, 50 licences, 3 forges,
platforms, software types, statuses, programming languages, last activity over ten years and
a Zipf-like star count; 2 % of records have a mirror copy
(the copy is one of the `n` records). Words are drawn Zipf-style from
a vocabulary of real domain words, German compounds made of them, and pronounceable
made-up words for the long tail (about 20,000 words per language), so frequent and rare terms
both exist. The same `seed` always gives the same catalogue.

`vocabulary(seed)` returns the word lists, so query mixes can be drawn from the catalogue's
own vocabulary.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from schemas.record import (
    Description,
    Licence,
    Maintenance,
    Organisation,
    Provenance,
    Record,
    Relations,
    Repository,
)

GERMAN_WORDS = [
    "Verwaltung",
    "Bürger",
    "Beteiligung",
    "Plattform",
    "Portal",
    "Antrag",
    "Genehmigung",
    "Dokument",
    "Akte",
    "Verfahren",
    "Termin",
    "Vergabe",
    "Buchung",
    "Meldung",
    "Hinweis",
    "Schutz",
    "Daten",
    "Datenschutz",
    "Sicherheit",
    "Schnittstelle",
    "Anwendung",
    "Dienst",
    "Leistung",
    "Behörde",
    "Kommune",
    "Gemeinde",
    "Stadt",
    "Land",
    "Bund",
    "Rat",
    "Sitzung",
    "Vorlage",
    "Protokoll",
    "Haushalt",
    "Finanz",
    "Rechnung",
    "Zahlung",
    "Steuer",
    "Gebühr",
    "Bescheid",
    "Formular",
    "Nutzer",
    "Konto",
    "Anmeldung",
    "Register",
    "Melde",
    "Wesen",
    "Personal",
    "Beschaffung",
    "Ausschreibung",
    "Vertrag",
    "Archiv",
    "Bibliothek",
    "Schule",
    "Bildung",
    "Gesundheit",
    "Pflege",
    "Umwelt",
    "Wetter",
    "Karte",
    "Geodaten",
    "Verkehr",
    "Parken",
    "Bau",
    "Planung",
    "Fläche",
    "Grundstück",
    "Kataster",
    "Wasser",
    "Energie",
    "Abfall",
    "Feuerwehr",
    "Polizei",
    "Rettung",
    "Notfall",
    "Katastrophe",
    "Warnung",
    "Statistik",
    "Bericht",
    "Auswertung",
    "Analyse",
    "Suche",
    "Volltext",
    "Verzeichnis",
    "Katalog",
    "Metadaten",
    "Standard",
    "Offen",
    "Quelle",
    "Lizenz",
    "Software",
    "Entwicklung",
    "Betrieb",
    "Wartung",
    "Pflegeheim",
    "Kita",
    "Jugend",
    "Familie",
    "Soziales",
    "Arbeit",
    "Wohnung",
    "Migration",
    "Integration",
    "Sprache",
    "Übersetzung",
    "Barrierefreiheit",
    "Zugang",
    "Oberfläche",
    "Gestaltung",
    "System",
    "Informationssystem",
    "Fachverfahren",
    "Vorgang",
    "Bearbeitung",
    "Workflow",
    "Prozess",
    "Digitalisierung",
    "Signatur",
    "Identität",
    "Ausweis",
    "Siegel",
    "Zustellung",
    "Postfach",
    "Nachricht",
    "Kommunikation",
    "Veröffentlichung",
    "Presse",
    "Webseite",
    "Inhalt",
    "Redaktion",
    "Wahl",
    "Abstimmung",
    "Umfrage",
    "Beteiligungsverfahren",
    "Einwohner",
    "Bürgerbüro",
    "Terminvergabe",
    "Gewerbe",
    "Handel",
    "Wirtschaft",
    "Förderung",
    "Antragstellung",
    "Prüfung",
    "Kontrolle",
    "Aufsicht",
]

ENGLISH_WORDS = [
    "administration",
    "citizen",
    "participation",
    "platform",
    "portal",
    "application",
    "permit",
    "document",
    "record",
    "procedure",
    "appointment",
    "booking",
    "report",
    "notice",
    "protection",
    "data",
    "privacy",
    "security",
    "interface",
    "service",
    "authority",
    "municipality",
    "city",
    "region",
    "state",
    "council",
    "meeting",
    "agenda",
    "minutes",
    "budget",
    "finance",
    "invoice",
    "payment",
    "tax",
    "fee",
    "decision",
    "form",
    "user",
    "account",
    "login",
    "registry",
    "staff",
    "procurement",
    "tender",
    "contract",
    "archive",
    "library",
    "school",
    "education",
    "health",
    "care",
    "environment",
    "weather",
    "map",
    "geodata",
    "traffic",
    "parking",
    "building",
    "planning",
    "land",
    "cadastre",
    "water",
    "energy",
    "waste",
    "fire",
    "police",
    "rescue",
    "emergency",
    "disaster",
    "warning",
    "statistics",
    "analysis",
    "search",
    "fulltext",
    "directory",
    "catalogue",
    "metadata",
    "standard",
    "open",
    "source",
    "licence",
    "software",
    "development",
    "operation",
    "maintenance",
    "youth",
    "family",
    "social",
    "work",
    "housing",
    "migration",
    "language",
    "translation",
    "accessibility",
    "access",
    "frontend",
    "design",
    "system",
    "information",
    "workflow",
    "process",
    "digital",
    "signature",
    "identity",
    "seal",
    "delivery",
    "mailbox",
    "message",
    "communication",
    "publication",
    "press",
    "website",
    "content",
    "editorial",
    "election",
    "vote",
    "survey",
    "resident",
    "trade",
    "business",
    "funding",
    "review",
    "inspection",
    "supervision",
    "management",
    "integration",
    "dashboard",
    "module",
    "library",
    "component",
    "framework",
    "api",
    "gateway",
    "monitoring",
]

CATEGORIES = [
    f"category-{name}"
    for name in (
        "accounting",
        "agile-project-management",
        "applicant-tracking",
        "application-development",
        "appointment-scheduling",
        "backup",
        "billing-and-invoicing",
        "blog",
        "budgeting",
        "business-intelligence",
        "cloud-management",
        "collaboration",
        "communications",
        "compliance-management",
        "contact-management",
        "content-management",
        "crm",
        "customer-service",
        "data-analytics",
        "data-collection",
        "data-visualization",
        "digital-asset-management",
        "document-management",
        "e-commerce",
        "e-signature",
        "email-management",
        "erp",
        "event-management",
        "facility-management",
        "geographic-information-systems",
        "grant-management",
        "hr",
        "identity-management",
        "it-security",
        "knowledge-management",
        "learning-management-system",
        "project-management",
        "survey",
        "website-builder",
        "workflow-management",
    )
]
LICENCES = [
    "EUPL-1.2",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "LGPL-3.0-only",
    "LGPL-2.1-only",
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "MPL-2.0",
    "EPL-2.0",
    "CC0-1.0",
    "ISC",
    "Unlicense",
    "EUPL-1.1",
    "OSL-3.0",
] + [f"LicenseRef-custom-{index}" for index in range(30)]
FORGES = ("gitlab.opencode.example", "github.com", "gitlab.com")
PLATFORMS = ("web", "linux", "windows", "mac", "android", "ios")
SOFTWARE_TYPES = ("standalone/web", "standalone/backend", "standalone/desktop", "library", "addon")
STATUSES = ("concept", "development", "beta", "stable", "obsolete")
MAINTENANCE = ("internal", "contract", "community", "none")
PROGRAMMING = ("Python", "Java", "JavaScript", "TypeScript", "PHP", "Go", "C#", "Ruby", "Kotlin")
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ne",
    "tu",
    "la",
    "be",
    "so",
    "di",
    "fa",
    "ge",
    "ho",
    "ju",
    "ki",
    "lo",
    "ma",
    "nu",
    "pe",
    "ri",
    "sa",
    "te",
    "vo",
    "wa",
    "zu",
]


@dataclass(frozen=True)
class Vocabulary:
    """The words a catalogue is written with, most frequent first, per language."""

    german: list[str]
    english: list[str]


def _made_up(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def vocabulary(seed: int = 7, size: int = 20_000) -> Vocabulary:
    """The catalogue's vocabulary: real words first, then compounds (German) and made-up words."""
    rng = random.Random(seed)
    german = list(dict.fromkeys(GERMAN_WORDS))
    nouns = [w for w in german if len(w) > 3]
    compounds: set[str] = set()
    while len(compounds) < size // 4:
        head, tail = rng.sample(nouns, 2)
        link = "s" if head.endswith(("ung", "heit", "keit", "tion")) else ""
        compounds.add(head + link + tail.lower())
    german += sorted(compounds)
    german += [w.capitalize() for w in _made_up(rng, size - len(german))]
    english = list(dict.fromkeys(ENGLISH_WORDS))
    english += _made_up(rng, size - len(english))
    rng.shuffle(german[len(GERMAN_WORDS) :])
    return Vocabulary(german=german, english=english)


def _zipf_weights(count: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(count)))


def synthetic_records(count: int, seed: int = 7) -> Iterator[Record]:
    """`count` deterministic records (see the module docstring)."""
    rng = random.Random(seed)
    words = vocabulary(seed)
    german_weights = _zipf_weights(len(words.german))
    english_weights = _zipf_weights(len(words.english))
    organisations = [
        f"{rng.choice(['Stadt', 'Landkreis', 'Ministerium', 'Agency', 'Comune'])} "
        f"{''.join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()}"
        for _ in range(500)
    ]
    start = datetime(2016, 1, 1, tzinfo=UTC)

    def text(language: str, low: int, high: int) -> str:
        pool, weights = (
            (words.german, german_weights) if language == "de" else (words.english, english_weights)
        )
        chosen = rng.choices(pool, cum_weights=weights, k=rng.randint(low, high))
        return " ".join(chosen).capitalize() + "."

    produced = 0
    for index in itertools.count():
        if produced >= count:
            return
        forge = FORGES[index % 3 if index % 10 else 0]
        url = f"https://{forge}/group-{index % 977}/project-{index}"
        languages = ["de", "en"] if index % 3 else [rng.choice(["de", "en"])]
        descriptions = {
            language: Description(
                short=text(language, 8, 20),
                long=text(language, 80, 250),
                features=[text(language, 3, 8) for _ in range(rng.randint(3, 8))],
            )
            for language in languages
        }
        name_language = languages[0]
        name = text(name_language, 1, 3).rstrip(".")
        licence = LICENCES[min(int(rng.paretovariate(1.2)) - 1, len(LICENCES) - 1)]
        mirrors = [f"https://github.com/mirror/project-{index}"] if index % 50 == 7 else []
        record = Record(
            id=url.removeprefix("https://").lower(),
            url=url,
            declared=index % 8 != 0,
            name=name,
            descriptions=descriptions,
            licence=Licence(expression=licence, ids=[licence], valid=True),
            categories=rng.sample(CATEGORIES, rng.randint(1, 3)),
            platforms=rng.sample(PLATFORMS, rng.randint(1, 3)),
            software_type=rng.choice(SOFTWARE_TYPES),
            development_status=rng.choice(STATUSES),
            maintenance=Maintenance(type=rng.choice(MAINTENANCE)),
            organisation=Organisation(name=organisations[int(rng.paretovariate(0.8)) % 500]),
            relations=Relations(mirrors=mirrors),
            repository=Repository(
                forge=forge,
                url=url,
                stars=int(rng.paretovariate(1.1)) - 1,
                languages=rng.sample(PROGRAMMING, rng.randint(1, 3)),
                last_activity=start + timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60)),
                archived=rng.random() < 0.05,
            ),
            provenance=Provenance(
                forge=forge, fetched_at=datetime(2026, 11, 1, tzinfo=UTC), parser_version="bench"
            ),
        )
        yield record
        produced += 1
        for mirror in mirrors:
            if produced < count:
                yield _mirror(record, mirror)
                produced += 1


def _mirror(record: Record, url: str) -> Record:
    """A copy of `record` hosted at `url`, each listing the other as its mirror."""
    return record.model_copy(
        update={
            "id": url.removeprefix("https://").lower(),
            "url": url,
            "relations": Relations(mirrors=[record.url]),
        }
    )


class RecordStore(Protocol):
    """What `fill_store` needs of a store (`indexer.store.Store` has it)."""

    def count_records(self) -> int: ...

    def upsert_records(self, records: Sequence[Record]) -> object: ...


def fill_store(store: RecordStore, count: int) -> float:
    """Write `count` synthetic records into `store` unless it holds that many; seconds taken."""
    started = time.perf_counter()
    if store.count_records() < count:
        batch: list[Record] = []
        for record in synthetic_records(count):
            batch.append(record)
            if len(batch) == 1000:
                store.upsert_records(batch)
                batch = []
        if batch:
            store.upsert_records(batch)
    return time.perf_counter() - started
