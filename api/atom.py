"""Atom (RFC 4287) feed of new and updated software, written with the standard library's XML escaping."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element, SubElement, tostring

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 forbids even when escaped; data from forges may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class FeedEntry:
    """One software in the feed: new (`published` == `updated`) or updated."""

    id: str
    title: str
    link: str
    updated: datetime
    published: datetime | None
    summary: str | None
    categories: Sequence[str] = ()
    author: str | None = None


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_link: str,
    alternate_link: str,
    updated: datetime,
    entries: Sequence[FeedEntry],
    language: str = "en",
) -> bytes:
    """The feed document as UTF-8 bytes; every text is XML-escaped by ElementTree."""
    feed = Element("feed", {"xmlns": ATOM_NS, "xml:lang": language})
    SubElement(feed, "id").text = feed_id
    SubElement(feed, "title").text = _text(title)
    SubElement(feed, "updated").text = updated.isoformat()
    SubElement(feed, "link", {"rel": "self", "href": self_link, "type": "application/atom+xml"})
    SubElement(feed, "link", {"rel": "alternate", "href": alternate_link, "type": "text/html"})
    SubElement(SubElement(feed, "author"), "name").text = "codereuse"
    SubElement(feed, "generator").text = "codereuse"
    for item in entries:
        entry = SubElement(feed, "entry")
        SubElement(entry, "id").text = item.id
        SubElement(entry, "title").text = _text(item.title)
        SubElement(entry, "link", {"rel": "alternate", "href": item.link, "type": "text/html"})
        SubElement(entry, "updated").text = item.updated.isoformat()
        if item.published:
            SubElement(entry, "published").text = item.published.isoformat()
        if item.summary:
            SubElement(entry, "summary", {"type": "text"}).text = _text(item.summary)
        if item.author:
            SubElement(SubElement(entry, "author"), "name").text = _text(item.author)
        for term in item.categories:
            SubElement(entry, "category", {"term": _text(term)})
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(feed, encoding="unicode").encode(
        "utf-8"
    )
