"""publiccode.yml bytes → a bounded YAML node tree with 1-based positions, or findings.

The tree is built from libyaml's event stream (PyYAML's ``CSafeLoader`` where available) by an
iterative composer of our own, so that whatever the input:

* nothing recurses on the input's nesting (a document 10,000 levels deep gives one finding);
* aliases are shared nodes whose *expanded* size is counted as the tree is built, so an alias
  bomb ("billion laughs") is refused before anything expands it;
* each node carries the line and column where it starts, for every finding to point at;
* duplicate keys, multiple documents, invalid UTF-8 and oversized files are findings, not
  exceptions.

Plain scalars are resolved with the YAML 1.2 core schema, as the standard requires (YAML 1.1
``yes``/``no`` and timestamps stay strings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from schemas.findings import Finding
from schemas.publiccode.yamlerrors import error as _error
from schemas.publiccode.yamlerrors import syntax_error as _syntax_error
from schemas.publiccode.yamlerrors import utf8_error as _utf8_error

try:  # the C parser is ~10x faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 20_000
MAX_ALIAS_EXPANSION = 10_000
MAX_FINDINGS = 1_000
"""Findings kept per collector; the rest are only counted (bounds memory on absurd files)."""


class FindingCollector:
    """Findings of one file, at most `MAX_FINDINGS` kept; `dropped` counts the ones left out."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.dropped = 0

    def full(self) -> bool:
        """True (and counted) once `MAX_FINDINGS` are kept: further findings are dropped."""
        if len(self.findings) < MAX_FINDINGS:
            return False
        self.dropped += 1
        return True


_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")

_STR_TAG = "tag:yaml.org,2002:str"

MAP = "mapping"
SEQ = "sequence"
SCALAR = "scalar"


class Node:
    """One YAML node: a mapping, a sequence or a scalar, with its 1-based start position.

    ``items`` is a list of (key, value) node pairs for a mapping and a list of nodes for a
    sequence; ``value`` is the resolved Python value of a scalar (None, bool, int, float, str)
    and ``text`` its source text. ``size`` is the number of nodes once aliases are expanded.
    """

    __slots__ = ("column", "done", "items", "kind", "line", "lookup", "size", "text", "value")

    def __init__(self, kind: str, line: int, column: int) -> None:
        self.kind = kind
        self.line = line
        self.column = column
        self.items: list[Any] = []
        self.value: Any = None
        self.text = ""
        self.size = 1
        self.done = kind == SCALAR
        self.lookup: dict[str, tuple[Node, Node]] | None = None  # see positions.find_key


@dataclass
class Loaded:
    """The outcome of loading: the root node (None when unusable) and the findings so far."""

    root: Node | None
    findings: list[Finding] = field(default_factory=list)
    dropped: int = 0


_MAYBE_NOT_STRING = frozenset("0123456789+-.~nNtTfF")


_MAX_INT_BITS = 13_000
"""About 3,900 decimal digits: Python refuses to turn longer integers into text and back."""


def _integer(text: str, digits: str, base: int) -> int | str:
    """`digits` read in `base`; an integer too long to print again (over 4,300 decimal digits,
    ``sys.get_int_max_str_digits``) stays its source `text`, read like any other scalar text."""
    try:
        value = int(digits, base)
    except ValueError:
        return text
    return value if value.bit_length() <= _MAX_INT_BITS else text


def _resolve_plain(text: str) -> Any:
    if text and text[0] not in _MAYBE_NOT_STRING:
        return text  # fast path: no null, bool, int or float starts otherwise
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return _integer(text, text, 10)
    if _OCT.match(text):
        return _integer(text, text[2:], 8)
    if _HEX.match(text):
        return _integer(text, text[2:], 16)
    if _FLOAT.match(text) or _INF.match(text) or _NAN.match(text):
        return float(
            text.replace(".inf", "inf")
            .replace(".Inf", "inf")
            .replace(".INF", "inf")
            .replace(".nan", "nan")
            .replace(".NaN", "nan")
            .replace(".NAN", "nan")
        )
    return text


def _resolve(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    text: str = event.value
    if tag is None or tag == "?":
        return _resolve_plain(text) if not event.style else text
    if tag == _STR_TAG or tag == "!":
        return text
    resolved = _resolve_plain(text)
    if tag.endswith(":null") and resolved is None:
        return None
    if tag.endswith(":bool") and isinstance(resolved, bool):
        return resolved
    if tag.endswith(":int") and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if tag.endswith(":float") and isinstance(resolved, int | float):
        return float(resolved)
    return text


class _Composer:
    """Builds the node tree from events; see the module docstring for the bounds."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = []  # [node, path, pending key node, seen keys]
        self.anchors: dict[str, Node] = {}
        self.root: Node | None = None
        self.nodes = 0
        self.findings: list[Finding] = []
        self.dropped = 0

    def attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent: Node = frame[0]
        if parent.kind == SEQ:
            parent.items.append(node)
            return
        key: Node | None = frame[2]
        if key is None:
            frame[2] = node
            return
        frame[2] = None
        if key.kind == SCALAR:
            name = key.text
            seen: dict[str, int] = frame[3]
            if name in seen:
                where = f"{frame[1]}.{name}" if frame[1] else name
                if len(self.findings) >= MAX_FINDINGS:
                    self.dropped += 1
                    return
                self.findings.append(
                    _error(
                        key.line,
                        key.column,
                        f'duplicate key "{name[:80]}": already defined at line {seen[name]}. '
                        "Keep only one of them (the first one is used)",
                        where,
                        code="duplicate_key",
                        name=name[:80],
                        first=seen[name],
                    )
                )
                return
            seen[name] = key.line
        parent.items.append((key, node))

    def child_path(self) -> str:
        if not self.stack:
            return ""
        frame = self.stack[-1]
        parent: Node = frame[0]
        if parent.kind == SEQ:
            return f"{frame[1]}[{len(parent.items)}]"
        key: Node | None = frame[2]
        name = key.text if key is not None and key.kind == SCALAR else "?"
        return f"{frame[1]}.{name}" if frame[1] else name

    def close(self) -> None:
        node: Node = self.stack.pop()[0]
        node.done = True
        if node.kind == MAP:
            node.size = 1 + sum(k.size + v.size for k, v in node.items)
        else:
            node.size = 1 + sum(item.size for item in node.items)


def _too_many(composer: _Composer, line: int, column: int) -> Loaded:
    composer.findings.append(
        _error(
            line,
            column,
            f"the YAML has more than {MAX_NODES:,} nodes; a publiccode.yml has a few hundred "
            "(the largest seen in real files, about 5,600). Check that this is the right file",
            code="too_many_nodes",
            limit=MAX_NODES,
        )
    )
    return Loaded(None, composer.findings)


def load(data: bytes) -> Loaded:
    """Decode and compose ``data``; every problem becomes a finding (never an exception)."""
    if len(data) > MAX_BYTES:
        return Loaded(
            None,
            [
                _error(
                    None,
                    None,
                    f"the file is {len(data):,} bytes, over the 1 MiB limit: a publiccode.yml "
                    "is a few kilobytes. Check that this is the right file",
                    code="file_too_large",
                    size=len(data),
                )
            ],
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Loaded(None, [_utf8_error(data, error)])
    if text.startswith("\ufeff"):
        text = text[1:]
    composer = _Composer()
    loader = _Loader(text)
    documents = 0
    check_event, get_event = loader.check_event, loader.get_event
    scalar_event = yaml.ScalarEvent
    try:
        while check_event():
            event: Any = get_event()  # typed loosely: the C and Python events differ
            kind = type(event)
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            if kind is scalar_event:
                # The common case, kept short: most nodes of a file are scalars.
                node = Node(SCALAR, line, column)
                text = node.text = event.value
                if (
                    event.tag is None
                    and not event.style
                    and text
                    and text[0] not in _MAYBE_NOT_STRING
                ):
                    node.value = text
                else:
                    node.value = _resolve(event)
                composer.nodes += 1
                if composer.nodes > MAX_NODES:
                    return _too_many(composer, line, column)
                composer.attach(node)
                if event.anchor is not None:
                    composer.anchors[event.anchor] = node
                continue
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                node = Node(MAP if kind is yaml.MappingStartEvent else SEQ, line, column)
                composer.nodes += 1
                if len(composer.stack) >= MAX_DEPTH:
                    composer.findings.append(
                        _error(
                            line,
                            column,
                            f"the YAML nests deeper than {MAX_DEPTH} levels here; a "
                            "publiccode.yml needs at most 6. Flatten the structure",
                            composer.child_path(),
                            code="too_deep",
                            limit=MAX_DEPTH,
                        )
                    )
                    return Loaded(None, composer.findings)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                composer.close()
                continue
            elif kind is yaml.AliasEvent:
                target = composer.anchors.get(event.anchor)
                if target is None or not target.done:
                    why = "is not defined before" if target is None else "refers to itself"
                    composer.findings.append(
                        _error(
                            line,
                            column,
                            f"the alias *{event.anchor[:80]} {why}: remove it",
                            code="alias_undefined" if target is None else "alias_recursive",
                            alias=event.anchor[:80],
                        )
                    )
                    return Loaded(None, composer.findings)
                node = target
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    composer.findings.append(
                        _error(
                            line,
                            column,
                            "multiple YAML documents in one file are not supported: keep one "
                            "document and remove this '---' separator and what follows",
                            code="several_documents",
                        )
                    )
                    return Loaded(None, composer.findings)
                continue
            else:
                continue
            if composer.nodes > MAX_NODES:
                return _too_many(composer, line, column)
            collection = node.kind != SCALAR and not node.done
            path = composer.child_path() if collection else ""
            composer.attach(node)
            anchor = getattr(event, "anchor", None)
            if anchor is not None and kind is not yaml.AliasEvent:
                composer.anchors[anchor] = node
            if collection:
                composer.stack.append([node, path, None, {}])
    except yaml.MarkedYAMLError as error:
        return Loaded(None, [*composer.findings, _syntax_error(error)])
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports marked errors
        return Loaded(
            None,
            [
                *composer.findings,
                _error(
                    None, None, f"invalid YAML: {error}", code="invalid_yaml", problem=str(error)
                ),
            ],
        )
    finally:
        loader.dispose()
    root = composer.root
    if root is not None and root.size > composer.nodes + MAX_ALIAS_EXPANSION:
        composer.findings.append(
            _error(
                None,
                None,
                f"the YAML aliases expand to {root.size:,} nodes from {composer.nodes:,} written "
                "ones (an 'alias bomb'); refused. Write the values out instead of using aliases",
                code="alias_bomb",
                size=root.size,
                written=composer.nodes,
            )
        )
        return Loaded(None, composer.findings)
    return Loaded(root, composer.findings, composer.dropped)


def to_data(node: Node) -> Any:
    """Plain Python data (dict, list, scalars) of a node; mapping keys become strings.

    Expanded size is bounded by `load`, and depth by `MAX_DEPTH`, so this recursion is safe.
    """
    if node.kind == SCALAR:
        return node.value
    if node.kind == SEQ:
        return [to_data(item) for item in node.items]
    return {
        (key.text if key.kind == SCALAR else _key_text(key)): to_data(value)
        for key, value in node.items
    }


def _key_text(node: Node) -> str:
    return repr(to_data(node))
