"""A LICENSE file's text → the SPDX expression of the licence(s) it holds, never a guess.

licenseclassifier (pure Python, no network, the SPDX templates shipped in the wheel) reports a
licence only where its template covers the text; a text it does not recognise gives None, and
the draft then says that no licence was found instead of guessing one.

The GNU licence texts do not say whether a project chose "only" or "or later" (that is said in
the source headers): such a result is given in SPDX's reading of the bare id (``-only``) and
flagged `version_choice_unknown`, so the draft asks the owner to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LICENCE_CHARS = 64 * 1024

_GNU_BARE_IDS = frozenset(
    {"GPL-1.0", "GPL-2.0", "GPL-3.0", "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "AGPL-1.0", "AGPL-3.0"}
)


# The EUPL is official in the 23 EU languages and its translations are equally valid; the
# matcher's templates are English. A licence file whose first lines name the EUPL with its
# version (the title of a translation, "LICENZA PUBBLICA DELL'UNIONE EUROPEA v. 1.2 / EUPL ©",
# or the standard notice "Licensed under the EUPL, Version 1.2") is that EUPL version.
_EUPL = re.compile(
    r"\bEUPL\b.{0,80}?\b(1\.[012])\b|\bv\.?\s*(1\.[012])\b.{0,80}?\bEUPL\b", re.S | re.I
)
_EUPL_HEAD_CHARS = 600


def _eupl(text: str) -> str | None:
    match = _EUPL.search(text[:_EUPL_HEAD_CHARS])
    return f"EUPL-{match.group(1) or match.group(2)}" if match else None


@dataclass(frozen=True)
class DetectedLicence:
    """The SPDX expression found in a licence text, and whether a GNU version choice is open."""

    expression: str
    version_choice_unknown: bool = False


def _spdx_ids(raw: list[str]) -> tuple[list[str], bool]:
    ids: list[str] = []
    unknown = False
    for name in raw:
        if name in _GNU_BARE_IDS:
            unknown = True
            if f"{name}-or-later" in raw:
                continue
            name = f"{name}-only"
        ids.append(name)
    return list(dict.fromkeys(ids)), unknown


def detect_licence(text: str | None) -> DetectedLicence | None:
    """The licence(s) a text holds (``MIT``; ``Apache-2.0 AND MIT`` for two texts), or None."""
    if not text or not text.strip():
        return None
    from licenseclassifier import identify_license

    try:
        matches = identify_license(text[:MAX_LICENCE_CHARS])
    except Exception:  # crafted text must never abort a normalisation: nothing found then
        return None
    found = [match.id for match in matches if isinstance(match.id, str) and match.id]
    ids, unknown = _spdx_ids(list(dict.fromkeys(found)))
    if not ids:
        eupl = _eupl(text)
        return DetectedLicence(expression=eupl) if eupl else None
    return DetectedLicence(expression=" AND ".join(ids), version_choice_unknown=unknown)
