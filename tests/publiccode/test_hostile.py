"""Hostile and broken input gives findings, never an exception or a hang, within the bounds."""

from __future__ import annotations

import json
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.publiccode import parse
from schemas.publiccode.yamlnodes import MAX_BYTES

MINIMAL = b"""publiccodeYmlVersion: "0"
name: Medusa
url: "https://github.com/italia/medusa.git"
platforms: [web]
developmentStatus: development
softwareType: "standalone/other"
description:
  en:
    shortDescription: A rather short description which is probably useless
    longDescription: >
      Very long description of this software, also split on multiple rows. You should note
      what the software is and why one should need it. This is more than 150 characters.
    features: [Just one feature]
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: "community"
  contacts:
    - name: Francesco Rossi
localisation:
  localisationReady: true
  availableLanguages: [en]
"""

BILLION_LAUGHS = b"""publiccodeYmlVersion: "0"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

DEEP_FLOW = b"name: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"
DEEP_BLOCK = b"- " * 10_000 + b"a\n"  # block sequences nest on one line
OVERSIZED = MINIMAL + b"# " + b"x" * MAX_BYTES + b"\n"
HUGE_STRING = MINIMAL.replace(b"name: Medusa", b"name: " + b"x" * 1_000_000)
MANY_NODES = b"usedBy:\n" + b"- a\n" * 240_000
HUGE_NON_ASCII = MINIMAL.replace(
    b"    features: [Just one feature]",
    b"    features: [Just one feature]\n    genericName: " + "é".encode() * 350_000,
).replace(b"platforms: [web]", b"platforms: [web]\ncategories: [" + b"x" * 200_000 + b"]")
MANY_UNKNOWN_KEYS = MINIMAL + b"".join(b"k%d: 1\n" % i for i in range(9_900))
NEAR_NODE_LIMIT = b"usedBy:\n" + b"- a\n" * 19_900


def _errors(data: bytes) -> list[tuple[str, int | None, int | None, str]]:
    return [(f.key, f.line, f.column, f.message) for f in parse(data).errors]


def test_minimal_file_is_valid() -> None:
    """The minimal example of the standard has no finding at all."""
    assert [] == parse(MINIMAL).findings


def test_alias_bomb_is_refused_with_one_error() -> None:
    """A billion-laughs document is refused before anything is expanded."""
    errors = _errors(BILLION_LAUGHS)
    assert 1 == len(errors)
    assert "alias bomb" in errors[0][3]


def test_recursive_alias_is_an_error() -> None:
    """An alias pointing into its own anchor is a finding."""
    errors = _errors(b"a: &x [1, *x]\n")
    assert [("", 1, 11)] == [e[:3] for e in errors]


@pytest.mark.parametrize("data", [DEEP_FLOW, DEEP_BLOCK], ids=["flow", "block"])
def test_deep_nesting_is_one_error(data: bytes) -> None:
    """10,000 nesting levels give one error and no RecursionError."""
    errors = _errors(data)
    assert 1 == len(errors)
    assert "nest" in errors[0][3]  # ours at 64 levels, or libyaml's own flow-level limit


def test_oversized_file_is_refused_before_parsing() -> None:
    """Files over 1 MiB are refused with one error without position."""
    assert [("", None, None)] == [e[:3] for e in _errors(OVERSIZED)]


def test_too_many_nodes_is_refused() -> None:
    """A file with more than 20,000 YAML nodes is refused."""
    errors = _errors(MANY_NODES)
    assert 1 == len(errors)
    assert "more than 20,000 nodes" in errors[0][3]


def test_duplicate_keys_name_both_lines() -> None:
    """A repeated key is an error at the second one that names the first one's line."""
    data = MINIMAL.replace(b"platforms: [web]\n", b"platforms: [web]\nname: Again\n")
    errors = _errors(data)
    assert [("name", 5, 1)] == [e[:3] for e in errors]
    assert "already defined at line 2" in errors[0][3]


def test_tab_indentation_is_a_syntax_error_with_position() -> None:
    """A tab used for indentation is reported where it is."""
    errors = _errors(b'publiccodeYmlVersion: "0"\nlegal:\n\tlicense: MIT\n')
    assert [("", 3, 1)] == [e[:3] for e in errors]


def test_bom_and_crlf_are_accepted() -> None:
    """A UTF-8 byte order mark and Windows line ends change nothing."""
    data = b"\xef\xbb\xbf" + MINIMAL.replace(b"\n", b"\r\n")
    assert [] == parse(data).findings


def test_invalid_utf8_points_at_the_bad_byte() -> None:
    """Invalid UTF-8 is one error at the line and column of the first bad byte."""
    data = b'publiccodeYmlVersion: "0"\nname: Caf\xe9\n'
    assert [("", 2, 10)] == [e[:3] for e in _errors(data)]


@pytest.mark.parametrize(
    ("data", "found"),
    [(b"- a\n- b\n", "a list"), (b"just text\n", "a single value"), (b"42\n", "a single value")],
)
def test_top_level_must_be_a_mapping(data: bytes, found: str) -> None:
    """A top level that is not a mapping is one error saying what it is."""
    errors = _errors(data)
    assert [("", 1, 1)] == [e[:3] for e in errors]
    assert errors[0][3].endswith(found)


def test_empty_file_requires_the_version() -> None:
    """An empty file asks for publiccodeYmlVersion."""
    assert ["publiccodeYmlVersion"] == [e[0] for e in _errors(b"# nothing\n")]


def test_multiple_documents_are_refused() -> None:
    """A second YAML document is an error at its separator."""
    errors = _errors(MINIMAL + b"---\nname: second\n")
    assert [("", 23, 1)] == [e[:3] for e in errors]


def test_binary_data_is_an_encoding_error() -> None:
    """Binary data is reported as invalid UTF-8."""
    errors = _errors(bytes(range(256)) * 4)
    assert 1 == len(errors)
    assert errors[0][3].startswith("Invalid UTF-8")


def test_control_characters_are_a_syntax_error() -> None:
    """Valid UTF-8 with control characters is a YAML error, not an exception."""
    assert 1 == len(_errors(b"name: a\x00b\n"))


def test_huge_string_is_a_length_error_not_a_crash() -> None:
    """A one-megabyte name is parsed (it is a valid string) without trouble."""
    result = parse(HUGE_STRING)
    assert result.data is not None
    assert 1_000_000 == len(result.data["name"])


def test_findings_are_capped_with_a_count_of_the_rest() -> None:
    """9,900 unknown keys give 1,000 findings and one saying how many more there are."""
    findings = parse(MANY_UNKNOWN_KEYS).findings
    assert 1001 == len(findings)
    assert findings[0].message.startswith("8,900 more findings")


def test_huge_values_give_short_messages() -> None:
    """A huge non-ASCII text and a huge unknown category give errors with clipped messages."""
    errors = _errors(HUGE_NON_ASCII)
    assert ["categories[0]", "description.en.genericName"] == [e[0] for e in errors]
    assert all(len(e[3]) < 500 for e in errors)


@pytest.mark.parametrize("logo", [b'"a\\0b.png"', b"x" * 5000 + b".png"])
def test_unusable_file_names_are_missing_files(tmp_path: object, logo: bytes) -> None:
    """A logo path with a NUL byte or a too long name is reported missing, not raised."""
    data = MINIMAL.replace(b"name: Medusa", b"name: Medusa\nlogo: " + logo)
    result = parse(data, base_dir=tmp_path)  # type: ignore[arg-type]
    assert [("logo", True)] == [(f.key, "no such file" in f.message) for f in result.errors]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (b"releaseDate: 2024-01-01", None),
        (b"softwareVersion: 1.0", None),
        (b"name: 12", None),
        (b"name: true", None),
        (b"name: [a]", "name"),
        (b"name: {a: b}", "name"),
    ],
)
def test_scalars_where_strings_are_expected(line: bytes, key: str | None) -> None:
    """Numbers, booleans and dates read as text; lists and mappings are wrong types."""
    data = MINIMAL.replace(b"name: Medusa", line)
    keys = [e[0] for e in _errors(data) if e[3].startswith("wrong type")]
    assert ([key] if key else []) == keys


# Memory and time bounds: memory is deterministic enough to assert (time is bench/validate.py's).
WORST_INPUTS = {
    "billion laughs": BILLION_LAUGHS,
    "deep flow": DEEP_FLOW,
    "deep block": DEEP_BLOCK,
    "oversized": OVERSIZED,
    "huge string": HUGE_STRING,
    "huge non-ASCII text and category": HUGE_NON_ASCII,
    "near the node limit": NEAR_NODE_LIMIT,
    "many unknown keys": MANY_UNKNOWN_KEYS,
}


@pytest.mark.parametrize("name", sorted(WORST_INPUTS))
def test_memory_bound_on_worst_inputs(name: str) -> None:
    """Parsing any of the worst inputs allocates less than 50 MB at peak."""
    data = WORST_INPUTS[name]
    parse(MINIMAL)  # load the lazily built tables outside the measurement
    tracemalloc.start()
    try:
        parse(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=2000)
    | st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{}&*!|>'\"#%@`,?~0.é")), max_size=300).map(
        str.encode
    )
)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    """Any bytes (and YAML-ish text) give a result whose validity matches its findings."""
    result = parse(data)
    assert result.valid == all(f.type == "warning" for f in result.findings)


_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_documents = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=30,
)
_keys = st.sampled_from(
    ["name", "url", "description", "legal", "maintenance", "platforms", "it", "IT", "fundedBy"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys | st.text(max_size=10), _documents, max_size=8), st.booleans())
def test_arbitrary_yaml_documents_never_raise(document: dict[str, object], flow: bool) -> None:
    """Random nested documents, with the version key or not, give a result."""
    document = {"publiccodeYmlVersion": "0", **document}
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    result = parse(text.encode("utf-8"))
    assert result.data is not None


_LEAF_PATHS = [
    ("name",),
    ("url",),
    ("platforms",),
    ("developmentStatus",),
    ("description",),
    ("description", "en"),
    ("description", "en", "shortDescription"),
    ("description", "en", "longDescription"),
    ("description", "en", "features"),
    ("legal",),
    ("legal", "license"),
    ("maintenance",),
    ("maintenance", "type"),
    ("maintenance", "contacts"),
    ("localisation", "localisationReady"),
    ("localisation", "availableLanguages"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_LEAF_PATHS), _documents), min_size=1, max_size=4))
def test_valid_file_with_random_values_never_raises(
    changes: list[tuple[tuple[str, ...], object]],
) -> None:
    """The minimal valid file with random values put at its keys gives findings, not errors."""
    document = yaml.safe_load(MINIMAL)
    for path, value in changes:
        target = document
        for name in path[:-1]:
            if not isinstance(target.get(name), dict):
                target[name] = {}
            target = target[name]
        target[path[-1]] = value
    text = yaml.safe_dump(document, allow_unicode=True)
    result = parse(text.encode("utf-8"))
    assert result.data is not None
    assert result.model is not None
    lines = text.count("\n") + 1
    assert [] == [f for f in result.findings if f.line is not None and not 1 <= f.line <= lines]


_HUGE_INTEGERS = st.integers(min_value=4_000, max_value=6_000).flatmap(
    lambda length: st.sampled_from(
        ["9" * length, "-" + "1" * length, "0o" + "7" * length, "0x" + "f" * length]
    )
)


@settings(max_examples=30, deadline=None)
@given(
    _HUGE_INTEGERS, st.sampled_from(["name: {}", "usedBy: [{}]", "x-extra: {}", "it: {{a: {}}}"])
)
def test_integers_too_long_for_python_are_text_not_a_crash(number: str, line: str) -> None:
    """A 5,000-digit integer (Python's int limit is 4,300) gives findings and printable data."""
    data = MINIMAL + line.format(number).encode() + b"\n"
    result = parse(data)
    json.dumps(result.data)
    assert all(len(f.message) < 2_000 for f in result.findings)


def test_a_5000_digit_name_is_read_as_text() -> None:
    """`name: 999…` (5,000 digits) is the name's text, as a short number would be."""
    result = parse(MINIMAL.replace(b"name: Medusa", b"name: " + b"9" * 5_000))
    assert result.data is not None and "9" * 5_000 == result.data["name"]
