"""Key paths ↔ positions in the YAML tree, following the reference parser's conventions.

Key paths look like ``description.en.features[2]`` or ``description[en-US].features``: a
description language that is not purely alphabetic is written in brackets, as the reference
parser does. `position` finds where a finding about a key path points:

* the key itself when it exists (``name`` → the ``name:`` key), a list item when the path ends
  with an index;
* for a missing key, the mapping that should hold it (a missing top-level key → the document's
  first key, usually 1:1);
* (0, 0) — shown as no position — when a section on the way is missing altogether.

`key_at_line` gives the key path of the first key or list item starting on a line, which is how
the reference names "wrong type" and "unknown field" findings.
"""

from __future__ import annotations

import re

from schemas.publiccode.yamlnodes import MAP, SCALAR, SEQ, Node

_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")
_ALPHA = re.compile(r"[A-Za-z]+\Z")


def join(path: str, name: str) -> str:
    """``path`` extended by the mapping key ``name``."""
    return f"{path}.{name}" if path else name


def lang_path(path: str, lang: str) -> str:
    """The reference's spelling of a description language: ``.en`` or ``[en-US]``."""
    return join(path, lang) if _ALPHA.match(lang) else f"{path}[{lang}]"


def _segments(key: str) -> list[tuple[str, bool]]:
    """(name, is_index) pairs; ``[en-US]`` is a mapping key, ``[2]`` an index."""
    out: list[tuple[str, bool]] = []
    for match in _SEGMENT.finditer(key):
        name, bracket = match.group(1), match.group(2)
        if name is not None:
            out.append((name, False))
        else:
            out.append((bracket, bracket.isdigit()))
    return out


def find_key(node: Node, name: str) -> tuple[Node, Node] | None:
    """The (key, value) pair of ``name`` in a mapping node, or None.

    Large mappings get a lookup table on first use, so many findings in one stay linear.
    """
    if node.kind != MAP:
        return None
    if len(node.items) <= 16:
        for key, value in node.items:
            if key.kind == SCALAR and key.text == name:
                return key, value
        return None
    if node.lookup is None:
        node.lookup = {}
        for key, value in node.items:
            if key.kind == SCALAR:
                node.lookup.setdefault(key.text, (key, value))
    return node.lookup.get(name)


def position(root: Node | None, key: str) -> tuple[int | None, int | None]:
    """Line and column a finding about ``key`` points at (None, None for no position)."""
    if root is None:
        return None, None
    node = root
    holder: tuple[int, int] = (root.line, root.column)
    segments = _segments(key)
    for number, (name, is_index) in enumerate(segments):
        last = number == len(segments) - 1
        if is_index:
            index = int(name)
            if node.kind == SEQ and index < len(node.items):
                node = node.items[index]
                holder = (node.line, node.column)
                continue
            return holder if last else (None, None)
        pair = find_key(node, name)
        if pair is None:
            return (node.line, node.column) if last else (None, None)
        holder = (pair[0].line, pair[0].column)
        node = pair[1]
    return holder


def node_at(root: Node | None, key: str) -> Node | None:
    """The value node at ``key``, or None when any part of the path is missing."""
    node = root
    for name, is_index in _segments(key):
        if node is None:
            return None
        if is_index:
            index = int(name)
            node = node.items[index] if node.kind == SEQ and index < len(node.items) else None
        else:
            pair = find_key(node, name)
            node = pair[1] if pair else None
    return node


class LineIndex:
    """The first key or list item starting on each line, in document order (built once).

    This is how the reference names "wrong type" findings: by the first key found on the line
    where the offending value starts. Building the index once keeps a file with thousands of
    such findings linear.
    """

    def __init__(self, root: Node) -> None:
        self.first: dict[int, tuple[str, int]] = {}
        self._walk(root, "")

    def _walk(self, node: Node, path: str) -> None:
        # Recursion is bounded by the loader's depth limit.
        if node.kind == MAP:
            for key, value in node.items:
                child = join(path, key.text if key.kind == SCALAR else "?")
                self.first.setdefault(key.line, (child, key.column))
                if value.kind != SCALAR:
                    self._walk(value, child)
        elif node.kind == SEQ:
            for index, item in enumerate(node.items):
                child = f"{path}[{index}]"
                self.first.setdefault(item.line, (child, item.column))
                if item.kind != SCALAR:
                    self._walk(item, child)

    def key_at(self, line: int) -> tuple[str, int]:
        """Key path and column of the first key or item on ``line``; ("", 1) when none."""
        return self.first.get(line, ("", 1))


def key_at_line(root: Node, line: int) -> tuple[str, int]:
    """Key path and column of the first key or list item starting on ``line`` (document order).

    Returns ("", 1) when no key starts there. For many lookups build a `LineIndex` once.
    """
    return LineIndex(root).key_at(line)
