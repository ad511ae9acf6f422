"""Value formats: URLs, e-mail, dates, MIME types, SPDX expressions, URIs, video links.

Each check is a pure function of one string, cached where it is costly, and follows the
reference parser's acceptance rules (go-playground/validator's ``url``/``http_url``/``email``,
Go's ``time.Parse("2006-01-02")``, github/go-spdx) closely enough to agree on real files.
"""

from __future__ import annotations

import datetime
import re
import struct
from functools import cache
from urllib.parse import urlsplit

from license_expression import ExpressionError, Licensing, get_spdx_licensing

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# The HTML5 definition of a valid e-mail address.
_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\Z"
)
# RFC 6838 section 4.2: type "/" subtype, each a restricted-name.
_MIME = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\Z"
)
_URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+\Z", re.I)
# iPA codes are lowercase (c_h501, pcm); school codes may end in an uppercase registry code.
_IPA_CODE = re.compile(r"[a-z0-9][a-z0-9_]*[A-Z0-9]*\Z")
_LICENSE_REF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")


LOGO_EXTENSIONS = (".svg", ".svgz", ".png")
SCREENSHOT_EXTENSIONS = (".jpg", ".png")
MIN_LOGO_WIDTH = 120
"""The reference's minimum logo width in pixels (the standard asks for 1000, relaxed there)."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_width(head: bytes) -> int | None:
    """Width of a PNG image from its first 24 bytes (signature and IHDR), or None if not PNG."""
    if len(head) < 24 or not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width: int = struct.unpack(">I", head[16:20])[0]
    return width


def clip(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for a message (values can be a megabyte long)."""
    return text if len(text) <= limit else text[:limit] + "…"


def is_date(value: str) -> bool:
    """``YYYY-MM-DD`` and a real calendar date."""
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_email(value: str) -> bool:
    """A syntactically valid e-mail address."""
    return bool(_EMAIL.match(value))


def is_mime_type(value: str) -> bool:
    """A well-formed media type like ``text/csv`` (RFC 6838)."""
    return bool(_MIME.match(value.strip(" ")))


@cache
def is_url(value: str) -> bool:
    """An absolute URL: a scheme plus a host, fragment or opaque part (``url`` in the reference)."""
    value = value.strip().lower()
    if not value or any(ch.isspace() for ch in value):
        return False
    if value.startswith("file:"):
        return True
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not parts.scheme or not _SCHEME.match(parts.scheme):
        return False
    opaque = not parts.netloc and not parts.path.startswith("/") and bool(parts.path)
    return bool(parts.netloc or parts.fragment or opaque)


@cache
def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host."""
    if not is_url(value):
        return False
    try:
        parts = urlsplit(value.strip().lower())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_absolute_uri(value: str) -> bool:
    """What Go's ``url.ParseRequestURI`` accepts: an absolute URI (or an absolute path)."""
    if not value or any(ch.isspace() for ch in value):
        return False
    if value.startswith("/"):
        return True
    scheme, colon, _ = value.partition(":")
    return bool(colon) and bool(_SCHEME.match(scheme))


def is_urn(value: str) -> bool:
    """An RFC 2141 URN: ``urn:<namespace>:<specific string>``."""
    return bool(_URN.match(value)) and not value.lower().startswith("urn:urn:")


def is_ipa_code(value: str, known: frozenset[str] | None) -> bool:
    """An Italian public administration code; checked against ``known`` when given.

    Without a list only the shape is checked: lowercase letters, digits and ``_``, optionally
    ending in an uppercase school code (``istsc_AGIC82200R``).
    """
    if known is not None:
        return value in known
    return bool(_IPA_CODE.match(value))


@cache
def _spdx_licensing() -> Licensing:
    # Building the SPDX index takes about 10 ms: once per process, not once per expression.
    return get_spdx_licensing()


@cache
def spdx_problem(expression: str) -> str | None:
    """None for a valid SPDX license expression, else what is wrong with it."""
    licensing = _spdx_licensing()
    # LicenseRef-/DocumentRef- identifiers are valid by definition (SPDX annex D); stand in a
    # known identifier so the expression's grammar is still checked.
    probe = _LICENSE_REF.sub("MIT", expression)
    if not probe.strip():
        return "the expression is empty"
    try:
        result = licensing.validate(probe, strict=True)
    except (ExpressionError, AttributeError, TypeError, ValueError) as error:
        del error  # the library's messages name its internals, not the user's mistake
        return "it is not a well-formed SPDX expression"
    if result.errors:
        return "; ".join(str(e) for e in result.errors)
    return None


def is_spdx_expression(expression: str) -> bool:
    """A valid SPDX license expression (``EUPL-1.2 OR AGPL-3.0-or-later``)."""
    return spdx_problem(expression) is None


# oEmbed URL schemes of the common video providers (oembed.com/providers.json), with "*" as a
# wildcard. The reference embeds the whole provider list; these cover the providers videos of
# public-sector software are published on.
OEMBED_SCHEMES: tuple[str, ...] = (
    "https://*.youtube.com/watch*",
    "https://*.youtube.com/v/*",
    "https://*.youtube.com/embed/*",
    "https://*.youtube.com/shorts/*",
    "https://*.youtube.com/live/*",
    "https://*.youtube.com/playlist?list=*",
    "https://youtube.com/watch*",
    "https://youtube.com/v/*",
    "https://youtube.com/embed/*",
    "https://youtube.com/shorts/*",
    "https://youtube.com/live/*",
    "https://youtube.com/playlist?list=*",
    "https://youtu.be/*",
    "https://www.youtube-nocookie.com/embed/*",
    "https://vimeo.com/*",
    "https://vimeo.com/album/*/video/*",
    "https://vimeo.com/channels/*/*",
    "https://vimeo.com/groups/*/videos/*",
    "https://vimeo.com/ondemand/*/*",
    "https://player.vimeo.com/video/*",
    "https://www.dailymotion.com/video/*",
    "https://dailymotion.com/video/*",
    "https://dai.ly/*",
    "https://www.ted.com/talks/*",
    "https://ted.com/talks/*",
    "https://www.twitch.tv/*",
    "https://twitch.tv/*",
    "https://clips.twitch.tv/*",
    "https://www.loom.com/share/*",
    "https://loom.com/share/*",
    "https://*.wistia.com/medias/*",
    "https://fast.wistia.com/embed/medias/*",
    "https://*.vidyard.com/*",
    "https://streamable.com/*",
    "https://www.slideshare.net/*/*",
    "https://slideshare.net/*/*",
    "https://www.facebook.com/*/videos/*",
    "https://www.facebook.com/video.php*",
    "https://fb.watch/*",
    "https://www.instagram.com/p/*",
    "https://www.instagram.com/reel/*",
    "https://www.instagram.com/tv/*",
    "https://www.tiktok.com/*/video/*",
    "https://twitter.com/*/status/*",
    "https://x.com/*/status/*",
    "https://soundcloud.com/*",
    "https://www.mixcloud.com/*/*/",
    "https://open.spotify.com/*",
    "https://www.kickstarter.com/projects/*",
    "https://screencast-o-matic.com/watch/*",
    "https://www.flickr.com/photos/*",
    "https://flic.kr/p/*",
    "https://*.kaltura.com/*",
    "https://www.canva.com/design/*/view",
    "https://archive.org/details/*",
    "https://*.bandcamp.com/*",
    "https://giphy.com/gifs/*",
    "https://media.giphy.com/media/*",
    "https://www.reddit.com/r/*/comments/*/*",
    "https://videopress.com/v/*",
    "https://rumble.com/*",
    "https://odysee.com/*",
    "https://framatube.org/videos/watch/*",
    "https://framatube.org/w/*",
    "https://peertube.*/videos/watch/*",
)


@cache
def _oembed_patterns() -> re.Pattern[str]:
    alternatives = []
    for scheme in OEMBED_SCHEMES:
        escaped = re.escape(scheme).replace(r"\*", ".*")
        alternatives.append(escaped)
        if escaped.startswith("https"):
            alternatives.append("http" + escaped[5:])
    return re.compile("(?:" + "|".join(alternatives) + r")\Z")


def is_oembed_video(value: str) -> bool:
    """True when ``value`` matches a known oEmbed video provider's URL scheme (offline)."""
    return bool(_oembed_patterns().match(value))
