"""A `Draft` as YAML text: a ``# from: …`` comment above every value, ``# TODO: …`` on guesses.

ruamel.yaml writes the comments (PyYAML drops them); strings that would read as another type
(``1.0``, ``2024-05-01``, ``yes``) are quoted, so versions and dates stay strings as the standard
wants. Multi-paragraph texts are literal blocks, readable in a merge request's diff.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

if TYPE_CHECKING:
    from schemas.draft.document import Draft, FieldNote

INDENT = 2


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=INDENT, sequence=INDENT * 2, offset=INDENT)
    yaml.width = 100
    yaml.allow_unicode = True
    return yaml


def _comment(note: FieldNote) -> str:
    lines = [f"from: {note.source}"]
    if note.todo:
        lines.append(note.todo if note.todo.startswith("TODO") else f"TODO: {note.todo}")
    return "\n".join(lines)


def _convert(value: Any, path: str, depth: int, notes: dict[str, FieldNote]) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            mapping[key] = _convert(item, child, depth + 1, notes)
            note = notes.get(child)
            if note is not None:
                mapping.yaml_set_comment_before_after_key(
                    key, before=_comment(note), indent=depth * INDENT
                )
        return mapping
    if isinstance(value, list):
        return CommentedSeq([_convert(item, path, depth + 1, notes) for item in value])
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString("\n".join(line.rstrip() for line in value.splitlines()))
    return value


def render_yaml(draft: Draft, *, header: str | None = None) -> str:
    """The draft's YAML, preceded by `header` lines (each written as a comment) when given."""
    buffer = io.StringIO()
    if header:
        for line in header.splitlines():
            buffer.write(f"# {line}".rstrip() + "\n")
    _yaml().dump(_convert(draft.document, "", 0, draft.notes), buffer)
    return buffer.getvalue()
