"""The title, description and commit message of a proposal, in German or English.

German where the draft's description is German, English otherwise. The description says what
publiccode.yml is, where each value came from (the draft's notes), which values are guesses to
check (its TODOs), and that closing the request is a fine answer: codereuse never asks twice.
"""

from __future__ import annotations

from schemas.draft import Draft
from schemas.record import Record

STANDARD_URL = "https://yml.publiccode.tools"

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Add publiccode.yml (drafted, please check)",
        "commit": "Add publiccode.yml drafted from the repository's metadata",
        "intro": (
            "This {noun} adds a [publiccode.yml]({standard}) file to {name}. publiccode.yml is "
            "the metadata standard public administrations use to describe the software they "
            "publish, so that others find it and reuse it: software catalogues (Developers "
            "Italia, code.gouv.fr, Open CoDE, codereuse) read it."
        ),
        "drafted": (
            "codereuse drafted the file from what the forge shows about this repository "
            "(description, README, licence, releases, activity). Where each value came from:"
        ),
        "key": "key",
        "source": "source",
        "todos": "**Please check before merging.** These values are guesses, marked `TODO` in the file:",
        "no_todos": "No value is a guess, but please read the file before merging.",
        "close": (
            "Edit the file on this branch as you like, then merge. If you do not want a "
            "publiccode.yml, close this {noun}: codereuse never proposes it again."
        ),
    },
    "de": {
        "title": "publiccode.yml hinzufügen (Entwurf, bitte prüfen)",
        "commit": "publiccode.yml hinzufügen, aus den Metadaten des Repositorys entworfen",
        "intro": (
            "Dieser {noun} fügt {name} eine [publiccode.yml]({standard}) hinzu. publiccode.yml "
            "ist der Metadaten-Standard, mit dem öffentliche Verwaltungen ihre veröffentlichte "
            "Software beschreiben, damit andere sie finden und nachnutzen: Software-Kataloge "
            "(Open CoDE, Developers Italia, code.gouv.fr, codereuse) lesen ihn."
        ),
        "drafted": (
            "codereuse hat die Datei aus dem entworfen, was die Forge über dieses Repository "
            "zeigt (Beschreibung, README, Lizenz, Releases, Aktivität). Woher jeder Wert stammt:"
        ),
        "key": "Schlüssel",
        "source": "Quelle",
        "todos": "**Bitte vor dem Mergen prüfen.** Diese Werte sind Vermutungen, in der Datei mit `TODO` markiert:",
        "no_todos": "Kein Wert ist geraten, aber bitte lesen Sie die Datei vor dem Mergen.",
        "close": (
            "Ändern Sie die Datei auf diesem Branch nach Belieben und mergen Sie dann. Wenn Sie "
            "keine publiccode.yml möchten, schließen Sie diesen {noun}: codereuse fragt nie "
            "wieder."
        ),
    },
}
_NOUNS_DE = {"merge request": "Merge-Request", "pull request": "Pull-Request"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def proposal_text(draft: Draft, record: Record, noun: str) -> tuple[str, str, str]:
    """(title, Markdown description, commit message) for proposing `draft` for `record`."""
    language = "de" if draft.language == "de" else "en"
    texts = _TEXTS[language]
    shown_noun = _NOUNS_DE.get(noun, noun) if language == "de" else noun
    lines = [
        texts["intro"].format(noun=shown_noun, standard=STANDARD_URL, name=_cell(record.name)),
        "",
        texts["drafted"],
        "",
        f"| {texts['key']} | {texts['source']} |",
        "|---|---|",
    ]
    lines += [f"| `{key}` | {_cell(note.source)} |" for key, note in draft.notes.items()]
    lines.append("")
    todos = draft.todos
    if todos:
        lines.append(texts["todos"])
        lines.append("")
        lines += [f"- `{key}`: {_cell(todo)}" for key, todo in todos]
    else:
        lines.append(texts["no_todos"])
    lines += ["", texts["close"].format(noun=shown_noun)]
    return texts["title"], "\n".join(lines) + "\n", texts["commit"]
