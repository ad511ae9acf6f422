"""Checks beyond the key table: deprecations, referenced files, videos, the ``it``/``IT`` section.

These follow the reference parser's ``validateFieldsV0``:

* deprecation warnings for ``monochromeLogo``, ``inputTypes``/``outputTypes``,
  ``legal.repoOwner``, ``legal.authorsFile``, ``description.*.genericName``, ``IT.conforme``,
  ``IT.riuso.codiceIPA``, lowercase country codes and the lowercase ``it`` section;
* ``logo``/``monochromeLogo``/``screenshots``/``authorsFile``: absolute paths and ``file:`` URLs
  are errors; with a ``base_dir`` the relative files must exist there with a supported extension,
  and a PNG logo must be a real PNG at least 120 px wide (remote files are the network step's);
* every video must match a known oEmbed provider's URL scheme (offline, a regex list).

The only I/O here is reading local files under ``base_dir``, and only when a caller passes one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemas.publiccode import formats
from schemas.publiccode.checker import Checker
from schemas.publiccode.formats import (
    LOGO_EXTENSIONS,
    MIN_LOGO_WIDTH,
    SCREENSHOT_EXTENSIONS,
    clip,
    png_width,
)
from schemas.publiccode.positions import lang_path

_DEPRECATED_DROP = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"


def _is_remote(value: str) -> bool:
    """An absolute URL (Go's ``url.ParseRequestURI`` succeeds and it is not a path)."""
    return formats.is_absolute_uri(value) and not value.startswith("/")


def _placement_error(checker: Checker, key: str, value: str) -> bool:
    """The reference's isRelativePathOrURL: True (after reporting) when ``value`` is refused."""
    if value.startswith("/"):
        checker.error(
            key,
            "is an absolute path. Only relative paths or HTTP(s) URLs allowed: write the path "
            "relative to the publiccode.yml file (e.g. img/logo.svg)",
            "absolute_path",
        )
        return True
    if value.startswith("file:"):
        checker.error(
            key,
            "is a file:// URL. Only relative paths or HTTP(s) URLs allowed: write the path "
            "relative to the publiccode.yml file (e.g. img/logo.svg)",
            "file_url",
        )
        return True
    return False


def _is_file(path: Path) -> bool:
    """True for an existing regular file; False for anything unusable (too long, NUL, ...)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _png_width(path: Path) -> int | None:
    """Width of a PNG file, or None when it is not a readable PNG."""
    try:
        with path.open("rb") as handle:
            return png_width(handle.read(24))
    except OSError:
        return None


def _logo(checker: Checker, key: str, value: str, base_dir: Path | None) -> None:
    if not value or _placement_error(checker, key, value):
        return
    if base_dir is None or _is_remote(value):
        return
    path = base_dir / value
    shown = clip(str(path), 200)
    suffix = path.suffix.lower()
    if suffix not in LOGO_EXTENSIONS:
        checker.error(
            key,
            f"invalid file extension for: {shown} — a logo must be .svg, .svgz or .png",
            "logo_extension",
            path=shown,
        )
        return
    if not _is_file(path):
        checker.error(
            key,
            f"no such file: {shown} — commit the file or fix the path",
            "no_such_file",
            path=shown,
        )
        return
    if suffix == ".png":
        width = _png_width(path)
        if width is None:
            checker.error(
                key,
                f"image: unknown format — {shown} is not a valid PNG image",
                "not_png",
                path=shown,
            )
        elif width < MIN_LOGO_WIDTH:
            checker.error(
                key,
                f"invalid image size of {width} (min {MIN_LOGO_WIDTH}px of width): {shown}",
                "image_too_small",
                width=width,
                minimum=MIN_LOGO_WIDTH,
                path=shown,
            )


def _screenshot(checker: Checker, key: str, value: str, base_dir: Path | None) -> None:
    if _placement_error(checker, key, value) or base_dir is None or _is_remote(value):
        return
    path = base_dir / value
    shown = clip(str(path), 200)
    if path.suffix.lower() not in SCREENSHOT_EXTENSIONS:
        checker.error(
            key,
            f"'{clip(value)}' is not an image: invalid file extension for: {shown} — "
            "screenshots must be .jpg or .png",
            "screenshot_extension",
            path=shown,
        )
    elif not _is_file(path):
        checker.error(
            key,
            f"'{clip(value)}' is not an image: no such file: {shown} — commit the file or fix "
            "the path",
            "no_such_file",
            path=shown,
        )


def check_extras(checker: Checker, view: dict[str, Any], base_dir: Path | None) -> None:
    """Run the checks of this module on the checked view."""
    if "logo" in view:
        _logo(checker, "logo", view["logo"], base_dir)
    if view.get("monochromeLogo"):
        checker.warning(
            "monochromeLogo",
            "This key is DEPRECATED and will be removed in the future. Use 'logo' instead",
            "deprecated_use",
            instead="logo",
        )
        _logo(checker, "monochromeLogo", view["monochromeLogo"], base_dir)
    audience = view.get("intendedAudience") or {}
    for name in ("countries", "unsupportedCountries"):
        for index, code in enumerate(audience.get(name) or []):
            if len(code) == 2 and code.isalpha() and code == code.lower():
                checker.warning(
                    f"intendedAudience.{name}[{index}]",
                    "Lowercase country codes are DEPRECATED. Use uppercase instead "
                    f"('{code.upper()}')",
                    "lowercase_country",
                    found=code,
                    upper=code.upper(),
                )
    legal = view.get("legal") or {}
    if "authorsFile" in legal:
        checker.warning("legal.authorsFile", _DEPRECATED_DROP, "deprecated")
        authors = legal["authorsFile"]
        refused = _placement_error(checker, "legal.authorsFile", authors)
        if not refused and base_dir is not None and not _is_remote(authors):
            path = base_dir / authors
            if not _is_file(path):
                shown = clip(str(path), 200)
                checker.error(
                    "legal.authorsFile",
                    f"'{shown}' does not exist: no such file: {shown}",
                    "no_such_file",
                    path=shown,
                )
    if "repoOwner" in legal:
        checker.warning(
            "legal.repoOwner",
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' "
            "instead",
            "deprecated_use",
            instead="organisation.name",
        )
    for name in ("inputTypes", "outputTypes"):
        if name in view:
            checker.warning(name, _DEPRECATED_DROP, "deprecated")
    for lang, entry in (view.get("description") or {}).items():
        path = lang_path("description", lang)
        if entry.get("genericName"):
            checker.warning(f"{path}.genericName", _DEPRECATED_DROP, "deprecated")
        for index, shot in enumerate(entry.get("screenshots") or []):
            _screenshot(checker, f"{path}.screenshots[{index}]", shot, base_dir)
        for index, video in enumerate(entry.get("videos") or []):
            if not formats.is_oembed_video(video):
                checker.error(
                    f"{path}.videos[{index}]",
                    f"'{clip(video)}' is not a valid video URL supporting oEmbed: invalid oEmbed "
                    f"link: {clip(video)} — link the video page of a provider such as YouTube, "
                    "Vimeo, Dailymotion or PeerTube",
                    "not_oembed_video",
                    found=clip(video),
                )
    _country_sections(checker, view)


def _country_sections(checker: Checker, view: dict[str, Any]) -> None:
    section, name = view.get("IT"), "IT"
    if "it" in view:
        checker.warning(
            "it",
            "Lowercase country codes are DEPRECATED and will be removed in the future. "
            "Use 'IT' instead",
            "deprecated_use",
            instead="IT",
        )
        section, name = view["it"], "it"
        if "IT" in view:
            checker.error("it", "'IT' key already present. Remove this key", "duplicate_it")
            section, name = view["IT"], "IT"
    if section is None:
        return
    if "conforme" in section:
        checker.warning("IT.conforme", _DEPRECATED_DROP, "deprecated", at=f"{name}.conforme")
    code = (section.get("riuso") or {}).get("codiceIPA")
    if code and formats.is_ipa_code(code, checker.ipa_codes):
        checker.warning(
            "IT.riuso.codiceIPA",
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' "
            f"and set it to 'urn:x-italian-pa:{clip(code)}' instead",
            "deprecated_use",
            at=f"{name}.riuso.codiceIPA",
            instead=f"organisation.uri: urn:x-italian-pa:{clip(code)}",
        )
