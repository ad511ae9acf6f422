"""Gemfile (Ruby) and *.csproj (.NET).

Gemfile: the usual one-line declarations ``gem "name", "~> 1.2"`` (inside ``group :test do``
blocks the scope follows the group); a Gemfile is Ruby code, so computed names are not read, and
the gem a repository publishes lives in its .gemspec, which is not fetched. *.csproj: each
``<PackageReference Include="…" Version="…"/>`` (the version as attribute or child element),
and ``<PackageId>`` as the published NuGet package, read with defusedxml.
"""

from __future__ import annotations

import re

from schemas.manifests.model import Scope
from schemas.manifests.reading import Collector, exact_version, load_xml, local_name

_GEM = re.compile(r"""^\s*gem\s*\(?\s*["'](?P<name>[A-Za-z0-9._-]+)["'](?P<rest>.*)$""")
_GEM_VERSION = re.compile(r"""^\s*,\s*["'](?P<version>[^"']+)["']""")
_GROUP = re.compile(r"^\s*group\s*\(?\s*(?P<groups>[^)]*?)\)?\s*do\b")


def _group_scope(groups: str) -> Scope:
    if "test" in groups:
        return "test"
    if "development" in groups:
        return "development"
    return "runtime"


def read_gemfile(collector: Collector) -> None:
    """Fill `collector` from a Gemfile text (see the module docstring)."""
    scopes: list[Scope] = []
    for number, line in enumerate(collector.text.splitlines(), start=1):
        group = _GROUP.match(line)
        if group:
            scopes.append(_group_scope(group.group("groups")))
            continue
        if scopes and line.strip() == "end":
            scopes.pop()
            continue
        match = _GEM.match(line)
        if match is None:
            continue
        version = _GEM_VERSION.match(match.group("rest"))
        requirement = version.group("version") if version else None
        collector.use(
            "gem",
            match.group("name"),
            version=exact_version(requirement) if requirement else None,
            requirement=requirement,
            scope=scopes[-1] if scopes else "runtime",
            line=number,
        )


def read_csproj(collector: Collector) -> None:
    """Fill `collector` from a *.csproj text (see the module docstring)."""
    root = load_xml(collector)
    if root is None:
        return
    for element in root.iter():
        tag = local_name(element.tag)
        if tag == "PackageId" and element.text and element.text.strip():
            name = element.text.strip()
            collector.publish("nuget", name, line=collector.line_of(f"<PackageId>{name}"))
        elif tag == "PackageReference":
            name = (element.get("Include") or element.get("Update") or "").strip()
            if not name:
                continue
            version = element.get("Version")
            if version is None:
                child = next((c for c in element if local_name(c.tag) == "Version"), None)
                version = child.text.strip() if child is not None and child.text else None
            build_only = (element.get("PrivateAssets") or "").strip().lower() == "all"
            collector.use(
                "nuget",
                name,
                version=exact_version(version) if version else None,
                requirement=version,
                scope="build" if build_only else "runtime",
                line=collector.line_of(f'"{name}"', after="<PackageReference"),
            )
