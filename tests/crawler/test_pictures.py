"""Pictures: checked and re-encoded, fetched behind the SSRF guard, stored once per URL."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import httpx
import pytest
from PIL import Image

from cli.pictures_step import fetch_new_pictures
from crawler.pictures import (
    MAX_BYTES,
    PictureRefused,
    encode_picture,
    fetch_picture,
    picture_client,
)
from indexer.store import create_store, picture_key
from tests.api.records import make_record
from tests.crawler.conftest import public_resolver

LOGO_URL = "https://gitlab.example.org/team/app/-/raw/main/logo.png"
CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<style>circle{fill:#0b5cad}</style><circle cx="32" cy="32" r="30"/></svg>'
)


def _png(width: int = 800, height: int = 600, *, comment: bytes = b"") -> bytes:
    image = Image.new("RGB", (width, height), (11, 92, 173))
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=_info(comment))
    return output.getvalue()


def _info(comment: bytes) -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if comment:
        info.add_text("Comment", comment.decode())
    return info


def test_a_logo_is_re_encoded_scaled_and_stripped() -> None:
    """A large PNG logo comes back as a new PNG within 512 px, without its text chunks."""
    encoded = encode_picture(_png(comment=b"secret metadata"), "logo")
    assert ("image/png", 512, 384) == (encoded.media_type, encoded.width, encoded.height)
    assert b"secret metadata" not in encoded.data


def test_a_screenshot_becomes_webp() -> None:
    """A JPEG screenshot is served as WebP of the same proportions."""
    output = io.BytesIO()
    Image.new("RGB", (2000, 1000), (200, 10, 10)).save(output, format="JPEG")
    encoded = encode_picture(output.getvalue(), "screenshot")
    assert ("image/webp", 1600, 800) == (encoded.media_type, encoded.width, encoded.height)


def test_a_clean_svg_logo_is_kept_as_it_is() -> None:
    """An SVG without script or outside references passes unchanged, with its size."""
    encoded = encode_picture(CLEAN_SVG, "logo")
    assert ("image/svg+xml", CLEAN_SVG, 64) == (encoded.media_type, encoded.data, encoded.width)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "outside itself",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "DOCTYPE",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><style>@import url(x.css)</style></svg>",
            "style",
        ),
        (b"<html><body>not a picture</body></html>", "not <svg>"),
        (b"GIF89a but not really", "not a readable image"),
        (b"\x00" * (MAX_BYTES + 1), "larger than"),
    ],
)
def test_doubtful_pictures_are_refused_with_the_reason(body: bytes, reason: str) -> None:
    """Scripts, handlers, outside references, entities, non-images and oversize are refused."""
    with pytest.raises(PictureRefused, match=reason):
        encode_picture(body, "logo")


def test_a_decompression_bomb_is_refused() -> None:
    """A small file that claims 100,000 × 100,000 pixels is refused before decoding."""
    header = _png(1, 1)
    bomb = header[:16] + (100_000).to_bytes(4, "big") + (100_000).to_bytes(4, "big") + header[24:]
    with pytest.raises(PictureRefused, match=r"too large|not a readable image"):
        encode_picture(bomb, "logo")


def test_an_svg_screenshot_is_refused() -> None:
    """Screenshots must be raster images."""
    with pytest.raises(PictureRefused, match="screenshot"):
        encode_picture(CLEAN_SVG, "screenshot")


def _serve(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: routes.get(str(request.url), httpx.Response(404)))


def _fetch(url: str, transport: httpx.MockTransport, resolver: object = public_resolver) -> object:
    async def run() -> object:
        async with picture_client(
            user_agent="test",
            transport=transport,
            resolver=resolver,  # type: ignore[arg-type]
        ) as client:
            return await fetch_picture(client, url, "logo")

    return asyncio.run(run())


def test_fetch_keeps_the_picture_or_the_reason() -> None:
    """A served PNG is kept; a 404 and a plain http URL are refusals with their reason."""
    transport = _serve({LOGO_URL: httpx.Response(200, content=_png(100, 100))})
    kept = _fetch(LOGO_URL, transport)
    assert ("image/png", None) == (kept.media_type, kept.problem)  # type: ignore[attr-defined]
    missing = _fetch(LOGO_URL.replace("logo", "other"), transport)
    assert "HTTP 404" == missing.problem  # type: ignore[attr-defined]
    plain = _fetch(LOGO_URL.replace("https", "http"), transport)
    assert "only https://" in plain.problem  # type: ignore[attr-defined]


def test_fetch_refuses_hosts_that_resolve_to_private_addresses() -> None:
    """The SSRF guard of the crawl refuses a logo host answering 127.0.0.1 (and its redirects)."""
    transport = _serve({LOGO_URL: httpx.Response(200, content=_png(10, 10))})
    refused = _fetch(LOGO_URL, transport, resolver=lambda host: ["127.0.0.1"])
    assert "non-public address 127.0.0.1" in (refused.problem or "")  # type: ignore[attr-defined]
    hop = _serve(
        {
            LOGO_URL: httpx.Response(302, headers={"Location": "https://169.254.169.254/logo"}),
            "https://169.254.169.254/logo": httpx.Response(200, content=_png(10, 10)),
        }
    )
    redirected = _fetch(LOGO_URL, hop)
    assert "169.254.169.254" in (redirected.problem or "")  # type: ignore[attr-defined]
    assert redirected.data is None  # type: ignore[attr-defined]


def test_the_crawl_step_stores_each_picture_once(tmp_path: Path) -> None:
    """New logo URLs are fetched and stored; the next run fetches nothing again."""
    store = create_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.upsert_records(
        [
            make_record("https://gitlab.example.org/team/app", "App", logo=LOGO_URL),
            make_record("https://gitlab.example.org/team/b", "B", logo=LOGO_URL + "?missing"),
        ]
    )
    requests: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        if str(request.url) == LOGO_URL:
            return httpx.Response(200, content=_png(64, 64))
        return httpx.Response(404)

    transport = httpx.MockTransport(answer)
    assert (1, 1) == fetch_new_pictures(
        store, user_agent="test", transport=transport, resolver=public_resolver
    )
    assert (0, 0) == fetch_new_pictures(
        store, user_agent="test", transport=transport, resolver=public_resolver
    )
    assert 2 == len(requests)
    stored = store.get_picture(picture_key(LOGO_URL))
    assert stored is not None and (64, 64) == (stored.width, stored.height)
    store.close()
