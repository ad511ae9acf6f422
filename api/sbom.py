"""A CycloneDX 1.6 SBOM of one catalogue software, built with cyclonedx-python-lib.

The software is the root component (its published package URL when a manifest names one, its
licence expression, its repository as the VCS reference); every package its manifests and its
publiccode.yml ``dependsOn`` name is a component with its purl, the manifest line as a property
and a scope (``required``, or ``optional`` for optional, development, test and build
dependencies). The root depends on the direct dependencies; lock-file names (indirect) are
listed as components only, since the crawl reads no dependency tree. The same record always
gives the same document apart from the serial number and timestamp the library stamps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packageurl import PackageURL

from schemas.manifests.model import PackageUse
from schemas.record import Record

if TYPE_CHECKING:
    from cyclonedx.model.component import Component

SBOM_MEDIA_TYPE = "application/vnd.cyclonedx+json"
_REQUIRED = frozenset({"runtime", "peer"})


def _component(use: PackageUse) -> Component | None:
    from cyclonedx.model import Property
    from cyclonedx.model.component import Component, ComponentScope, ComponentType

    try:
        purl = PackageURL.from_string(use.purl)
    except (ValueError, TypeError):  # packageurl refuses some texts with a TypeError
        return None
    where = f"{use.path}:{use.line}" if use.line else use.path
    properties = [Property(name="codereuse:manifest", value=where)]
    properties.append(Property(name="codereuse:scope", value=use.scope))
    if use.requirement:
        properties.append(Property(name="codereuse:requirement", value=use.requirement))
    return Component(
        type=ComponentType.LIBRARY,
        name=purl.name,
        group=purl.namespace or None,
        version=purl.version or None,
        purl=purl,
        bom_ref=use.purl,
        scope=ComponentScope.REQUIRED if use.scope in _REQUIRED else ComponentScope.OPTIONAL,
        properties=properties,
    )


def _root(record: Record) -> Component:
    from cyclonedx.contrib.license.factories import LicenseFactory
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component, ComponentType

    published = record.packages.publishes[0].purl if record.packages.publishes else None
    licences = []
    expression = record.licence.expression if record.licence else record.repository.licence
    if expression:
        licences = [LicenseFactory().make_from_string(expression)]
    references = [ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(record.url))]
    if record.landing_url:
        references.append(
            ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(record.landing_url))
        )
    return Component(
        type=ComponentType.APPLICATION,
        name=record.name,
        version=record.software_version or None,
        bom_ref=record.id,
        purl=PackageURL.from_string(published) if published else None,
        licenses=licences,
        external_references=references,
        supplier=None,
    )


def sbom_json(record: Record) -> str:
    """The CycloneDX 1.6 JSON document of `record` (see the module docstring).

    cyclonedx-python-lib is imported on the first SBOM, not with the app (like pyarrow): it adds
    about half a second to every server process's start, and most never write an SBOM.
    """
    from cyclonedx.model.bom import Bom
    from cyclonedx.output.json import JsonV1Dot6

    bom = Bom()
    root = _root(record)
    bom.metadata.component = root
    direct: list[Component] = []
    seen: set[str] = set()
    for use in sorted(record.packages.uses, key=lambda use: use.scope == "indirect"):
        if use.purl in seen:
            continue
        component = _component(use)
        if component is None:
            continue
        seen.add(use.purl)
        bom.components.add(component)
        if use.scope != "indirect":
            direct.append(component)
    bom.register_dependency(root, direct)
    return JsonV1Dot6(bom).output_as_string(indent=2)
