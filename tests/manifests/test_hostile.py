"""Manifests are hostile input: any text, any size, any name gives a result, never an exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.manifests import (
    MAX_MANIFEST_CHARS,
    parse_manifest,
    uses_from_publiccode,
)
from schemas.manifests.reading import MAX_USES

MANIFEST_NAMES = [
    "package.json",
    "package-lock.json",
    "composer.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "pyproject.toml",
    "requirements.txt",
    "setup.cfg",
    "go.mod",
    "Cargo.toml",
    "Gemfile",
    "App.csproj",
]

# Text that looks a bit like each syntax, so the parsers get past their first check.
SYNTAX = st.sampled_from(
    [
        '{"',
        '"dependencies": {',
        '"name": ',
        "<project>",
        "<dependency>",
        "<PackageReference ",
        "[project]",
        "dependencies = [",
        "[tool.poetry.dependencies]",
        "require (",
        "module ",
        "gem '",
        "implementation '",
        "group :test do",
        "\n",
        "=",
        ":",
        "'",
        '"',
        "}",
        "]",
        "@",
        "${x}",
        "npm:",
        "[options]\ninstall_requires =\n ",
        "\x00",
        "é",
        "<!DOCTYPE",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(MANIFEST_NAMES), text=TEXTS)
def test_any_text_gives_a_result(name: str, text: str) -> None:
    """Whatever the text, parsing returns a result whose findings are warnings only."""
    result = parse_manifest(name, text)
    assert name == result.path
    assert all("warning" == finding.type for finding in result.findings)
    assert all(use.key.startswith("pkg:") for use in result.uses)


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=300), version=st.one_of(st.none(), st.text(max_size=40)))
def test_any_dependency_name_is_safe(name: str, version: str | None) -> None:
    """Names from package.json and dependsOn of any shape never raise."""
    text = json.dumps({"name": name, "version": version, "dependencies": {name: version or ""}})
    parse_manifest("package.json", text)
    uses_from_publiccode([(name, version, False)], "publiccode.yml")


def test_oversized_manifest_is_a_finding() -> None:
    """A manifest beyond the size bound is not parsed; the finding says how large it is."""
    text = '{"dependencies": {' + ", ".join(f'"p{i}": "1"' for i in range(60_000)) + "}}"
    assert len(text) > MAX_MANIFEST_CHARS
    result = parse_manifest("package.json", text)
    assert [] == result.uses
    assert "characters, more than the" in result.findings[0].message


def test_truncated_manifest_is_a_finding() -> None:
    """A manifest the crawl cut short is not parsed."""
    result = parse_manifest("package.json", '{"dependencies": {"a": "1"}}', truncated=True)
    assert [] == result.uses
    assert "larger than the crawl fetches" in result.findings[0].message


def test_dependencies_beyond_the_bound_are_counted() -> None:
    """A manifest naming more than MAX_USES packages keeps the first ones and says so."""
    text = "\n".join(f"package-{i}" for i in range(MAX_USES + 5))
    result = parse_manifest("requirements.txt", text)
    assert MAX_USES == len(result.uses)
    assert "5 more were left out" in result.findings[-1].message


def test_deeply_nested_json_is_a_finding() -> None:
    """JSON nested deeper than the parser's recursion limit is a finding."""
    result = parse_manifest("package.json", "[" * 200_000 + "]" * 200_000)
    assert 1 == len(result.findings)


def test_billion_laughs_is_refused() -> None:
    """Entity expansion in a csproj is refused by defusedxml, as a finding."""
    text = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Project>&b;</Project>'
    result = parse_manifest("Big.csproj", text)
    assert "DTD or entities" in result.findings[0].message


def test_dependson_as_generic_packages() -> None:
    """publiccode dependsOn entries become generic purls with their scope."""
    uses = uses_from_publiccode(
        [("PostgreSQL", "16", False), ("Redis", None, True)], "publiccode.yml"
    )
    assert [("pkg:generic/PostgreSQL@16", "runtime"), ("pkg:generic/Redis", "optional")] == [
        (u.purl, u.scope) for u in uses
    ]
    assert "pkg:generic/postgresql" == uses[0].key


def test_unknown_file_is_a_finding() -> None:
    """A file that is no manifest gives a finding, not an exception."""
    assert "not a dependency manifest" in parse_manifest("README.md", "# x").findings[0].message
