"""Reason sentences of maturity criteria, in German and English, rendered from reason codes.

A criterion stores only its reason code (``active.commit_recent``) and evidence; the sentence
is made here when a page, the API or the CLI shows it, so a wording fix needs no re-crawl and
the store keeps no text. Placeholders: ``{date}`` (the evidence date), ``{days}``, ``{path}``,
``{count}``, ``{value}``; a missing value renders as an en dash.
"""

from __future__ import annotations

from typing import Literal

from schemas.maturity.model import Criterion, Evidence

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")

_EMPTY = {
    "en": "The repository is empty: it has no commit.",
    "de": "Das Repository ist leer: es hat keinen Commit.",
}

REASONS: dict[str, dict[str, str]] = {
    "active.commit_recent": {
        "en": "The last commit on the default branch was on {date}, {days} days before the "
        "crawl (90 days or fewer).",
        "de": "Der letzte Commit im Standard-Branch war am {date}, {days} Tage vor dem Crawl "
        "(höchstens 90 Tage).",
    },
    "active.commit_year": {
        "en": "The last commit on the default branch was on {date}, {days} days before the "
        "crawl: within a year, but more than 90 days.",
        "de": "Der letzte Commit im Standard-Branch war am {date}, {days} Tage vor dem Crawl: "
        "innerhalb eines Jahres, aber mehr als 90 Tage.",
    },
    "active.commit_old": {
        "en": "The last commit on the default branch was on {date}, {days} days before the "
        "crawl: more than a year.",
        "de": "Der letzte Commit im Standard-Branch war am {date}, {days} Tage vor dem Crawl: "
        "mehr als ein Jahr.",
    },
    "active.activity_recent": {
        "en": "The forge reports the last activity on {date}, {days} days before the crawl "
        "(90 days or fewer); the last commit date was not read.",
        "de": "Die Forge meldet die letzte Aktivität am {date}, {days} Tage vor dem Crawl "
        "(höchstens 90 Tage); das Datum des letzten Commits wurde nicht gelesen.",
    },
    "active.activity_year": {
        "en": "The forge reports the last activity on {date}, {days} days before the crawl: "
        "within a year, but more than 90 days.",
        "de": "Die Forge meldet die letzte Aktivität am {date}, {days} Tage vor dem Crawl: "
        "innerhalb eines Jahres, aber mehr als 90 Tage.",
    },
    "active.activity_old": {
        "en": "The forge reports the last activity on {date}, {days} days before the crawl: "
        "more than a year.",
        "de": "Die Forge meldet die letzte Aktivität am {date}, {days} Tage vor dem Crawl: "
        "mehr als ein Jahr.",
    },
    "active.empty": _EMPTY,
    "active.unknown": {
        "en": "Neither the last commit nor the last activity is known.",
        "de": "Weder der letzte Commit noch die letzte Aktivität sind bekannt.",
    },
    "released.release_recent": {
        "en": "The latest release {value} was published on {date}, within the year before the "
        "crawl.",
        "de": "Das neueste Release {value} erschien am {date}, im Jahr vor dem Crawl.",
    },
    "released.release_old": {
        "en": "The latest release {value} was published on {date}, {days} days before the "
        "crawl: more than a year.",
        "de": "Das neueste Release {value} erschien am {date}, {days} Tage vor dem Crawl: "
        "vor mehr als einem Jahr.",
    },
    "released.publiccode_recent": {
        "en": "The publiccode.yml names version {value}, released on {date}, within the year "
        "before the crawl.",
        "de": "Die publiccode.yml nennt Version {value}, erschienen am {date}, im Jahr vor dem "
        "Crawl.",
    },
    "released.publiccode_old": {
        "en": "The publiccode.yml names version {value}, released on {date}, {days} days "
        "before the crawl: more than a year.",
        "de": "Die publiccode.yml nennt Version {value}, erschienen am {date}, {days} Tage vor "
        "dem Crawl: vor mehr als einem Jahr.",
    },
    "released.undated": {
        "en": "The forge lists releases (latest: {value}) but gives no date for them.",
        "de": "Die Forge führt Releases (neuestes: {value}), nennt aber kein Datum dafür.",
    },
    "released.none": {
        "en": "The forge lists no release for this repository.",
        "de": "Die Forge führt kein Release für dieses Repository.",
    },
    "released.empty": _EMPTY,
    "released.unknown": {
        "en": "Whether the repository has releases was not read.",
        "de": "Ob das Repository Releases hat, wurde nicht gelesen.",
    },
    "licensed.publiccode": {
        "en": "The publiccode.yml declares {value}, a licence approved by the OSI or the FSF.",
        "de": "Die publiccode.yml nennt {value}, eine von OSI oder FSF anerkannte Lizenz.",
    },
    "licensed.forge": {
        "en": "The forge detects {value}, a licence approved by the OSI or the FSF.",
        "de": "Die Forge erkennt {value}, eine von OSI oder FSF anerkannte Lizenz.",
    },
    "licensed.file": {
        "en": "The file {path} holds the text of {value}, a licence approved by the OSI or the "
        "FSF.",
        "de": "Die Datei {path} enthält den Text von {value}, einer von OSI oder FSF anerkannten "
        "Lizenz.",
    },
    "licensed.not_approved": {
        "en": "The licence {value} is approved neither by the OSI nor by the FSF.",
        "de": "Die Lizenz {value} ist weder von der OSI noch von der FSF anerkannt.",
    },
    "licensed.invalid": {
        "en": "The publiccode.yml declares {value}, which is not a valid SPDX licence expression.",
        "de": "Die publiccode.yml nennt {value}, keinen gültigen SPDX-Lizenzausdruck.",
    },
    "licensed.unrecognised": {
        "en": "The file {path} exists, but its text was not recognised as an SPDX licence.",
        "de": "Die Datei {path} ist vorhanden, ihr Text wurde aber nicht als SPDX-Lizenz erkannt.",
    },
    "licensed.none": {
        "en": "No licence was found: no publiccode.yml declares one, the forge detects none and "
        "there is no LICENSE file.",
        "de": "Keine Lizenz gefunden: keine publiccode.yml nennt eine, die Forge erkennt keine "
        "und es gibt keine LICENSE-Datei.",
    },
    "licensed.unknown": {
        "en": "The forge detects no licence, and the root files were not read.",
        "de": "Die Forge erkennt keine Lizenz, und die Dateien im Hauptverzeichnis wurden nicht "
        "gelesen.",
    },
    "documented.both": {
        "en": "The README ({path}) has {count} characters, and {value} says how to contribute.",
        "de": "Die README ({path}) hat {count} Zeichen, und {value} erklärt, wie man mitwirkt.",
    },
    "documented.readme_only": {
        "en": "The README ({path}) has {count} characters, but there is no CONTRIBUTING file.",
        "de": "Die README ({path}) hat {count} Zeichen, aber es gibt keine CONTRIBUTING-Datei.",
    },
    "documented.contributing_only": {
        "en": "{value} says how to contribute, but there is no README of 1,000 characters or more.",
        "de": "{value} erklärt, wie man mitwirkt, aber es gibt keine README mit mindestens "
        "1.000 Zeichen.",
    },
    "documented.short_readme": {
        "en": "The README ({path}) has only {count} characters (fewer than 1,000), and there is no "
        "CONTRIBUTING file.",
        "de": "Die README ({path}) hat nur {count} Zeichen (weniger als 1.000), und es gibt keine "
        "CONTRIBUTING-Datei.",
    },
    "documented.readme_unmeasured": {
        "en": "There is a README ({path}), but its length was not read.",
        "de": "Es gibt eine README ({path}), ihre Länge wurde aber nicht gelesen.",
    },
    "documented.none": {
        "en": "The repository has neither a README nor a CONTRIBUTING file.",
        "de": "Das Repository hat weder eine README noch eine CONTRIBUTING-Datei.",
    },
    "documented.empty": _EMPTY,
    "documented.unknown": {
        "en": "The root files were not read.",
        "de": "Die Dateien im Hauptverzeichnis wurden nicht gelesen.",
    },
    "tested.present": {
        "en": "A CI configuration is present: {path}.",
        "de": "Eine CI-Konfiguration ist vorhanden: {path}.",
    },
    "tested.none": {
        "en": "No CI configuration (GitLab CI, GitHub, Gitea or Forgejo workflows, Woodpecker, "
        "Jenkins, …) at the repository root.",
        "de": "Keine CI-Konfiguration (GitLab CI, GitHub-, Gitea- oder Forgejo-Workflows, "
        "Woodpecker, Jenkins, …) im Hauptverzeichnis.",
    },
    "tested.empty": _EMPTY,
    "tested.unknown": {
        "en": "The root files were not read.",
        "de": "Die Dateien im Hauptverzeichnis wurden nicht gelesen.",
    },
    "secure.present": {
        "en": "A security policy says how to report vulnerabilities: {path}.",
        "de": "Eine Sicherheitsrichtlinie sagt, wie man Schwachstellen meldet: {path}.",
    },
    "secure.none": {
        "en": "No SECURITY file at the repository root says how to report vulnerabilities.",
        "de": "Keine SECURITY-Datei im Hauptverzeichnis sagt, wie man Schwachstellen meldet.",
    },
    "secure.empty": _EMPTY,
    "secure.unknown": {
        "en": "The root files were not read.",
        "de": "Die Dateien im Hauptverzeichnis wurden nicht gelesen.",
    },
    "described.valid": {
        "en": "The repository has a valid {path}.",
        "de": "Das Repository hat eine gültige {path}.",
    },
    "described.invalid": {
        "en": "The repository has a {path}, but with {count} errors.",
        "de": "Das Repository hat eine {path}, aber mit {count} Fehlern.",
    },
    "described.none": {
        "en": "The repository has no publiccode.yml; the record is inferred from forge metadata.",
        "de": "Das Repository hat keine publiccode.yml; der Eintrag stammt aus den Angaben der "
        "Forge.",
    },
    "maintained.contacts": {
        "en": "The publiccode.yml states maintenance type {value} and names {count} people to "
        "contact.",
        "de": "Die publiccode.yml nennt die Wartungsart {value} und {count} Ansprechpersonen.",
    },
    "maintained.no_contacts": {
        "en": "The publiccode.yml states maintenance type {value}, but names nobody to contact.",
        "de": "Die publiccode.yml nennt die Wartungsart {value}, aber keine Ansprechperson.",
    },
    "maintained.none": {
        "en": "The publiccode.yml states maintenance type none: nobody maintains it.",
        "de": "Die publiccode.yml nennt die Wartungsart none: niemand wartet die Software.",
    },
    "maintained.missing": {
        "en": "The publiccode.yml states no maintenance type.",
        "de": "Die publiccode.yml nennt keine Wartungsart.",
    },
    "maintained.undeclared": {
        "en": "No publiccode.yml says who maintains the software.",
        "de": "Keine publiccode.yml sagt, wer die Software wartet.",
    },
    "not_archived.active": {
        "en": "The repository is not archived.",
        "de": "Das Repository ist nicht archiviert.",
    },
    "not_archived.archived": {
        "en": "The forge marks the repository as archived (read-only).",
        "de": "Die Forge kennzeichnet das Repository als archiviert (schreibgeschützt).",
    },
}
"""Reason code → language → sentence template (module docstring)."""


def _language(language: str) -> Language:
    return "de" if language.split("-")[0].lower() == "de" else "en"


def _number(value: int, language: Language) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if language == "de" else text


def _fields(evidence: Evidence, language: Language) -> dict[str, str]:
    dash = "–"
    day = evidence.date.date() if evidence.date else None
    if day is None:
        date_text = dash
    elif language == "de":
        date_text = f"{day.day}.{day.month}.{day.year}"
    else:
        date_text = day.isoformat()
    return {
        "date": date_text,
        "days": _number(evidence.days, language) if evidence.days is not None else dash,
        "path": evidence.path or dash,
        "count": _number(evidence.count, language) if evidence.count is not None else dash,
        "value": evidence.value or dash,
    }


def reason_text(criterion: Criterion, language: str) -> str:
    """The sentence explaining `criterion`, in German for ``de``, else in English.

    An unknown reason code (a newer store read by older code) gives the code itself.
    """
    lang = _language(language)
    templates = REASONS.get(criterion.reason)
    if templates is None:
        return criterion.reason
    return templates[lang].format(**_fields(criterion.evidence, lang))


def reasons(criterion: Criterion) -> dict[str, str]:
    """The sentence in every language (``{"de": …, "en": …}``)."""
    return {language: reason_text(criterion, language) for language in LANGUAGES}


LEVEL_NAMES: dict[str, tuple[str, str, str, str]] = {
    "en": ("minimal", "basic", "maintained", "mature"),
    "de": ("minimal", "grundlegend", "gepflegt", "ausgereift"),
}
"""The name of each summary level 0–3, per language."""

SUMMARY_RULE: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "Level 0 (minimal): the conditions of level 1 are not all met.",
        "Level 1 (basic): an OSI- or FSF-approved licence, not archived, and a README of "
        "1,000 characters or a CONTRIBUTING file (documented at least partly).",
        "Level 2 (maintained): level 1, a commit within the last year (active at least "
        "partly) and a CI configuration (tested).",
        "Level 3 (mature): level 2, a commit within 90 days, a release within the last year, "
        "README and CONTRIBUTING (documented), and at least one of: a security policy, a "
        "valid publiccode.yml, named maintainers.",
    ),
    "de": (
        "Stufe 0 (minimal): die Bedingungen der Stufe 1 sind nicht alle erfüllt.",
        "Stufe 1 (grundlegend): eine von OSI oder FSF anerkannte Lizenz, nicht archiviert, "
        "und eine README mit 1.000 Zeichen oder eine CONTRIBUTING-Datei (dokumentiert "
        "mindestens teilweise).",
        "Stufe 2 (gepflegt): Stufe 1, ein Commit im letzten Jahr (aktiv mindestens teilweise) "
        "und eine CI-Konfiguration (getestet).",
        "Stufe 3 (ausgereift): Stufe 2, ein Commit in den letzten 90 Tagen, ein Release im "
        "letzten Jahr, README und CONTRIBUTING (dokumentiert) und mindestens eines von: "
        "Sicherheitsrichtlinie, gültige publiccode.yml, benannte Ansprechpersonen.",
    ),
}
"""The summary rule of `assess.summary_level`, one sentence per level, per language."""
UNKNOWN_RULE: dict[str, str] = {
    "en": "A criterion whose facts are unknown counts as not met.",
    "de": "Ein Kriterium mit unbekannten Fakten gilt als nicht erfüllt.",
}


def level_name(level: int, language: str) -> str:
    """The name of summary `level` (0–3) in German for ``de``, else in English."""
    return LEVEL_NAMES[_language(language)][level]


def summary_rule(language: str) -> list[str]:
    """The summary rule as sentences (level 0 to 3, then how unknown counts)."""
    lang = _language(language)
    return [*SUMMARY_RULE[lang], UNKNOWN_RULE[lang]]
