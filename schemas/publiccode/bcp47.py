"""Strict BCP 47 (RFC 5646) language tag checking against the IANA subtag registry.

`is_valid_tag` accepts a tag when it is well-formed *and* every subtag is registered: the
primary language (ISO 639, shortest code only: ``en``, not ``eng``), extended language (with its
registered prefix), script (ISO 15924), region (ISO 3166-1 / UN M.49), variants (with their
prefixes, no repeats), extensions (no repeated singleton) and private use; the registry's
grandfathered tags are accepted whole. Case does not matter. POSIX spellings like ``en_GB`` are
rejected, as the reference parser does.

The registry is the copy shipped by the `langcodes` package, read once on first use (offline).
`COUNTRY_CODES` (ISO 3166-1 alpha-2) comes from the same file.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_LANGTAG = re.compile(
    r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)
    (?:-x(?:-[a-z0-9]{1,8})+)?
    \Z""",
    re.VERBOSE,
)
_PRIVATE_USE = re.compile(r"x(?:-[a-z0-9]{1,8})+\Z")
_EXTENSION = re.compile(r"-([0-9a-wy-z])((?:-[a-z0-9]{2,8})+)")

# Region codes in the registry that are not ISO 3166-1 alpha-2 country codes (reserved ones).
_NOT_COUNTRIES = frozenset({"aa", "ac", "cp", "dg", "ea", "eu", "ez", "ic", "ta", "un", "zz"})


class Registry:
    """The parts of the IANA language subtag registry a validity check needs."""

    def __init__(self) -> None:
        self.languages: set[str] = set()
        self.extlangs: dict[str, str] = {}
        self.scripts: set[str] = set()
        self.regions: set[str] = set()
        self.countries: set[str] = set()
        self.variants: dict[str, list[str]] = {}
        self.whole_tags: set[str] = set()


def _expand(subtag: str) -> list[str]:
    """``qaa..qtz`` → every code in the range (the registry's private-use ranges)."""
    if ".." not in subtag:
        return [subtag]
    start, end = subtag.split("..")
    out = []
    current = list(start)
    while True:
        out.append("".join(current))
        if "".join(current) == end:
            return out
        index = len(current) - 1
        while True:
            if current[index] in "z9":
                current[index] = "a" if current[index] == "z" else "0"
                index -= 1
            else:
                current[index] = chr(ord(current[index]) + 1)
                break


@cache
def registry() -> Registry:
    """The registry, parsed once."""
    text = (
        resources.files("langcodes")
        .joinpath("data/language-subtag-registry.txt")
        .read_text(encoding="utf-8")
    )
    reg = Registry()
    for record in text.split("\n%%\n")[1:]:
        fields: dict[str, list[str]] = {}
        for line in record.splitlines():
            if ": " in line and not line.startswith(" "):
                name, _, value = line.partition(": ")
                fields.setdefault(name, []).append(value.strip())
        kind = fields.get("Type", [""])[0]
        subtag = (fields.get("Subtag") or fields.get("Tag") or [""])[0].lower()
        prefixes = [p.lower() for p in fields.get("Prefix", [])]
        if kind == "language":
            reg.languages.update(_expand(subtag))
        elif kind == "extlang":
            reg.extlangs[subtag] = prefixes[0] if prefixes else ""
        elif kind == "script":
            reg.scripts.update(_expand(subtag))
        elif kind == "region":
            codes = _expand(subtag)
            reg.regions.update(codes)
            private = "Private use" in fields.get("Description", [])
            if not private and "Deprecated" not in fields:
                reg.countries.update(c for c in codes if c.isalpha() and c not in _NOT_COUNTRIES)
        elif kind == "variant":
            reg.variants[subtag] = prefixes
        elif kind in ("grandfathered", "redundant"):
            reg.whole_tags.add(subtag)
    return reg


def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (uppercase), from the registry's current region subtags."""
    return frozenset(code.upper() for code in registry().countries)


@cache
def is_valid_tag(tag: str) -> bool:
    """True when ``tag`` is a well-formed BCP 47 tag whose subtags are all registered."""
    lowered = tag.lower()
    reg = registry()
    if _PRIVATE_USE.match(lowered):
        return True
    match = _LANGTAG.match(lowered)
    if match is None:
        return lowered in reg.whole_tags
    language = match.group("language").split("-")
    primary = language[0]
    if len(primary) > 3 or primary not in reg.languages:
        return lowered in reg.whole_tags
    for extlang in language[1:]:
        if reg.extlangs.get(extlang) != primary:
            return False
    script, region = match.group("script"), match.group("region")
    if script is not None and script not in reg.scripts:
        return False
    if region is not None and region not in reg.regions:
        return False
    variants = [v for v in match.group("variants").split("-") if v]
    if len(set(variants)) != len(variants):
        return False
    for variant in variants:
        prefixes = reg.variants.get(variant)
        if prefixes is None:
            return False
        if prefixes and not any(f"{lowered}-".startswith(f"{p}-") for p in prefixes):
            return False
    singletons = [m.group(1) for m in _EXTENSION.finditer(match.group("extensions"))]
    return len(set(singletons)) == len(singletons)
