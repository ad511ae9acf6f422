"""Package rows and reuse links: what the reuse panels, the purl lookup and the exports read.

`record_packages` mirrors `Record.packages` of every live record (rewritten whenever a record is
created or changed, removed when it is tombstoned), so "who publishes this key" and "who uses
this key" are index lookups, not scans of the documents. `reuse_links` holds the links
federation computed (`crawler.normalise.reuse`); `replace_links` swaps the links involving a set
of ids in one transaction and keeps each link's first-seen time across recomputations.
`ReuseStoreMethods` is the part of `Store` that reads and writes them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Row, delete, insert, or_, select, tuple_

from indexer.store.models import PackageRow, RecordRow, ReuseLinkRow
from indexer.store.part import StorePart
from schemas.record import Record
from schemas.reuse import ReuseLink

PackageRole = Literal["publishes", "uses"]
_CHUNK = 500
_LINK_FIELDS = tuple(name for name in ReuseLink.model_fields)


@dataclass(frozen=True)
class PackageHolder:
    """A live record publishing or using a package key, with the manifest evidence."""

    record_id: str
    role: PackageRole
    purl: str
    path: str
    line: int | None
    scope: str | None


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def package_rows(record: Record) -> list[dict[str, Any]]:
    """The `record_packages` rows of one record (one per role, key and manifest)."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for package in record.packages.publishes:
        rows.setdefault(
            ("publishes", package.key, package.path),
            {"purl": package.purl, "line": package.line, "scope": None},
        )
    for use in record.packages.uses:
        rows.setdefault(
            ("uses", use.key, use.path), {"purl": use.purl, "line": use.line, "scope": use.scope}
        )
    return [
        {"record_id": record.id, "role": role, "key": key, "path": path, **values}
        for (role, key, path), values in rows.items()
    ]


def write_packages(connection: Connection, records: Sequence[Record]) -> None:
    """Replace the package rows of `records` (created or changed ones) by their current ones."""
    if not records:
        return
    ids = [record.id for record in records]
    for chunk in _chunks(ids):
        connection.execute(delete(PackageRow).where(PackageRow.record_id.in_(chunk)))
    rows = [row for record in records for row in package_rows(record)]
    for start in range(0, len(rows), 1000):
        connection.execute(insert(PackageRow), rows[start : start + 1000])


def forget(connection: Connection, ids: Collection[str]) -> None:
    """Drop the package rows and links of tombstoned records."""
    for chunk in _chunks(ids):
        connection.execute(delete(PackageRow).where(PackageRow.record_id.in_(chunk)))
        connection.execute(
            delete(ReuseLinkRow).where(
                or_(ReuseLinkRow.software_id.in_(chunk), ReuseLinkRow.user_id.in_(chunk))
            )
        )


def holders(
    connection: Connection, keys: Collection[str], role: PackageRole | None = None
) -> list[PackageHolder]:
    """The rows naming any of `keys` (in `role`, or both), live records only, by record id."""
    found: list[PackageHolder] = []
    for chunk in _chunks(keys):
        query = (
            select(PackageRow.__table__)
            .join(RecordRow, RecordRow.id == PackageRow.record_id)
            .where(PackageRow.key.in_(chunk), RecordRow.deleted_at.is_(None))
        )
        if role is not None:
            query = query.where(PackageRow.role == role)
        for row in connection.execute(query):
            found.append(
                PackageHolder(row.record_id, row.role, row.purl, row.path, row.line, row.scope)
            )
    return sorted(found, key=lambda holder: (holder.record_id, holder.role, holder.path))


def _link(row: Row[Any]) -> ReuseLink:
    return ReuseLink.model_validate({name: getattr(row, name) for name in _LINK_FIELDS})


def links_involving(connection: Connection, ids: Collection[str]) -> list[ReuseLink]:
    """The stored links whose software or user is one of `ids`."""
    found: dict[tuple[str, str, str, str], ReuseLink] = {}
    for chunk in _chunks(ids):
        query = select(ReuseLinkRow.__table__).where(
            or_(ReuseLinkRow.software_id.in_(chunk), ReuseLinkRow.user_id.in_(chunk))
        )
        for row in connection.execute(query):
            link = _link(row)
            found[link.identity] = link
    return [found[key] for key in sorted(found)]


def replace_links(
    connection: Connection, ids: Collection[str], links: Iterable[ReuseLink], now: datetime
) -> set[str]:
    """Replace every link involving `ids` by `links`; return the ids of all records named by the
    old or new links (whose summaries may have changed). A link seen before keeps first_seen."""
    old = {link.identity: link for link in links_involving(connection, ids)}
    for chunk in _chunks(ids):
        connection.execute(
            delete(ReuseLinkRow).where(
                or_(ReuseLinkRow.software_id.in_(chunk), ReuseLinkRow.user_id.in_(chunk))
            )
        )
    rows: list[dict[str, Any]] = []
    new: dict[tuple[str, str, str, str], ReuseLink] = {}
    for link in links:
        new[link.identity] = link
    for identity, link in sorted(new.items()):
        previous = old.get(identity)
        values = link.model_dump()
        values["first_seen"] = previous.first_seen if previous and previous.first_seen else now
        values["last_seen"] = now
        values["user_key"] = link.user_key
        values["purl_key"] = link.purl or ""
        rows.append(values)
    for start in range(0, len(rows), 1000):
        connection.execute(insert(ReuseLinkRow), rows[start : start + 1000])
    named: set[str] = set()
    for link in [*old.values(), *new.values()]:
        named.add(link.software_id)
        if link.user_id:
            named.add(link.user_id)
    return named


def links_page(
    connection: Connection, after: tuple[str, str, str, str] | None, limit: int
) -> list[ReuseLink]:
    """Up to `limit` links after identity `after`, in identity order (keyset paging)."""
    query = select(ReuseLinkRow.__table__).order_by(
        ReuseLinkRow.software_id, ReuseLinkRow.kind, ReuseLinkRow.user_key, ReuseLinkRow.purl_key
    )
    if after is not None:
        query = query.where(
            tuple_(
                ReuseLinkRow.software_id,
                ReuseLinkRow.kind,
                ReuseLinkRow.user_key,
                ReuseLinkRow.purl_key,
            )
            > tuple_(*after)
        )
    return [_link(row) for row in connection.execute(query.limit(limit))]


class ReuseStoreMethods(StorePart):
    """The reuse part of `indexer.store.Store` (a mixin: `Store` supplies `_transaction`)."""

    def package_holders(
        self, keys: Collection[str], role: PackageRole | None = None
    ) -> list[PackageHolder]:
        """Live records publishing (`role` ``publishes``) or using (``uses``) any of `keys`."""
        return self._read(holders, keys, role)

    def reuse_links_of(self, ids: Collection[str]) -> list[ReuseLink]:
        """The stored reuse links whose software or user is one of `ids`, by identity."""
        return self._read(links_involving, ids)

    def replace_reuse_links(
        self, ids: Collection[str], links: Iterable[ReuseLink], *, now: datetime
    ) -> set[str]:
        """Swap the links involving `ids` for `links` (see `replace_links`)."""
        return self._write(replace_links, ids, list(links), now)

    def iter_reuse_links(self, batch_size: int = 1000) -> Iterator[ReuseLink]:
        """Every stored link in identity order, one batch per transaction."""
        after: tuple[str, str, str, str] | None = None
        while True:
            with self._transaction(write=False) as connection:
                page = links_page(connection, after, batch_size)
            yield from page
            if len(page) < batch_size:
                return
            after = page[-1].identity
