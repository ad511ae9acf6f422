"""Building `RepositorySnapshot`s: one kind-neutral payload shape for every forge and API.

Every kind maps its own answer (REST or GraphQL) to the typed, kind-neutral
`schemas.forge.ForgeFacts` (`crawler.native.read_native` through the kind's spellings, plus
what the spellings cannot say) and hands it to `build_snapshot` with the files it fetched. So
that stored snapshots stay readable by normalisation (`crawler.normalise.read_facts`) whatever
kind or API answered, every snapshot's `payload` holds:

=================  =====================================================================
key                value
=================  =====================================================================
``kind``           the forge kind's name (``gitlab``, ``github``, ``gitea``...)
``api``            ``"graphql"`` or ``"rest"``: which answer `raw` is
``name``           repository name (last path segment as the forge spells it)
``full_path``      ``group/sub/name`` or ``owner/name``
``description``    the forge's one-line description, or None
``default_branch`` default branch name, or None
``topics``         list of topic strings
``languages``      list of programming languages, main first (may be empty)
``licence``        SPDX id the forge detected, or None
``stars``          int or None
``forks``          int or None
``created_at``     ISO 8601 string or None
``homepage``       URL or None
``fork_parent``    URL of the fork parent when the forge knows it, else None
``visibility``     ``public``/``internal``/``private`` or None
``repository``     the repository facts the crawl read (`schemas.facts.CrawledFacts` as
                   JSON: root listing, README, LICENSE and manifest texts, releases,
                   commits, open issues), or None when it read none (facts off, REST)
``empty``          True when the forge says the repository has no commits yet
``raw``            the forge's own JSON for the repository, minus file contents
=================  =====================================================================

`last_activity`, `archived`, `is_fork`, the publiccode path, bytes and blob id are typed fields
of the snapshot itself. A publiccode file the crawl saw but could not read (over
`MAX_PUBLICCODE_BYTES`, truncated by the forge, not text) has no bytes: the payload then holds
``publiccode_unreadable`` (``{"problem": "too_large"|"truncated"|"undecodable", "size": bytes
or None, "limit": bytes}``) and the path and blob id stay, so normalisation gives a declared
but unreadable record with a finding instead of an inferred one. A kind reports such files in
``item["_unreadable"]`` (``{path: {"problem", "size", "blob_id"}}``, read by
`unreadable_files`), beside its ``_files`` whose stored shape stays as it is. Everything here
is pure.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from crawler.native import parse_time
from schemas.forge import ForgeFacts, RepositorySnapshot
from schemas.publiccode.yamlnodes import MAX_BYTES
from schemas.record import canonical_id

PUBLICCODE_NAMES = ("publiccode.yml", "publiccode.yaml")
"""File names looked for, in order of preference."""

MAX_PUBLICCODE_BYTES = MAX_BYTES
"""The largest publiccode file read (1 MiB, the validator's limit)."""
UNREADABLE_PROBLEMS = ("too_large", "truncated", "undecodable")

__all__ = [
    "MAX_PUBLICCODE_BYTES",
    "PUBLICCODE_NAMES",
    "FileBlob",
    "Origin",
    "Unreadable",
    "build_snapshot",
    "parse_time",
    "payload_of",
    "unreadable_files",
]


class Unreadable(NamedTuple):
    """Why a publiccode file the crawl saw has no bytes: `problem` (one of
    `UNREADABLE_PROBLEMS`) and its size in the repository when the forge said it."""

    problem: str
    size: int | None


class FileBlob(NamedTuple):
    """One file the crawl fetched from a repository: its bytes, blob id and ETag if known, or
    (`unreadable`) why it has no bytes."""

    content: bytes
    blob_id: str | None
    etag: str | None = None
    unreadable: Unreadable | None = None


def unreadable_blob(problem: str, size: int | None, blob_id: str | None) -> FileBlob:
    """A file seen but not read (see `Unreadable`)."""
    return FileBlob(b"", blob_id, None, Unreadable(problem, size))


def checked_blob(content: bytes, blob_id: str | None, etag: str | None = None) -> FileBlob:
    """`content` as a file, or unreadable when it is over `MAX_PUBLICCODE_BYTES` (its bytes are
    not kept)."""
    if len(content) > MAX_PUBLICCODE_BYTES:
        return unreadable_blob("too_large", len(content), blob_id)
    return FileBlob(content, blob_id, etag)


def unreadable_files(item: Mapping[str, Any]) -> dict[str, FileBlob]:
    """The files a kind reported as unreadable in ``item["_unreadable"]`` (malformed entries
    are left out: a forge answer is hostile input)."""
    found = item.get("_unreadable")
    files: dict[str, FileBlob] = {}
    for path, entry in found.items() if isinstance(found, Mapping) else ():
        if not isinstance(entry, Mapping) or entry.get("problem") not in UNREADABLE_PROBLEMS:
            continue
        size = entry.get("size")
        blob_id = entry.get("blob_id")
        files[str(path)] = unreadable_blob(
            str(entry["problem"]),
            size if isinstance(size, int) and not isinstance(size, bool) else None,
            blob_id if isinstance(blob_id, str) else None,
        )
    return files


def base64_files(item: Mapping[str, Any]) -> dict[str, FileBlob]:
    """The files a REST crawl attached to `item` as ``_files`` (path → [base64 content, blob
    sha] or [content, sha, etag]), with those `unreadable_files` names; content that does not
    decode is unreadable (``undecodable``)."""
    files: dict[str, FileBlob] = {}
    for path, (content, sha, *etag) in (item.get("_files") or {}).items():
        try:
            files[path] = checked_blob(base64.b64decode(content or ""), sha, *etag)
        except (binascii.Error, ValueError):
            files[path] = unreadable_blob("undecodable", None, sha)  # sent garbled
    return {**files, **unreadable_files(item)}


def payload_of(facts: ForgeFacts, *, kind: str, api: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The stored payload (see the module docstring) of `facts` read from `raw`."""
    return {
        "kind": kind,
        "api": api,
        "name": facts.name,
        "full_path": facts.path,
        "description": facts.description,
        "default_branch": facts.default_branch,
        "topics": list(facts.topics),
        "languages": list(facts.languages),
        "licence": facts.licence,
        "stars": facts.stars,
        "forks": facts.forks,
        "created_at": facts.created_at.isoformat() if facts.created_at else None,
        "homepage": facts.homepage,
        "fork_parent": facts.fork_parent_url,
        "visibility": facts.visibility,
        "repository": facts.repository.model_dump(mode="json") if facts.repository else None,
        "empty": facts.empty,
        "raw": raw,
    }


class Origin(NamedTuple):
    """Where a snapshot comes from: the registration, kind and API, the repository's id and
    URL on the forge, and when it was fetched."""

    forge: str
    kind: str
    api: str
    forge_id: str
    url: str
    fetched_at: datetime


def build_snapshot(
    origin: Origin, raw: dict[str, Any], facts: ForgeFacts, files: Mapping[str, FileBlob]
) -> RepositorySnapshot:
    """A snapshot of one repository: where it comes from, the forge's JSON (`raw`, without file
    contents) and what it says (`facts`), the files fetched beside it.

    ``publiccode.yml`` is preferred over ``publiccode.yaml`` when `files` holds both.
    """
    path = next((name for name in PUBLICCODE_NAMES if name in files), None)
    blob = files[path] if path else None
    payload = payload_of(facts, kind=origin.kind, api=origin.api, raw=raw)
    if blob is not None and blob.unreadable is not None:
        payload["publiccode_unreadable"] = {
            "problem": blob.unreadable.problem,
            "size": blob.unreadable.size,
            "limit": MAX_PUBLICCODE_BYTES,
        }
    return RepositorySnapshot(
        forge=origin.forge,
        forge_id=origin.forge_id,
        url=origin.url,
        canonical_id=canonical_id(origin.url),
        payload=payload,
        publiccode_path=path,
        publiccode=blob.content if blob and blob.unreadable is None else None,
        blob_id=blob.blob_id if blob else None,
        etag=blob.etag if blob else None,
        last_activity=facts.last_activity,
        archived=facts.archived,
        is_fork=facts.is_fork,
        fetched_at=origin.fetched_at,
    )
