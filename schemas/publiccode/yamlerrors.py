"""The findings of the YAML layer (`yamlnodes`): invalid UTF-8, syntax errors, and the bounds
(size, depth, nodes, aliases, documents, duplicate keys), each with its catalogue code and the
parameters its message is built from (`schemas.findings.Finding`)."""

from __future__ import annotations

import yaml

from schemas.findings import Finding


def utf8_error(data: bytes, error: UnicodeDecodeError) -> Finding:
    """Invalid UTF-8, placed at the line and column of the first bad byte."""
    before = data[: error.start]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Finding(
        type="error",
        key="",
        line=line,
        column=column,
        message=(
            f"Invalid UTF-8: byte 0x{data[error.start]:02x} at line {line}, column {column} "
            "is not valid UTF-8. Save the file as UTF-8 (publiccode.yml must be UTF-8)"
        ),
        code="publiccode.invalid_utf8",
        params={"byte": f"0x{data[error.start]:02x}", "line": line, "column": column},
    )


def syntax_error(error: yaml.MarkedYAMLError) -> Finding:
    """libyaml's complaint, placed where it points, with what to check."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "invalid YAML"
    context = f" ({error.context})" if error.context else ""
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Finding(
        type="error",
        key="",
        line=line,
        column=column,
        message=(
            f"invalid YAML: {problem}{context}. Check the indentation and quoting near this "
            "position (YAML indents with spaces only; quote values that contain ': ' or start "
            "with special characters)"
        ),
        code="publiccode.invalid_yaml",
        params={"problem": f"{problem}{context}"},
    )


def error(
    line: int | None,
    column: int | None,
    message: str,
    key: str = "",
    *,
    code: str,
    **params: str | int,
) -> Finding:
    """An error of the YAML layer with its catalogue `code` (``publiccode.<code>``)."""
    return Finding(
        type="error",
        key=key,
        line=line,
        column=column,
        message=message,
        code=f"publiccode.{code}",
        params=params,
    )
