"""A README's Markdown → the plain paragraphs and feature list a publiccode.yml draft needs.

Parsed with markdown-it-py (CommonMark plus tables), never with regular expressions, so badges
(images, linked images, HTML blocks), code, tables and headings are recognised as the Markdown
renderers on the forges recognise them. The texts kept are plain: links give their text,
emphasis and inline code their words, images and inline HTML nothing. Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_README_CHARS = 64 * 1024
"""Only the first 64 KiB of a README are read (the crawl keeps no more)."""

MAX_FEATURES = 10
MAX_FEATURE_CHARS = 160

# Section headings whose paragraphs describe how to build or contribute, not what the software
# is: their text never becomes a description (en, de, it, fr, nl).
_TECHNICAL_SECTION = re.compile(
    r"install|setup|set up|getting started|quick ?start|usage|build|develop|requirement|"
    r"prerequisite|deploy|configur|contribut|licen[cs]|copyright|test|changelog|support|"
    r"credits|acknowledg|authors?|maintainers?|roadmap|faq|troubleshoot|api\b|"
    r"installation|nutzung|verwendung|entwicklung|voraussetzung|beitragen|mitwirken|lizenz|"
    r"betrieb|einrichtung|installazione|utilizzo|sviluppo|requisiti|contribuire|licenza|"
    r"utilisation|développement|prérequis|contribuer|licence|installatie|gebruik|"
    r"ontwikkeling|vereisten|bijdragen|licentie",
    re.IGNORECASE,
)
_FEATURE_SECTION = re.compile(
    r"features?|highlights|capabilities|what it does|functions|funktionen|funktionsumfang|"
    r"merkmale|leistungsumfang|features principales|fonctionnalités|funzionalità|"
    r"caratteristiche|functionaliteiten|functies|kenmerken|mogelijkheden",
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")
_MIN_PARAGRAPH_CHARS = 25
"""Shorter paragraphs ("Status: beta", a lone link) say too little to describe software."""


@dataclass(frozen=True)
class ReadmeText:
    """What a README says about its software, as plain text."""

    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _inline_text(token: Token) -> str:
    """The plain words of an inline token: link texts kept, images and HTML dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _WHITESPACE.sub(" ", "".join(parts)).strip()


def _is_sentence(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return len(text) >= _MIN_PARAGRAPH_CHARS and letters >= len(text) * 0.5 and " " in text


def read_readme(markdown: str | None) -> ReadmeText:
    """The title, the descriptive paragraphs and the feature list of a Markdown README.

    Paragraphs come from the top of the document and from sections that are not about
    installing, building, contributing or licensing; a paragraph of badges or links only
    leaves no text and is skipped. Features are the top-level list items of the first section
    whose heading names features (``Features``, ``Funktionen``, ``Funzionalità``, …).
    """
    if not markdown or not markdown.strip():
        return ReadmeText()
    tokens = _parser().parse(markdown[:MAX_README_CHARS])
    title: str | None = None
    paragraphs: list[str] = []
    features: list[str] = []
    heading: str | None = None  # text of the current section's heading
    in_heading = False
    list_depth = 0
    in_item = False
    blockquote = 0
    table = 0
    attach: int | None = None  # the paragraph ending in ":" that the next list completes
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            in_heading = True
        elif kind == "heading_close":
            in_heading = False
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            in_item = True
        elif kind == "list_item_close":
            in_item = False
        elif kind == "blockquote_open":
            blockquote += 1
        elif kind == "blockquote_close":
            blockquote -= 1
        elif kind == "table_open":
            table += 1
        elif kind == "table_close":
            table -= 1
        elif kind == "inline" and not table:
            text = _inline_text(token)
            if in_heading:
                heading = text
                attach = None
                if title is None and text:
                    title = text
            elif list_depth and in_item:
                if list_depth != 1 or not text:
                    continue
                if heading is not None and _FEATURE_SECTION.search(heading):
                    if len(features) < MAX_FEATURES:
                        features.append(_clip(text, MAX_FEATURE_CHARS))
                elif attach is not None and paragraphs[attach].count("\n") < MAX_FEATURES:
                    paragraphs[attach] += "\n- " + _clip(text, MAX_FEATURE_CHARS)
            elif (
                not blockquote
                and _is_sentence(text)
                and (heading is None or not _TECHNICAL_SECTION.search(heading))
            ):
                paragraphs.append(text)
                attach = len(paragraphs) - 1 if text.endswith(":") else None
            else:
                attach = None
    return ReadmeText(title=title, paragraphs=paragraphs, features=features)


def _clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜÀ-Ý0-9\"'«(])")


def first_sentence(text: str, limit: int) -> str:
    """The first sentence of `text` when it fits in `limit` characters, else `text` clipped."""
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].split("\n", 1)[0]
    return _clip(sentence.rstrip(" :"), limit)


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters (an ellipsis marks a cut)."""
    return _clip(text, limit)
