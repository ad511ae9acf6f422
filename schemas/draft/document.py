"""`draft_publiccode`: repository facts → a publiccode.yml 0.7 document, every value traced.

The document passes `schemas.publiccode.parse` with no error whatever the facts (an empty
repository included): required keys that no fact supports get a value drafted from what is
known, marked with a TODO. Rules for the guessed values are in `schemas.draft.inference` and
docs/drafts.md. Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from schemas.draft import inference
from schemas.draft.inference import CONFIRM, Inferred
from schemas.draft.inputs import DraftFacts, Owner
from schemas.draft.language import detect_language
from schemas.draft.readme import ReadmeText, clip, first_sentence, read_readme
from schemas.publiccode import formats

VERSION = "0.7"
SHORT_MAX = 150
LONG_MIN = 150
LONG_TARGET = 3000
"""Paragraphs are taken from the README until about this many characters (the limit is 10,000)."""
LONG_MAX = 10_000
NO_LICENCE = "LicenseRef-TODO-no-licence-found"
"""A syntactically valid placeholder (SPDX ``LicenseRef-``): the owner must replace it."""
DEFAULT_LANGUAGE = "en"
HEADER = (
    "publiccode.yml drafted by codereuse from what {forge} knows about {url}\n"
    "(https://yml.publiccode.tools, standard 0.7). Each value says where it came from;\n"
    "the {todos} marked TODO are guesses: check them before you commit this file."
)

# The sentence a drafted long description ends with when the README says too little, in the
# description's language; it names where the facts came from, so no reader takes it for the
# owner's words.
_GENERATED: dict[str, str] = {
    "en": "{name} is published by {owner} in the repository {url}. This description was "
    "drafted from the repository's metadata by codereuse and awaits its maintainers' words.",
    "de": "{name} wird von {owner} im Repository {url} veröffentlicht. Diese Beschreibung hat "
    "codereuse aus den Metadaten des Repositorys entworfen; sie wartet auf die Worte der "
    "Maintainer.",
    "it": "{name} è pubblicato da {owner} nel repository {url}. Questa descrizione è stata "
    "abbozzata da codereuse a partire dai metadati del repository e attende le parole dei "
    "manutentori.",
    "fr": "{name} est publié par {owner} dans le dépôt {url}. Cette description a été "
    "esquissée par codereuse à partir des métadonnées du dépôt et attend les mots de ses "
    "mainteneurs.",
    "nl": "{name} wordt gepubliceerd door {owner} in de repository {url}. Deze beschrijving is "
    "door codereuse opgesteld uit de metadata van de repository en wacht op de woorden van de "
    "beheerders.",
}
_GENERATED_SHORT: dict[str, str] = {
    "en": "{name}, published by {owner}",
    "de": "{name}, veröffentlicht von {owner}",
    "it": "{name}, pubblicato da {owner}",
    "fr": "{name}, publié par {owner}",
    "nl": "{name}, gepubliceerd door {owner}",
}


@dataclass(frozen=True)
class FieldNote:
    """Where one drafted value came from, and what its owner should check (None: a fact)."""

    source: str
    todo: str | None = None


@dataclass
class Draft:
    """A drafted publiccode.yml: the document, a note per key path, and remarks for the page."""

    document: dict[str, Any]
    notes: dict[str, FieldNote] = field(default_factory=dict)
    language: str = DEFAULT_LANGUAGE
    remarks: list[str] = field(default_factory=list)
    """What the owner must know: no licence found, language not detected, …"""
    header: str = ""
    """The comment the YAML starts with: what this file is and what to check."""

    @property
    def todos(self) -> list[tuple[str, str]]:
        """``(key path, TODO)`` for every value that is a guess, in document order."""
        return [(key, note.todo) for key, note in self.notes.items() if note.todo]

    def to_yaml(self) -> str:
        """The draft as YAML: the header, then a ``# from: …`` comment above every value."""
        from schemas.draft.render import render_yaml

        return render_yaml(self, header=self.header)


# Characters YAML cannot hold (YAML 1.2 §5.1, "printable"): C0/C1 controls but tab and line
# feed, surrogates, U+FFFE/U+FFFF. A forge value may carry any of them; they are dropped first.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _line(text: str | None) -> str | None:
    """One line of printable text, runs of white space as one space; None when blank."""
    cleaned = _clean(text)
    return " ".join(cleaned.split()) or None if cleaned is not None else None


def _cleaned(facts: DraftFacts) -> DraftFacts:
    """`facts` with every text YAML-printable and one-line values on one line (forge values
    are hostile input: control characters, blank or multi-line names and descriptions)."""
    owner = facts.owner
    release = facts.latest_release
    return replace(
        facts,
        name=_line(facts.name) or "",
        description=_line(facts.description),
        homepage=_line(facts.homepage),
        readme=_clean(facts.readme),
        topics=tuple(t for t in (_line(topic) for topic in facts.topics) if t),
        languages=tuple(t for t in (_line(lang) for lang in facts.languages) if t),
        latest_release=replace(release, tag=_line(release.tag) or "") if release else None,
        owner=Owner(
            name=_line(owner.name),
            url=_line(owner.url),
            organisation_name=_line(owner.organisation_name),
            organisation_uri=_line(owner.organisation_uri),
            contact_email=_line(owner.contact_email),
            kind=owner.kind,
        ),
    )


class _Builder:
    def __init__(self) -> None:
        self.document: dict[str, Any] = {}
        self.notes: dict[str, FieldNote] = {}

    def put(
        self, section: dict[str, Any], path: str, key: str, value: Any, note: FieldNote
    ) -> None:
        section[key] = value
        self.notes[f"{path}.{key}" if path else key] = note

    def inferred(self, section: dict[str, Any], path: str, key: str, found: Inferred) -> None:
        self.put(section, path, key, found.value, FieldNote(found.source, found.todo))


def _owner_words(facts: DraftFacts) -> str:
    return facts.owner.organisation_name or facts.owner.name or facts.forge or "its owner"


def _long_description(
    facts: DraftFacts, readme: ReadmeText, language: str, short: str
) -> tuple[str, FieldNote]:
    parts: list[str] = []
    size = 0
    for paragraph in readme.paragraphs:
        if size >= LONG_TARGET:
            break
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(parts)
    if len(text) > LONG_MAX:
        text = clip(text, LONG_MAX)
    note = FieldNote("README (first paragraphs)")
    if len(text) >= LONG_MIN:
        return text, note
    pieces = [piece for piece in (facts.description, text) if piece]
    if facts.description and text.startswith(facts.description):
        pieces = [text]
    generated = _GENERATED[language].format(
        name=facts.name, owner=_owner_words(facts), url=facts.url
    )
    pieces.append(generated)
    text = "\n\n".join(dict.fromkeys(pieces))
    source = "README and forge description" if readme.paragraphs else "forge description"
    if not readme.paragraphs and not facts.description:
        source = "generated from repository facts"
    if len(text) < LONG_MIN:  # a very short name and URL: say more about what is known
        text += "\n\n" + short
    return text, FieldNote(
        f"{source}, completed by a generated sentence",
        "TODO: describe the software in 150 characters or more",
    )


def _descriptions(b: _Builder, facts: DraftFacts, readme: ReadmeText) -> str:
    sample = " ".join([facts.description or "", *readme.paragraphs[:4]])
    detected = detect_language(sample)
    language = detected or DEFAULT_LANGUAGE
    entry: dict[str, Any] = {}
    path = f"description.{language}"
    if facts.description:
        short = clip(facts.description, SHORT_MAX)
        short_note = FieldNote("forge description")
    elif readme.paragraphs:
        short = first_sentence(readme.paragraphs[0], SHORT_MAX)
        short_note = FieldNote("README (first sentence)", CONFIRM)
    else:
        short = clip(
            _GENERATED_SHORT[language].format(name=facts.name, owner=_owner_words(facts)),
            SHORT_MAX,
        )
        short_note = FieldNote(
            "generated from repository facts", "TODO: describe the software in one sentence"
        )
    b.put(entry, path, "shortDescription", short, short_note)
    long, long_note = _long_description(facts, readme, language, short)
    b.put(entry, path, "longDescription", long, long_note)
    if readme.features:
        b.put(entry, path, "features", readme.features, FieldNote("README (features section)"))
    elif facts.topics:
        topics = [topic.replace("-", " ") for topic in facts.topics[:5]]
        b.put(
            entry, path, "features", topics,
            FieldNote("forge topics", "TODO: list the main features"),
        )  # fmt: skip
    else:
        b.put(
            entry, path, "features", [clip(short, 100)],
            FieldNote("short description", "TODO: list the main features"),
        )  # fmt: skip
    b.document["description"] = {language: entry}
    b.notes["description"] = FieldNote(
        f"language detected: {language}"
        if detected
        else "language not detected: the generated text is English",
        None if detected else "TODO: confirm the language",
    )
    return language


def _licence(b: _Builder, facts: DraftFacts) -> str | None:
    legal: dict[str, Any] = {}
    licence = facts.licence
    remark = None
    if licence is None:
        note = FieldNote(
            "no licence found (no LICENSE file recognised, none detected by the forge)",
            "TODO: add a LICENSE file and write its SPDX id here",
        )
        b.put(legal, "legal", "license", NO_LICENCE, note)
        remark = "no licence found"
    else:
        source = (
            "LICENSE (SPDX detected)" if licence.source == "LICENSE" else "forge licence detection"
        )
        todo = (
            "TODO: confirm 'only' or 'or-later' (the licence text does not say)"
            if licence.version_choice_unknown
            else None
        )
        b.put(legal, "legal", "license", licence.expression, FieldNote(source, todo))
    b.document["legal"] = legal
    return remark


def _release(b: _Builder, facts: DraftFacts) -> None:
    release = facts.latest_release
    if release is None or not release.tag.strip():
        return
    tag = release.tag.strip()
    version = tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag
    b.put(b.document, "", "softwareVersion", version, FieldNote(f"latest release ({tag})"))
    if release.published_at is not None:
        b.put(
            b.document, "", "releaseDate", release.published_at.date().isoformat(),
            FieldNote(f"latest release ({tag})"),
        )  # fmt: skip


def _organisation(b: _Builder, facts: DraftFacts) -> None:
    owner = facts.owner
    uri = owner.organisation_uri or owner.url
    if not uri or not formats.is_absolute_uri(uri):
        return
    section: dict[str, Any] = {}
    name = owner.organisation_name or owner.name
    source = "organisation" if owner.organisation_uri else "forge owner"
    if name:
        b.put(section, "organisation", "name", name, FieldNote(source))
    b.put(section, "organisation", "uri", uri, FieldNote(source))
    b.document["organisation"] = section


def draft_publiccode(facts: DraftFacts) -> Draft:
    """A publiccode.yml 0.7 draft for a repository that has none (see the module docstring)."""
    facts = _cleaned(facts)
    if not facts.name.strip():
        facts = replace(facts, name=facts.url.rstrip("/").rsplit("/", 1)[-1] or facts.url)
    b = _Builder()
    doc = b.document
    b.put(doc, "", "publiccodeYmlVersion", VERSION, FieldNote("the current standard"))
    readme = read_readme(facts.readme)
    b.put(doc, "", "name", facts.name, FieldNote("forge display name"))
    b.put(doc, "", "url", facts.url, FieldNote("repository URL"))
    if facts.homepage and formats.is_http_url(facts.homepage) and facts.homepage != facts.url:
        b.put(doc, "", "landingURL", facts.homepage, FieldNote("forge homepage"))
    _release(b, facts)
    _organisation(b, facts)
    kind = inference.software_type(facts)
    b.inferred(doc, "", "platforms", inference.platforms(facts, kind.value))
    found = inference.categories(facts)
    if found is not None:
        b.inferred(doc, "", "categories", found)
    b.inferred(doc, "", "developmentStatus", inference.development_status(facts))
    b.inferred(doc, "", "softwareType", kind)
    language = _descriptions(b, facts, readme)
    remarks = []
    missing = _licence(b, facts)
    if missing:
        remarks.append(missing)
    maintained = inference.maintenance(facts)
    b.document["maintenance"] = maintained.value
    b.notes["maintenance"] = FieldNote(maintained.source, maintained.todo)
    localisation: dict[str, Any] = {}
    b.inferred(
        localisation, "localisation", "localisationReady", inference.localisation_ready(facts)
    )
    b.put(
        localisation, "localisation", "availableLanguages", [language],
        FieldNote("the description's language", CONFIRM),
    )  # fmt: skip
    doc["localisation"] = localisation
    if b.notes["description"].todo:
        remarks.append("language not detected")
    header = HEADER.format(
        forge=facts.forge or "the forge",
        url=facts.url,
        todos=sum(1 for note in b.notes.values() if note.todo),
    )
    return Draft(document=doc, notes=b.notes, language=language, remarks=remarks, header=header)
