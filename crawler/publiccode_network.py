"""The opt-in online checks of a publiccode.yml: reachable URLs and remote images.

`check_network` complements `schemas.publiccode.parse` (offline) the way the reference parser's
network mode does: ``url`` must answer 200 and name a code repository; ``landingURL``,
``roadmap`` and each description's ``documentation``/``apiDocumentation`` must answer 200; a
remote ``logo`` (or a relative one, given the repository's raw ``base_url``) must download, have
a logo extension and, as a PNG, be at least 120 px wide; remote screenshots must download and be
.jpg/.png. Findings use the reference's keys and wording and `parse`'s positions.

The HTTP client is injected (tests hand in ``httpx.MockTransport``); hosts that are not public
(loopback, private networks, metadata addresses) are refused unless ``allow_private`` is set.
Reachability failures are errors by default; pass ``unreachable="warning"`` where a site that
refuses robots (HTTP 403) should not reject a file.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from crawler.addresses import Resolver, check_host
from schemas.errors import RegistrationError
from schemas.findings import Finding, FindingType
from schemas.publiccode import ParseResult, locator
from schemas.publiccode.formats import (
    LOGO_EXTENSIONS,
    MIN_LOGO_WIDTH,
    SCREENSHOT_EXTENSIONS,
    png_width,
)
from schemas.publiccode.positions import lang_path

MAX_DOWNLOAD = 5 * 1024 * 1024
_FORGE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitea.com")
_FORGE_WORDS = ("gitlab", "gitea", "forgejo", "git.", "code.", "forge", "salsa.", "framagit")


def _split(url: str) -> SplitResult | None:
    """``urlsplit`` that answers None for what it cannot split (``http://[::1``)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts


def is_code_repository(url: str) -> bool:
    """True for a URL that names a repository on a known forge kind (or ends in .git)."""
    parts = _split(url)
    if parts is None:
        return False
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in ("http", "https", "git", "ssh", "svn", "hg") or not host:
        return False
    if parts.path.endswith(".git"):
        return True
    if host in _FORGE_HOSTS or any(word in host for word in _FORGE_WORDS):
        return len(segments) >= 2
    return False


class _Fetcher:
    """GETs with the SSRF guard and a download bound; returns (status, body) or an error text."""

    def __init__(
        self, client: httpx.Client, *, allow_private: bool, resolver: Resolver | None
    ) -> None:
        self.client = client
        self.allow_private = allow_private
        self.resolver = resolver

    def get(self, url: str) -> tuple[int, bytes] | str:
        parts = _split(url)
        if parts is None:
            return "malformed URL"
        if not parts.scheme:
            return "missing URL scheme"
        if parts.scheme not in ("http", "https"):
            return f"unsupported URL scheme {parts.scheme!r} (http or https expected)"
        try:
            check_host(
                parts.hostname or "",
                where=url,
                allow_private=self.allow_private,
                resolver=self.resolver,
            )
        except RegistrationError as error:
            return f"HTTP GET failed for {url}: {error}"
        try:
            with self.client.stream("GET", url, follow_redirects=True) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_DOWNLOAD:
                        break
                return response.status_code, bytes(body)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
            return f"HTTP GET failed for {url}: {error or type(error).__name__}"


def check_network(
    data: bytes,
    result: ParseResult,
    client: httpx.Client,
    *,
    base_url: str | None = None,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    unreachable: FindingType = "error",
) -> list[Finding]:
    """Online findings for the file ``data`` already parsed into ``result``."""
    model = result.model
    if model is None:
        return []
    fetcher = _Fetcher(client, allow_private=allow_private, resolver=resolver)
    findings: list[Finding] = []
    place = locator(data)

    def report(
        key: str, message: str, kind: FindingType = "error", code: str = "image", **params: str
    ) -> None:
        line, column = place(key)
        findings.append(
            Finding(
                type=kind,
                key=key,
                line=line,
                column=column,
                message=message,
                code=f"publiccode.network.{code}",
                params={"problem": message, **params},
            )
        )

    def reachable(key: str, url: str) -> None:
        answer = fetcher.get(url)
        if isinstance(answer, str):
            report(key, f"'{url}' not reachable: {answer}", unreachable, "unreachable", url=url)
        elif answer[0] != 200:
            report(
                key,
                f"'{url}' not reachable: HTTP GET returned {answer[0]} for {url}; 200 was "
                "expected. Check the address (some sites refuse robots: then ignore this)",
                unreachable,
                "http_status",
                url=url,
                status=str(answer[0]),
            )

    if model.url:
        reachable("url", model.url)
        if not is_code_repository(model.url):
            report(
                "url",
                "is not a valid code repository: url must be the repository's address on its "
                "forge, like https://github.com/owner/repo",
                "error",
                "not_repository",
            )
    for key, value in (("landingURL", model.landing_url), ("roadmap", model.roadmap)):
        if value:
            reachable(key, value)
    for lang, description in model.description.items():
        path = lang_path("description", lang)
        for name, value in (
            ("documentation", description.documentation),
            ("apiDocumentation", description.api_documentation),
        ):
            if value:
                reachable(f"{path}.{name}", value)
        for index, shot in enumerate(description.screenshots):
            url = _absolute(shot, base_url)
            if url is not None:
                problem = _image_problem(fetcher, url, SCREENSHOT_EXTENSIONS, minimum_width=0)
                if problem:
                    report(f"{path}.screenshots[{index}]", f"'{shot}' is not an image: {problem}")
    for key, value in (("logo", model.logo), ("monochromeLogo", model.monochrome_logo)):
        url = _absolute(value, base_url) if value else None
        if url is not None:
            problem = _image_problem(fetcher, url, LOGO_EXTENSIONS, minimum_width=MIN_LOGO_WIDTH)
            if problem:
                report(key, problem)
    return findings


def _absolute(value: str, base_url: str | None) -> str | None:
    """An http(s) URL for a file value: itself when absolute, else resolved on ``base_url``."""
    if value.startswith(("http://", "https://")):
        return value
    if base_url is None or value.startswith("/") or ":" in value.split("/")[0]:
        return None
    try:
        return urljoin(base_url.rstrip("/") + "/", value)
    except ValueError:
        return None


def _image_problem(
    fetcher: _Fetcher, url: str, extensions: tuple[str, ...], *, minimum_width: int
) -> str | None:
    parts = _split(url)
    if parts is None:
        return f"malformed URL: {url[:100]}"
    path = parts.path.lower()
    if not path.endswith(extensions):
        return f"invalid file extension for: {url} (expected {', '.join(extensions)})"
    answer = fetcher.get(url)
    if isinstance(answer, str):
        return answer
    status, body = answer
    if status == 404:
        return f"HTTP GET failed for {url}: not found"
    if status != 200:
        return f"HTTP GET returned {status} for {url}; 200 was expected"
    if path.endswith(".png"):
        width = png_width(body[:24])
        if width is None:
            return f"image: unknown format — {url} is not a valid PNG image"
        if width < minimum_width:
            return f"invalid image size of {width} (min {minimum_width}px of width): {url}"
    return None
