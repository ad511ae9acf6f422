"""`parse`: publiccode.yml bytes → findings, the decoded data and a typed model.

The steps follow the reference parser (italia/publiccode-parser-go), so that results agree with
it on its own test corpus:

1. bytes → YAML tree (`yamlnodes.load`): size, UTF-8, syntax, one document, bounded nesting and
   aliases, duplicate keys;
2. the top level must be a mapping; ``publiccodeYmlVersion`` must be present, a string and a
   supported version, older versions warn. The reference stops at a bad version; we report it
   first and check the rest against the latest standard, so one round of fixes suffices;
3. strict decoding against the key table (`decode`): unknown keys, wrong types;
4. value rules (`rules`), then deprecations, files and videos (`extras`);
5. the reference's compatibility fix-ups on ``data``: ``it`` → ``IT``, and a deprecated
   ``IT.riuso.codiceIPA`` becomes ``organisation.uri: urn:x-italian-pa:<code>`` when
   ``organisation`` is absent.

Everything is offline; the only I/O is reading files under ``base_dir`` when one is given. The
network checks are a separate step (``crawler.publiccode_network``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.findings import Finding, has_errors
from schemas.publiccode.decode import decode
from schemas.publiccode.extras import check_extras
from schemas.publiccode.formats import clip
from schemas.publiccode.model import PublicCode
from schemas.publiccode.positions import find_key, key_at_line, position
from schemas.publiccode.rules import Rules
from schemas.publiccode.vocabularies import LATEST_VERSION, SUPPORTED_VERSIONS
from schemas.publiccode.yamlnodes import MAP, SCALAR, SEQ, Node, load, to_data

FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
"""The names a publiccode file may have; both are read alike."""


@dataclass(frozen=True)
class ParseResult:
    """What `parse` found in one file.

    ``findings`` are ordered by line and column (findings without a position first);
    ``valid`` is True when none is an error; ``data`` is the decoded top-level mapping (plain
    Python types, after the compatibility fix-ups) or None when the file is not a mapping;
    ``model`` is the typed model built from ``data`` (None when ``data`` is); ``version`` is the
    declared ``publiccodeYmlVersion`` when it is a string.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] | None = None
    model: PublicCode | None = None
    version: str | None = None

    @property
    def valid(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not has_errors(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that are errors."""
        return [f for f in self.findings if f.type == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that are warnings."""
        return [f for f in self.findings if f.type == "warning"]


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def _fix_ups(data: dict[str, Any]) -> dict[str, Any]:
    """The reference parser's backwards-compatibility copies (see the module docstring)."""
    fixed = dict(data)
    if "it" in fixed:
        lowercase = fixed.pop("it")
        fixed.setdefault("IT", lowercase)
    section = fixed.get("IT")
    riuso = section.get("riuso") if isinstance(section, dict) else None
    code = riuso.get("codiceIPA") if isinstance(riuso, dict) else None
    if isinstance(code, str) and code and "organisation" not in fixed:
        organisation: dict[str, Any] = {"uri": f"urn:x-italian-pa:{code}"}
        legal = fixed.get("legal")
        owner = legal.get("repoOwner") if isinstance(legal, dict) else None
        if isinstance(owner, str) and owner:
            organisation["name"] = owner
        fixed["organisation"] = organisation
    return fixed


def _kind(node: Node) -> str:
    return {MAP: "a mapping", SEQ: "a list", SCALAR: "a single value"}[node.kind]


def parse(
    data: bytes,
    *,
    path: str = "publiccode.yml",
    base_dir: str | Path | None = None,
    ipa_codes: frozenset[str] | None = None,
) -> ParseResult:
    """Parse and validate one publiccode.yml (or publiccode.yaml) file given as bytes.

    ``path`` names the file in the result. ``base_dir`` is the directory relative ``logo``,
    ``screenshots`` and ``authorsFile`` paths are checked in; without it those file checks are
    skipped. ``ipa_codes`` is the list of Italian public administration codes to check
    ``urn:x-italian-pa:`` URIs against; without it only their shape is checked. Never raises on
    any input: problems are findings.
    """
    loaded = load(data)
    findings = list(loaded.findings)
    root = loaded.root
    if root is None:
        if not findings:
            findings.append(
                Finding(
                    type="error",
                    key="publiccodeYmlVersion",
                    message="publiccodeYmlVersion is a required field: the file is empty. "
                    'Start it with publiccodeYmlVersion: "0"',
                    code="publiccode.empty_file",
                )
            )
        return ParseResult(path=path, findings=_ordered(findings))
    if root.kind != MAP:
        findings.append(
            Finding(
                type="error",
                key="",
                line=root.line,
                column=root.column,
                message=f"the file must be a YAML mapping of keys (name: …, url: …), not "
                f"{_kind(root)}",
                code="publiccode.not_mapping",
            )
        )
        return ParseResult(path=path, findings=_ordered(findings))
    raw = to_data(root)
    fixed = _fix_ups(raw)
    model = PublicCode.model_validate(_fix_ups(PublicCode.lenient_data(root)))
    pair = find_key(root, "publiccodeYmlVersion")
    version_finding, version = _version_check(root, pair)
    if version_finding is not None:
        findings.append(version_finding)
    elif (
        version not in (None, "0")
        and pair is not None
        and not str(version).startswith(LATEST_VERSION)
    ):
        findings.append(
            Finding(
                type="warning",
                key="publiccodeYmlVersion",
                line=pair[0].line,
                column=pair[0].column,
                message=f"v{version} is not the latest version, use '0'. Parsing this file "
                f"as v{LATEST_VERSION}.",
                code="publiccode.version_old",
                params={"found": str(version), "latest": LATEST_VERSION},
            )
        )
    view, decode_findings, dropped = decode(root)
    # A wrong-typed version is already the version finding; decoding words it again.
    findings.extend(
        f for f in decode_findings if version_finding is None or f.key != version_finding.key
    )
    checker = Rules(root, ipa_codes)
    checker.check(view)
    check_extras(checker, view, Path(base_dir) if base_dir is not None else None)
    findings.extend(checker.findings)
    dropped += checker.dropped + loaded.dropped
    if dropped:
        findings.append(
            Finding(
                type="error" if has_errors(findings) else "warning",
                key="",
                message=f"{dropped:,} more findings like the ones above are not listed; fix "
                "these first",
                code="publiccode.more_findings",
                params={"count": dropped},
            )
        )
    if version_finding is not None:
        return _result(path, findings, fixed, model, version, first=version_finding)
    return _result(path, findings, fixed, model, version)


OLD_VERSION_KEYS = ("publiccode-yml-version", "publiccodeYamlVersion")
"""Spellings of the version key seen in real files (the first is the pre-0.2 name)."""


def _version_check(root: Node, pair: tuple[Node, Node] | None) -> tuple[Finding | None, str | None]:
    """The finding about ``publiccodeYmlVersion`` (None when it names a supported version) and
    the declared version when it is a string.

    The reference parser stops at this finding; we go on and check the rest of the file against
    the latest standard, so that one round of fixes suffices (issue 13), and say so.
    """
    rest = f"The rest of the file was checked against the latest standard ({LATEST_VERSION})."
    if pair is None:
        old = next((name for name in OLD_VERSION_KEYS if find_key(root, name)), None)
        rename = f" (rename {old}, an old spelling)" if old else ""
        return (
            Finding(
                type="error",
                key="publiccodeYmlVersion",
                message='publiccodeYmlVersion is a required field: add publiccodeYmlVersion: "0" '
                f"as the first line{rename}. {rest}",
                code="publiccode.version_missing_old_key" if old else "publiccode.version_missing",
                params={"latest": LATEST_VERSION, **({"old": old} if old else {})},
            ),
            None,
        )
    _, version_node = pair
    if version_node.kind != SCALAR or not isinstance(version_node.value, str):
        found = clip(version_node.text) if version_node.kind == SCALAR else _kind(version_node)
        key, column = key_at_line(root, version_node.line)
        return (
            Finding(
                type="error",
                key=key or "publiccodeYmlVersion",
                line=version_node.line,
                column=column,
                message=f"wrong type for this field: publiccodeYmlVersion must be a string, not "
                f'{found}. Quote it: publiccodeYmlVersion: "0". {rest}',
                code="publiccode.version_type",
                params={"found": found, "latest": LATEST_VERSION},
            ),
            None,
        )
    version = version_node.value
    if version not in SUPPORTED_VERSIONS:
        return (
            Finding(
                type="error",
                key="publiccodeYmlVersion",
                message=f"unsupported version: '{clip(version)}'. Supported versions: "
                f'{", ".join(SUPPORTED_VERSIONS)}. Use "0" for the latest 0.x standard. {rest}',
                code="publiccode.version_unsupported",
                params={
                    "found": clip(version),
                    "supported": ", ".join(SUPPORTED_VERSIONS),
                    "latest": LATEST_VERSION,
                },
            ),
            version,
        )
    return None, version


def _result(
    path: str,
    findings: list[Finding],
    data: dict[str, Any],
    model: PublicCode,
    version: str | None,
    *,
    first: Finding | None = None,
) -> ParseResult:
    ordered = _ordered(findings)
    if first is not None:  # the version finding leads: it decides how the rest was read
        ordered = [first, *(f for f in ordered if f is not first)]
    return ParseResult(
        path=path, findings=ordered, data=copy.copy(data), model=model, version=version
    )


def locator(data: bytes) -> Callable[[str], tuple[int | None, int | None]]:
    """A function giving the line and column a finding about a key path in ``data`` points
    at, by `parse`'s rules; ``data`` is read once.

    For checks made after parsing (the network step), so their findings are placed alike.
    """
    root = load(data).root
    return lambda key: position(root, key)


def locate(data: bytes, key: str) -> tuple[int | None, int | None]:
    """`locator` for a single key."""
    return locator(data)(key)
