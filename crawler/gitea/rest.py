"""Gitea/Forgejo through REST (the only API they have), on the REST template (`crawler.rest`).

`instance_start` and `owner_start` say where a scope's listing starts, `attach_files` fetches
one repository's files. Gitea has no GraphQL, so the cost is honest REST (docs/forge-kinds.md,
``bench/crawl.py``):

* owner profiles (`crawler.gitea.profiles`): none, they ride in the repository JSON; telling
  organisations from persons costs nothing for an owner scope (its first request is
  ``GET /orgs/{org}``) nor where the owner object tells, and at most one ``GET /orgs`` page
  per 100 owners (one for fewer) for the owners of a whole instance it leaves open;
* listing: one request per 50 repositories (the server clamps ``limit`` to its
  ``MAX_RESPONSE_ITEMS``, 50 by default) — ``GET /repos/search?sort=id&order=asc`` for a whole
  instance, ``GET /orgs/{org}/repos`` (``/users/{login}/repos`` for a user) per owner,
  ``GET /repos/{owner}/{repo}`` per single repository;
* files: one ``GET /repos/{owner}/{repo}/contents?ref=…`` per repository fetched (the root
  listing tells which of ``publiccode.yml``/``publiccode.yaml`` exist, so absent files are
  never asked for; empty repositories are skipped) plus one ``GET …/contents/{file}`` per file
  found (its base64 content and blob sha);
* repository facts (on unless ``CODEREUSE_CRAWL_FACTS=false``): the requests
  `crawler.gitea.facts` lists — about three to five more per repository.

Incremental crawls list the instance newest ``updated_at`` first and stop at the first
repository older than the last crawl (minus the overlap); owners are listed whole (cheap) and
only repositories whose ``updated_at`` moved are fetched again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.base import Plan
from crawler.gitea.facts import read_facts
from crawler.rest import Start
from crawler.snapshot import MAX_PUBLICCODE_BYTES, PUBLICCODE_NAMES

if TYPE_CHECKING:
    from crawler.gitea.crawler import GiteaCrawler
    from crawler.gitea.profiles import OwnerBook

LIMIT = 50
"""Gitea's default ``MAX_RESPONSE_ITEMS``: a larger ``limit`` is clamped to it anyway."""


def instance_start(crawler: GiteaCrawler, plan: Plan) -> Start:
    """``/repos/search``: oldest id first for a full crawl, newest update first otherwise."""
    order = {"sort": "id", "order": "asc"} if plan.full else {"sort": "updated", "order": "desc"}
    return Start(
        url=f"{crawler.rest_url}/repos/search",
        params={"limit": LIMIT, **order},
        activity="updated_at",
        newest_first=not plan.full,
    )


async def owner_start(
    crawler: GiteaCrawler, scope: str, owner: str, resume: str | None, book: OwnerBook
) -> Start | None:
    """``/orgs/{org}/repos`` when ``GET /orgs/{org}`` (the profile, kept in `book`) answers, or
    ``/users/{login}/repos`` when it is 404 and that listing exists; None (and a finding) when
    neither exists. A listing resumed at `resume` is not probed again (the profile is read
    there, once per crawl)."""
    organisation = await book.probe(owner)
    if resume:
        return Start(url=resume, params=None, activity="updated_at")
    kinds = ("orgs",) if organisation else ("users",) if organisation is False else ()
    for kind in kinds:
        url = f"{crawler.rest_url}/{kind}/{quote(owner, safe='')}/repos"
        if kind == "users":
            probe = await crawler.client.get_json(url, params={"limit": 1}, accept_statuses=(404,))
            if probe.status != 200:
                continue
        return Start(url=url, params={"limit": LIMIT}, activity="updated_at")
    if organisation is None:
        url = f"{crawler.rest_url}/orgs/{quote(owner, safe='')}/repos"
        fallback = f"{crawler.rest_url}/users/{quote(owner, safe='')}/repos"
        return Start(
            url=url,
            params={"limit": LIMIT},
            activity="updated_at",
            fallbacks=((fallback, {"limit": LIMIT}),),
        )
    crawler.report(
        scope,
        f"organisation or user {owner!r} not found on {crawler.registration.url}; "
        "check the registration (`codereuse forges show`)",
    )
    return None


async def attach_files(
    crawler: GiteaCrawler, item: dict[str, Any], *, book: OwnerBook, scope: str
) -> bool:
    """Attach the owner's profile (``item["_owner"]``, `OwnerBook.attach`), then fetch one
    repository's root listing and each publiccode file in it into ``item["_files"]``
    (``{path: [base64 text, blob sha]}``); empty repositories have none."""
    await book.attach(item, scope)
    if crawler.facts:
        item["_facts"] = {}
    if item.get("empty") or not item.get("full_name"):
        return True
    base = f"{crawler.rest_url}/repos/{quote(str(item['full_name']), safe='/')}/contents"
    ref = {"ref": item["default_branch"]} if item.get("default_branch") else None
    root = await crawler.client.get_json(base, params=ref, accept_statuses=(404,))
    entries = root.data if isinstance(root.data, list) else []
    names = {
        entry.get("name")
        for entry in entries
        if isinstance(entry, dict) and entry.get("type") == "file"
    }
    files: dict[str, list[Any]] = {}
    for name in PUBLICCODE_NAMES:
        if name not in names:
            continue
        found = await crawler.client.get_json(
            f"{base}/{quote(name)}", params=ref, accept_statuses=(404,)
        )
        data = found.data if isinstance(found.data, dict) else {}
        size = data.get("size")
        size = size if isinstance(size, int) and not isinstance(size, bool) else None
        if (size is not None and size > MAX_PUBLICCODE_BYTES) or (
            data and data.get("content") is None and size
        ):
            # Gitea sends no content over its API blob limit; keep the size, not the file.
            item.setdefault("_unreadable", {})[name] = {
                "problem": "too_large",
                "size": size,
                "blob_id": data.get("sha"),
            }
        elif isinstance(data.get("content"), str):
            files[name] = [data["content"], data.get("sha")]
    item["_files"] = files
    if crawler.facts:
        item["_facts"] = await read_facts(crawler, item, base, ref, entries)
    return True
