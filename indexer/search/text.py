"""Text analysis for search: word splitting, folding, stemming, German compounds, typo rules.

Pure functions with no I/O, shared by the embedded backend and reusable elsewhere (the
Meilisearch backend leaves analysis to the server). The rules mirror Meilisearch's so both
backends answer alike:

- **Folding**: case-folded, diacritics removed (ä→a, é→e, ß→ss, æ→ae, ø→o, ł→l). German
  transliterations (``ae``/``oe``/``ue`` for ä/ö/ü) get an extra contracted form, so
  "Buergerbeteiligung" and "Bürgerbeteiligung" meet in ``burgerbeteiligung``.
- **Stemming**: Snowball stemmers for de, en, it, fr, nl (`snowballstemmer`, pure Python),
  applied to folded words; results are cached, as a catalogue repeats its vocabulary.
- **Typos** (`max_typos`): none below 5 letters, 1 from 5, 2 from 9; none for words holding a
  digit (versions, years, licence ids such as ``EUPL-1.2``). A typo on the first letter costs 2
  (`typo_distance`), as in Meilisearch.
- **Compounds**: `compound_parts_match` tells whether a (German) vocabulary word contains a query
  word as a compound part, so "Beteiligung" finds "Bürgerbeteiligungsplattform".
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from operator import methodcaller

import snowballstemmer

LANGUAGES: tuple[str, ...] = ("de", "en", "it", "fr", "nl")
_STEMMER_NAMES = {
    "de": "german",
    "en": "english",
    "it": "italian",
    "fr": "french",
    "nl": "dutch",
}
# Letters NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
WORD_PATTERN = re.compile(r"[^\W_]+")
_TRANSLITERATION = re.compile(r"(?<=[a-z])([aou])e")
MIN_COMPOUND_PART = 5  # shorter query words are not looked up inside compounds ("rat", "amt")
MAX_WORD_LENGTH = 64  # longer "words" are noise (hashes, base64); they are cut, not dropped


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case-fold `word` and strip its diacritics: ``"Bürger"`` → ``"burger"``, ``"Straße"`` → ``"strasse"``."""
    if word.isascii():
        return word.lower()  # casefold() of ASCII; no special letters
    lowered = word.casefold().translate(_SPECIAL)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, word)`` for each word of `text` (letters and digits; ``_`` separates)."""
    for match in WORD_PATTERN.finditer(text):
        yield match.start(), match.end(), match.group()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order, each cut to `MAX_WORD_LENGTH` characters."""
    return [fold(word[:MAX_WORD_LENGTH]) for word in WORD_PATTERN.findall(text)]


def contracted(folded: str) -> str | None:
    """The form with German transliterations contracted (``buerger`` → ``burger``), or None."""
    if "ae" not in folded and "oe" not in folded and "ue" not in folded:
        return None
    result = _TRANSLITERATION.sub(r"\1", folded)
    return result if result != folded else None


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    stemmer = snowballstemmer.stemmer(_STEMMER_NAMES[language])
    if hasattr(stemmer, "maxCacheSize"):
        # PyStemmer's own word cache (10,000 words) is purged, sorted by use, whenever it
        # fills: over a catalogue's vocabulary that made stemming 3-4 times slower. `stem`
        # caches its answers itself.
        stemmer.maxCacheSize = 0
    return stemmer


@lru_cache(maxsize=400_000)
def stem(language: str, folded: str) -> str:
    """The Snowball stem of a folded word in `language` (one of `LANGUAGES`); digits are kept as is."""
    if language not in _STEMMER_NAMES or not folded.isalpha():
        return folded
    return str(_stemmer(language).stemWord(folded))


def stems(language: str, folded: list[str]) -> list[str]:
    """`stem` of many folded words at once (one call into the stemmer)."""
    alpha = [word for word in folded if word.isalpha()]
    found = dict(zip(alpha, _stemmer(language).stemWords(alpha), strict=True))
    return [found.get(word, word) for word in folded]


def language_of(tag: str) -> str | None:
    """The analysis language for a BCP 47 tag (``de-CH`` → ``de``), or None when unsupported."""
    primary = tag.split("-")[0].lower()
    return primary if primary in _STEMMER_NAMES else None


@lru_cache(maxsize=400_000)
def index_terms(folded: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The terms a folded word is indexed under: itself, its contracted form and its stems."""
    terms = {folded}
    short = contracted(folded)
    if short:
        terms.add(short)
    for language in languages:
        terms.add(stem(language, folded))
        if short and language == "de":
            terms.add(stem(language, short))
    return tuple(sorted(terms))


def index_terms_many(
    folded: Sequence[str], languages: tuple[str, ...] = LANGUAGES
) -> list[tuple[str, ...]]:
    """`index_terms` of many folded words at once (the same answers): each language's stemmer
    runs once over the list, in C when PyStemmer is installed, instead of once per word."""
    shorts = [contracted(word) for word in folded]
    alpha = [word for word in folded if word.isalpha()]
    stems = [
        dict(zip(alpha, _stemmer(language).stemWords(alpha), strict=True)) for language in languages
    ]
    short_stems: dict[str, str] = {}
    if "de" in languages:
        short_alpha = [short for short in shorts if short and short.isalpha()]
        short_stems = dict(zip(short_alpha, _stemmer("de").stemWords(short_alpha), strict=True))
    found = []
    for word, short in zip(folded, shorts, strict=True):
        terms = {word}
        terms.update([by_word.get(word, word) for by_word in stems])
        if short:
            terms.add(short)
            if short_stems:
                terms.add(short_stems.get(short, short))
        found.append(tuple(sorted(terms)))
    return found


# Splitting on whitespace and stripping punctuation is 2-3x faster than a Unicode regex over
# the whole text; the few tokens still holding a non-word character go through the regex.
_STRIP = methodcaller("strip", string.punctuation + "–—„“”‚‘’«»…•·¡¿")


def raw_words(text: str) -> set[str]:
    """The distinct case-folded words of `text` (same split as `spans`, without positions)."""
    raw = set(map(_STRIP, set(text.casefold().split())))
    raw.discard("")
    if "".join(raw).isalnum():  # the usual case, checked in C: no word holds a separator
        return raw
    odd = [word for word in raw if not word.isalnum()]
    if odd:
        raw.difference_update(odd)
        for word in odd:
            raw.update(WORD_PATTERN.findall(word))
    raw.discard("")
    return raw


def max_typos(folded: str) -> int:
    """Typos tolerated on a query word, as Meilisearch: 0 below 5 letters, 1 from 5, 2 from 9.

    Words holding a digit (numbers, versions, licence ids) tolerate none.
    """
    if any(ch.isdigit() for ch in folded):
        return 0
    if len(folded) >= 9:
        return 2
    if len(folded) >= 5:
        return 1
    return 0


def typo_distance(query: str, candidate: str, limit: int) -> int | None:
    """The typo cost between two folded words, or None when it exceeds `limit`.

    Damerau-Levenshtein (optimal string alignment) distance, except that an edit touching the
    first letter costs 2, as in Meilisearch: "platform" is 1 typo from "plattform", "klatform"
    is 2 from "platform".
    """
    from rapidfuzz.distance import OSA

    if query == candidate:
        return 0
    if query[:1] == candidate[:1]:
        distance = OSA.distance(query[1:], candidate[1:], score_cutoff=limit)
    elif (
        query[1:] == candidate[1:]
        or query[1:] == candidate
        or candidate[1:] == query
        or (query[1:2] + query[:1] + query[2:]) == candidate
    ):
        distance = 2
    else:
        distance = limit + 1
    return distance if distance <= limit else None


def compound_parts_match(part: str, word: str, *, as_head: bool = True) -> bool:
    """True when `word` holds `part` as a compound element (not merely as any substring).

    The part must be at least `MIN_COMPOUND_PART` letters and either end the word (allowing a
    short inflection ending: ``e, en, er, es, n, s, ns``) or be followed by more compound (at
    least 3 letters, possibly after a linking ``s``/``es``/``n``/``en``). ``beteilig`` matches
    ``burgerbeteiligungsplattform`` and ``beteiligungsverfahren``; ``table`` does not match
    ``stable`` because the match must not start inside a short head (< 3 letters). Callers look
    parts up in German words only, where such splits are mostly real compounds.
    With ``as_head=False`` the part must not start the word (callers pass it when `part` is not
    a word of its own, so a truncated "verwal" does not match "verwaltungsportal").
    """
    if len(part) < MIN_COMPOUND_PART or len(word) <= len(part):
        return False
    start = word.find(part)
    while start >= 0:
        head = start
        tail = word[start + len(part) :]
        if ((head == 0 and as_head) or head >= 3) and (
            tail in {"", "e", "en", "er", "es", "n", "s", "ns", "ung", "ungen"} or len(tail) >= 3
        ):
            return True
        start = word.find(part, start + 1)
    return False
