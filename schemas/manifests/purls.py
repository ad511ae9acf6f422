"""Package URLs and their matching keys (packageurl-python does the quoting and checks).

`package_url` builds a purl string, or None when the name cannot form one (a hostile manifest
may name anything). `key` drops version, qualifiers and subpath and folds the name the way the
ecosystem's registry does, so ``Django`` and ``django`` (PyPI) or ``Newtonsoft.Json`` and
``newtonsoft.json`` (NuGet) are one package, while Maven and Go stay case-sensitive.
"""

from __future__ import annotations

import re

from packageurl import PackageURL
from packaging.utils import canonicalize_name

MAX_NAME_LENGTH = 214
"""Longer names are refused (npm's own limit; no registry allows more than a few hundred)."""
_CASE_BLIND = frozenset({"npm", "composer", "nuget", "pypi", "gem", "generic"})
_PRINTABLE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")


def _fold(type_: str, namespace: str | None, name: str) -> tuple[str | None, str]:
    if type_ == "pypi":
        return None, canonicalize_name(name)
    if type_ == "cargo":
        return namespace, name.replace("_", "-").lower()
    if type_ in _CASE_BLIND:
        return (namespace.lower() if namespace else None), name.lower()
    return namespace, name


def package_url(
    type_: str, name: str, *, namespace: str | None = None, version: str | None = None
) -> str | None:
    """The purl of a package, or None when the name is empty, too long or not printable."""
    parts = [part for part in (namespace, name, version) if part]
    if not name or any(len(part) > MAX_NAME_LENGTH or not _PRINTABLE.match(part) for part in parts):
        return None
    if type_ == "pypi":
        name = canonicalize_name(name)
    try:
        return PackageURL(
            type=type_, namespace=namespace or None, name=name, version=version
        ).to_string()
    except (ValueError, TypeError):  # packageurl refuses some names with a TypeError
        return None


def key(purl: str) -> str | None:
    """The matching key of `purl` (see the module docstring), or None when it is no purl."""
    try:
        parsed = PackageURL.from_string(purl)
        namespace, name = _fold(parsed.type, parsed.namespace, parsed.name)
        return PackageURL(type=parsed.type, namespace=namespace, name=name).to_string()
    except (ValueError, TypeError):  # packageurl refuses some names with a TypeError
        return None


def split_npm_name(name: str) -> tuple[str | None, str]:
    """(namespace, name) of an npm package name: ``@scope/pkg`` → (``@scope``, ``pkg``)."""
    if name.startswith("@") and "/" in name:
        scope, _, rest = name.partition("/")
        return scope, rest
    return None, name


def split_path(path: str) -> tuple[str | None, str]:
    """(namespace, name) of a slash path (Go modules, Composer): the last segment is the name."""
    namespace, _, name = path.strip("/").rpartition("/")
    return namespace or None, name
