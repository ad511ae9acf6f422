"""German compounds both ways: split a query word into known parts, fuse query words into one.

Pure functions over a *vocabulary* (a predicate telling whether a folded word occurs in the
index), so a part is only ever a word the catalogue itself uses: "burgerbeteiligung" splits
into ``burger`` + ``beteiligung`` because both occur, and a word built from unknown parts is
not split at all. Linking elements between parts (*Fugenelemente*) are ``s``, ``es``, ``n``
and ``en`` ("Beteiligung-s-verfahren", "Straße-n-verkehr"), as in German word formation.

Why not a splitter package: the one the issue names (`charsplit`) is now an unrelated image
tool on PyPI; `compound-split` has had no release since 2020 and `charsplit-fst` is a single
months-old release. A statistical splitter also proposes parts the index may not hold, which
cannot match anything; splitting against the index vocabulary finds exactly the parts that can.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.search.text import stem

LINKS: tuple[str, ...] = ("", "s", "es", "n", "en")
MIN_PART = 3  # "rat", "amt", "weg" are real compound parts
MIN_SPLIT_WORD = 7  # shorter words are hardly compounds of two known 3-letter parts
MAX_PARTS = 3


def split_compound(word: str, known: Callable[[str], bool]) -> list[str] | None:
    """The known parts of a folded compound `word` (2–3 parts), or None when it does not split.

    Heads are tried longest first and the first complete split wins, so
    "ratsinformationssystem" gives ``ratsinformation`` + ``system`` when both are known,
    rather than three small parts. Each part is at least `MIN_PART` letters and known; a head
    may have dropped a final ``e`` ("schulverwaltung" → ``schule`` + ``verwaltung``).
    """
    if len(word) < MIN_SPLIT_WORD or not word.isalpha():
        return None
    return _split(word, known, MAX_PARTS)


def _split(word: str, known: Callable[[str], bool], parts_left: int) -> list[str] | None:
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:end]
        if not known(head):
            # A head may drop its final -e: "Schul-verwaltung" holds "Schule".
            if not known(head + "e"):
                continue
            head += "e"
        for link in LINKS:
            if not word.startswith(link, end):
                continue
            rest = word[end + len(link) :]
            if len(rest) < MIN_PART:
                continue
            if known(rest):
                return [head, rest]
            if parts_left > 2:
                tail = _split(rest, known, parts_left - 1)
                if tail:
                    return [head, *tail]
    return None


def finer_splits(parts: list[str], known: Callable[[str], bool]) -> list[list[str]]:
    """`parts` with one part split further, for each part that splits: "datenschutz" +
    "erklarung" also gives ``daten`` + ``schutz`` + ``erklarung``."""
    found = []
    for position, part in enumerate(parts):
        smaller = split_compound(part, known)
        if smaller:
            found.append([*parts[:position], *smaller, *parts[position + 1 :]])
    return found


def part_forms(part: str) -> set[str]:
    """Forms a compound part is searched in when written apart: itself, its stem and, for a
    verbal noun in ``-ung``, the verb's stem ("buchung" → ``buch``, matching "buchen")."""
    forms = {part, stem("de", part)}
    if part.endswith("ung") and len(part) >= 7:
        forms.add(stem("de", part[:-3] + "en"))
    return forms


def fused_prefixes(left: str, right: str) -> list[str]:
    """How two consecutive query words start a compound holding both: "termin" + "buchen" →
    ``terminbuch`` (and with each linking element), so "Termin buchen" finds "Terminbuchung".

    The right word is cut to its German stem (at least `MIN_PART` letters) so inflected forms
    and verbal nouns share the prefix. Empty when either word is shorter than `MIN_PART`.
    """
    if len(left) < MIN_PART or len(right) < MIN_PART or not (left + right).isalpha():
        return []
    right_stem = stem("de", right)
    if len(right_stem) < MIN_PART:
        right_stem = right
    heads = [left]
    if left.endswith("e") and len(left) > MIN_PART:
        heads.append(left[:-1])  # "Schule" + "Verwaltung" → "Schulverwaltung"
    return [head + link + right_stem for head in heads for link in LINKS]
