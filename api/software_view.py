"""What the software page shows of one record: description with honest fallback, labels.

Pure functions over a record and the page language; the router adds store look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.catalogue import record_path
from api.i18n import Label, language_name, translate, vocabulary_label
from api.similar import SimilarIndex
from indexer.store import Store, picture_key
from schemas.record import Description, Record

_MARKDOWN_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\)){1,2000}\)")


@dataclass(frozen=True)
class DescriptionChoice:
    """The description a page shows, the language it is in, and what to say if not the page's.

    `lang` is the primary subtag of a known language (for the ``lang`` attribute), or None when
    the record does not state a usable one (``und``, ``mul``, an unknown code); `note` is None
    when the description is in the page language.
    """

    description: Description | None
    lang: str | None
    note: str | None


def choose_description(record: Record, language: str) -> DescriptionChoice:
    """The description in `language`, else English, else German, else the first one there is."""
    chosen: tuple[str, Description] | None = None
    for wanted in (language, "en", "de"):
        for tag, text in record.descriptions.items():
            if tag.lower().split("-")[0] == wanted:
                chosen = (tag, text)
                break
        if chosen:
            break
    if chosen is None:
        chosen = next(iter(record.descriptions.items()), None)
    if chosen is None:
        return DescriptionChoice(None, None, None)
    tag, description = chosen
    primary = tag.lower().split("-")[0]
    if primary == language:
        return DescriptionChoice(description, primary, None)
    name = language_name(language, primary)
    if name is None:
        return DescriptionChoice(
            description, None, translate(language, "software.fallback_unknown")
        )
    return DescriptionChoice(
        description, primary, translate(language, "software.fallback_language", other=name)
    )


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a Markdown long description as plain text (links reduced to their text)."""
    if not text:
        return []
    plain = _MARKDOWN_LINK.sub(r"\1", text.replace("\r\n", "\n"))
    return [part.strip() for part in plain.split("\n\n") if part.strip()]


def labels(language: str, name: str, slugs: list[str]) -> list[dict[str, object]]:
    """Each slug of vocabulary `name` with its label, for the facts list and filter links."""
    result: list[dict[str, object]] = []
    for slug in slugs:
        label: Label = vocabulary_label(language, name, slug)
        result.append({"slug": slug, "label": label})
    return result


def record_labels(record: Record, language: str) -> dict[str, list[dict[str, object]]]:
    """Labels for every vocabulary value of `record`, by vocabulary name."""
    single: dict[str, list[str]] = {
        "software_type": [record.software_type] if record.software_type else [],
        "development_status": [record.development_status] if record.development_status else [],
        "maintenance_type": [record.maintenance.type] if record.maintenance.type else [],
    }
    return {
        "category": labels(language, "category", record.categories),
        "scope": labels(language, "scope", record.intended_scope),
        "platform": labels(language, "platform", record.platforms),
        **{name: labels(language, name, slugs) for name, slugs in single.items()},
    }


def similar_software(
    index: SimilarIndex | None, record_id: str, language: str
) -> list[dict[str, object]]:
    """Similar records of other organisations with the words they share, labels localised.

    Empty while the similar-software index is not built yet (see `api.similar`).
    """
    if index is None:
        return []
    items: list[dict[str, object]] = []
    for found in index.similar(record_id):
        shared = []
        for term in found.shared:
            kind, _, value = term.partition(":")
            if kind == "category" and value:
                shared.append(vocabulary_label(language, "category", value).text)
            else:
                shared.append(index.surface(term))
        items.append(
            {
                "name": found.name,
                "organisation": found.organisation,
                "href": f"/software/{record_path(found.id)}?lang={language}",
                "path": found.id,
                "shared": ", ".join(dict.fromkeys(shared)),
            }
        )
    return items


MAX_SCREENSHOTS = 5


def pictures(
    record: Record, description: Description | None, store: Store, language: str
) -> dict[str, object]:
    """The logo and screenshots the crawl stored for `record`, as same-origin image links.

    A picture not fetched yet, or refused, is left out (the logo becomes a placeholder).
    """
    wanted: list[tuple[str, str]] = []
    if record.logo:
        wanted.append(("logo", record.logo))
    shots = description.screenshots[:MAX_SCREENSHOTS] if description else []
    wanted += [("screenshot", url) for url in shots]
    keys = {url: picture_key(url) for _, url in wanted}
    sizes = store.picture_sizes(keys.values()) if keys else {}
    logo = None
    if record.logo and keys[record.logo] in sizes:
        width, height = sizes[keys[record.logo]]
        logo = {"src": f"/pictures/{keys[record.logo]}", "width": width, "height": height}
    screenshots = []
    for number, url in enumerate(shots, start=1):
        if keys[url] in sizes:
            width, height = sizes[keys[url]]
            screenshots.append(
                {
                    "src": f"/pictures/{keys[url]}",
                    "width": width,
                    "height": height,
                    "alt": translate(
                        language, "software.screenshot_alt", number=number, name=record.name
                    ),
                }
            )
    return {
        "logo": logo,
        "logo_alt": translate(language, "software.logo_alt", name=record.name),
        "initial": (record.name.strip()[:1] or "?").upper(),
        "screenshots": screenshots,
    }
