"""README Markdown → plain paragraphs and features for the draft."""

from __future__ import annotations

from schemas.draft.readme import first_sentence, read_readme

README = """\
# Mängelmelder

[![build](https://ci.example.org/badge.svg)](https://ci.example.org) ![licence](https://img.shields.io/badge/licence-EUPL-blue)

<p align="center"><img src="logo.png"></p>

Mängelmelder lets citizens report **broken street lights**, potholes and litter to their
[municipality](https://example.org) with a photo and a position on the map.

| column | value |
|---|---|
| a table cell that is long enough to look like a sentence | x |

## Features

- Reports with photo and map position
- Moderation queue for the administration
  - a nested detail that is not a feature
- Open311 API

## Installation

Run the container with docker compose and open the browser at port 8080 to begin.

## About

The municipality of Musterhausen built it in 2024 and shares it under the EUPL:
- with other towns
- with the state
"""


def test_badges_images_html_and_tables_leave_no_text() -> None:
    """Badges, images, HTML blocks and table cells never become description text."""
    text = read_readme(README)
    joined = " ".join(text.paragraphs)
    assert "badge" not in joined
    assert "table cell" not in joined
    assert "<img" not in joined


def test_paragraphs_are_plain_text_with_link_words_kept() -> None:
    """Emphasis and links give their words; soft line breaks become spaces."""
    text = read_readme(README)
    assert (
        "Mängelmelder lets citizens report broken street lights, potholes and litter to their "
        "municipality with a photo and a position on the map."
    ) == text.paragraphs[0]


def test_installation_sections_are_skipped_and_lists_complete_their_paragraph() -> None:
    """How-to sections give no text; a paragraph ending in ':' takes its list along."""
    text = read_readme(README)
    assert not any("docker compose" in paragraph for paragraph in text.paragraphs)
    assert (
        "The municipality of Musterhausen built it in 2024 and shares it under the EUPL:\n"
        "- with other towns\n- with the state"
    ) == text.paragraphs[1]


def test_features_are_the_top_level_items_of_the_features_section() -> None:
    """Only first-level items under a 'Features' heading (any catalogue language) count."""
    assert [
        "Reports with photo and map position",
        "Moderation queue for the administration",
        "Open311 API",
    ] == read_readme(README).features
    assert ["Meldungen mit Foto"] == read_readme("## Funktionen\n\n* Meldungen mit Foto\n").features


def test_title_is_the_first_heading() -> None:
    """The first heading is the title."""
    assert "Mängelmelder" == read_readme(README).title


def test_empty_and_huge_readmes() -> None:
    """No README gives nothing; a huge one is read only up to 64 KiB."""
    assert [] == read_readme(None).paragraphs
    assert [] == read_readme("   ").paragraphs
    huge = ("A sentence that describes the software well enough. " * 40 + "\n\n") * 200
    assert read_readme(huge).paragraphs


def test_first_sentence_fits_the_limit() -> None:
    """The first sentence when it fits, else a clip at a word boundary with an ellipsis."""
    assert "Short one." == first_sentence("Short one. Then another.", 150)
    clipped = first_sentence("word " * 60, 50)
    assert len(clipped) <= 50
    assert clipped.endswith("…")
