"""Crawled repository facts → what a record keeps (`schemas.facts.RepositoryFacts`), pure.

* the README is cut to `KEPT_README_CHARS` characters (its path and full size kept);
* the LICENSE text is reduced to the SPDX expression it is recognised as
  (`schemas.draft.licence_text.detect_licence`, never a guess: an unrecognised text gives None);
* the manifest texts are not kept (they became `Record.packages`, `crawler.normalise.packages`);
* `readme_description` gives the README's first describing paragraph, Markdown and badges
  stripped (`schemas.draft.readme.read_readme`), for a record nothing else describes.

Hostile texts (NUL characters, which no store keeps, binary files, huge files) are cleaned or
dropped here; nothing raises.
"""

from __future__ import annotations

from functools import lru_cache

from schemas.draft.licence_text import detect_licence
from schemas.draft.readme import clip, first_sentence, read_readme
from schemas.facts import KEPT_README_CHARS, CrawledFacts, RepositoryFacts
from schemas.record import Description

SHORT_CHARS = 150
"""publiccode.yml's ``shortDescription`` limit, kept by the README fallback too."""
LONG_CHARS = 2000
UNDETERMINED = "und"


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.replace("\x00", "")
    return text if text.strip() else None


@lru_cache(maxsize=512)
def _licence_of(text: str) -> str | None:
    """The SPDX expression of a LICENSE text; the same texts recur across a forge (cached)."""
    detected = detect_licence(text)
    return detected.expression if detected else None


def kept_facts(crawled: CrawledFacts) -> RepositoryFacts:
    """What a record keeps of the crawled facts (module docstring)."""
    shared = {
        name: getattr(crawled, name)
        for name in RepositoryFacts.model_fields
        if name in CrawledFacts.model_fields
    }
    readme = crawled.readme
    licence = crawled.licence_file
    licence_text = _clean(licence.text) if licence else None
    readme_text = _clean(readme.text) if readme else None
    return RepositoryFacts(
        **shared,
        readme_path=readme.path if readme else None,
        readme_size=readme.size if readme else None,
        readme_text=readme_text[:KEPT_README_CHARS] if readme_text else None,
        licence_path=licence.path if licence else None,
        licence_from_file=_licence_of(licence_text) if licence_text else None,
    )


def readme_description(readme_text: str | None) -> tuple[str, Description] | None:
    """(language tag, description) from a README's first describing paragraphs; None when the
    README has none. The language is ``und`` (undetermined) like a forge's description: the
    language model costs 110 MB and a second to load, too much for every crawl (the drafter
    detects the language when it drafts)."""
    paragraphs = read_readme(readme_text).paragraphs
    if not paragraphs:
        return None
    first = paragraphs[0]
    language = UNDETERMINED
    long_text = "\n\n".join(paragraphs)
    return language, Description(
        short=first_sentence(first, SHORT_CHARS),
        long=clip(long_text, LONG_CHARS) if len(long_text) > SHORT_CHARS else None,
    )
