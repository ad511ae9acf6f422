"""Behaviour of `schemas.publiccode.parse` on small, purpose-built files."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.publiccode import PARSER_VERSION, parse
from schemas.publiccode.bcp47 import is_valid_tag
from schemas.publiccode.formats import is_oembed_video, is_spdx_expression
from tests.publiccode.shared import REAL_WORLD, png, require
from tests.publiccode.test_hostile import MINIMAL


def _with(old: bytes, new: bytes) -> bytes:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


def _found(data: bytes, **kwargs: object) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.type, f.key, f.line, f.column) for f in parse(data, **kwargs).findings]  # type: ignore[arg-type]


def test_result_carries_version_data_and_model() -> None:
    """A valid file gives its version, plain data and a typed model."""
    result = parse(MINIMAL, path="publiccode.yaml")
    assert ("publiccode.yaml", True, "0") == (result.path, result.valid, result.version)
    assert result.data is not None and "Medusa" == result.data["name"]
    assert result.model is not None
    assert ["en"] == result.model.localisation.available_languages  # type: ignore[union-attr]
    assert "codereuse-publiccode/1" == PARSER_VERSION


@pytest.mark.parametrize("version", [b'"0.2"', b'"0.3"', b'"0.4.0"', b'"0.5"'])
def test_older_versions_warn_and_parse_as_latest(version: bytes) -> None:
    """Supported older versions give one warning at the version key."""
    result = parse(_with(b'publiccodeYmlVersion: "0"', b"publiccodeYmlVersion: " + version))
    assert [("warning", "publiccodeYmlVersion", 1, 1)] == [
        (f.type, f.key, f.line, f.column) for f in result.findings
    ]
    assert "Parsing this file as v0.7." in result.findings[0].message


@pytest.mark.parametrize("version", [b'"0.7"', b'"0.7.0"', b'"0"'])
def test_current_versions_do_not_warn(version: bytes) -> None:
    """0, 0.7 and 0.7.0 are current."""
    assert [] == _found(_with(b'publiccodeYmlVersion: "0"', b"publiccodeYmlVersion: " + version))


def test_unsupported_version_comes_first_and_the_rest_is_still_checked() -> None:
    """An unknown version is the first finding, without position, listing the supported ones;
    the rest of the file is checked against the latest standard in the same run."""
    data = _with(b'publiccodeYmlVersion: "0"', b'publiccodeYmlVersion: "1"')
    result = parse(data.replace(b"localisationReady: true", b"localisationReady: yes"))
    assert [
        ("error", "publiccodeYmlVersion", None, None),
        ("error", "localisation.localisationReady", 21, 3),
    ] == [(f.type, f.key, f.line, f.column) for f in result.findings][:2]
    assert "Supported versions: 0, 0.2" in result.findings[0].message
    assert "checked against the latest standard (0.7)" in result.findings[0].message


def test_a_valid_body_under_an_unsupported_version_has_only_the_version_error() -> None:
    """Nothing else is wrong: the version error is the only finding (no noise from going on)."""
    result = parse(_with(b'publiccodeYmlVersion: "0"', b'publiccodeYmlVersion: "0.1"'))
    assert [("error", "publiccodeYmlVersion")] == [(f.type, f.key) for f in result.findings]


def test_a_misspelt_version_key_is_named_and_the_rest_is_checked() -> None:
    """The pre-0.2 key publiccode-yml-version is named in the missing-version error, which
    leads; the unknown key and the other errors follow in the same run."""
    data = _with(b'publiccodeYmlVersion: "0"', b'publiccode-yml-version: "0.1"')
    result = parse(data.replace(b"localisationReady: true", b"localisationReady: yes"))
    assert ("error", "publiccodeYmlVersion") == (result.findings[0].type, result.findings[0].key)
    assert "rename publiccode-yml-version" in result.findings[0].message
    keys = [f.key for f in result.errors]
    assert "publiccode-yml-version" in keys and "localisation.localisationReady" in keys


def test_the_real_world_old_style_file_reports_all_its_errors_in_one_run() -> None:
    """The corpus file with the old version key (issue 13) reports every error at once: fixing
    the version alone does not reveal new errors."""
    path = require(REAL_WORLD) / "070__BraznMngo__brazn-tasks__publiccode.yml"
    data = path.read_bytes()
    result = parse(data, base_dir=path.parent)
    assert "publiccodeYmlVersion" == result.findings[0].key
    fixed = data.replace(b"publiccode-yml-version: '0.2'", b'publiccodeYmlVersion: "0"')
    after = parse(fixed, base_dir=path.parent)
    before_rest = {(f.key, f.line) for f in result.errors[1:] if f.key != "publiccode-yml-version"}
    assert {(f.key, f.line) for f in after.errors} == before_rest
    assert len(result.errors) >= 10


def test_unquoted_version_is_a_wrong_type() -> None:
    """publiccodeYmlVersion: 0.4 (a YAML number) must be quoted."""
    found = _found(_with(b'publiccodeYmlVersion: "0"', b"publiccodeYmlVersion: 0.4"))
    assert [("error", "publiccodeYmlVersion", 1, 1)] == found  # reported once, not twice


def test_yaml11_booleans_are_wrong_types() -> None:
    """localisationReady: yes is a string in YAML 1.2, so the section is rejected."""
    found = _found(_with(b"localisationReady: true", b"localisationReady: yes"))
    assert [
        ("error", "localisation.localisationReady", 21, 3),
        ("error", "localisation.localisationReady", 21, 3),
        ("error", "localisation.availableLanguages", 22, 3),
    ] == found


def test_unknown_key_suggests_the_right_one() -> None:
    """A misspelt key is an error that suggests the intended key."""
    result = parse(_with(b"name: Medusa", b"name: Medusa\nlandingUrl: https://x.org"))
    assert [("error", "landingUrl", 3, 1)] == _found(
        _with(b"name: Medusa", b"name: Medusa\nlandingUrl: https://x.org")
    )
    assert 'Did you mean "landingURL"?' in result.findings[0].message


def test_category_typo_suggests_the_right_one() -> None:
    """An unknown category names the closest category."""
    result = parse(_with(b"platforms: [web]", b"platforms: [web]\ncategories: [data-analytic]"))
    assert [("error", "categories[0]", 5, 14)] == [
        (f.type, f.key, f.line, f.column) for f in result.findings
    ]
    assert 'Did you mean "data-analytics"?' in result.findings[0].message


def test_non_alphabetic_language_keys_use_brackets() -> None:
    """A missing key under description.en-GB is reported as description[en-GB].features."""
    data = _with(b"    features: [Just one feature]\n", b"").replace(b"  en:\n", b"  en-GB:\n")
    assert [("error", "description[en-GB].features", 9, 5)] == _found(data)


def test_lowercase_it_section_moves_to_it_and_warns() -> None:
    """``it:`` warns and is exposed as ``IT`` in data; codiceIPA fills organisation.uri."""
    result = parse(MINIMAL + b"it:\n  riuso:\n    codiceIPA: pcm\n")
    assert [("warning", "it", 23, 1), ("warning", "IT.riuso.codiceIPA", 25, 5)] == [
        (f.type, f.key, f.line, f.column) for f in result.findings
    ]
    assert result.data is not None
    assert "it" not in result.data
    assert {"uri": "urn:x-italian-pa:pcm"} == result.data["organisation"]
    assert result.model is not None and result.model.organisation is not None
    assert "urn:x-italian-pa:pcm" == result.model.organisation.uri


def test_ipa_codes_list_is_used_when_given() -> None:
    """With a registry of iPA codes, an unknown code is an error; without, its shape is checked."""
    data = MINIMAL + b"organisation:\n  uri: urn:x-italian-pa:no_such_pa\n"
    assert parse(data).valid
    result = parse(data, ipa_codes=frozenset({"pcm"}))
    assert [("error", "organisation.uri", 24, 3)] == [
        (f.type, f.key, f.line, f.column) for f in result.findings
    ]


@pytest.mark.parametrize(
    ("supports", "expected"),
    [
        (b"alias:gdpr", []),
        (b"https://example.org/regulation", []),
        (b"urn:eu:regulation:2016-679", []),
        (b"alias:gdrp", [("error", "supports[0].id", 24, 5)]),
        (b"gdpr", [("error", "supports[0].id", 24, 5)]),
    ],
)
def test_supports_ids(supports: bytes, expected: list[tuple[str, str, int, int]]) -> None:
    """supports ids are known aliases or URIs."""
    assert expected == _found(MINIMAL + b"supports:\n  - id: " + supports + b"\n")


def test_invalid_model_keeps_what_could_be_read() -> None:
    """An invalid file still has a model with its well-typed values."""
    result = parse(_with(b"platforms: [web]", b"platforms: web"))
    assert not result.valid
    assert result.model is not None
    assert ("Medusa", []) == (result.model.name, result.model.platforms)


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("en", True),
        ("en-GB", True),
        ("sl-IT-nedis", True),
        ("zh-Hant-TW", True),
        ("de-CH-1996", True),
        ("es-419", True),
        ("en_GB", False),
        ("eng", False),
        ("xxx", False),
        ("en-GB-GB", False),
        ("de-1996-1996", False),
        ("fr-nedis", False),
    ],
)
def test_bcp47_tags(tag: str, valid: bool) -> None:
    """BCP 47 tags are checked for grammar and registered subtags."""
    assert valid == is_valid_tag(tag)


@pytest.mark.parametrize(
    ("expression", "valid"),
    [
        ("EUPL-1.2", True),
        ("EUPL-1.2 OR AGPL-3.0-or-later", True),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", True),
        ("LicenseRef-my-licence", True),
        ("Apache License 2.0", False),
        ("MIT AND", False),
        ("GPL-3.0-only WITH MIT", False),
    ],
)
def test_spdx_expressions(expression: str, valid: bool) -> None:
    """Licences are SPDX expressions."""
    assert valid == is_spdx_expression(expression)


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://www.youtube.com/watch?v=abc", True),
        ("https://youtu.be/abc", True),
        ("https://vimeo.com/12345", True),
        ("https://google.com", False),
        ("ABC", False),
    ],
)
def test_video_urls_need_an_oembed_provider(url: str, valid: bool) -> None:
    """Videos must be links of a known oEmbed provider."""
    assert valid == is_oembed_video(url)


@pytest.mark.parametrize(
    ("logo", "content", "message"),
    [
        ("logo.svg", b"<svg/>", None),
        ("logo.png", png(400), None),
        ("small.png", png(60), "invalid image size of 60"),
        ("broken.png", b"not a png", "image: unknown format"),
        ("missing.svg", None, "no such file"),
        ("logo.gif", b"GIF89a", "invalid file extension"),
    ],
)
def test_logo_files_are_checked_in_base_dir(
    tmp_path: Path, logo: str, content: bytes | None, message: str | None
) -> None:
    """With a base directory, the logo must exist, be SVG/PNG and a PNG must be wide enough."""
    if content is not None:
        (tmp_path / logo).write_bytes(content)
    data = _with(b"name: Medusa", b"name: Medusa\nlogo: " + logo.encode())
    result = parse(data, base_dir=tmp_path)
    expected = [] if message is None else [("logo", True)]
    assert expected == [("logo", message in f.message) for f in result.findings if message]
    assert (message is None) == result.valid


def test_logo_is_not_checked_without_base_dir() -> None:
    """Without a base directory, relative file checks are skipped."""
    assert [] == _found(_with(b"name: Medusa", b"name: Medusa\nlogo: missing.png"))


@pytest.mark.parametrize("logo", [b"/etc/logo.png", b"file:///etc/logo.png"])
def test_absolute_logo_paths_are_refused(logo: bytes) -> None:
    """Absolute paths and file: URLs are errors even without a base directory."""
    assert [("error", "logo", 3, 1)] == _found(
        _with(b"name: Medusa", b"name: Medusa\nlogo: " + logo)
    )


def test_screenshots_must_be_jpg_or_png_files(tmp_path: Path) -> None:
    """Screenshots are checked relative to the base directory."""
    (tmp_path / "shot.png").write_bytes(png(300))
    data = _with(
        b"    features: [Just one feature]\n",
        b"    features: [Just one feature]\n    screenshots: [shot.png, shot.jpeg, gone.jpg]\n",
    )
    result = parse(data, base_dir=tmp_path)
    assert ["description.en.screenshots[1]", "description.en.screenshots[2]"] == [
        f.key for f in result.findings
    ]


def test_unquoted_number_where_text_is_expected_warns() -> None:
    """An unquoted phone number is kept as written, with a warning to quote it."""
    data = _with(
        b"    - name: Francesco Rossi\n", b"    - name: Francesco Rossi\n      phone: 0412501953\n"
    )
    result = parse(data)
    assert [("warning", "maintenance.contacts[0].phone", 20, 14)] == [
        (f.type, f.key, f.line, f.column) for f in result.findings
    ]
    assert result.model is not None and result.model.maintenance is not None
    assert "0412501953" == result.model.maintenance.contacts[0].phone
