"""package.json, package-lock.json and composer.json: what they publish and use."""

from __future__ import annotations

from schemas.manifests import parse_manifest

PACKAGE_JSON = """{
  "name": "@stadt-musterhausen/formular-baukasten",
  "version": "3.4.1",
  "license": "EUPL-1.2",
  "scripts": {"build": "vite build"},
  "dependencies": {
    "vue": "^3.4.21",
    "@vueuse/core": "10.9.0",
    "legacy-shim": "npm:core-js@3.36.1",
    "local-helpers": "file:../helpers",
    "forked-lib": "github:stadt/forked-lib#main"
  },
  "devDependencies": {
    "vitest": "~1.4.0"
  },
  "peerDependencies": {"vue-router": ">=4"}
}
"""


def uses_of(result: object) -> dict[str, tuple[str | None, str, int | None]]:
    return {u.purl: (u.requirement, u.scope, u.line) for u in result.uses}  # type: ignore[attr-defined]


def test_package_json_publishes_name_and_uses_registry_dependencies() -> None:
    """A package.json publishes its scoped name and uses registry dependencies with lines."""
    result = parse_manifest("package.json", PACKAGE_JSON)
    assert ["pkg:npm/%40stadt-musterhausen/formular-baukasten@3.4.1"] == [
        p.purl for p in result.publishes
    ]
    assert 2 == result.publishes[0].line
    assert {
        "pkg:npm/vue": ("^3.4.21", "runtime", 7),
        "pkg:npm/%40vueuse/core@10.9.0": ("10.9.0", "runtime", 8),
        "pkg:npm/core-js@3.36.1": ("3.36.1", "runtime", 9),
        "pkg:npm/vitest": ("~1.4.0", "development", 14),
        "pkg:npm/vue-router": (">=4", "peer", 16),
    } == uses_of(result)
    assert [] == result.findings


def test_private_package_publishes_nothing() -> None:
    """A private package.json (a monorepo root, an application) publishes no package."""
    result = parse_manifest("package.json", '{"name": "app", "private": true, "dependencies": {}}')
    assert [] == result.publishes


def test_package_json_wrong_types_are_findings() -> None:
    """Dependencies of the wrong type are findings naming the section, the rest is read."""
    text = '{"name": "x", "dependencies": ["a"], "devDependencies": {"b": 3, "c": "1.0.0"}}'
    result = parse_manifest("package.json", text)
    assert ["pkg:npm/c@1.0.0"] == [u.purl for u in result.uses]
    messages = [f.message for f in result.findings]
    assert any("dependencies should map package names" in m for m in messages)
    assert any("package.json: b should be a version string" in m for m in messages)


def test_malformed_json_is_a_finding_with_its_line() -> None:
    """Broken JSON gives a warning with the line of the error, no packages."""
    result = parse_manifest("package.json", '{\n  "name": "x",\n  "dependencies": {\n}')
    assert [] == result.uses
    assert 1 == len(result.findings)
    assert "warning" == result.findings[0].type
    assert "not valid JSON" in result.findings[0].message
    assert 4 == result.findings[0].line


def test_package_lock_gives_names_only_as_indirect_uses() -> None:
    """Lockfile v3 packages give one indirect use per installed name, versions dropped."""
    text = """{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app", "dependencies": {"vue": "^3.4.21"}},
    "node_modules/vue": {"version": "3.4.21"},
    "node_modules/@vue/shared": {"version": "3.4.21"},
    "node_modules/vue/node_modules/@vue/shared": {"version": "3.4.20"}
  }
}"""
    result = parse_manifest("package-lock.json", text)
    assert [("pkg:npm/vue", "indirect"), ("pkg:npm/%40vue/shared", "indirect")] == [
        (u.purl, u.scope) for u in result.uses
    ]
    assert [] == result.publishes


def test_package_lock_v1_dependencies() -> None:
    """Lockfile v1 names its packages under dependencies."""
    result = parse_manifest(
        "package-lock.json", '{"lockfileVersion": 1, "dependencies": {"left-pad": {}}}'
    )
    assert ["pkg:npm/left-pad"] == [u.purl for u in result.uses]


COMPOSER_JSON = """{
    "name": "kommune/buergerservice",
    "type": "library",
    "require": {
        "php": ">=8.2",
        "ext-json": "*",
        "symfony/http-foundation": "^7.0",
        "Guzzlehttp/Guzzle": "7.8.1"
    },
    "require-dev": {
        "phpunit/phpunit": "^11.0"
    }
}
"""


def test_composer_json_skips_the_platform() -> None:
    """composer.json publishes vendor/name and uses packages, not php or extensions."""
    result = parse_manifest("composer.json", COMPOSER_JSON)
    assert ["pkg:composer/kommune/buergerservice"] == [p.purl for p in result.publishes]
    assert {
        "pkg:composer/symfony/http-foundation": ("^7.0", "runtime", 7),
        "pkg:composer/guzzlehttp/guzzle@7.8.1": ("7.8.1", "runtime", 8),
        "pkg:composer/phpunit/phpunit": ("^11.0", "development", 11),
    } == uses_of(result)
    assert "pkg:composer/guzzlehttp/guzzle" == result.uses[1].key


def test_top_level_array_is_a_finding() -> None:
    """A manifest that is JSON but not an object is a finding."""
    result = parse_manifest("composer.json", "[1, 2]")
    assert "JSON object" in result.findings[0].message
