"""Repository facts on the crawl side, kind-neutral: which files to fetch, and `CrawledFacts`.

Every kind reads the root listing with its listing query (GitLab ``repository.tree``, GitHub
``object(expression: "HEAD:")``, Gitea ``/contents``), hands the entries to `root_entries`, asks
`wanted_files` which files of that root the crawl fetches — the README and the LICENSE file
`schemas.facts.root_files` picks, and the dependency manifests `schemas.manifests` reads — then
fetches them in batched requests (`file_batches` packs many repositories into one) and builds
the `CrawledFacts` with `crawled_facts`. Everything here is pure and never raises on hostile
values: a name that is no string, a negative size, a text that is no string are dropped.

Bounds: a README is kept to `README_LIMIT` bytes, a LICENSE text to `LICENCE_TEXT_LIMIT`, a
manifest to `MANIFEST_LIMIT` (a larger manifest is not fetched when the forge told its size:
it is kept as ``truncated`` without text, so normalisation says it was not read), at most
`MAX_MANIFESTS` manifests and `MAX_ROOT_ENTRIES` root entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from crawler.native import count, parse_time, text
from schemas.facts import (
    LICENCE_TEXT_LIMIT,
    MANIFEST_LIMIT,
    MAX_ROOT_ENTRIES,
    README_LIMIT,
    CrawledFacts,
    EntryType,
    FetchedFile,
    FileKind,
    Release,
    RootEntry,
    root_files,
)
from schemas.manifests import manifest_reader

MAX_MANIFESTS = 24
"""Manifests fetched per repository (`crawler.normalise.packages` reads no more)."""
MAX_PATH = 255
"""Longest file name asked for; a longer one is hostile or absurd and not fetched."""
FILES_PER_REQUEST = 300
"""Files asked for in one batched request (GitHub aliases, GitLab ``blobs(paths:)``)."""
BYTES_PER_REQUEST = 6 * 1024 * 1024
"""Expected answer size of one batched request, from the sizes the root listing told."""
UNKNOWN_SIZE = 16 * 1024
"""What a file whose size the listing did not tell is expected to weigh (GitLab trees)."""
YEAR = timedelta(days=365)

Role = Literal["readme", "licence", "manifest"]
_LIMITS: dict[Role, int] = {
    "readme": README_LIMIT,
    "licence": LICENCE_TEXT_LIMIT,
    "manifest": MANIFEST_LIMIT,
}
_TYPES: dict[str, EntryType] = {
    "file": "file",
    "blob": "file",
    "dir": "dir",
    "tree": "dir",
    "symlink": "link",
    "link": "link",
    "submodule": "submodule",
    "commit": "submodule",
}


@dataclass(frozen=True)
class Wanted:
    """One file the crawl fetches from a repository: its path, why, and its expected size."""

    path: str
    role: Role
    size: int | None = None

    @property
    def limit(self) -> int:
        """Bytes kept of it."""
        return _LIMITS[self.role]

    @property
    def too_large(self) -> bool:
        """A manifest the listing said is larger than the crawl reads: not fetched at all."""
        return self.role == "manifest" and self.size is not None and self.size > self.limit


def since_year(now: datetime) -> datetime:
    """The start of the "last 365 days" window, at midnight (a stable query text per day)."""
    return (now - YEAR).replace(hour=0, minute=0, second=0, microsecond=0)


def root_entries(items: Iterable[tuple[Any, Any, Any]]) -> tuple[list[RootEntry], bool]:
    """Root entries from ``(name, type, size)`` triples as a forge spelt them, and whether the
    listing was cut at `MAX_ROOT_ENTRIES`. Types are the forges' words (``blob``/``tree``/
    ``commit``, ``file``/``dir``/``symlink``/``submodule``); an unknown one is a file."""
    entries: list[RootEntry] = []
    seen: set[str] = set()
    truncated = False
    for name, kind, size in items:
        name = text(name)
        if name is None or len(name) > MAX_PATH or name in seen:
            continue
        if len(entries) >= MAX_ROOT_ENTRIES:
            truncated = True
            break
        seen.add(name)
        entry_type = _TYPES.get(kind.lower(), "file") if isinstance(kind, str) else "file"
        entries.append(RootEntry(name=name, type=entry_type, size=size_of(size)))
    return entries, truncated


def wanted_files(root: Sequence[RootEntry] | None) -> list[Wanted]:
    """The files of a root the crawl fetches: the README, the LICENSE file, the manifests."""
    if not root:
        return []
    wanted: list[Wanted] = []
    found = root_files(list(root)) or {}
    roles: tuple[tuple[FileKind, Role], ...] = (("readme", "readme"), ("licence", "licence"))
    for kind, role in roles:
        entry = found.get(kind)
        if entry is not None and entry.type == "file":
            wanted.append(Wanted(entry.name, role, entry.size))
    manifests = [e for e in root if e.type == "file" and manifest_reader(e.name) is not None]
    for entry in sorted(manifests, key=lambda e: e.name)[:MAX_MANIFESTS]:
        wanted.append(Wanted(entry.name, "manifest", entry.size))
    return wanted


def wanted_by_node(
    nodes: Iterable[Mapping[str, Any]], root_of: Callable[[Any], tuple[Any, bool]]
) -> list[tuple[str, list[Wanted]]]:
    """(node id, `wanted_files` of its root) of each GraphQL repository node with an id;
    `root_of` is the kind's reading of a node's root entries."""
    return [
        (node["id"], wanted_files(root_of(node)[0]))
        for node in nodes
        if isinstance(node.get("id"), str)
    ]


def to_fetch(wanted: Iterable[Wanted]) -> list[Wanted]:
    """The wanted files that are asked for (manifests known to be too large are not)."""
    return [item for item in wanted if not item.too_large]


def file_batches(
    repositories: Sequence[tuple[str, Sequence[Wanted]]],
) -> list[list[tuple[str, list[Wanted]]]]:
    """Repositories' files packed into requests of at most `FILES_PER_REQUEST` files and about
    `BYTES_PER_REQUEST` expected bytes; a repository is never split, one without files is left
    out. Keys are whatever the kind uses to name a repository in its query."""
    batches: list[list[tuple[str, list[Wanted]]]] = []
    current: list[tuple[str, list[Wanted]]] = []
    files = weight = 0
    for key, wanted in repositories:
        asked = to_fetch(wanted)
        if not asked:
            continue
        size = sum(min(w.size if w.size is not None else UNKNOWN_SIZE, w.limit) for w in asked)
        if current and (
            files + len(asked) > FILES_PER_REQUEST or weight + size > BYTES_PER_REQUEST
        ):
            batches.append(current)
            current, files, weight = [], 0, 0
        current.append((key, asked))
        files += len(asked)
        weight += size
    if current:
        batches.append(current)
    return batches


def size_of(value: Any) -> int | None:
    """A size in bytes: a non-negative integer, or its digits as a string (GitLab's BigInt)."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
        return int(value.strip())
    return count(value)


def fetched_file(path: str, content: Any, size: Any, limit: int) -> FetchedFile:
    """A fetched file kept to `limit` bytes (cut at a character boundary); `content` is the
    forge's text or bytes, anything else (binary, null) gives no text."""
    full = size_of(size)
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return FetchedFile(path=path, text=None, size=full)
    encoded = content.encode("utf-8", "replace")
    full = full if full is not None else len(encoded)
    if len(encoded) > limit:
        kept = encoded[:limit].decode("utf-8", "ignore")
        return FetchedFile(path=path, text=kept, size=full, truncated=True)
    return FetchedFile(path=path, text=content, size=full, truncated=full > len(encoded))


def release(tag: Any, name: Any, published: Any, prerelease: Any = False) -> Release | None:
    """A release from the forge's values; None without a tag."""
    tag = text(tag)
    if tag is None:
        return None
    return Release(
        tag=tag[:MAX_PATH],
        name=(text(name) or "")[:MAX_PATH] or None,
        published_at=parse_time(published),
        prerelease=prerelease is True,
    )


def crawled_facts(
    *,
    root: list[RootEntry] | None,
    root_truncated: bool = False,
    fetched: Mapping[str, FetchedFile] | None = None,
    empty: bool | None = None,
    releases_count: Any = None,
    latest_release: Release | None = None,
    last_commit_at: Any = None,
    commits_last_year: Any = None,
    open_issues: Any = None,
) -> CrawledFacts:
    """The `CrawledFacts` of one repository from its root listing and the files fetched for it
    (`fetched`: path → file, as the kind's batched request answered). A manifest the listing
    said is too large is kept as truncated without text."""
    fetched = fetched or {}
    readme = licence = None
    files: list[FetchedFile] = []
    for item in wanted_files(root):
        if item.too_large:
            files.append(FetchedFile(path=item.path, size=item.size, truncated=True))
            continue
        got = fetched.get(item.path)
        if got is None:
            continue
        if item.role == "readme":
            readme = got
        elif item.role == "licence":
            licence = got
        elif got.truncated:  # a cut manifest cannot be parsed: its size says why
            files.append(FetchedFile(path=got.path, size=got.size, truncated=True))
        else:
            files.append(got)
    if empty:
        root = []
    return CrawledFacts(
        empty=empty,
        root=root,
        root_truncated=root_truncated,
        releases_count=count(releases_count),
        latest_release=latest_release,
        last_commit_at=parse_time(last_commit_at),
        commits_last_year=count(commits_last_year),
        open_issues=count(open_issues),
        readme=readme,
        licence_file=licence,
        files=files,
    )
