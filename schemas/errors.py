"""All exceptions of the codereuse packages, in one place.

Tree::

    CodereuseError                 base of everything we raise on purpose
    ├── InvalidURLError            a URL that cannot name a repository or forge
    ├── ConfigurationError         a setting is missing or unusable
    ├── RegistrationError          a forge registration is refused (bad URL, wrong kind, private address)
    ├── CrawlError                 a forge answered in a way the crawl cannot go on with
    │   └── RateLimitedError       the forge's rate limit is spent and waiting is not allowed
    ├── StoreError                 the store could not read or write
    ├── SearchError                the search backend failed
    │   ├── InvalidQueryError      the user's query, filter or sort is unusable (a 4xx)
    │   └── BackendVersionError    the search server is older than the supported minimum
    └── ExportError                an export format or destination is unusable

Messages say what went wrong, where (URL, forge, key path) and what to do next; they never hold
a token.
"""

from __future__ import annotations


class CodereuseError(Exception):
    """Base class of every error codereuse raises on purpose."""


class InvalidURLError(CodereuseError, ValueError):
    """A URL that cannot name a repository or a forge."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url!r}: {reason}")


class ConfigurationError(CodereuseError):
    """A setting is missing or unusable."""


class RegistrationError(CodereuseError):
    """A forge registration is refused."""


class CrawlError(CodereuseError):
    """A forge answered in a way the crawl cannot go on with."""


class RateLimitedError(CrawlError):
    """The forge's rate limit is spent and the caller asked not to wait."""


class StoreError(CodereuseError):
    """The store could not read or write."""


class SearchError(CodereuseError):
    """The search backend failed."""


class InvalidQueryError(SearchError, ValueError):
    """A query, filter or sort that cannot be searched; maps to HTTP 400/422."""


class BackendVersionError(SearchError):
    """The search server is older than the supported minimum."""


class ExportError(CodereuseError):
    """An export format or destination is unusable."""
