"""What the reuse panels, the reuse API and the purl lookup show, read from the store.

`reuse_of(store, record)` sorts the stored links of one software into *used by* (other
organisations' repositories), *internal use* (the publisher's own repositories),
*declared users* (publiccode.yml ``usedBy``, self-declared) and *uses* (catalogue software
of other organisations this one uses). `package_lookup` answers "which catalogue software
publishes or uses this package" for any purl, whatever version it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packageurl import PackageURL

from indexer.store import Store
from schemas.manifests.purls import key as purl_key
from schemas.record import Record
from schemas.reuse import ReuseLink

_ORDER = {"depends_on": 0, "fork_of": 1, "based_on": 2, "declared_used_by": 3}


@dataclass(frozen=True)
class ReuseView:
    """The links of one software, sorted into the panels (see the module docstring)."""

    used_by: list[ReuseLink] = field(default_factory=list)
    internal_use: list[ReuseLink] = field(default_factory=list)
    declared_users: list[ReuseLink] = field(default_factory=list)
    uses: list[ReuseLink] = field(default_factory=list)
    internal_uses: list[ReuseLink] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Record id → name, for the records the links name."""


def _order(link: ReuseLink) -> tuple[int, str, str, str]:
    return (_ORDER[link.kind], link.user_organisation, link.user_key, link.purl or "")


def reuse_of(store: Store, record: Record) -> ReuseView:
    """The reuse panels of `record` (see the module docstring)."""
    view = ReuseView()
    for link in sorted(store.reuse_links_of([record.id]), key=_order):
        if link.software_id == record.id:
            if link.kind == "declared_used_by":
                view.declared_users.append(link)
            elif link.internal:
                view.internal_use.append(link)
            else:
                view.used_by.append(link)
        elif link.internal:
            view.internal_uses.append(link)
        else:
            view.uses.append(link)
    ids = {link.software_id for link in view.uses + view.internal_uses}
    ids |= {link.user_id for link in view.used_by + view.internal_use if link.user_id}
    view.names.update((r.id, r.name) for r in store.iter_records(ids=sorted(ids)))
    return view


def lookup_key(text: str) -> str | None:
    """The matching key of a purl as typed or as a URL path decoded it, or None.

    A path decodes ``%40`` to ``@``: ``pkg:npm/@scope/name`` is read as the scoped package
    (packageurl would take ``scope/name`` for a version).
    """
    candidates = [text]
    if "/@" in text:
        candidates.append(text.replace("/@", "/%40", 1))
    for candidate in reversed(candidates):
        try:
            parsed = PackageURL.from_string(candidate)
        except (ValueError, TypeError):  # packageurl refuses some texts with a TypeError
            continue
        if parsed.name and (not parsed.version or "/" not in parsed.version):
            return purl_key(candidate)
    return None


@dataclass(frozen=True)
class PackageEntry:
    """One catalogue record publishing or using the package, with the manifest evidence."""

    record: Record
    purl: str
    path: str
    line: int | None
    scope: str | None
    evidence_url: str | None


def _evidence(record: Record, path: str, line: int | None) -> str | None:
    for manifest in record.packages.manifests:
        if manifest.path == path and manifest.url:
            return f"{manifest.url}#L{line}" if line else manifest.url
    return None


def package_lookup(store: Store, key: str) -> tuple[list[PackageEntry], list[PackageEntry]]:
    """(publishers, users) of package `key` among the live records, by record id."""
    holders = store.package_holders([key])
    records = {r.id: r for r in store.iter_records(ids=sorted({h.record_id for h in holders}))}
    publishers: list[PackageEntry] = []
    users: list[PackageEntry] = []
    for holder in holders:
        record = records.get(holder.record_id)
        if record is None:
            continue
        entry = PackageEntry(
            record=record,
            purl=holder.purl,
            path=holder.path,
            line=holder.line,
            scope=holder.scope,
            evidence_url=_evidence(record, holder.path, holder.line),
        )
        (publishers if holder.role == "publishes" else users).append(entry)
    return publishers, users
