"""The filter language of the fake Meilisearch: parser and evaluation.

The filter parser follows Meilisearch's grammar for what codereuse can send (``=``, ``!=``,
``>``, ``>=``, ``<``, ``<=``, ``TO``, ``IN [...]``, ``EXISTS``, ``NOT``, ``AND``, ``OR``,
parentheses) and its *quoting rules* exactly (crates/filter-parser ``value.rs``): inside quotes a
backslash always takes the next character along, the escaped quote is unescaped first, then the
general unescaper turns ``\\\\`` into ``\\`` and ``\\n`` into a newline. So a value that escapes its
quotes in our filters would escape them here too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

KEYWORDS = {"AND", "OR", "NOT", "IN", "TO", "EXISTS", "IS", "NULL", "EMPTY"}
_UNQUOTED = re.compile(r"[A-Za-z0-9_.\-]+")
_ESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0", "'": "'", '"': '"'}


class FilterSyntaxError(ValueError):
    """The filter string is not valid Meilisearch syntax."""


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "string", "op", "(", ")", "[", "]", ","
    text: str


def unescape(text: str) -> str:
    """Meilisearch's general unescaper (crate ``unescaper``): ``\\\\``, ``\\n``, ``\\u{…}``, …"""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        if index + 1 >= len(text):
            raise FilterSyntaxError("a quoted value ends with a lone backslash")
        following = text[index + 1]
        if following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        elif following == "u" and text[index + 2 : index + 3] == "{":
            end = text.index("}", index)
            out.append(chr(int(text[index + 3 : end], 16)))
            index = end + 1
        else:
            raise FilterSyntaxError(f"unknown escape \\{following}")
    return "".join(out)


def tokens(text: str) -> Iterator[Token]:
    """Split a filter string into tokens."""
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in "()[],":
            yield Token(char, char)
            index += 1
        elif char in "'\"":
            start = index + 1
            cursor = start
            escaped = False
            while True:
                if cursor >= len(text):
                    raise FilterSyntaxError("unterminated quoted value")
                if text[cursor] == char:
                    break
                if text[cursor] == "\\":
                    if cursor + 1 >= len(text):
                        raise FilterSyntaxError("malformed value")
                    escaped |= text[cursor + 1] == char
                    cursor += 2
                    continue
                cursor += 1
            raw = text[start:cursor]
            if escaped:
                raw = raw.replace("\\" + char, char)
            yield Token("string", unescape(raw))
            index = cursor + 1
        elif text.startswith(("!=", ">=", "<="), index):
            yield Token("op", text[index : index + 2])
            index += 2
        elif char in "=<>":
            yield Token("op", char)
            index += 1
        else:
            match = _UNQUOTED.match(text, index)
            if not match:
                raise FilterSyntaxError(f"unexpected character {char!r} at {index}")
            yield Token("word", match.group())
            index = match.end()


class _Parser:
    """Recursive descent: or := and (OR and)*; and := not (AND not)*; not := NOT not | primary."""

    def __init__(self, text: str) -> None:
        self.items = list(tokens(text))
        self.position = 0

    def peek(self) -> Token | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise FilterSyntaxError("the filter ends too early")
        self.position += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token.kind == "word" and token.text == word:
            self.position += 1
            return True
        return False

    def parse(self) -> tuple[Any, ...]:
        tree = self.or_()
        if self.peek() is not None:
            raise FilterSyntaxError(f"unexpected {self.peek()}")
        return tree

    def or_(self) -> tuple[Any, ...]:
        parts = [self.and_()]
        while self.keyword("OR"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("or", *parts)

    def and_(self) -> tuple[Any, ...]:
        parts = [self.not_()]
        while self.keyword("AND"):
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else ("and", *parts)

    def not_(self) -> tuple[Any, ...]:
        if self.keyword("NOT"):
            return ("not", self.not_())
        return self.primary()

    def value(self) -> str:
        token = self.take()
        if token.kind == "string" or (token.kind == "word" and token.text not in KEYWORDS):
            return token.text
        raise FilterSyntaxError(f"expected a value, found {token.text!r}")

    def primary(self) -> tuple[Any, ...]:
        token = self.take()
        if token.kind == "(":
            tree = self.or_()
            if self.take().kind != ")":
                raise FilterSyntaxError("missing )")
            return tree
        if token.kind not in {"word", "string"} or token.text in KEYWORDS:
            raise FilterSyntaxError(f"expected an attribute, found {token.text!r}")
        attribute = token.text
        if self.keyword("EXISTS"):
            return ("exists", attribute)
        if self.keyword("IN"):
            if self.take().kind != "[":
                raise FilterSyntaxError("IN needs [")
            values = [self.value()]
            while (self.peek() or Token("", "")).kind == ",":
                self.take()
                values.append(self.value())
            if self.take().kind != "]":
                raise FilterSyntaxError("IN needs ]")
            return ("in", attribute, values)
        operator = self.peek()
        if operator and operator.kind == "op":
            self.take()
            return ("cmp", attribute, operator.text, self.value())
        low = self.value()
        if not self.keyword("TO"):
            raise FilterSyntaxError(f"expected an operator after {attribute!r}")
        return ("range", attribute, low, self.value())


def parse_filter(text: str) -> tuple[Any, ...]:
    """The syntax tree of a Meilisearch filter string (raises `FilterSyntaxError`)."""
    return _Parser(text).parse()


def conditions(tree: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Every leaf condition of a filter tree."""
    if tree[0] in {"and", "or"}:
        for part in tree[1:]:
            yield from conditions(part)
    elif tree[0] == "not":
        yield from conditions(tree[1])
    else:
        yield tree


def fold(text: str) -> str:
    """Lower-case without diacritics (Meilisearch's normalisation, roughly)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _facet_values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [
        "true" if v is True else "false" if v is False else str(v) for v in items if v is not None
    ]


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def evaluate(tree: tuple[Any, ...], document: dict[str, Any]) -> bool:
    """Whether `document` matches the filter tree."""
    kind = tree[0]
    if kind == "and":
        return all(evaluate(part, document) for part in tree[1:])
    if kind == "or":
        return any(evaluate(part, document) for part in tree[1:])
    if kind == "not":
        return not evaluate(tree[1], document)
    value = document.get(tree[1])
    if kind == "exists":
        return tree[1] in document
    if kind == "in":
        wanted = {fold(item) for item in tree[2]}
        return any(fold(item) in wanted for item in _facet_values(value))
    if kind == "range":
        low, high = _number(tree[2]), _number(tree[3])
        return (
            isinstance(value, int | float)
            and low is not None
            and high is not None
            and low <= value <= high
        )
    operator, operand = tree[2], tree[3]
    if operator in {"=", "!="}:
        equal = any(fold(item) == fold(operand) for item in _facet_values(value))
        return equal if operator == "=" else not equal
    number = _number(operand)
    if not isinstance(value, int | float) or isinstance(value, bool) or number is None:
        return False
    return {">": value > number, ">=": value >= number, "<": value < number, "<=": value <= number}[
        operator
    ]
