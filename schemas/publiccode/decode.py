"""Strict decoding of the YAML tree against the publiccode.yml 0.7 key table.

This mirrors how the reference parser decodes into its Go structs, because its findings depend
on it:

* an unknown key is an error ``unknown field "x"``;
* a value of the wrong kind (a list where a string is expected, ``"true"`` where a boolean is)
  is an error ``wrong type for this field``, named by the first key on the value's line;
* a wrong type or unknown key anywhere inside a top-level section discards that whole section
  for the later checks (so ``maintenance.contractors: {}`` also yields "maintenance.type is a
  required field"), as the reference's decoder leaves the section unset;
* numbers and booleans where a string is expected are read as their text (the reference
  converts them too), and null means "absent".

The result is the *checked view*: plain dicts/lists/strings/bools holding only what decoded.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from schemas.findings import Finding
from schemas.publiccode.formats import clip
from schemas.publiccode.positions import LineIndex, join, lang_path
from schemas.publiccode.yamlnodes import MAP, SCALAR, SEQ, FindingCollector, Node


@dataclass(frozen=True, eq=False)
class Spec:
    """The expected shape of a value: str, bool, list, struct (fixed keys) or map (any keys)."""

    kind: str
    item: Spec | None = None
    fields: dict[str, Spec] = field(default_factory=dict)
    string_or_list: bool = False

    def describe(self) -> str:
        """Human wording of the expected shape, for messages."""
        if self.kind == "str":
            return "a string"
        if self.kind == "bool":
            return "a boolean (true or false)"
        if self.kind == "list":
            assert self.item is not None
            inner = self.item.describe()
            if self.string_or_list:
                return f"{inner} or a list of strings"
            return "a list of strings" if self.item.kind == "str" else "a list of mappings"
        if self.kind == "map":
            return "a mapping of language codes to descriptions"
        return "a mapping (key: value pairs)"


STR = Spec("str")
BOOL = Spec("bool")
STRS = Spec("list", item=STR)


def _struct(**fields: Spec) -> Spec:
    return Spec("struct", fields=fields)


def _list(item: Spec) -> Spec:
    return Spec("list", item=item)


ORGANISATION = _struct(name=STR, uri=STR)
DEPENDENCY = _struct(name=STR, versionMin=STR, versionMax=STR, optional=BOOL, version=STR)
CONTACT = _struct(name=STR, email=STR, phone=STR, affiliation=STR)
CONTRACTOR = _struct(name=STR, email=STR, website=STR, until=STR)
DESCRIPTION = _struct(
    localisedName=STR,
    genericName=STR,
    shortDescription=STR,
    longDescription=STR,
    documentation=STR,
    apiDocumentation=STR,
    features=STRS,
    screenshots=STRS,
    videos=STRS,
    awards=STRS,
)
COUNTRY_IT = _struct(
    countryExtensionVersion=STR,
    conforme=_struct(
        lineeGuidaDesign=BOOL, modelloInteroperabilita=BOOL, misureMinimeSicurezza=BOOL, gdpr=BOOL
    ),
    riuso=_struct(codiceIPA=STR),
    piattaforme=_struct(spid=BOOL, pagopa=BOOL, cie=BOOL, anpr=BOOL, io=BOOL),
)
ROOT = _struct(
    publiccodeYmlVersion=STR,
    name=STR,
    applicationSuite=STR,
    url=STR,
    landingURL=STR,
    isBasedOn=Spec("list", item=STR, string_or_list=True),
    softwareVersion=STR,
    releaseDate=STR,
    logo=STR,
    monochromeLogo=STR,
    organisation=ORGANISATION,
    inputTypes=STRS,
    outputTypes=STRS,
    platforms=STRS,
    categories=STRS,
    usedBy=STRS,
    fundedBy=_list(ORGANISATION),
    roadmap=STR,
    developmentStatus=STR,
    softwareType=STR,
    supports=_list(_struct(id=STR)),
    intendedAudience=_struct(scope=STRS, countries=STRS, unsupportedCountries=STRS),
    description=Spec("map", item=DESCRIPTION),
    legal=_struct(license=STR, mainCopyrightOwner=STR, repoOwner=STR, authorsFile=STR),
    maintenance=_struct(type=STR, contractors=_list(CONTRACTOR), contacts=_list(CONTACT)),
    localisation=_struct(localisationReady=BOOL, availableLanguages=STRS),
    dependsOn=_struct(
        open=_list(DEPENDENCY), proprietary=_list(DEPENDENCY), hardware=_list(DEPENDENCY)
    ),
    IT=COUNTRY_IT,
    it=COUNTRY_IT,
)

_FAIL = object()
_ABSENT = object()

_KIND_WORDS = {MAP: "a mapping", SEQ: "a list"}


def _found(node: Node) -> str:
    if node.kind != SCALAR:
        return _KIND_WORDS[node.kind]
    value = node.value
    if isinstance(value, bool):
        return f"the boolean {clip(node.text)}"
    if isinstance(value, int | float):
        return f"the number {clip(node.text)}"
    return f'the string "{node.text[:40]}"'


def _found_param(node: Node) -> str:
    """`_found` for the message catalogue: ``@found.<kind>`` names the words for the kind in
    each language; the value itself is in the finding's ``text`` parameter."""
    if node.kind != SCALAR:
        return f"@found.{'mapping' if node.kind == MAP else 'list'}"
    value = node.value
    if isinstance(value, bool):
        return "@found.boolean"
    if isinstance(value, int | float):
        return "@found.number"
    return "@found.string"


@cache
def _allowed(spec: Spec) -> list[str]:
    return sorted(spec.fields)


@cache
def _allowed_text(spec: Spec) -> str:
    return ", ".join(_allowed(spec))


class Decoder(FindingCollector):
    """Decodes one tree; `findings` collects the type and unknown-key errors."""

    def __init__(self, root: Node) -> None:
        super().__init__()
        self.root = root
        self._lines: LineIndex | None = None
        self.unknown_keys = 0

    def wrong_type(self, node: Node, spec: Spec, path: str) -> object:
        if self.full():
            return _FAIL
        if self._lines is None:
            self._lines = LineIndex(self.root)
        key, column = self._lines.key_at(node.line)
        name = path.rsplit(".", 1)[-1] or "this value"
        hint, hint_code = "", ""
        if spec.kind == "bool" and node.kind == SCALAR and isinstance(node.value, str):
            hint = " Write true or false without quotes (YAML 1.2: yes/no/on/off are strings)."
            hint_code = "boolean"
        elif spec.kind == "list" and node.kind == SCALAR:
            hint = f" Write it as a YAML list, one '- {node.text[:30] or 'item'}' per line."
            hint_code = "list"
        elif spec.kind == "str" and node.kind != SCALAR:
            hint = " Write a single text value (quote it if it contains ': ')."
            hint_code = "text"
        self.findings.append(
            Finding(
                type="error",
                key=key,
                line=node.line,
                column=column,
                message=(
                    f"wrong type for this field: {name} must be {spec.describe()}, "
                    f"not {_found(node)}.{hint}"
                ),
                code="publiccode.wrong_type",
                params={
                    "field": name,
                    "expected": f"@kind.{spec.kind}{'_or_list' if spec.string_or_list else ''}",
                    "found_kind": _found_param(node),
                    "hint": f"@hint.{hint_code}" if hint_code else "",
                    "item": node.text[:30] or "item",
                    "text": node.text[:40],
                },
            )
        )
        return _FAIL

    def unquoted(self, node: Node, path: str) -> None:
        """A number or boolean where text is expected: accepted as its text, with a warning."""
        if self.full():
            return
        name = path.rsplit(".", 1)[-1]
        self.findings.append(
            Finding(
                type="warning",
                key=path,
                line=node.line,
                column=node.column,
                message=(
                    f"{name} is {_found(node)} in YAML, not a string: it is read as the text "
                    f'"{clip(node.text)}", but other YAML readers may change it (1.10 becomes '
                    f'1.1, yes becomes true). Quote it: "{clip(node.text)}"'
                ),
                code="publiccode.unquoted_value",
                params={"field": name, "found_kind": _found_param(node), "text": clip(node.text)},
            )
        )

    def unknown(self, key: Node, spec: Spec, path: str) -> None:
        if self.full():
            return
        name = key.text if key.kind == SCALAR else "?"
        allowed = _allowed(spec)
        self.unknown_keys += 1
        # Suggestions cost a difflib pass each: offer them for the first keys only, which is
        # where a human typo is; a file with thousands of unknown keys is not a typo.
        suggest = len(name) < 60 and self.unknown_keys <= 50
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6) if suggest else []
        hint = f' Did you mean "{close[0]}"?' if close else ""
        where = f"under {path}" if path else "at the top level"
        self.findings.append(
            Finding(
                type="error",
                key=join(path, name),
                line=key.line,
                column=key.column,
                message=(
                    f'unknown field "{clip(name)}": publiccode.yml has no such key {where}.{hint} '
                    f"Allowed keys: {_allowed_text(spec)}"
                ),
                code="publiccode.unknown_key_under" if path else "publiccode.unknown_key",
                params={
                    "field": clip(name),
                    "section": path,
                    "allowed": _allowed_text(spec),
                    "hint": "@hint.did_you_mean" if close else "",
                    "suggestion": close[0] if close else "",
                },
            )
        )

    def value(self, node: Node, spec: Spec, path: str) -> Any:
        """The decoded value, `_ABSENT` for null, or `_FAIL` after reporting an error."""
        if node.kind == SCALAR and node.value is None:
            return _ABSENT
        kind = spec.kind
        if kind == "str":
            if node.kind != SCALAR:
                return self.wrong_type(node, spec, path)
            if isinstance(node.value, str):
                return node.value
            self.unquoted(node, path)
            return node.text
        if kind == "bool":
            if node.kind != SCALAR or not isinstance(node.value, bool):
                return self.wrong_type(node, spec, path)
            return node.value
        if kind == "list":
            assert spec.item is not None
            if spec.string_or_list and node.kind == SCALAR:
                return [node.value if isinstance(node.value, str) else node.text]
            if node.kind != SEQ:
                return self.wrong_type(node, spec, path)
            items = []
            failed = False
            for index, item in enumerate(node.items):
                decoded = self.value(item, spec.item, f"{path}[{index}]")
                if decoded is _FAIL:
                    failed = True
                elif decoded is _ABSENT:
                    items.append("" if spec.item.kind == "str" else {})
                else:
                    items.append(decoded)
            return _FAIL if failed else items
        if node.kind != MAP:
            return self.wrong_type(node, spec, path)
        if kind == "map":
            assert spec.item is not None
            entries: dict[str, Any] = {}
            failed = False
            for key, value in node.items:
                lang = key.text if key.kind == SCALAR else "?"
                decoded = self.value(value, spec.item, lang_path(path, lang))
                if decoded is _FAIL:
                    failed = True
                else:
                    entries[lang] = {} if decoded is _ABSENT else decoded
            return _FAIL if failed else entries
        return self.struct(node, spec, path, top=False)

    def struct(self, node: Node, spec: Spec, path: str, *, top: bool) -> Any:
        """A struct's decoded keys; any failure inside fails it, except at the top level."""
        out: dict[str, Any] = {}
        failed = False
        for key, value in node.items:
            name = key.text if key.kind == SCALAR else None
            child = spec.fields.get(name) if name is not None else None
            if child is None:
                self.unknown(key, spec, path)
                failed = True
                continue
            assert name is not None
            decoded = self.value(value, child, join(path, name))
            if decoded is _FAIL:
                failed = True
            elif decoded is not _ABSENT:
                out[name] = decoded
        return _FAIL if failed and not top else out


def decode(root: Node) -> tuple[dict[str, Any], list[Finding], int]:
    """The checked view of a mapping root, the decoding findings and how many were dropped."""
    decoder = Decoder(root)
    view = decoder.struct(root, ROOT, "", top=True)
    return view, decoder.findings, decoder.dropped
