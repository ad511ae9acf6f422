"""A repository's dependency manifests → `Record.packages` and warnings (pure).

Reads the manifest texts the crawl fetched with the listing (`ForgeFacts.repository.files`,
never kept in the record) and the publiccode.yml ``dependsOn`` entries. Each manifest gets the
forge's web page of the file (the kind's `file_page_url`), so a reuse link can point at the
manifest line. A manifest path longer than the store keeps, or beyond `MAX_MANIFESTS`, is left
out with a warning; everything else wrong with a manifest is a warning from its parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from schemas.findings import Finding
from schemas.manifests import (
    ManifestResult,
    Packages,
    manifest_reader,
    packages_from_manifests,
    parse_manifest,
    uses_from_publiccode,
)
from schemas.record import Dependency

MAX_MANIFESTS = 24
"""Manifests read per repository (a root rarely holds more than five)."""
MAX_PATH = 255


@dataclass(frozen=True)
class ManifestText:
    """A fetched root file: its path, its (bounded) text, and whether the crawl cut it short."""

    path: str
    text: str | None
    truncated: bool = False


def read_packages(
    files: Iterable[ManifestText],
    dependencies: Sequence[Dependency],
    *,
    publiccode_path: str | None,
    file_page: Callable[[str], str | None],
) -> tuple[Packages, list[Finding]]:
    """The packages of one repository and the warnings its manifests gave (module docstring)."""
    results: list[ManifestResult] = []
    findings: list[Finding] = []
    for file in files:
        if manifest_reader(file.path) is None or (file.text is None and not file.truncated):
            continue
        if len(results) >= MAX_MANIFESTS or len(file.path) > MAX_PATH:
            findings.append(
                Finding(
                    type="warning",
                    key=file.path[:MAX_PATH],
                    message=f"{file.path[:80]}: not read (more than {MAX_MANIFESTS} manifests, "
                    f"or a path over {MAX_PATH} characters)",
                    code="manifest.not_read",
                    params={"path": file.path[:80], "limit": MAX_MANIFESTS, "length": MAX_PATH},
                )
            )
            continue
        # A manifest larger than the crawl reads has no text: its finding says so.
        result = parse_manifest(file.path, file.text or "", truncated=file.truncated)
        results.append(result)
        findings.extend(result.findings)
    urls = {result.path: file_page(result.path) for result in results}
    packages = packages_from_manifests(results, urls)
    extra = []
    if publiccode_path is not None:
        extra = uses_from_publiccode(
            [
                (d.name, d.version or d.version_min, d.optional)
                for d in dependencies
                if d.kind == "open"
            ],
            publiccode_path,
        )
        packages = packages.model_copy(
            update={
                "manifests": [
                    *packages.manifests,
                    packages_from_manifests(
                        [ManifestResult(path=publiccode_path)],
                        {publiccode_path: file_page(publiccode_path)},
                    ).manifests[0],
                ],
                "uses": [*packages.uses, *extra],
            }
        )
    return packages, findings
