"""Repository facts (`schemas.forge.ForgeFacts`) read from a stored snapshot's payload.

The crawler stores each repository's kind-neutral payload (`crawler.snapshot`) beside the
forge's own JSON in ``raw`` (architecture decision 1). Normalisation reads only `ForgeFacts`:
`read_facts` takes the neutral keys, and what they lack from the forge's own JSON through the
kind's `Spellings` (`crawler.native`: e.g. GitLab ``star_count``/``starCount``, GitHub
``stargazers_count``/``stargazerCount``), so a re-normalisation of old payloads keeps working
when the crawler switches API, and no code here knows a forge kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from crawler.native import Spellings, count, parse_time, read_native, strings, text
from schemas.facts import CrawledFacts
from schemas.forge import ForgeFacts
from schemas.licence import spdx_id

__all__ = ["crawled", "parse_time", "read_facts", "read_native"]


def crawled(value: Any) -> CrawledFacts | None:
    """The stored repository facts (payload key ``repository``); None when absent or not of
    the model's shape (a payload written by another version is read as "not read")."""
    if not isinstance(value, Mapping):
        return None
    try:
        return CrawledFacts.model_validate(value)
    except (ValidationError, ValueError, TypeError):
        return None


def read_facts(payload: Mapping[str, Any], spellings: Spellings) -> ForgeFacts:
    """The facts of a repository payload; never raises.

    Reads the crawler's kind-neutral payload (`crawler.snapshot`: ``name``, ``full_path``,
    ``licence``, ``stars``, ``fork_parent``, ... beside the forge's own JSON in ``raw``), taking
    each fact from the neutral keys when they hold it and from ``raw`` (read with the kind's
    `spellings`) otherwise; a payload without ``raw`` is read as the forge's own JSON.
    """
    raw = payload.get("raw")
    if not isinstance(raw, Mapping):
        return read_native(payload, spellings)
    facts = read_native(raw, spellings)
    names = strings(payload.get("topics"))
    languages = strings(payload.get("languages"))
    parent = text(payload.get("fork_parent"))
    stars, forks = count(payload.get("stars")), count(payload.get("forks"))
    return facts.model_copy(
        update={
            "name": text(payload.get("name")) or facts.name,
            "path": text(payload.get("full_path")) or facts.path,
            "description": text(payload.get("description")) or facts.description,
            "default_branch": text(payload.get("default_branch")) or facts.default_branch,
            "stars": stars if stars is not None else facts.stars,
            "forks": forks if forks is not None else facts.forks,
            "topics": names or facts.topics,
            "languages": languages or facts.languages,
            "licence": spdx_id(payload.get("licence")) or facts.licence,
            "created_at": parse_time(payload.get("created_at")) or facts.created_at,
            "homepage": text(payload.get("homepage")) or facts.homepage,
            "fork_parent_url": parent or facts.fork_parent_url,
            "is_fork": facts.is_fork or parent is not None,
            "visibility": text(payload.get("visibility")) or facts.visibility,
            "repository": crawled(payload.get("repository")),
        }
    )
