"""SVG badges of a record's maturity: the summary level, or one criterion (pure functions).

A badge is meant for a README on any forge, so it is self-contained: no external font,
stylesheet, image or link (``href``), only shapes and text. It is accessible: ``role="img"``,
an ``aria-label`` and a ``<title>`` saying the same as the picture, in German or English.
Text widths are estimated from character classes (no font metrics are available without a
font file); the estimate errs wide, so text never overflows its box.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from api.i18n import translate
from schemas.maturity import Assessment, CriterionName, level_name

SVG_MEDIA_TYPE = "image/svg+xml"
LABEL_COLOUR = "#24292f"
LEVEL_COLOURS: dict[int, str] = {0: "#57606a", 1: "#9a6700", 2: "#0969da", 3: "#1a7f37"}
CRITERION_COLOURS: dict[str, str] = {
    "met": "#1a7f37",
    "partly": "#9a6700",
    "not_met": "#cf222e",
    "unknown": "#57606a",
}
"""Every colour holds white text at a contrast of at least 4.5:1 (WCAG AA)."""

_NARROW = set("iIl.,:;!|'1 ")
_WIDE = set("mwMW@%")


@dataclass(frozen=True)
class Badge:
    """The two halves of a badge and the sentence that describes it."""

    label: str
    value: str
    colour: str
    title: str


def text_width(text: str) -> int:
    """Estimated width in pixels of `text` at 11 px Verdana-like type (generous)."""
    width = 0.0
    for character in text:
        if character in _NARROW:
            width += 4.0
        elif character in _WIDE:
            width += 10.5
        elif character.isupper() or character.isdigit():
            width += 8.0
        else:
            width += 7.0
    return int(width + 0.5)


def summary_badge(assessment: Assessment, language: str) -> Badge:
    """The summary level badge: ``maturity | level 2 · maintained``."""
    name = level_name(assessment.level, language)
    return Badge(
        label=translate(language, "maturity.badge_label"),
        value=translate(language, "maturity.badge_value", level=assessment.level, name=name),
        colour=LEVEL_COLOURS[assessment.level],
        title=translate(language, "maturity.badge_title", level=assessment.level, name=name),
    )


def criterion_badge(assessment: Assessment, name: CriterionName, language: str) -> Badge:
    """A criterion's badge: ``tested | met``."""
    criterion = assessment.criterion(name)
    label = translate(language, f"maturity.criterion.{name}")
    value = translate(language, f"maturity.level.{criterion.level}")
    return Badge(
        label=label,
        value=value,
        colour=CRITERION_COLOURS[criterion.level],
        title=translate(language, "maturity.badge_criterion_title", criterion=label, level=value),
    )


def render_svg(badge: Badge, language: str) -> str:
    """The badge as a self-contained, accessible SVG document."""
    left = text_width(badge.label) + 12
    right = text_width(badge.value) + 12
    total = left + right
    title = escape(badge.title, {'"': "&quot;"})
    label, value = escape(badge.label), escape(badge.value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'viewBox="0 0 {total} 20" role="img" aria-label="{title}" lang="{language}">'
        f"<title>{title}</title>"
        f'<rect width="{left}" height="20" rx="3" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="{badge.colour}"/>'
        f'<rect x="{left}" width="4" height="20" fill="{badge.colour}"/>'
        '<g fill="#ffffff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" '
        'font-size="11" text-anchor="middle" aria-hidden="true">'
        f'<text x="{left / 2:g}" y="14">{label}</text>'
        f'<text x="{left + right / 2:g}" y="14">{value}</text>'
        "</g></svg>"
    )
