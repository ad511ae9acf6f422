"""The title and Markdown body of an issue about a broken publiccode.yml, in German or English.

German when the record describes the software in German (the organisation writes German),
English otherwise, as proposals choose: a registration has no language setting, and the
publiccode.yml's own descriptions are the best word on the language its maintainers read. The
body lists every error and warning with its place (``publiccode.yml:7:12``, the key) and what
to do, each in the issue's language from the finding catalogue (`schemas.findings_text`, the
texts the pages and the CLI show; English where the catalogue lacks a code), links the
standard and the validator, and says that codereuse updates the issue while the file stays
broken and closes it once fixed.
"""

from __future__ import annotations

import hashlib

from schemas.findings import Finding
from schemas.findings_text import finding_message
from schemas.record import Record

STANDARD_URL = "https://yml.publiccode.tools"
MAX_LISTED = 50
"""Findings listed at most (a file that is not YAML at all has one; a template dozens)."""

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "publiccode.yml: {count} to fix so that catalogues can list {name}",
        "error": "error",
        "errors": "errors",
        "intro": (
            "The [publiccode.yml]({standard}) of this repository cannot be read by software "
            "catalogues (codereuse, Developers Italia, Open CoDE, code.gouv.fr) as it is. "
            "codereuse found these problems in `{path}`:"
        ),
        "place": "place",
        "key": "key",
        "problem": "problem and how to fix it",
        "more": "… and {count} more (run the validator to see all).",
        "check": (
            "Check the file before you push with `codereuse validate {path}` or the "
            "[online editor](https://publiccode-editor.developers.italia.it)."
        ),
        "promise": (
            "codereuse updates this issue while the file stays broken and closes it once the "
            "next crawl finds it valid. Close it yourself if you do not want these notices: "
            "codereuse then leaves this repository alone until the file is fixed."
        ),
        "fixed": "The publiccode.yml is valid again: thank you! codereuse closes this issue.",
    },
    "de": {
        "title": "publiccode.yml: {count} beheben, damit Kataloge {name} aufführen",
        "error": "Fehler",
        "errors": "Fehler",
        "intro": (
            "Die [publiccode.yml]({standard}) dieses Repositorys können Software-Kataloge "
            "(codereuse, Open CoDE, Developers Italia, code.gouv.fr) so nicht lesen. codereuse "
            "hat in `{path}` diese Probleme gefunden:"
        ),
        "place": "Stelle",
        "key": "Schlüssel",
        "problem": "Problem und Behebung",
        "more": "… und {count} weitere (der Validator zeigt alle).",
        "check": (
            "Prüfen Sie die Datei vor dem Pushen mit `codereuse validate {path}` oder dem "
            "[Online-Editor](https://publiccode-editor.developers.italia.it)."
        ),
        "promise": (
            "codereuse aktualisiert dieses Issue, solange die Datei fehlerhaft ist, und "
            "schließt es, sobald der nächste Crawl sie gültig findet. Schließen Sie es selbst, "
            "wenn Sie keine Hinweise möchten: codereuse lässt dieses Repository dann in Ruhe, "
            "bis die Datei behoben ist."
        ),
        "fixed": "Die publiccode.yml ist wieder gültig, vielen Dank! codereuse schließt dieses Issue.",
    },
}


def issue_language(record: Record) -> str:
    """``de`` when the record has a German description, else ``en``."""
    return "de" if any(tag.lower().split("-")[0] == "de" for tag in record.descriptions) else "en"


def broken_findings(record: Record) -> list[Finding]:
    """The findings an issue lists: errors first, then warnings, each in file order."""

    def order(finding: Finding) -> tuple[int, int, int, str]:
        return (0 if finding.is_error else 1, finding.line or 0, finding.column or 0, finding.key)

    return sorted(record.findings, key=order)


def findings_digest(findings: list[Finding]) -> str:
    """What an issue lists, as a hash: an update is due when it changes."""
    text = "\n".join(f"{f.type}|{f.key}|{f.line}|{f.column}|{f.code}|{f.message}" for f in findings)
    return hashlib.sha256(text.encode()).hexdigest()


def _cell(text: str) -> str:
    """`text` safe in a Markdown table cell; ``@`` gets a zero-width space after it, so a
    value quoted from the file (``@everyone``, ``@org/team``) mentions nobody."""
    cell = text.replace("|", "\\|").replace("\n", " ").replace("`", "'")
    return cell.replace("@", "@\u200b")


def issue_text(record: Record) -> tuple[str, str]:
    """(title, Markdown body) of the issue about `record`'s broken publiccode.yml."""
    language = issue_language(record)
    texts = _TEXTS[language]
    findings = broken_findings(record)
    errors = sum(1 for finding in findings if finding.is_error)
    count = f"{errors} {texts['error'] if errors == 1 else texts['errors']}"
    path = record.provenance.file_path or "publiccode.yml"
    lines = [
        texts["intro"].format(standard=STANDARD_URL, path=path),
        "",
        f"| {texts['place']} | {texts['key']} | {texts['problem']} |",
        "|---|---|---|",
    ]
    for finding in findings[:MAX_LISTED]:
        place = path
        if finding.line is not None:
            place += f":{finding.line}" + (f":{finding.column}" if finding.column else "")
        mark = "❌" if finding.is_error else "⚠️"
        key = f"`{_cell(finding.key)}`" if finding.key else "-"
        text = finding_message(finding, language)
        lines.append(f"| {mark} `{place}` | {key} | {_cell(text)} |")
    if len(findings) > MAX_LISTED:
        lines += ["", texts["more"].format(count=len(findings) - MAX_LISTED)]
    lines += ["", texts["check"].format(path=path), "", texts["promise"]]
    title = texts["title"].format(count=count, name=record.name)
    return title, "\n".join(lines) + "\n"


def fixed_comment(record: Record) -> str:
    """The comment closing the issue once the file is valid again."""
    return _TEXTS[issue_language(record)]["fixed"]
