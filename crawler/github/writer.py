"""The PyGithub client GitHub's writers (`proposals.py`, `issues.py`) write through.

It talks to the registered API base only (PyGithub refuses URLs on other hosts), with its own
retries and write pacing off: the writers run once per crawl or proposal run and pace
themselves (`crawler.proposals.propose`).
"""

from __future__ import annotations

from github import Auth, Github

from crawler.writers import WRITE_TIMEOUT


def write_client(rest_base: str, token: str) -> Github:
    """A client of the API at `rest_base` (api.github.com or HOST/api/v3) with `token`."""
    return Github(
        auth=Auth.Token(token),
        base_url=rest_base.rstrip("/"),
        timeout=int(WRITE_TIMEOUT),
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
