"""Federation's reuse step: settle the reuse links of the records a federation writes.

Wires the pure link rules (`crawler.normalise.reuse`) to the store's package rows and link table
(`indexer.store.reuse`), since neither package may know the other. Only what a crawl touched is
recomputed: the written records, the stored records publishing what they use or using what they
publish, and the records linked to them before. Each record whose links changed gets its new
`ReuseSummary` (so the search index, which reads records, can filter and sort on it), and is
written with the federated records; a record only seen again keeps its summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from crawler.normalise.reuse import links_among, safe_id, summarise
from indexer.store import Store
from schemas.record import Record
from schemas.reuse import ReuseLink


def _partner_ids(store: Store, merged: Sequence[Record], old: Sequence[ReuseLink]) -> set[str]:
    used = {use.key for record in merged for use in record.packages.uses}
    published = {package.key for record in merged for package in record.packages.publishes}
    ids = {holder.record_id for holder in store.package_holders(used, "publishes")}
    ids |= {holder.record_id for holder in store.package_holders(published, "uses")}
    for link in old:
        ids.add(link.software_id)
        if link.user_id:
            ids.add(link.user_id)
    for record in merged:
        relations = record.relations
        for url in [*relations.is_based_on, *relations.forks, *relations.variants]:
            ids.add(safe_id(url) or "")
        ids.add(safe_id(relations.fork_of) or "")
    return ids - {""}


def settle_reuse(
    store: Store,
    merged: Sequence[Record],
    stale: Collection[str] = (),
    *,
    now: datetime | None = None,
) -> list[Record]:
    """`merged` with their reuse summaries, followed by the stored records whose summary changed.

    Stores the links involving `merged` and `stale` (ids about to be tombstoned, whose links go).
    """
    moment = now or datetime.now(UTC)
    by_id = {record.id: record for record in merged}
    touched = set(by_id) | set(stale)
    old = store.reuse_links_of(touched)
    wanted = _partner_ids(store, merged, old) - touched
    partners = {record.id: record for record in store.iter_records(ids=sorted(wanted))}
    pool = {**partners, **by_id}
    named = store.replace_reuse_links(touched, links_among(pool, by_id, now=moment), now=moment)
    affected = (named | set(by_id)) - set(stale)
    links: dict[str, list[ReuseLink]] = defaultdict(list)
    for link in store.reuse_links_of(affected):
        links[link.software_id].append(link)
        if link.user_id and link.user_id != link.software_id:
            links[link.user_id].append(link)
    missing = sorted(affected - pool.keys())
    pool.update((record.id, record) for record in store.iter_records(ids=missing))
    settled = [
        record.model_copy(update={"reuse": summarise(record.id, links[record.id])})
        for record in merged
    ]
    for record_id in sorted(affected - set(by_id)):
        record = pool.get(record_id)
        if record is None:
            continue
        summary = summarise(record_id, links[record_id])
        if summary != record.reuse:
            settled.append(record.model_copy(update={"reuse": summary}))
    return settled
