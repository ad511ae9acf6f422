"""package.json and package-lock.json (npm, yarn and pnpm projects share package.json).

Publishes: ``name`` (with ``version``) unless ``"private": true``. Uses: ``dependencies``,
``devDependencies``, ``peerDependencies``, ``optionalDependencies``; an ``npm:real@range`` alias
uses the real package; ``file:``, ``link:``, ``workspace:``, git and URL specs name no registry
package and are skipped. package-lock.json contributes package names only (``packages`` of
lockfile v2/v3, ``dependencies`` of v1) as indirect uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from schemas.manifests.model import Scope
from schemas.manifests.purls import split_npm_name
from schemas.manifests.reading import Collector, exact_version

_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("devDependencies", "development"),
    ("peerDependencies", "peer"),
    ("optionalDependencies", "optional"),
)
_NOT_REGISTRY = (
    "file:",
    "link:",
    "workspace:",
    "git+",
    "git:",
    "github:",
    "http:",
    "https:",
    "portal:",
    "patch:",
)


def load_json_object(collector: Collector) -> dict[str, Any] | None:
    """The manifest's top-level JSON object, or None with a finding saying what is wrong."""
    try:
        data = json.loads(collector.text)
    except json.JSONDecodeError as error:
        collector.warn(
            f"{collector.path} is not valid JSON ({error.msg}); its dependencies were not read",
            error.lineno,
        )
        return None
    except RecursionError:
        collector.warn(
            f"{collector.path} is nested too deeply to read; its dependencies were not read"
        )
        return None
    if not isinstance(data, dict):
        collector.warn(
            f"{collector.path} should hold a JSON object at the top; its dependencies were not read"
        )
        return None
    return data


def json_sections(
    collector: Collector, data: dict[str, Any], sections: tuple[tuple[str, Scope], ...]
) -> Iterator[tuple[str, object, Scope, int | None]]:
    """(dependency, spec, scope, line) of each entry of the object `sections` of a JSON manifest;
    a section that is no object is a finding."""
    for section, scope in sections:
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, dict):
            collector.warn(
                f"{collector.path}: {section} should map package names to versions",
                collector.line_of(f'"{section}"'),
            )
            continue
        for dependency, spec in entries.items():
            yield (
                dependency,
                spec,
                scope,
                collector.line_of(json.dumps(dependency), after=f'"{section}"'),
            )


def _alias(dependency: str, spec: str) -> tuple[str, str]:
    """(package, requirement) of a dependency: ``npm:real@range`` names another package."""
    if not spec.startswith("npm:"):
        return dependency, spec
    target = spec[4:]
    at = target.rfind("@")
    return (target[:at], target[at + 1 :]) if at > 0 else (target, "")


def read_package_json(collector: Collector) -> None:
    """Fill `collector` from a package.json text (see the module docstring)."""
    data = load_json_object(collector)
    if data is None:
        return
    name = data.get("name")
    if isinstance(name, str) and name and data.get("private") is not True:
        version = data.get("version")
        namespace, short = split_npm_name(name)
        collector.publish(
            "npm",
            short,
            namespace=namespace,
            version=version if isinstance(version, str) and exact_version(version) else None,
            line=collector.line_of(json.dumps(name)),
        )
    for dependency, spec, scope, line in json_sections(collector, data, _SECTIONS):
        if not isinstance(spec, str):
            collector.warn(f"{collector.path}: {dependency} should be a version string", line)
            continue
        if spec.startswith(_NOT_REGISTRY) or ("/" in spec and not spec.startswith("npm:")):
            continue  # a path, URL or GitHub shorthand: no registry package
        real, requirement = _alias(dependency, spec)
        namespace, short = split_npm_name(real)
        collector.use(
            "npm",
            short,
            namespace=namespace,
            version=exact_version(requirement),
            requirement=requirement or None,
            scope=scope,
            line=line,
        )


def read_package_lock(collector: Collector) -> None:
    """Fill `collector` with the package names of a package-lock.json (names only, indirect)."""
    data = load_json_object(collector)
    if data is None:
        return
    names: list[str] = []
    packages = data.get("packages")
    if isinstance(packages, dict):
        for location in packages:
            if isinstance(location, str) and "node_modules/" in location:
                names.append(location.rsplit("node_modules/", 1)[1])
    dependencies = data.get("dependencies")
    if not names and isinstance(dependencies, dict):
        names = [name for name in dependencies if isinstance(name, str)]
    for name in names:
        namespace, short = split_npm_name(name)
        collector.use(
            "npm",
            short,
            namespace=namespace,
            scope="indirect",
            line=collector.line_of(json.dumps(name)),
        )
