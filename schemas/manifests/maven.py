"""Maven coordinates: pom.xml (read with defusedxml) and build.gradle(.kts) (a bounded subset).

pom.xml publishes ``groupId:artifactId`` (the groupId and version inherited from ``<parent>``
when not given) and uses ``<dependencies>`` (not ``<dependencyManagement>``, which only pins
versions); ``${property}`` versions are resolved from ``<properties>`` and ``project.version``,
anything else unresolved is kept as the requirement without a purl version. defusedxml refuses
DTDs, entities and external references: a POM using them is a finding.

Gradle builds are programs; only the usual declaration forms are read, one per line:
``implementation 'g:a:v'``, ``implementation("g:a:v")``, ``api group: 'g', name: 'a', version: 'v'``
with the configurations in `_CONFIGURATIONS`; a top-level ``group = 'g'`` with a maven
publication's ``artifactId = 'a'`` is what the build publishes. Variables, version catalogs
(``libs.x``) and platform()/project() calls are not evaluated.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from schemas.manifests.model import Scope
from schemas.manifests.reading import Collector, exact_version, load_xml, local_name

_MAVEN_SCOPES: dict[str, Scope] = {
    "compile": "runtime",
    "runtime": "runtime",
    "provided": "build",
    "system": "build",
    "test": "test",
    "import": "build",
}
_CONFIGURATIONS: dict[str, Scope] = {
    "implementation": "runtime",
    "api": "runtime",
    "compile": "runtime",
    "runtimeOnly": "runtime",
    "compileOnly": "build",
    "annotationProcessor": "build",
    "kapt": "build",
    "classpath": "build",
    "testImplementation": "test",
    "testRuntimeOnly": "test",
    "testCompileOnly": "test",
    "testCompile": "test",
}
_PROPERTY = re.compile(r"\$\{([^}]{1,200})\}")
_GRADLE_STRING = re.compile(
    r"^\s*(?P<conf>[A-Za-z]+)\s*\(?\s*[\"'](?P<group>[^\"':\s]+):(?P<name>[^\"':\s]+)(?::(?P<version>[^\"'\s]+))?[\"']"
)
_GRADLE_MAP = re.compile(
    r"^\s*(?P<conf>[A-Za-z]+)\s*\(?\s*group\s*[:=]\s*[\"'](?P<group>[^\"']+)[\"']\s*,\s*name\s*[:=]\s*[\"'](?P<name>[^\"']+)[\"'](?:\s*,\s*version\s*[:=]\s*[\"'](?P<version>[^\"']+)[\"'])?"
)
_GRADLE_GROUP = re.compile(r"^group\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_GRADLE_ARTIFACT = re.compile(r"^\s*artifactId\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _text(element: Element | None, name: str) -> str | None:
    child = _child(element, name) if element is not None else None
    text = child.text.strip() if child is not None and child.text else ""
    return text or None


def _resolve(value: str | None, properties: dict[str, str]) -> str | None:
    if value is None:
        return None
    return _PROPERTY.sub(lambda match: properties.get(match.group(1), match.group(0)), value)


def read_pom(collector: Collector) -> None:
    """Fill `collector` from a pom.xml text (see the module docstring)."""
    root = load_xml(collector)
    if root is None:
        return
    if local_name(root.tag) != "project":
        collector.warn(
            f"{collector.path} should have <project> as its root element; its dependencies were not read"
        )
        return
    parent = _child(root, "parent")
    group = _text(root, "groupId") or _text(parent, "groupId")
    version = _text(root, "version") or _text(parent, "version")
    properties = {
        local_name(child.tag): (child.text or "").strip()
        for child in (_child(root, "properties") or [])
    }
    if version:
        properties |= {"project.version": version, "version": version}
    artifact = _text(root, "artifactId")
    if group and artifact:
        resolved = _resolve(version, properties)
        collector.publish(
            "maven",
            artifact,
            namespace=_resolve(group, properties),
            version=resolved if resolved and exact_version(resolved) else None,
            line=collector.line_of(f"<artifactId>{artifact}</artifactId>"),
        )
    dependencies = _child(root, "dependencies")
    for dependency in dependencies if dependencies is not None else []:
        if local_name(dependency.tag) != "dependency":
            continue
        dep_group = _resolve(_text(dependency, "groupId"), properties)
        dep_artifact = _resolve(_text(dependency, "artifactId"), properties)
        if not dep_group or not dep_artifact:
            collector.warn(f"{collector.path}: a <dependency> lacks its groupId or artifactId")
            continue
        requirement = _resolve(_text(dependency, "version"), properties)
        collector.use(
            "maven",
            dep_artifact,
            namespace=dep_group,
            version=requirement if requirement and exact_version(requirement) else None,
            requirement=requirement,
            scope=_MAVEN_SCOPES.get(_text(dependency, "scope") or "compile", "runtime"),
            line=collector.line_of(
                f"<artifactId>{_text(dependency, 'artifactId')}</artifactId>",
                after="<dependencies>",
            ),
        )


def read_gradle(collector: Collector) -> None:
    """Fill `collector` from a build.gradle or build.gradle.kts text (see the module docstring)."""
    group = _GRADLE_GROUP.search(collector.text)
    artifact = _GRADLE_ARTIFACT.search(collector.text)
    if group and artifact:
        collector.publish(
            "maven",
            artifact.group(1),
            namespace=group.group(1),
            line=collector.line_at(artifact.start(1)),
        )
    for number, line in enumerate(collector.text.splitlines(), start=1):
        match = _GRADLE_STRING.match(line) or _GRADLE_MAP.match(line)
        if match is None or match.group("conf") not in _CONFIGURATIONS:
            continue
        version = match.group("version")
        collector.use(
            "maven",
            match.group("name"),
            namespace=match.group("group"),
            version=exact_version(version) if version and "$" not in version else None,
            requirement=version,
            scope=_CONFIGURATIONS[match.group("conf")],
            line=number,
        )
