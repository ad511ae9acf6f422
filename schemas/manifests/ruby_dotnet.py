"""Gemfile (Ruby) and *.csproj (.NET).

Gemfile: the usual one-line declarations ``gem "name", "~> 1.2"`` (inside ``group :test do``
blocks the scope follows the group); a Gemfile is Ruby code, so computed names are not read, and
the gem a repository publishes lives in its .gemspec, which is not fetched. *.csproj: each
``<PackageReference Include="…" Version="…"/>`` (the version as attribute or child element),
and ``<PackageId>`` as the published NuGet package, read with defusedxml.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from schemas.manifests.model import Scope
from schemas.manifests.reading import Collector, exact_version

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


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_csproj(collector: Collector) -> None:
    """Fill `collector` from a *.csproj text (see the module docstring)."""
    try:
        root = fromstring(collector.text)
    except DefusedXmlException as error:
        collector.warn(
            f"{collector.path} uses a DTD or entities, which are refused ({type(error).__name__}); its dependencies were not read"
        )
        return
    except ParseError as error:
        line = error.position[0] if error.position and error.position[0] >= 1 else None
        collector.warn(
            f"{collector.path} is not well-formed XML ({error}); its dependencies were not read",
            line,
        )
        return
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "PackageId" and element.text and element.text.strip():
            name = element.text.strip()
            collector.publish("nuget", name, line=collector.line_of(f"<PackageId>{name}"))
        elif tag == "PackageReference":
            name = (element.get("Include") or element.get("Update") or "").strip()
            if not name:
                continue
            version = element.get("Version")
            if version is None:
                child = next((c for c in element if _local(c.tag) == "Version"), None)
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
