"""The python-gitlab client GitLab's writers (`proposals.py`, `issues.py`) write through.

The token goes in ``Authorization: Bearer`` (personal, group or project access tokens with the
``api`` scope work so) to the registered instance only; python-gitlab's own retries are off, so
a write is never repeated on its own.
"""

from __future__ import annotations

import gitlab
from gitlab import exceptions as errors

from crawler.writers import WRITE_TIMEOUT, token_refused
from schemas.errors import CodereuseError


def write_client(base_url: str, token: str) -> gitlab.Gitlab:
    """A client of the GitLab instance at `base_url` with `token`."""
    return gitlab.Gitlab(
        base_url.rstrip("/"), oauth_token=token, timeout=WRITE_TIMEOUT, retry_transient_errors=False
    )


class GitLabWriter:
    """The base of GitLab's writers: the client, and the error a refused token raises."""

    refused_error: type[CodereuseError]
    """`ProposalError` or `IssueError`."""
    token_needs: str
    """What the token needs, for the refused-token message."""

    def __init__(self, base_url: str, token: str) -> None:
        self._base = base_url.rstrip("/")
        self._client = write_client(base_url, token)

    def _refused(self, error: errors.GitlabError) -> CodereuseError | None:
        return token_refused(self.refused_error, self._base, error.response_code, self.token_needs)
