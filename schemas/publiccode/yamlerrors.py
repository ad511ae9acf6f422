"""The findings of the YAML layer (`yamlnodes`): invalid UTF-8, syntax errors, and the bounds
(size, depth, nodes, aliases, documents, duplicate keys), each with its catalogue code and the
parameters its message is built from (`schemas.findings.Finding`)."""

from __future__ import annotations

import yaml

from schemas.findings import Finding


def utf8_error(data: bytes, bad: UnicodeDecodeError) -> Finding:
    """Invalid UTF-8, placed at the line and column of the first bad byte."""
    before = data[: bad.start]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    byte = f"0x{data[bad.start]:02x}"
    message = (
        f"Invalid UTF-8: byte {byte} at line {line}, column {column} "
        "is not valid UTF-8. Save the file as UTF-8 (publiccode.yml must be UTF-8)"
    )
    return error(line, column, message, code="invalid_utf8", byte=byte, line=line, column=column)


def syntax_error(complaint: yaml.MarkedYAMLError) -> Finding:
    """libyaml's complaint, placed where it points, with what to check."""
    mark = complaint.problem_mark or complaint.context_mark
    problem = complaint.problem or "invalid YAML"
    context = f" ({complaint.context})" if complaint.context else ""
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    message = (
        f"invalid YAML: {problem}{context}. Check the indentation and quoting near this "
        "position (YAML indents with spaces only; quote values that contain ': ' or start "
        "with special characters)"
    )
    return error(line, column, message, code="invalid_yaml", problem=f"{problem}{context}")


def error(
    line: int | None,
    column: int | None,
    message: str,
    key: str = "",
    /,
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
