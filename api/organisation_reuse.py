"""The reuse panels of an organisation page and the ``reuse`` field of its API answer.

From the stored reuse links (`schemas.reuse.ReuseLink`) of the organisation's live records:

* **our software used by others** — links whose software is one of ours and whose user is a
  repository of another organisation (``depends_on``, ``fork_of``, ``based_on``), plus
  organisations our publiccode.yml files name in ``usedBy`` (self-declared, kept apart);
* **software of others we use** — links whose user is one of our repositories and whose
  software another organisation publishes.

Links between two repositories of the organisation itself (a publisher's own use) are not
reuse: they are only counted (`OrganisationReuse.internal_links`). Organisations are named
by id (`ReuseLink.software_organisation`/`user_organisation`); `organisations` gives the names
of those the catalogue knows.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from indexer.store import Store
from schemas.reuse import ReuseLink

_ORDER = {"depends_on": 0, "fork_of": 1, "based_on": 2, "declared_used_by": 3}
MAX_LINKS = 200
"""Links listed per panel at most (the counts cover all)."""


class OrganisationReuse(BaseModel):
    """Reuse across organisations, seen from one organisation (see the module docstring)."""

    used_by_repositories: int = Field(
        description="repositories of other organisations using its software"
    )
    used_by_organisations: int = Field(
        description="other organisations whose repositories use its software"
    )
    uses_software: int = Field(description="catalogue software of other organisations it uses")
    uses_organisations: int = Field(description="other organisations whose software it uses")
    internal_links: int = Field(
        description="links between its own repositories (its own use: not counted as reuse)"
    )
    used_by_others: list[ReuseLink] = Field(
        description="its software used by repositories of other organisations, by software"
    )
    declared_users: list[ReuseLink] = Field(
        description="organisations its publiccode.yml files name in usedBy (self-declared)"
    )
    uses_others: list[ReuseLink] = Field(
        description="software of other organisations its repositories use, by software"
    )
    names: dict[str, str] = Field(description="record id → name of the records the links name")
    organisations: dict[str, str] = Field(
        description="organisation id → name of the organisations the links name"
    )


def _order(link: ReuseLink) -> tuple[str, int, str, str]:
    return (link.software_id, _ORDER[link.kind], link.user_key, link.purl or "")


def organisation_reuse(
    store: Store, record_ids: list[str], organisation_names: Mapping[str, str]
) -> OrganisationReuse:
    """The reuse of the organisation whose live records are `record_ids`;
    `organisation_names` (id → name) names the other organisations."""
    ours = set(record_ids)
    used_by: list[ReuseLink] = []
    declared: list[ReuseLink] = []
    uses: list[ReuseLink] = []
    internal = 0
    for link in sorted(store.reuse_links_of(sorted(ours)), key=_order):
        if link.internal:
            internal += 1
        elif link.software_id in ours and link.kind == "declared_used_by":
            declared.append(link)
        elif link.software_id in ours:
            used_by.append(link)
        elif link.user_id in ours:
            uses.append(link)
    named = {link.software_id for link in uses} | {link.user_id for link in used_by}
    named |= {link.software_id for link in used_by + declared} | {link.user_id for link in uses}
    names = {r.id: r.name for r in store.iter_records(ids=sorted(i for i in named if i))}
    others = {link.user_organisation for link in used_by} | {
        link.software_organisation for link in uses
    }
    return OrganisationReuse(
        used_by_repositories=len({link.user_id for link in used_by if link.user_id}),
        used_by_organisations=len({link.user_organisation for link in used_by}),
        uses_software=len({link.software_id for link in uses}),
        uses_organisations=len({link.software_organisation for link in uses}),
        internal_links=internal,
        used_by_others=used_by[:MAX_LINKS],
        declared_users=declared[:MAX_LINKS],
        uses_others=uses[:MAX_LINKS],
        names=names,
        organisations={
            oid: organisation_names[oid] for oid in sorted(others) if oid in organisation_names
        },
    )
