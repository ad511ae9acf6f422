"""Pure parts of the API: language choice, labels, publiccode normalisation, highlights, links."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import yaml
from markupsafe import Markup

from api.i18n import choose_language, parse_accept_language, translate
from api.pages import safe_highlight, safe_href
from api.publiccode_view import PubliccodeUnreadableError, normalise_publiccode
from api.query import CatalogueQuery


def test_label_files_have_the_same_keys() -> None:
    """de.json and en.json define exactly the same labels."""
    de = json.loads(files("api.i18n").joinpath("de.json").read_text(encoding="utf-8"))
    en = json.loads(files("api.i18n").joinpath("en.json").read_text(encoding="utf-8"))
    assert set(en) == set(de)


@pytest.mark.parametrize(
    ("query_lang", "header", "expected"),
    [
        ("de", "en-GB,en;q=0.9", "de"),
        (None, "fr-FR,fr;q=0.9,de;q=0.8,en;q=0.5", "de"),
        (None, "en;q=0.3,de;q=0.9", "de"),
        (None, "de;q=0,en", "en"),
        ("xx", None, "en"),
        (None, "fr", "en"),
    ],
)
def test_choose_language(query_lang: str | None, header: str | None, expected: str) -> None:
    """?lang= wins; else the best supported Accept-Language by quality; else English."""
    assert expected == choose_language(query_lang, header)


def test_parse_accept_language_orders_by_quality() -> None:
    """Quality values order the tags; equal quality keeps header order."""
    assert ["de", "en", "fr"] == parse_accept_language("en;q=0.8, de, fr;q=0.8")


def test_translate_fills_placeholders() -> None:
    """Labels take named values."""
    assert "3 Treffer" == translate("de", "search.results", total=3)


def test_normalise_keeps_current_files_unchanged_except_version() -> None:
    """A 0.7 file without deprecated keys comes back the same, with no change listed."""
    raw = b'publiccodeYmlVersion: "0.7"\nname: X\norganisation:\n  uri: https://x.example\n'
    result = normalise_publiccode(raw)
    assert ([], yaml.safe_load(raw)) == (result.changes, result.document)


def test_normalise_drops_deprecated_keys_and_upper_cases_countries() -> None:
    """monochromeLogo, genericName, authorsFile go; countries become upper case."""
    raw = b"""publiccodeYmlVersion: "0.4"
monochromeLogo: logo.png
legal: {license: MIT, authorsFile: AUTHORS}
description: {en: {genericName: Tool, shortDescription: A tool}}
intendedAudience: {countries: [it, de]}
"""
    document = normalise_publiccode(raw).document
    assert "monochromeLogo" not in document
    assert {"license": "MIT"} == document["legal"]
    assert {"shortDescription": "A tool"} == document["description"]["en"]
    assert ["IT", "DE"] == document["intendedAudience"]["countries"]


def test_normalise_keeps_existing_organisation_name() -> None:
    """repoOwner does not overwrite a declared organisation.name."""
    raw = b"legal: {repoOwner: Old}\norganisation: {name: New, uri: https://x.example}\n"
    assert "New" == normalise_publiccode(raw).document["organisation"]["name"]


def test_normalise_yaml_output_names_its_changes() -> None:
    """The YAML view starts with comments listing each rewrite."""
    text = normalise_publiccode(b"legal: {repoOwner: Stadt}\n").to_yaml()
    assert text.startswith("# publiccode.yml normalised to version 0.7")
    assert "# - legal.repoOwner → organisation.name" in text


@pytest.mark.parametrize("raw", [b"- a list\n", b"key: [unclosed\n", b"\xff\xfe"])
def test_normalise_refuses_unreadable_files(raw: bytes) -> None:
    """Non-mapping, broken YAML and non-UTF-8 bytes raise PubliccodeUnreadableError."""
    with pytest.raises(PubliccodeUnreadableError):
        normalise_publiccode(raw)


def test_safe_highlight_accepts_only_marks_around_escaped_text() -> None:
    """<mark> with escaped text becomes markup; any other tag falls back to plain text."""
    assert Markup("a <mark>b</mark> &lt;c&gt;") == safe_highlight("a <mark>b</mark> &lt;c&gt;", "x")
    assert "fallback" == safe_highlight("<img src=x onerror=alert(1)>", "fallback")
    assert "fallback" == safe_highlight("<mark>a</mark> & b", "fallback")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gitlab.example.org/a", "https://gitlab.example.org/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("//evil.example/x", None),
        ("data:text/html,x", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    """Only absolute http(s) URLs become links."""
    assert expected == safe_href(url)


def test_query_params_round_trip() -> None:
    """A query's URL parameters rebuild the same filters."""
    query = CatalogueQuery(q="akte", licence=["MIT", "EUPL-1.2"], declared=False)
    rebuilt = CatalogueQuery.model_validate(
        {name: [v for n, v in query.params() if n == name] for name, _ in query.params()}
        | {"q": "akte", "declared": "false"}
    )
    assert query.filters() == rebuilt.filters()


def test_every_label_the_templates_use_exists() -> None:
    """Each literal t("key") in the templates has a label in both languages."""
    import re
    from pathlib import Path

    import api

    templates = Path(api.__file__).parent / "templates"
    used = {
        key
        for path in templates.glob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([a-z_.\-]+)["']""", path.read_text(encoding="utf-8"))
        if not key.endswith(".")  # a prefix completed at render time ("facet." ~ name)
    }
    en = json.loads(files("api.i18n").joinpath("en.json").read_text(encoding="utf-8"))
    assert len(used) > 50
    assert set() == used - set(en)
