"""Repository facts: what a crawl reads about a repository beyond its forge metadata (pure data).

Two shapes, one per stage:

* `CrawledFacts` is what the crawl fetched with the listing queries (the root listing, the
  README and LICENSE texts, the dependency manifests, releases, commit dates and counts, open
  issues). It travels in `schemas.forge.ForgeFacts.repository` and is stored in the snapshot's
  payload (key ``repository``), so re-normalisation needs no network.
* `RepositoryFacts` is what a record keeps (`schemas.record.Repository.facts`): the same facts
  without the manifest texts, the README cut to `KEPT_README_CHARS` and the LICENSE text
  reduced to the SPDX id it was recognised as. Maturity (`schemas.maturity`) and the drafter
  (`schemas.draft`) read only this.

Unknown is None (or an empty list), never a guessed value: a forge that does not say how many
releases a repository has gives ``releases_count=None``, not 0. `root` is None when the root
listing was not read (an old snapshot, a kind that cannot list it), and ``[]`` for an empty
repository.

`root_files` classifies the root listing into the well-known files (README, LICENSE, ...) by
the names every forge and community uses; it is the one place that knows those names.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

README_LIMIT = 64 * 1024
"""Bytes of README text the crawl keeps in the snapshot (issue: "first 64 KiB")."""
KEPT_README_CHARS = 8 * 1024
"""Characters of README text a record keeps (description fallback, search, the drafter)."""
LICENCE_TEXT_LIMIT = 32 * 1024
"""Bytes of LICENSE text the crawl reads to recognise the licence."""
MANIFEST_LIMIT = 256 * 1024
"""Bytes of one dependency manifest the crawl reads (`schemas.manifests` bounds parsing too)."""
MAX_ROOT_ENTRIES = 500
"""Root entries kept; a root with more is cut, and `root_truncated` says so."""

EntryType = Literal["file", "dir", "link", "submodule"]

FileKind = Literal[
    "readme",
    "licence",
    "contributing",
    "security",
    "code_of_conduct",
    "changelog",
    "ci",
    "container",
    "openapi",
]
FILE_KINDS: tuple[FileKind, ...] = get_args(FileKind)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RootEntry(_Model):
    """One file or folder at the repository root (or, for CI, under ``.github/workflows``)."""

    name: str = Field(description="path relative to the root, e.g. README.md or .github/workflows")
    type: EntryType = "file"
    size: int | None = Field(default=None, description="bytes, where the forge says")


class FetchedFile(_Model):
    """A file the crawl fetched: its path, its bounded text, and whether it was cut short."""

    path: str
    text: str | None = Field(default=None, description="decoded text, None when not decodable")
    size: int | None = Field(default=None, description="the file's full size in bytes, if known")
    truncated: bool = Field(default=False, description="the crawl read only the first part")


class Release(_Model):
    """The latest release of a repository (or its latest tag where the forge has no releases)."""

    tag: str
    name: str | None = None
    published_at: datetime | None = None
    prerelease: bool = False


class _History(_Model):
    """The facts both shapes share."""

    empty: bool | None = Field(default=None, description="the repository has no commit")
    root: list[RootEntry] | None = Field(
        default=None, description="root files and folders; None when not read"
    )
    root_truncated: bool = False
    releases_count: int | None = None
    latest_release: Release | None = None
    last_commit_at: datetime | None = Field(
        default=None, description="date of the default branch's head commit"
    )
    commits_last_year: int | None = Field(
        default=None, description="default-branch commits in the 365 days before the crawl"
    )
    open_issues: int | None = None


class CrawledFacts(_History):
    """What the crawl fetched (module docstring); lives in the snapshot payload."""

    readme: FetchedFile | None = Field(default=None, description="first README_LIMIT bytes")
    licence_file: FetchedFile | None = Field(
        default=None, description="first LICENCE_TEXT_LIMIT bytes of LICENSE/LICENCE/COPYING"
    )
    files: list[FetchedFile] = Field(
        default_factory=list, description="dependency manifests at the root (never in a record)"
    )


class RepositoryFacts(_History):
    """What a record keeps of the crawled facts (module docstring)."""

    readme_path: str | None = None
    readme_size: int | None = Field(default=None, description="bytes of the whole README")
    readme_text: str | None = Field(
        default=None, description="the README's first KEPT_README_CHARS characters"
    )
    licence_path: str | None = None
    licence_from_file: str | None = Field(
        default=None, description="SPDX id recognised in the LICENSE file's text"
    )


# The names below follow GitHub's community-profile checks and the usual spellings on
# GitLab/Gitea hosts (docs.github.com "About community profiles"), in English and German.
_PATTERNS: dict[FileKind, re.Pattern[str]] = {
    "readme": re.compile(r"^(readme|liesmich|leggimi|lisezmoi)([._-][\w.-]*)?$", re.I),
    "licence": re.compile(r"^(licen[sc]e|copying|unlicen[sc]e|lizenz)([._-][\w.-]*)?$", re.I),
    "contributing": re.compile(r"^(contributing|mitwirken|beitragen)([._-][\w.-]*)?$", re.I),
    "security": re.compile(r"^security([._-][\w.-]*)?$", re.I),
    "code_of_conduct": re.compile(r"^code[_-]of[_-]conduct([._-][\w.-]*)?$", re.I),
    "changelog": re.compile(r"^(changelog|changes|history|news|releases?)([._-][\w.-]*)?$", re.I),
    "ci": re.compile(
        r"^(\.gitlab-ci\.ya?ml|\.github/workflows(/.*)?|\.woodpecker(\.ya?ml)?|\.drone\.ya?ml"
        r"|\.travis\.ya?ml|jenkinsfile|\.circleci|azure-pipelines\.ya?ml|bitbucket-pipelines\.yml"
        r"|\.gitea/workflows(/.*)?|\.forgejo/workflows(/.*)?)$",
        re.I,
    ),
    "container": re.compile(
        r"^(dockerfile([._-][\w.-]*)?|containerfile|[\w.-]*\.dockerfile"
        r"|(docker-)?compose(\.[\w-]+)?\.ya?ml|helm|charts?)$",
        re.I,
    ),
    "openapi": re.compile(r"^(openapi|swagger)([._-][\w.-]*)?\.(ya?ml|json)$", re.I),
}
_FOLDER_KINDS: frozenset[FileKind] = frozenset({"ci", "container"})
"""Kinds a folder may stand for (``.github/workflows``, ``.circleci``, ``helm``); the others
must be files (a ``licenses/`` folder is not a LICENSE file)."""


def root_kind(entry: RootEntry) -> FileKind | None:
    """The well-known kind of one root entry, or None."""
    for kind, pattern in _PATTERNS.items():
        if pattern.match(entry.name):
            if entry.type == "dir" and kind not in _FOLDER_KINDS:
                continue
            return kind
    return None


def root_files(root: list[RootEntry] | None) -> dict[FileKind, RootEntry | None] | None:
    """For each well-known kind, the root entry that is one (the shortest name wins, so
    ``README.md`` beats ``README.de.md``); None when the root listing was not read."""
    if root is None:
        return None
    found: dict[FileKind, RootEntry | None] = dict.fromkeys(FILE_KINDS)
    for entry in root:
        kind = root_kind(entry)
        if kind is None:
            continue
        current = found[kind]
        if current is None or (len(entry.name), entry.name) < (len(current.name), current.name):
            found[kind] = entry
    return found
