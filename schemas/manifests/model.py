"""What a dependency manifest says: the packages a repository publishes and the ones it uses.

Pure data, shared by the parsers (`schemas.manifests`), normalisation (which keeps the result in
`Record.packages`), the store (which indexes the package keys for reverse lookups) and the API
(reuse panels, SBOM). Packages are named by package URLs (https://github.com/package-url/purl-spec);
`key` is the purl without version, qualifiers and subpath, with the ecosystem's own name folding,
so a dependency and a publication of the same package compare equal whatever version they name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.findings import Finding

Scope = Literal["runtime", "development", "optional", "peer", "build", "test", "indirect"]
"""How a repository uses a package: ``indirect`` are names from lock files and indirect
requirements (go.mod ``// indirect``), the rest as the manifest groups them."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PublishedPackage(_Frozen):
    """A package the repository publishes (its package identity), from one manifest."""

    purl: str = Field(description="package URL, with the version the manifest names if any")
    key: str = Field(description="package URL without version: what dependencies are matched on")
    path: str = Field(description="manifest path in the repository, e.g. package.json")
    line: int | None = Field(default=None, ge=1, description="1-based line of the name, or null")


class PackageUse(_Frozen):
    """A package the repository depends on, named by one manifest line."""

    purl: str = Field(description="package URL, with the version when the manifest pins one")
    key: str = Field(description="package URL without version: what publications are matched on")
    requirement: str | None = Field(
        default=None, description="version requirement as written, e.g. ^4.17.0"
    )
    scope: Scope = "runtime"
    path: str = Field(description="manifest path in the repository")
    line: int | None = Field(default=None, ge=1, description="1-based line, or null")


class Manifest(_Frozen):
    """A manifest normalisation read: its path and the forge's web page of it (for evidence)."""

    path: str
    url: str | None = Field(
        default=None, description="web page of the file on the forge; add #L<line> for a line"
    )


class Packages(_Frozen):
    """What a repository's dependency manifests say (`Record.packages`)."""

    manifests: list[Manifest] = Field(default_factory=list)
    publishes: list[PublishedPackage] = Field(default_factory=list)
    uses: list[PackageUse] = Field(default_factory=list)


class ManifestResult(_Frozen):
    """One manifest parsed: what it publishes, what it uses, and what was wrong with it."""

    path: str
    publishes: list[PublishedPackage] = Field(default_factory=list)
    uses: list[PackageUse] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
