"""The `Checker`: findings placed by key path, and the generic value rules they share.

`Checker.error`/`warning` locate a key path in the YAML tree (`positions.position`) and keep at
most `MAX_FINDINGS`; the generic rules (required, allowed values, URL, date, e-mail,
organisation URI, length in grapheme clusters) word their messages as the reference parser
does, then add what was found and what to do. `rules.Rules` walks the key table with them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex

from schemas.findings import Finding, FindingType
from schemas.publiccode import formats
from schemas.publiccode.bcp47 import is_valid_tag
from schemas.publiccode.formats import clip
from schemas.publiccode.positions import join, position
from schemas.publiccode.vocabularies import IPA_URL
from schemas.publiccode.yamlnodes import FindingCollector, Node

_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str, limit: int | None = None) -> int:
    """Length in user-perceived characters (Unicode extended grapheme clusters).

    With ``limit``, counting stops once it is exceeded (returns ``limit + 1``), so a huge value
    costs no more than a long one.
    """
    if text.isascii():
        count = len(text) - text.count("\r\n")
        return count if limit is None else min(count, limit + 1)
    count = 0
    for _ in _GRAPHEME.finditer(text):
        count += 1
        if limit is not None and count > limit:
            break
    return count


def quoted_list(values: tuple[str, ...]) -> str:
    quoted = [f'"{v}"' for v in values]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def closest(value: str, allowed: tuple[str, ...]) -> str:
    """The allowed value `value` is most likely a misspelling of, or ""."""
    if len(value) > 60:  # difflib is quadratic; nobody misspells a word into a paragraph
        return ""
    close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.6)
    return close[0] if close else ""


def did_you_mean(value: str, allowed: tuple[str, ...]) -> str:
    close = closest(value, allowed)
    return f' Did you mean "{close}"?' if close else ""


def suggested(value: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """The catalogue parameters of `did_you_mean`: ``hint`` and ``suggestion``."""
    close = closest(value, allowed)
    return {"hint": "@hint.did_you_mean" if close else "", "suggestion": close}


def tag_hint(tag: str) -> str:
    fixed = tag.replace("_", "-")
    if fixed != tag and is_valid_tag(fixed):
        return f' Did you mean "{fixed}"? BCP 47 separates subtags with "-", not "_".'
    return " Use a registered code like en, it, de or pt-BR."


def _leaf(key: str) -> str:
    """The reference's ``{0}``: the last path element, like ``countries[2]``."""
    tail = key.rsplit(".", 1)[-1]
    return tail.rsplit("]", 1)[-1].lstrip(".") if tail.startswith("[") else tail


@dataclass(frozen=True)
class FormatRule:
    """A format a value must have: its test, the finding's code, and its message as the
    reference parser words it (``{field}`` the key's last element, ``{found}`` the value cut
    to `shown` characters)."""

    test: Callable[[str], bool]
    code: str
    message: str
    shown: int = 80


HTTP_URL = FormatRule(
    formats.is_http_url,
    "not_http_url",
    '{field} must be an HTTP URL: "{found}" is not an absolute http:// or https:// address',
)
DATE = FormatRule(
    formats.is_date,
    "not_date",
    '{field} must be a date with format \'YYYY-MM-DD\' (found "{found}"), for example "2024-03-31"',
    shown=40,
)
EMAIL = FormatRule(
    formats.is_email, "not_email", '{field} must be a valid email address (found "{found}")'
)
URI = FormatRule(
    lambda value: (
        formats.is_absolute_uri(value)
        and not (value.lower().startswith("urn:") and not formats.is_urn(value))
    ),
    "not_uri",
    "{field} is not a valid URI: use a URL (https://…) or a URN "
    '(urn:<namespace>:<id>, e.g. urn:x-italian-pa:<codiceIPA>); found "{found}"',
)
URL = FormatRule(
    formats.is_url, "not_url", '{field} must be a valid URL: "{found}" is not an absolute URL'
)
MIME_TYPE = FormatRule(
    formats.is_mime_type,
    "not_mime_type",
    '{field} is not a valid MIME type (found "{found}"), e.g. text/csv',
    shown=60,
)


@dataclass(frozen=True)
class ListRule:
    """A value that must be a word of a published list: the words, what one is called, the
    list's URL and the finding's code."""

    words: tuple[str, ...]
    what: str
    url: str
    code: str
    known: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.words))


class Checker(FindingCollector):
    """Collects findings for one file; positions come from the YAML tree."""

    def __init__(self, root: Node, ipa_codes: frozenset[str] | None) -> None:
        super().__init__()
        self.root = root
        self.ipa_codes = ipa_codes

    def error(self, key: str, message: str, code: str, **params: str | int) -> None:
        """An error about ``key``: the English ``message``, its catalogue ``code`` and the
        ``params`` the catalogue's templates are filled with (``field`` is the key's leaf)."""
        self._add("error", key, key, message, code, params)

    def warning(
        self, key: str, message: str, code: str, *, at: str | None = None, **params: str | int
    ) -> None:
        """A warning about ``key``, placed at ``at`` when the key is spelt otherwise there."""
        self._add("warning", key, at or key, message, code, params)

    def _add(
        self,
        type_: FindingType,
        key: str,
        at: str,
        message: str,
        code: str,
        params: dict[str, str | int],
    ) -> None:
        if self.full():
            return
        line, column = position(self.root, at)
        self.findings.append(
            Finding(
                type=type_,
                key=key,
                line=line or None,
                column=column or None,
                message=message,
                code=f"publiccode.{code}",
                params={"field": _leaf(key), **params},
            )
        )

    # -- generic rules -------------------------------------------------------------------------

    def required(self, section: dict[str, Any], path: str, name: str, what: str) -> Any:
        value = section.get(name)
        if value in (None, ""):
            key = join(path, name)
            self.error(key, f"{name} is a required field: add {what}", "required")
            return None
        return value

    def non_empty(self, section: dict[str, Any], path: str, name: str, what: str) -> list[Any]:
        value = section.get(name)
        if not value:
            self.error(
                join(path, name), f"{name} must contain more than 0 items: add {what}", "empty_list"
            )
            return []
        return list(value)

    def one_of(self, key: str, value: str, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            self.error(
                key,
                f"{_leaf(key)} must be one of the following: {quoted_list(allowed)} "
                f'(found "{clip(value)}").{did_you_mean(value, allowed)}',
                "not_allowed",
                **suggested(value, allowed),
                found=clip(value),
                allowed=", ".join(f'"{value}"' for value in allowed),
            )

    def conforms(self, rule: FormatRule, key: str, value: str) -> bool:
        """Whether `value` passes `rule`; an error finding at `key` when it does not."""
        if rule.test(value):
            return True
        found = value[: rule.shown]
        self.error(key, rule.message.format(field=_leaf(key), found=found), rule.code, found=found)
        return False

    def listed(self, rule: ListRule, key: str, value: str) -> None:
        """An error at `key` when `value` is not a word of `rule`'s list (with the closest)."""
        if value in rule.known:
            return
        self.error(
            key,
            f'{_leaf(key)} must be a valid {rule.what} (see {rule.url}): "{clip(value)}" is not '
            f"in the list.{did_you_mean(value, rule.words)}",
            rule.code,
            **suggested(value, rule.words),
            found=clip(value),
            list=rule.url,
        )

    def http_url(self, key: str, value: str) -> None:
        self.conforms(HTTP_URL, key, value)

    def date(self, key: str, value: str) -> None:
        self.conforms(DATE, key, value)

    def email(self, key: str, value: str | None) -> None:
        if value:
            self.conforms(EMAIL, key, value)

    def organisation_uri(self, key: str, value: str) -> None:
        if not self.conforms(URI, key, value):
            return
        scheme, _, rest = value.partition(":")
        if scheme.lower() == "urn":
            if rest.lower().startswith("x-italian-pa:"):
                code = rest[len("x-italian-pa:") :]
                if not formats.is_ipa_code(code, self.ipa_codes):
                    self.error(
                        key,
                        f"{_leaf(key)} must be a valid Italian Public Administration Code (iPA) "
                        f"with format 'urn:x-italian-pa:[codiceIPA]' (see {IPA_URL}); "
                        f'"{clip(code)}" is not one',
                        "not_ipa_code",
                        found=clip(code),
                    )
            return
        if (
            value.startswith("/")
            or "://" not in value
            or not value.split("://", 1)[1].split("/")[0]
        ):
            self.error(
                key,
                f"{_leaf(key)} is not a valid URI: a URL needs a scheme and a host "
                f'(https://example.org/…); found "{value[:80]}"',
                "uri_without_host",
                found=value[:80],
            )

    def length(self, key: str, value: str, *, minimum: int = 0, maximum: int) -> None:
        quick = minimum == 0 and len(value) <= maximum  # graphemes <= code points
        count = len(value) if quick else graphemes(value, limit=maximum)
        if count > maximum:
            self.error(
                key,
                f"{_leaf(key)} must be a maximum of {maximum} characters in length "
                f"(it has more): shorten it",
                "too_long",
                maximum=maximum,
            )
        elif count < minimum:
            self.error(
                key,
                f"{_leaf(key)} must be at least {minimum} characters in length "
                f"(it has {count}): describe the software in more detail",
                "too_short",
                minimum=minimum,
                count=count,
            )
