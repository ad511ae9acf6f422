"""Records with manifests for the reuse tests: a publisher, users, a fork, an internal user."""

from __future__ import annotations

from typing import Any

from schemas.manifests import Manifest, Packages, PackageUse, PublishedPackage
from schemas.record import Record
from tests.store.builders import make_record

PUBLISHED = "pkg:npm/%40land/formular"


def published(purl: str = PUBLISHED, path: str = "package.json") -> PublishedPackage:
    """A package publication named by `path` line 2."""
    return PublishedPackage(purl=purl, key=purl, path=path, line=2)


def use(
    purl: str = PUBLISHED, *, scope: str = "runtime", path: str = "package.json", line: int = 7
) -> PackageUse:
    """A dependency on `purl` at `path` line `line`."""
    return PackageUse.model_validate(
        {
            "purl": purl,
            "key": purl,
            "requirement": "^1.0.0",
            "scope": scope,
            "path": path,
            "line": line,
        }
    )


def record_with(
    url: str,
    *,
    publishes: list[PublishedPackage] | None = None,
    uses: list[PackageUse] | None = None,
    page: str | None = None,
    **changes: Any,
) -> Record:
    """A declared record at `url` whose package.json publishes/uses the given packages."""
    packages = Packages(
        manifests=[Manifest(path="package.json", url=page or f"{url}/blob/main/package.json")],
        publishes=publishes or [],
        uses=uses or [],
    )
    return make_record(url, packages=packages, **changes)
