"""Dependency manifests: which file is one, and what it publishes and uses (pure, no I/O).

`manifest_reader(path)` names the parser of a root file (None: not a manifest we read);
`parse_manifest(path, text)` runs it and never raises: a malformed, oversized or hostile
manifest gives a `ManifestResult` whose findings say what is wrong (warnings; a manifest never
makes a record invalid). `packages_from_manifests` folds many results into `Packages`.

Kinds read (one module each): package.json and package-lock.json (`npm`), composer.json
(`composer`), pom.xml and build.gradle(.kts) (`maven`), pyproject.toml, requirements*.txt and
setup.cfg (`python`), go.mod and Cargo.toml (`native`), Gemfile and *.csproj (`ruby_dotnet`);
publiccode.yml ``dependsOn`` is read by `uses_from_publiccode`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence

from schemas.manifests.composer import read_composer_json
from schemas.manifests.maven import read_gradle, read_pom
from schemas.manifests.model import (
    Manifest,
    ManifestResult,
    Packages,
    PackageUse,
    PublishedPackage,
    Scope,
)
from schemas.manifests.native import read_cargo_toml, read_go_mod
from schemas.manifests.npm import read_package_json, read_package_lock
from schemas.manifests.purls import key as purl_key
from schemas.manifests.purls import package_url
from schemas.manifests.python import read_pyproject, read_requirements, read_setup_cfg
from schemas.manifests.reading import MAX_MANIFEST_CHARS, Collector
from schemas.manifests.ruby_dotnet import read_csproj, read_gemfile

Reader = Callable[[Collector], None]

READERS: tuple[tuple[str, Reader], ...] = (
    ("package.json", read_package_json),
    ("package-lock.json", read_package_lock),
    ("composer.json", read_composer_json),
    ("pom.xml", read_pom),
    ("build.gradle", read_gradle),
    ("build.gradle.kts", read_gradle),
    ("pyproject.toml", read_pyproject),
    ("requirements*.txt", read_requirements),
    ("setup.cfg", read_setup_cfg),
    ("go.mod", read_go_mod),
    ("Cargo.toml", read_cargo_toml),
    ("Gemfile", read_gemfile),
    ("*.csproj", read_csproj),
)
"""File-name pattern → parser, matched case-sensitively against the file's base name."""


def manifest_reader(path: str) -> Reader | None:
    """The parser of the manifest at `path` (only its base name counts), or None."""
    name = path.rsplit("/", 1)[-1]
    for pattern, reader in READERS:
        if fnmatch.fnmatchcase(name, pattern):
            return reader
    return None


def parse_manifest(path: str, text: str, *, truncated: bool = False) -> ManifestResult:
    """What the manifest `text` at `path` publishes and uses; never raises (module docstring).

    `truncated` says the crawl fetched only the start of the file: it is not parsed (a cut
    JSON or XML file cannot be read, and a cut list would pass for the whole), a finding says so.
    """
    collector = Collector(path=path, text=text)
    reader = manifest_reader(path)
    if reader is None:
        collector.warn(f"{path} is not a dependency manifest codereuse reads")
    elif truncated:
        collector.warn(f"{path} is larger than the crawl fetches; its dependencies were not read")
    elif len(text) > MAX_MANIFEST_CHARS:
        collector.warn(
            f"{path} has {len(text):,} characters, more than the {MAX_MANIFEST_CHARS:,} read; "
            "its dependencies were not read"
        )
    else:
        reader(collector)
    return collector.result()


def uses_from_publiccode(
    dependencies: Iterable[tuple[str, str | None, bool]], path: str
) -> list[PackageUse]:
    """publiccode.yml ``dependsOn`` entries, (name, version, optional), as generic packages.

    dependsOn names software in free text ("PostgreSQL"), not registry packages: the purl is
    ``pkg:generic/<name>``, which no manifest publication matches (SBOM components only).
    """
    uses: list[PackageUse] = []
    for name, version, optional in dependencies:
        purl = package_url("generic", name.strip(), version=version)
        key = purl_key(purl) if purl else None
        if purl and key:
            scope: Scope = "optional" if optional else "runtime"
            uses.append(PackageUse(purl=purl, key=key, requirement=version, scope=scope, path=path))
    return uses


def packages_from_manifests(
    results: Sequence[ManifestResult], urls: dict[str, str | None] | None = None
) -> Packages:
    """One `Packages` from the results of a repository's manifests (`urls`: path → web page)."""
    urls = urls or {}
    publishes: dict[str, PublishedPackage] = {}
    uses: list[PackageUse] = []
    for result in results:
        for package in result.publishes:
            publishes.setdefault(package.key, package)
        uses.extend(result.uses)
    return Packages(
        manifests=[Manifest(path=result.path, url=urls.get(result.path)) for result in results],
        publishes=list(publishes.values()),
        uses=uses,
    )


__all__ = [
    "MAX_MANIFEST_CHARS",
    "READERS",
    "Manifest",
    "ManifestResult",
    "PackageUse",
    "Packages",
    "PublishedPackage",
    "manifest_reader",
    "packages_from_manifests",
    "parse_manifest",
    "uses_from_publiccode",
]
