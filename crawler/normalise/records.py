"""Repository snapshots → catalogue records, for one registered forge (pure, no I/O).

A snapshot with publiccode bytes gives a *declared* record: the file is parsed and validated by
the one validator (`schemas.publiccode.parse`), and an invalid file still gives a record that
carries its findings, so the registrant can see why it is not valid. A snapshot without a file
gives an *inferred* record from the forge's metadata. The repository facts the crawl read
(`crawler.normalise.repository_facts`) go to ``repository.facts``, and a record nothing else
describes is described by its README's first paragraphs. A file the crawl saw but could not read
(too large, truncated by the forge, not text: ``payload["publiccode_unreadable"]``, see
`crawler.snapshot`) gives a *declared but unreadable* record: the forge's metadata, the file's
path and blob id, and an error finding with the size and the limit. A declared file whose `url` names another
repository makes the record *claim* that repository's identity (its id and url), with the
hosting repository as a mirror; `federate` later settles such claims across forges
(docs/federation.md).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from crawler.kinds import kind_spec
from crawler.normalise.declared import RawUrl, canonical_urls, declared_fields
from crawler.normalise.facts import read_facts
from crawler.normalise.organisations import EMPTY_DIRECTORY, OrganisationDirectory, resolve
from crawler.normalise.packages import ManifestText, read_packages
from crawler.normalise.repository_facts import kept_facts, readme_description
from crawler.normalise.reuse import safely
from schemas.findings import Finding
from schemas.forge import ForgeFacts, ForgeRegistration, RepositorySnapshot
from schemas.licence import licence_from_expression
from schemas.organisation import OwnerProfile, account_id
from schemas.publiccode import PARSER_VERSION, parse
from schemas.record import (
    Description,
    Provenance,
    Record,
    Relations,
    Repository,
    canonical_id,
    canonical_url,
)
from schemas.record.identity import canonical_host

UNDETERMINED_LANGUAGE = "und"  # BCP 47 tag for "language not known": forge descriptions have none


def raw_url_builder(
    registration: ForgeRegistration, repository_url: str, ref: str | None
) -> RawUrl:
    """A function turning a repository path into the forge's raw-file URL at `ref` (or HEAD)."""
    branch = quote(ref or "HEAD", safe="/")
    base = repository_url.rstrip("/")
    raw_file_url = kind_spec(registration.kind).raw_file_url
    return lambda path: raw_file_url(base, branch, path)


_SHARED_FACTS = tuple(name for name in Repository.model_fields if name in ForgeFacts.model_fields)
"""The facts a record's `Repository` shows as the forge said them (description, stars, ...)."""


def _repository(
    snapshot: RepositorySnapshot, registration: ForgeRegistration, facts: ForgeFacts
) -> Repository:
    said = {name: getattr(facts, name) for name in _SHARED_FACTS}
    return Repository(
        **said
        | {
            "forge": registration.name,
            "forge_kind": registration.kind,
            "forge_id": snapshot.forge_id,
            "url": snapshot.url,
            "last_activity": snapshot.last_activity or facts.last_activity,
            "archived": snapshot.archived or facts.archived,
            "is_fork": snapshot.is_fork or facts.is_fork,
        }
    )


def _fallback_name(snapshot: RepositorySnapshot, facts: ForgeFacts) -> str:
    if facts.name:
        return facts.name
    path = urlsplit(snapshot.url).path.rstrip("/")
    return path.rsplit("/", 1)[-1].removesuffix(".git") or snapshot.url


def _inferred(
    snapshot: RepositorySnapshot, registration: ForgeRegistration, facts: ForgeFacts
) -> Record:
    url = canonical_url(snapshot.url)
    descriptions = (
        {UNDETERMINED_LANGUAGE: Description(short=facts.description)} if facts.description else {}
    )
    return Record(
        id=canonical_id(url),
        url=url,
        declared=False,
        name=_fallback_name(snapshot, facts),
        descriptions=descriptions,
        licence=licence_from_expression(facts.licence),
        landing_url=facts.homepage,
        relations=Relations(fork_of=safely(canonical_url, facts.fork_parent_url)),
        repository=_repository(snapshot, registration, facts),
        provenance=Provenance(
            forge=registration.name, fetched_at=snapshot.fetched_at, parser_version=PARSER_VERSION
        ),
    )


_UNREADABLE_MESSAGES = {
    "too_large": "{path} is {size} bytes, over the limit of {limit} bytes, so it is not read: "
    "a publiccode.yml is a few kilobytes. Check that it is the right file and shorten it",
    "truncated": "the forge sent only part of {path} ({size} bytes in the repository), so it "
    "is not read. Check that it is a plain text file of a few kilobytes",
    "undecodable": "{path} ({size} bytes) is not text the forge could decode, so it is not "
    "read. Save it as UTF-8 text",
}


def unreadable_finding(path: str, problem: Mapping[str, Any]) -> Finding:
    """The error finding of a publiccode file the crawl could not read (code
    ``publiccode.<problem>``, params path, size and limit; sizes unknown are ``?``)."""
    kind = str(problem.get("problem"))
    kind = kind if kind in _UNREADABLE_MESSAGES else "undecodable"
    params: dict[str, str | int] = {"path": path}
    for name in ("size", "limit"):
        value = problem.get(name)
        params[name] = value if isinstance(value, int) and not isinstance(value, bool) else "?"
    shown = {k: f"{v:,}" if isinstance(v, int) else v for k, v in params.items()}
    return Finding(
        type="error",
        key="",
        message=_UNREADABLE_MESSAGES[kind].format(**shown),
        code=f"publiccode.{kind}",
        params=params,
    )


def _unreadable(
    snapshot: RepositorySnapshot,
    registration: ForgeRegistration,
    facts: ForgeFacts,
    problem: Mapping[str, Any],
) -> Record:
    path = snapshot.publiccode_path or "publiccode.yml"
    record = _inferred(snapshot, registration, facts)
    provenance = record.provenance.model_copy(
        update={"file_path": path, "blob_id": snapshot.blob_id}
    )
    return record.model_copy(
        update={
            "declared": True,
            "provenance": provenance,
            "findings": [unreadable_finding(path, problem)],
        }
    )


def _declared(
    snapshot: RepositorySnapshot,
    registration: ForgeRegistration,
    facts: ForgeFacts,
    content: bytes,
) -> Record:
    path = snapshot.publiccode_path or "publiccode.yml"
    result = parse(content, path=path)
    data: Mapping[str, Any] = result.data if isinstance(result.data, Mapping) else {}
    hosting = canonical_url(snapshot.url)
    fields = declared_fields(
        data,
        raw_url=raw_url_builder(registration, hosting, facts.default_branch),
        file_dir=posixpath.dirname(path),
    )
    name = data.get("name")
    declared_urls = canonical_urls(data.get("url"))
    declared_url = declared_urls[0] if declared_urls else None
    claims = declared_url is not None and canonical_id(declared_url) != canonical_id(hosting)
    url = declared_url if claims and declared_url else hosting
    return Record(
        id=canonical_id(url),
        url=url,
        declared=True,
        name=name.strip()
        if isinstance(name, str) and name.strip()
        else _fallback_name(snapshot, facts),
        relations=Relations(
            mirrors=[hosting] if claims else [],
            is_based_on=[
                u
                for u in canonical_urls(data.get("isBasedOn"))
                if canonical_id(u) != canonical_id(url)
            ],
            fork_of=safely(canonical_url, facts.fork_parent_url),
        ),
        repository=_repository(snapshot, registration, facts),
        provenance=Provenance(
            forge=registration.name,
            fetched_at=snapshot.fetched_at,
            file_path=path,
            blob_id=snapshot.blob_id,
            parser_version=PARSER_VERSION,
            publiccode_version=result.version,
        ),
        findings=list(result.findings),
        **fields,
    )


def _with_packages(
    record: Record, snapshot: RepositorySnapshot, registration: ForgeRegistration, facts: ForgeFacts
) -> Record:
    """`record` with what the fetched manifests and publiccode.yml dependsOn say it publishes
    and uses (`Record.packages`), and the manifests' warnings among its findings."""
    repository = getattr(facts, "repository", None)
    files = [
        ManifestText(path=file.path, text=file.text, truncated=file.truncated)
        for file in (getattr(repository, "files", None) or [])
    ]
    if not files and record.provenance.file_path is None:
        return record
    file_page_url = kind_spec(registration.kind).file_page_url
    hosting = canonical_url(snapshot.url)
    branch = quote(facts.default_branch or "HEAD", safe="/")

    def file_page(path: str) -> str | None:
        return file_page_url(hosting, branch, quote(path)) if file_page_url else None

    packages, findings = read_packages(
        files,
        record.dependencies,
        publiccode_path=record.provenance.file_path,
        file_page=file_page,
    )
    return record.model_copy(
        update={"packages": packages, "findings": [*record.findings, *findings]}
    )


def _with_facts(record: Record, facts: ForgeFacts) -> Record:
    """`record` with the repository facts it keeps, and the README's description when neither
    a publiccode.yml nor the forge describes it."""
    if facts.repository is None:
        return record
    kept = kept_facts(facts.repository)
    repository = record.repository.model_copy(update={"facts": kept})
    update: dict[str, Any] = {"repository": repository}
    if not any(d.short or d.long for d in record.descriptions.values()):
        found = readme_description(kept.readme_text)
        if found is not None:
            update["descriptions"] = {**record.descriptions, found[0]: found[1]}
    return record.model_copy(update=update)


def owner_profile(
    snapshot: RepositorySnapshot, registration: ForgeRegistration
) -> tuple[str | None, OwnerProfile | None]:
    """The owner path (``host/path``) of a snapshot's repository and the forge's profile of
    the owner (None when the payload does not tell, e.g. a snapshot stored by an older crawl)."""
    spec = kind_spec(registration.kind)
    raw = snapshot.payload.get("raw")
    raw = raw if isinstance(raw, Mapping) else snapshot.payload
    profile = spec.read_owner(raw) if spec.read_owner is not None else None
    host = canonical_host(snapshot.url)
    path = snapshot.payload.get("full_path")
    if not isinstance(path, str) or "/" not in path.strip("/"):
        path = urlsplit(snapshot.url).path
    owner_path = path.strip("/").rsplit("/", 1)[0] if "/" in path.strip("/") else None
    if profile is not None and profile.path and not (owner_path and "/" in owner_path):
        owner_path = profile.path  # a nested GitLab group is spelled whole by the forge
    if not host or not owner_path:
        return None, profile
    return account_id(host, owner_path), profile


def record_from_snapshot(
    snapshot: RepositorySnapshot,
    *,
    registration: ForgeRegistration,
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
    profiles: Mapping[str, OwnerProfile | None] | None = None,
) -> Record:
    """The declared or inferred record of one snapshot (see the module docstring), with its
    owner path and organisation (`crawler.normalise.organisations.resolve`). `profiles` (owner
    path → the best profile of that owner across the catalogue) overrides the snapshot's own,
    so that every repository of one owner resolves alike."""
    facts = read_facts(snapshot.payload, kind_spec(registration.kind).spellings)
    unreadable = snapshot.payload.get("publiccode_unreadable")
    if snapshot.publiccode is not None:
        record = _declared(snapshot, registration, facts, snapshot.publiccode)
    elif isinstance(unreadable, Mapping):
        record = _unreadable(snapshot, registration, facts, unreadable)
    else:
        record = _inferred(snapshot, registration, facts)
    owner, profile = owner_profile(snapshot, registration)
    if profiles is not None and owner is not None and owner in profiles:
        profile = profiles[owner]
    record.repository.owner = owner
    record.organisation = resolve(record, owner, profile, directory)
    return _with_facts(_with_packages(record, snapshot, registration, facts), facts)


def records_from_snapshots(
    snapshots: Sequence[RepositorySnapshot],
    *,
    registration: ForgeRegistration,
    directory: OrganisationDirectory = EMPTY_DIRECTORY,
    profiles: Mapping[str, OwnerProfile | None] | None = None,
) -> list[Record]:
    """One record per snapshot, in order; pure. Apply `federate` across all forges afterwards.
    `profiles` as in `record_from_snapshot`."""
    return [
        record_from_snapshot(
            snapshot, registration=registration, directory=directory, profiles=profiles
        )
        for snapshot in snapshots
    ]
