"""All exceptions of the codereuse packages, in one place.

Tree::

    CodereuseError                 base of everything we raise on purpose
    ├── InvalidURLError            a URL that cannot name a repository or forge
    ├── ConfigurationError         a setting is missing or unusable
    ├── RegistrationError          a forge registration is refused (bad URL, wrong kind, private address)
    ├── CrawlError                 a forge answered in a way the crawl cannot go on with
    │   ├── RateLimitedError       the forge's rate limit is spent and waiting is not allowed
    │   ├── ForgeResponseError     an HTTP answer retrying will not fix (4xx other than 429)
    │   │   └── ForeignHostError   the forge pointed the crawl to another host (not followed)
    │   ├── TransientForgeError    a failure worth retrying (429, 5xx, timeout, reset, bad JSON)
    │   ├── DeadlineExceededError  a forge's crawl ran past its deadline (stops at a checkpoint)
    │   │   └── ForgeUnresponsiveError  answers stopped coming in time, several in a row
    │   └── GraphQLQueryError      a GraphQL answer carrying errors (complexity, not found, ...)
    ├── StoreError                 the store could not read or write
    │   ├── ForgeExistsError       a forge with that name is already registered
    │   ├── NotFoundError          a forge, repository, crawl run or job named is not in the store
    │   └── StoreNotMigratedError  the database schema is behind this codereuse (run `codereuse db upgrade`)
    ├── SearchError                the search backend failed
    │   ├── InvalidQueryError      the user's query, filter or sort is unusable (a 4xx)
    │   ├── BackendVersionError    the search server is older than the supported minimum
    │   └── SearchServerError      the search server refused a request or failed a task (has its code)
    ├── ExportError                an export format or destination is unusable
    ├── ProposalError              a forge refused a write for a proposal (token, permissions)
    └── IssueError                 a forge refused an issue write (token, permissions)

Messages say what went wrong, where (URL, forge, key path) and what to do next; they never hold
a token.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass


class CodereuseError(Exception):
    """Base class of every error codereuse raises on purpose."""


class InvalidURLError(CodereuseError, ValueError):
    """A URL that cannot name a repository or a forge."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        code: str | None = None,
        params: dict[str, str | int] | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.code = code
        """What is wrong, as a key of the pages' message catalogue (``url.no_path``…), so a
        German page words the reason in German; None for a reason only given in English."""
        self.params = dict(params or {})
        """The values `code`'s message is filled with (the scheme, the host…)."""
        super().__init__(f"{url!r}: {reason}")


class ConfigurationError(CodereuseError):
    """A setting is missing or unusable."""


class RegistrationError(CodereuseError):
    """A forge registration is refused."""


class CrawlError(CodereuseError):
    """A forge answered in a way the crawl cannot go on with."""


class RateLimitedError(CrawlError):
    """The forge's rate limit is spent and the caller asked not to wait."""


class ForgeResponseError(CrawlError):
    """The forge answered an HTTP error that retrying will not fix (a 4xx other than 429).

    It becomes a finding on the forge, stored with the crawl run.
    """

    def __init__(self, url: str, status: int, detail: str = "") -> None:
        self.url = url
        self.status = status
        self.detail = detail
        super().__init__(f"{url}: HTTP {status}{': ' + detail if detail else ''}")


class ForeignHostError(ForgeResponseError):
    """The forge pointed the crawl off its API host (a `Link` header, a redirect, a stored
    next-page URL): nothing was sent there, since credentials go only to the registered API host.
    """

    def __init__(self, url: str, allowed: str, reason: str = "is not on") -> None:
        self.url = url
        self.status = 0
        self.detail = f"{reason} the forge's API host {allowed}"
        CrawlError.__init__(
            self,
            f"{url}: {self.detail}; not followed (codereuse sends requests and credentials "
            "only to the registered API host; if the forge moved, register its new URL)",
        )


@dataclass(eq=False, repr=False)
class TransientForgeError(CrawlError):
    """A failure worth retrying: 429, 5xx, a timeout, a reset connection, truncated or bad JSON.

    `retry_after` is the number of seconds the forge asked us to wait, when it said so.
    `timeout` is true for failures a smaller GraphQL batch may avoid (502, 504, timeouts).
    (A dataclass for its fields; ``eq`` and ``repr`` stay the exception's.)
    """

    url: str
    reason: str
    _: KW_ONLY
    status: int | None = None
    retry_after: float | None = None
    rate_limited: bool = False
    timeout: bool = False

    def __post_init__(self) -> None:
        super().__init__(f"{self.url}: {self.reason}")


class DeadlineExceededError(CrawlError):
    """A forge's crawl ran past its deadline: it stops at its last checkpoint, resumed next run."""

    def __init__(self, url: str, deadline: str, why: str) -> None:
        self.url = url
        super().__init__(
            f"{url}: the crawl of this forge passed its deadline of {deadline} ({why}); it "
            "stopped at its last checkpoint and continues from there on the next run; if the "
            "forge is only slow, raise CODEREUSE_CRAWL_DEADLINE"
        )


class ForgeUnresponsiveError(DeadlineExceededError):
    """Several answers in a row did not come in time: the forge is slow, not the query large,
    so its crawl stops at its last checkpoint now instead of shrinking batches until its deadline.
    """

    def __init__(self, url: str, timeouts: int, seconds: float | None) -> None:
        self.url = url
        waited = f" within {seconds:.0f} s" if seconds else ""
        CrawlError.__init__(
            self,
            f"{url}: {timeouts} answers in a row did not come{waited} (client timeouts, HTTP 502 "
            "or 504), so the forge is slow or down, not the request too large; the crawl of this "
            "forge stopped at its last checkpoint and continues from there on the next run",
        )


class GraphQLQueryError(CrawlError):
    """A GraphQL answer whose `errors` the crawl cannot ignore.

    `complexity` is true when the forge refused the query as too complex or too large, so a
    smaller batch may pass.
    """

    def __init__(self, url: str, messages: list[str], *, complexity: bool = False) -> None:
        self.url = url
        self.messages = messages
        self.complexity = complexity
        super().__init__(f"{url}: GraphQL errors: {'; '.join(messages)}")


class StoreError(CodereuseError):
    """The store could not read or write."""


class ForgeExistsError(StoreError):
    """A forge with that name is already registered; pick another name or update it."""


class NotFoundError(StoreError, LookupError):
    """A forge, repository, crawl run or crawl job the caller named is not in the store (a 404)."""


class StoreNotMigratedError(StoreError):
    """The database schema is older than this codereuse; `codereuse db upgrade` brings it up."""


class SearchError(CodereuseError):
    """The search backend failed."""


class InvalidQueryError(SearchError, ValueError):
    """A query, filter or sort that cannot be searched; maps to HTTP 400/422."""


class BackendVersionError(SearchError):
    """The search server is older than the supported minimum."""


class SearchServerError(SearchError):
    """The search server refused a request or failed a task; `code` is the server's error code."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(message)


class ExportError(CodereuseError):
    """An export format or destination is unusable."""


class ProposalError(CodereuseError):
    """A forge refused to let a proposal be written (a refused token, missing permissions).

    The message names the forge and the token's variable, never the token.
    """


class IssueError(CodereuseError):
    """A forge refused an issue about a broken publiccode.yml (a refused token, no permission).

    The message names the forge and what the token needs, never the token.
    """
