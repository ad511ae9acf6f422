"""What every manifest parser shares: the bounded collector of packages and findings.

A parser reads one manifest text and reports into a `Collector`: published packages, used
packages (at most `MAX_USES` per manifest) and findings. Lines are located by searching the
text for the quoted name after the section it belongs to (`Collector.line_of`): the parsers
used (json, tomllib, defusedxml) keep no positions, and a name is written once per section in
every real manifest, so the first occurrence after the section's start is the declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict, Unpack
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from schemas.findings import Finding
from schemas.manifests import purls
from schemas.manifests.model import ManifestResult, PackageUse, PublishedPackage, Scope

MAX_MANIFEST_CHARS = 512 * 1024
"""Longer manifest texts are not parsed (a finding says so): real ones are far smaller."""
MAX_USES = 2000
"""Dependencies kept per manifest; a lock file of a large application has about 1,500."""


class PackageDetails(TypedDict, total=False):
    """What a manifest may say of a package besides its type and name: its namespace (npm
    scope, Maven group, Go module path), its exact version, and the line it stands on."""

    namespace: str | None
    version: str | None
    line: int | None


@dataclass
class Collector:
    """Packages and findings of one manifest `path` whose text is `text` (see module docstring)."""

    path: str
    text: str
    publishes: list[PublishedPackage] = field(default_factory=list)
    uses: list[PackageUse] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _dropped: int = 0
    _lines: list[int] | None = None

    def line_at(self, offset: int) -> int:
        """The 1-based line of character `offset`."""
        if self._lines is None:
            self._lines = [i for i, char in enumerate(self.text) if char == "\n"]
        low, high = 0, len(self._lines)
        while low < high:
            middle = (low + high) // 2
            if self._lines[middle] < offset:
                low = middle + 1
            else:
                high = middle
        return low + 1

    def line_of(self, needle: str, *, after: str | None = None) -> int | None:
        """The line of the first `needle` after the first `after` (or anywhere), or None."""
        start = 0
        if after is not None:
            found = self.text.find(after)
            start = found if found >= 0 else 0
        offset = self.text.find(needle, start)
        if offset < 0 and start:
            offset = self.text.find(needle)
        return self.line_at(offset) if offset >= 0 else None

    def warn(self, message: str, line: int | None = None, key: str | None = None) -> None:
        """Add a warning about this manifest (never an error: manifests do not decide validity)."""
        self.findings.append(
            Finding(
                type="warning",
                key=key or self.path,
                line=line,
                message=message,
                code="manifest.warning",
                params={"path": self.path, "message": message},
            )
        )

    def publish(self, type_: str, name: str, **package: Unpack[PackageDetails]) -> None:
        """Record that the repository publishes this package (ignored when it forms no purl)."""
        identified = self._identified(type_, name, package, "package")
        if identified is not None:
            purl, key = identified
            self.publishes.append(
                PublishedPackage(purl=purl, key=key, path=self.path, line=package.get("line"))
            )

    def use(
        self,
        type_: str,
        name: str,
        *,
        requirement: str | None = None,
        scope: Scope = "runtime",
        **package: Unpack[PackageDetails],
    ) -> None:
        """Record one dependency; the first of a (package, scope) pair wins, extras are counted."""
        identified = self._identified(type_, name, package, "dependency")
        if identified is None:
            return
        purl, key = identified
        if (key, scope) in self._seen:
            return
        if len(self.uses) >= MAX_USES:
            self._dropped += 1
            return
        self._seen.add((key, scope))
        if requirement is not None:
            requirement = requirement.strip()[:200] or None
        self.uses.append(
            PackageUse(
                purl=purl,
                key=key,
                requirement=requirement,
                scope=scope,
                path=self.path,
                line=package.get("line"),
            )
        )

    def _identified(
        self, type_: str, name: str, package: PackageDetails, what: str
    ) -> tuple[str, str] | None:
        """The purl and key of a package; None, with a warning naming it a `what`, when it
        forms no purl."""
        purl = purls.package_url(
            type_, name, namespace=package.get("namespace"), version=package.get("version")
        )
        key = purls.key(purl) if purl else None
        if purl is None or key is None:
            self.warn(
                f"{self.path}: the {what} name {name!r} is not a valid package name",
                package.get("line"),
            )
            return None
        return purl, key

    def result(self) -> ManifestResult:
        """What was collected, with a finding when dependencies were left out."""
        if self._dropped:
            self.warn(
                f"{self.path} names more than {MAX_USES} dependencies; "
                f"{self._dropped} more were left out"
            )
        return ManifestResult(
            path=self.path,
            publishes=self.publishes,
            uses=self.uses,
            findings=self.findings,
        )


def exact_version(requirement: str) -> str | None:
    """The version a requirement pins exactly (``1.2.3``, ``=1.2.3``, ``==1.2.3``), else None."""
    value = requirement.strip().lstrip("=").strip()
    if value and all(char.isalnum() or char in ".-+_" for char in value) and value[0].isdigit():
        return value
    return None


def load_xml(collector: Collector) -> Element | None:
    """The manifest's XML root element (read by defusedxml: DTDs, entities and external
    references are refused), or None with a finding saying what is wrong."""
    try:
        root: Element = fromstring(collector.text)
    except DefusedXmlException as error:
        collector.warn(
            f"{collector.path} uses a DTD or entities, which are refused "
            f"({type(error).__name__}); its dependencies were not read"
        )
        return None
    except ParseError as error:
        line = error.position[0] if error.position and error.position[0] >= 1 else None
        collector.warn(
            f"{collector.path} is not well-formed XML ({error}); its dependencies were not read",
            line,
        )
        return None
    return root


def local_name(tag: object) -> str:
    """An XML tag without its namespace (``{http://maven.apache.org/POM/4.0.0}project`` → project)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
