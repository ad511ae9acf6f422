"""Findings in German and English (issue 13): every finding has a code, the German catalogue
words every code, and the API, the pages and the CLI give the text in the language asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.findings_text import finding_catalogue, finding_message
from cli.app import app as cli_app
from indexer.store import Store
from schemas.findings import Finding
from schemas.publiccode import parse
from tests.api.client import AppClient
from tests.api.records import make_record
from tests.publiccode.shared import CONFORMANCE, REAL_WORLD, require
from tests.publiccode.test_hostile import MINIMAL

BROKEN = MINIMAL.replace(b'publiccodeYmlVersion: "0"', b"publiccodeYmlVersion: 0.4").replace(
    b"localisationReady: true", b"localisationReady: yes"
)
"""An unquoted version and a YAML 1.1 boolean: two errors with composed messages."""


def _corpus_findings() -> list[Finding]:
    paths = sorted(require(CONFORMANCE).rglob("*.yml")) + sorted(require(REAL_WORLD).glob("*.yml"))
    return [f for path in paths for f in parse(path.read_bytes(), base_dir=path.parent).findings]


def test_every_corpus_finding_has_a_code_worded_in_german() -> None:
    """Over the conformance and real-world corpora each finding has a code the German catalogue
    words (no fallback to English), and English stays the parser's message."""
    findings = _corpus_findings()
    catalogue = finding_catalogue("de")
    assert [] == [f.message for f in findings if f.code is None]
    assert set() == {f.code for f in findings} - set(catalogue)
    untranslated = [f.code for f in findings if finding_message(f, "de") == f.message]
    assert [] == untranslated
    assert all(finding_message(f, "en") == f.message for f in findings)
    assert len({f.code for f in findings}) >= 35


def test_composed_messages_are_translated_part_by_part() -> None:
    """A wrong type names the expected and found kinds and the hint in German."""
    found = parse(BROKEN).findings
    texts = [finding_message(f, "de") for f in found]
    assert texts[0].startswith("falscher Typ: publiccodeYmlVersion muss eine Zeichenkette sein")
    assert any(
        "localisationReady muss ein Wahrheitswert (true oder false) sein, nicht die "
        'Zeichenkette "yes". Schreiben Sie true oder false' in text
        for text in texts
    )


def test_a_suggestion_survives_translation() -> None:
    """'Did you mean' becomes 'Meinten Sie' with the same suggestion."""
    data = MINIMAL.replace(b"developmentStatus: development", b"developmentStatus: stabel")
    (finding,) = [f for f in parse(data).findings if f.key == "developmentStatus"]
    assert 'Meinten Sie "stable"?' in finding_message(finding, "de")


@pytest.fixture
def broken_record(store: Store) -> str:
    """A declared record whose findings come from the parser (with codes)."""
    record = make_record(
        "https://gitlab.opencode.de/kreis/kaputt", "Kaputt", short_en="Broken on purpose"
    )
    store.upsert_records([record.model_copy(update={"findings": parse(BROKEN).findings})])
    return record.id


def test_api_gives_code_english_and_asked_language(client: AppClient, broken_record: str) -> None:
    """GET /api/v1/software/{id}?lang=de: each finding has its code, the English message and
    the German text; the status answer likewise."""
    body = client.get(f"/api/v1/software/{broken_record}", params={"lang": "de"}).json()
    first = body["findings"][0]
    assert ("publiccode.version_type", "de") == (first["code"], first["language"])
    assert first["message"].startswith("wrong type for this field")
    assert first["text"].startswith("falscher Typ")
    english = client.get(f"/api/v1/software/{broken_record}").json()["findings"][0]
    assert english["message"] == english["text"]
    status = client.get(
        "/api/v1/status",
        params={"url": "https://gitlab.opencode.de/kreis/kaputt", "lang": "de"},
    ).json()
    assert status["findings"][0]["text"].startswith("falscher Typ")


def test_german_page_shows_german_findings(client: AppClient, broken_record: str) -> None:
    """The German software page words the findings in German, the English one in English."""
    german = client.get(f"/software/{broken_record}", params={"lang": "de"}).text
    english = client.get(f"/software/{broken_record}", params={"lang": "en"}).text
    assert "falscher Typ" in german and "wrong type for this field" not in german
    assert "wrong type for this field" in english


def test_no_file_is_never_no_findings(client: AppClient, store: Store) -> None:
    """A repository without a publiccode.yml says so, never "no errors or warnings", also when
    it carries other findings."""
    warning = Finding(type="warning", key="url", message="a federation note", code=None)
    record = make_record(
        "https://gitlab.opencode.de/kreis/ohne", "Ohne", short_en="No file", declared=False
    )
    store.upsert_records([record.model_copy(update={"findings": [warning]})])
    for path in (f"/software/{record.id}", "/software/gitlab.opencode.de/kreis/kalender"):
        page = client.get(path, params={"lang": "de"}).text
        assert "Keine Fehler oder Warnungen" not in page
        assert "keine publiccode.yml" in page.lower() or "ohne publiccode.yml" in page.lower()


def test_cli_validate_follows_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """codereuse validate words findings in German under LANG=de_DE.UTF-8, in English under
    LANG=C, and --lang overrides; JSON carries code, message and text."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(BROKEN)
    runner = CliRunner()
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    german = runner.invoke(cli_app, ["validate", str(path)], env={"LANG": "de_DE.UTF-8"})
    english = runner.invoke(cli_app, ["validate", str(path)], env={"LANG": "C.UTF-8"})
    forced = runner.invoke(
        cli_app, ["validate", str(path), "--lang", "en"], env={"LANG": "de_DE.UTF-8"}
    )
    assert "falscher Typ" in german.stdout
    assert "wrong type for this field" in english.stdout
    assert "wrong type for this field" in forced.stdout
    report = runner.invoke(
        cli_app, ["validate", str(path), "--format", "json"], env={"LANG": "de_DE.UTF-8"}
    )
    first = json.loads(report.stdout)[0]["findings"][0]
    assert "publiccode.version_type" == first["code"]
    assert first["text"].startswith("falscher Typ") and first["message"].startswith("wrong")


def test_cli_show_and_status_follow_lang(
    store: Store, broken_record: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`codereuse show` and `codereuse status` word the findings in German under LANG=de."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", str(store.engine.url))
    runner = CliRunner()
    shown = runner.invoke(cli_app, ["show", broken_record], env={"LANG": "de_DE.UTF-8"})
    assert "falscher Typ" in shown.stdout, shown.output
    english = runner.invoke(cli_app, ["show", broken_record], env={"LANG": "en_GB.UTF-8"})
    assert "wrong type for this field" in english.stdout
    status = runner.invoke(
        cli_app,
        ["status", "https://gitlab.opencode.de/kreis/kaputt"],
        env={"LANG": "de_DE.UTF-8"},
    )
    assert "falscher Typ" in status.stdout, status.output
