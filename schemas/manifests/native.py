"""go.mod (Go modules) and Cargo.toml (Rust crates).

go.mod publishes its ``module`` path and uses each ``require`` (one-line and block form);
requirements marked ``// indirect`` are indirect. Cargo.toml publishes ``[package] name``
(unless ``publish = false``) and uses ``[dependencies]``, ``[dev-dependencies]``,
``[build-dependencies]`` and their ``[target.*.…]`` forms; ``package = "…"`` renames are
followed, ``path`` and ``git`` dependencies and workspace-only manifests name no crate to match.
"""

from __future__ import annotations

import re
from typing import Any

from schemas.manifests.model import Scope
from schemas.manifests.purls import split_path
from schemas.manifests.python import load_toml, publish_package, table
from schemas.manifests.reading import Collector, exact_version

_GO_REQUIRE = re.compile(
    r"^\s*(?:require\s+)?(?P<path>[^\s()\"'/][^\s()\"']*)\s+(?P<version>v[^\s]+)\s*(?P<comment>//.*)?$"
)
_CARGO_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("dev-dependencies", "development"),
    ("build-dependencies", "build"),
)


def read_go_mod(collector: Collector) -> None:
    """Fill `collector` from a go.mod text (see the module docstring)."""
    in_block = False
    for number, raw in enumerate(collector.text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("module ") or line.startswith("module\t"):
            path = line.split(None, 1)[1].split("//", 1)[0].strip().strip('"')
            namespace, name = split_path(path)
            if name:
                collector.publish("golang", name, namespace=namespace, line=number)
            continue
        if line.startswith("require") and line.endswith("("):
            in_block = True
            continue
        if in_block and line.startswith(")"):
            in_block = False
            continue
        if not (in_block or line.startswith("require ")):
            continue
        match = _GO_REQUIRE.match(line)
        if match is None:
            if line and not line.startswith("//"):
                collector.warn(
                    f"{collector.path}:{number}: {line[:80]!r} is not a module requirement", number
                )
            continue
        namespace, name = split_path(match.group("path"))
        version = match.group("version")
        indirect = "indirect" in (match.group("comment") or "")
        collector.use(
            "golang",
            name,
            namespace=namespace,
            version=version,
            requirement=version,
            scope="indirect" if indirect else "runtime",
            line=number,
        )


def _cargo_dependencies(
    collector: Collector, entries: dict[str, Any], scope: Scope, header: str
) -> None:
    for dependency, spec in entries.items():
        entry = table(spec)
        if "path" in entry or "git" in entry:
            continue
        renamed = entry.get("package")
        crate = renamed if isinstance(renamed, str) else dependency
        version = spec if isinstance(spec, str) else entry.get("version")
        requirement = version if isinstance(version, str) else None
        collector.use(
            "cargo",
            crate,
            version=exact_version(requirement.lstrip("="))
            if requirement and requirement.startswith("=")
            else None,
            requirement=requirement,
            scope=scope,
            line=collector.line_of(dependency, after=header),
        )


def read_cargo_toml(collector: Collector) -> None:
    """Fill `collector` from a Cargo.toml text (see the module docstring)."""
    data = load_toml(collector)
    package = table(data.get("package"))
    if package.get("publish") is not False:
        publish_package(collector, "cargo", package, "[package]")
    for section, scope in _CARGO_SECTIONS:
        _cargo_dependencies(collector, table(data.get(section)), scope, f"[{section}]")
        for target, content in table(data.get("target")).items():
            _cargo_dependencies(
                collector,
                table(table(content).get(section)),
                scope,
                f"[target.{target}.{section}]",
            )
