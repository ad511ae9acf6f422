"""Logos and screenshots: fetched by the crawl, checked, re-encoded, kept for the pages.

The pages show a record's pictures from our own origin (``/pictures/KEY``), so the strict
Content-Security-Policy stays ``img-src 'self'`` and no reader's browser talks to a forge. The
crawl (never the API) fetches each URL a publiccode.yml names once, through the same SSRF
guard as forge requests (`crawler.addresses.request_guard` on every hop, connections pinned to
the checked addresses by `crawler.pinning`), with a size limit, and keeps either the picture
re-encoded or the reason it was refused.

What is accepted (everything a forge returns is hostile input):

* raster images (PNG, JPEG, GIF, WebP, recognised by their bytes, not by the claimed type)
  up to `MAX_BYTES` and `MAX_PIXELS`, decoded by Pillow and written anew as PNG (logos) or
  WebP (screenshots), scaled down to `LOGO_BOX` / `SCREENSHOT_BOX`, without any metadata;
* SVG logos only when strictly clean: well-formed XML without a DOCTYPE or entities, and no
  script, foreignObject, event handler, style sheet import or reference outside the file.
  They are served as images under a no-script policy; anything doubtful is refused.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from xml.etree import ElementTree

import httpcore
import httpx
from PIL import Image, UnidentifiedImageError

from crawler.addresses import Resolver, request_guard
from crawler.http import create_http_client
from crawler.pinning import PinnedBackend, PinnedTransport
from schemas.picture import Picture

PictureKind = Literal["logo", "screenshot"]
MAX_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000
LOGO_BOX = (512, 512)
SCREENSHOT_BOX = (1600, 1600)
MAX_URL_LENGTH = 2048
CONCURRENCY = 4
RASTER_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler"}
_LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href", "src"}
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?(?!#)", re.IGNORECASE)


class PictureRefused(ValueError):
    """The bytes are not a picture this catalogue serves; the message says why."""


@dataclass(frozen=True)
class Encoded:
    """A checked picture as it will be served."""

    media_type: str
    data: bytes
    width: int
    height: int


def _check_svg(body: bytes) -> Encoded:
    text = body.decode("utf-8", errors="strict")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise PictureRefused("SVG with a DOCTYPE or entities is not accepted")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise PictureRefused(f"not well-formed SVG ({error})") from None
    if root.tag != f"{_SVG_NS}svg":
        raise PictureRefused("the XML's root element is not <svg>")
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if name in _FORBIDDEN_ELEMENTS:
            raise PictureRefused(f"SVG holds a <{name}> element")
        if name == "style" and _EXTERNAL_CSS.search(element.text or ""):
            raise PictureRefused("SVG style sheet refers to another file")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise PictureRefused(f"SVG has an event handler ({local})")
            if attribute in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
                raise PictureRefused("SVG refers to a file outside itself")
            if local == "style" and _EXTERNAL_CSS.search(value):
                raise PictureRefused("SVG style refers to another file")
    width = _svg_length(root.get("width")) or 0
    height = _svg_length(root.get("height")) or 0
    return Encoded("image/svg+xml", body, width, height)


def _svg_length(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*", value or "")
    return int(float(match.group(1))) if match else None


def encode_picture(body: bytes, kind: PictureKind) -> Encoded:
    """Check `body` and write it anew for serving; raises `PictureRefused` with the reason."""
    if len(body) > MAX_BYTES:
        raise PictureRefused(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
    head = body[:512].lstrip()
    if head.startswith(b"<"):
        if kind != "logo":
            raise PictureRefused("a screenshot must be a PNG, JPEG, GIF or WebP image")
        return _check_svg(body)
    try:
        with Image.open(io.BytesIO(body)) as image:
            if image.format not in RASTER_FORMATS:
                raise PictureRefused(f"{image.format or 'unknown'} images are not accepted")
            if image.width * image.height > MAX_PIXELS:
                raise PictureRefused(f"{image.width}×{image.height} pixels is too large")
            image.load()
            frame = image.convert("RGBA")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise PictureRefused(f"not a readable image ({error})") from None
    frame.thumbnail(LOGO_BOX if kind == "logo" else SCREENSHOT_BOX)
    output = io.BytesIO()
    if kind == "logo":
        frame.save(output, format="PNG", optimize=True)
        media_type = "image/png"
    else:
        frame.save(output, format="WEBP", quality=82, method=4)
        media_type = "image/webp"
    return Encoded(media_type, output.getvalue(), frame.width, frame.height)


def picture_client(
    *,
    user_agent: str,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """An HTTP client for pictures: SSRF guard on every hop, connections pinned to checked
    addresses (tests hand in `transport` or `network_backend` and `resolver`)."""
    where = "picture"
    return create_http_client(
        user_agent=user_agent,
        transport=transport
        or PinnedTransport(PinnedBackend(where=where, resolver=resolver, base=network_backend)),
        timeout=20.0,
        request_hooks=[request_guard(where=where, resolver=resolver)],
    )


async def _download(client: httpx.AsyncClient, url: str) -> bytes:
    async with client.stream("GET", url, headers={"Accept": "image/*"}) as response:
        if response.status_code != 200:
            raise PictureRefused(f"HTTP {response.status_code}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_BYTES:
                raise PictureRefused(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return bytes(body)


async def fetch_picture(client: httpx.AsyncClient, url: str, kind: PictureKind) -> Picture:
    """The picture at `url`, encoded, or a refusal naming the reason; never raises for the URL."""
    now = datetime.now(UTC)
    try:
        if len(url) > MAX_URL_LENGTH or not url.startswith("https://"):
            raise PictureRefused("only https:// URLs up to 2,048 characters are fetched")
        encoded = encode_picture(await _download(client, url), kind)
    except PictureRefused as error:
        return Picture(url, None, None, None, None, str(error), now)
    except Exception as error:
        return Picture(
            url, None, None, None, None, f"not fetched: {error or type(error).__name__}", now
        )
    return Picture(url, encoded.media_type, encoded.data, encoded.width, encoded.height, None, now)


async def fetch_pictures(
    client: httpx.AsyncClient, wanted: Iterable[tuple[str, PictureKind]]
) -> list[Picture]:
    """Fetch each (URL, kind), `CONCURRENCY` at a time; one `Picture` per URL, in order."""
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(url: str, kind: PictureKind) -> Picture:
        async with limit:
            return await fetch_picture(client, url, kind)

    return list(await asyncio.gather(*(one(url, kind) for url, kind in wanted)))
