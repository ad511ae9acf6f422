"""Which owners of a Gitea/Forgejo crawl are organisations (the I/O part).

Gitea's repository JSON carries its owner as a *user object* whether the owner is a user or an
organisation (``api.User`` has no type), but that object already holds the profile: Gitea's
``convert.ToUser`` fills ``full_name``, ``description``, ``website``, ``location``,
``avatar_url`` and ``email`` for both. So the profile costs no request
(`crawler.gitea.owners`); only *which* of the two an owner is needs telling. The crawler
attaches ``_owner`` to each repository item — ``{"type": "organization", …}`` or
``{"type": "user"}`` — from, in order:

* an owner scope's first request, ``GET /orgs/{X}`` instead of a probe of
  ``/orgs/{X}/repos``: the organisation's profile, or 404 for a user (`OwnerBook.probe`);
* the owner object itself, where Gitea's own rules tell (`owner_cue`): a person's account
  always has an e-mail address, which the API shows or replaces with the ``login@noreply…``
  placeholder, so an empty ``email`` is an organisation's and the placeholder a person's; an
  organisation cannot sign in, so it stars and follows nothing — a positive
  ``starred_repos_count`` or ``following_count`` is a person's;
* only for owners the object leaves open (an organisation with a contact e-mail, a person
  showing theirs): ``GET /orgs?limit=50`` (50 organisations to a page — Gitea's default
  ``MAX_RESPONSE_ITEMS`` — alphabetical), read lazily while such owners are met, and never more
  pages than one per full 100 owners known to the crawl (one for a crawl of fewer): the
  owners of the previous crawl's repositories and those listed so far — `OwnerBook.attach`.
  Once that listing is read to its end, an owner not in it is a user; when the budget stops
  it first, the remaining owners stay untold (``person`` None), and an untold owner keeps no
  name or text from its object — it may be a person's (`crawler.owners.read_profile`).

A failing ``/orgs`` page ends the reading with a notice on the crawl (the profiles are extras:
the repositories are all there, so the crawl's status is not touched).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import httpx

from crawler.http import next_link
from schemas.errors import ForgeResponseError, TransientForgeError

if TYPE_CHECKING:
    from crawler.base import ForgeCrawler

PAGE = 50
"""Gitea's default ``MAX_RESPONSE_ITEMS``: organisations per ``/orgs`` page."""
OWNERS_PER_PAGE = 100
"""Owners known to the crawl per ``/orgs`` page it may read (the cost bound: at most one
request per 100 owners, one for a crawl of fewer)."""
USER: dict[str, Any] = {"type": "user"}
ORGANISATION: dict[str, Any] = {"type": "organization"}


def owner_login(item: dict[str, Any]) -> str | None:
    """The owner login of a repository item (``owner.login``/``owner.username``, else the
    first part of ``full_name``); None when the item names none."""
    owner = item.get("owner")
    if isinstance(owner, dict):
        for key in ("login", "username"):
            value = owner.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    full_name = item.get("full_name")
    if isinstance(full_name, str) and "/" in full_name:
        return full_name.split("/", 1)[0] or None
    return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def owner_cue(item: dict[str, Any]) -> bool | None:
    """What a repository item's ``owner`` object tells by Gitea's own rules (pure): True for a
    person, False for an organisation, None when it does not tell (see the module docstring).
    """
    owner = item.get("owner")
    if not isinstance(owner, dict):
        return None
    if any((_count(owner.get(key)) or 0) > 0 for key in ("starred_repos_count", "following_count")):
        return True  # an organisation cannot sign in to star or follow
    email, login = owner.get("email"), owner_login(item)
    if not isinstance(email, str):
        return None  # absent (an older or trimmed answer): nothing to read
    if not email.strip():
        return False  # every person's account has an address, shown or as the placeholder
    local, _, domain = email.strip().lower().partition("@")
    if login and local == login.lower() and domain.startswith("noreply."):
        return True  # Gitea's placeholder for a person keeping the address private
    return None


def organisation_profile(body: object) -> dict[str, Any] | None:
    """An ``/orgs`` item or ``/orgs/{org}`` answer as ``_owner`` (None when it is no object
    naming an organisation)."""
    if not isinstance(body, dict):
        return None
    login = body.get("username") or body.get("name")
    if not isinstance(login, str) or not login.strip():
        return None
    return {**body, "username": login.strip(), "type": "organization"}


class OwnerBook:
    """The owners one Gitea crawl has met: organisations with profiles, users, the rest.

    `known` are owner logins the crawl already knows of (the previous crawl's repositories):
    they count towards the ``/orgs`` page budget, so an incremental crawl that lists few
    repositories may still read the organisations of the whole instance.
    """

    def __init__(self, crawler: ForgeCrawler, known: Iterable[str] = ()) -> None:
        self._crawler = crawler
        self._owners = {login.lower() for login in known}
        self._organisations: dict[str, dict[str, Any]] = {}
        self._users: set[str] = set()
        self._next: str | None = str(httpx.URL(f"{crawler.rest_url}/orgs", params={"limit": PAGE}))
        self._complete = False
        self.pages = 0
        """``/orgs`` pages read so far (the extra requests of this crawl)."""
        self._lock = asyncio.Lock()

    @staticmethod
    def from_urls(crawler: ForgeCrawler, urls: Iterable[str]) -> OwnerBook:
        """A book knowing the owners of repositories at `urls` (``https://host/owner/name``)."""
        owners = {
            parts[0]
            for url in urls
            if len(parts := [p for p in urlsplit(url).path.split("/") if p]) >= 2
        }
        return OwnerBook(crawler, owners)

    def noted(self, item: object) -> bool:
        """Count the owner of a listed `item` (changed or not) towards the budget; always True
        (the `crawler.rest.rest_pages` ``keep`` hook: every item is kept)."""
        if isinstance(item, dict) and (login := owner_login(item)):
            self._owners.add(login.lower())
        return True

    def budget(self) -> int:
        """``/orgs`` pages this crawl may read: one per full 100 known owners, at least one."""
        return max(1, len(self._owners) // OWNERS_PER_PAGE)

    def profile(self, login: str) -> dict[str, Any] | None:
        """``_owner`` for `login` as far as it is known: the organisation's profile, the user
        mark, or None (not told)."""
        key = login.lower()
        if key in self._organisations:
            return self._organisations[key]
        if key in self._users or self._complete:
            return USER
        return None

    async def probe(self, login: str) -> bool | None:
        """``GET /orgs/{login}`` (an owner scope's first request): True for an organisation
        (its profile kept), False for a 404 (a user, marked so), None when the forge did not
        answer usably (the caller decides how to list)."""
        url = f"{self._crawler.rest_url}/orgs/{quote(login, safe='')}"
        try:
            response = await self._crawler.client.get_json(url, accept_statuses=(404,))
        except (ForgeResponseError, TransientForgeError):
            return None
        if response.status == 404:
            self._users.add(login.lower())
            return False
        profile = organisation_profile(response.data)
        if profile is None:
            return None
        self._organisations[login.lower()] = profile
        return True

    async def attach(self, item: dict[str, Any], scope: str) -> None:
        """Set ``item["_owner"]`` from what is known, else from what the owner object tells,
        else reading further ``/orgs`` pages while the owner is unknown and the budget allows
        (see the module docstring)."""
        login = owner_login(item)
        if login is None:
            return
        self._owners.add(login.lower())
        profile = self.profile(login)
        if profile is None and (cue := owner_cue(item)) is not None:
            item["_owner"] = USER if cue else ORGANISATION  # the object tells: no request
            return
        async with self._lock:
            while self.profile(login) is None and self._next and self.pages < self.budget():
                await self._read_page(scope)
        profile = self.profile(login)
        if profile is not None:
            item["_owner"] = profile

    async def _read_page(self, scope: str) -> None:
        url, self._next = self._next, None
        assert url is not None
        self.pages += 1
        try:
            response = await self._crawler.client.get_json(url)
        except (ForgeResponseError, TransientForgeError) as error:
            self._crawler.notify(
                f"{self._crawler.registration.name}: organisation profiles not read "
                f"({self._crawler.client.redact(str(error))}) "
                f"while crawling {scope}; the remaining owners are not told apart as "
                "organisations or persons"
            )
            return
        items = response.data if isinstance(response.data, list) else []
        for body in items:
            profile = organisation_profile(body)
            if profile is not None:
                self._organisations[str(profile["username"]).lower()] = profile
        following = next_link(response.headers)
        if following and items:
            self._next = following
        else:  # Gitea links every further page (``ctx.SetLinkHeader``): this was the last
            self._complete = True
