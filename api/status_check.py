""" "Is my repository listed, and if not, why": the answer behind ``/api/v1/status`` and the forges page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from api.catalogue import record_hit
from api.i18n import translate
from api.models import CrawlRunOut, StatusOut
from indexer.store import Store
from indexer.store.values import CrawlRun
from schemas.copying import from_attributes
from schemas.errors import InvalidURLError
from schemas.forge import ForgeRegistration
from schemas.record import canonical_id, canonical_url


def crawl_run_out(run: CrawlRun) -> CrawlRunOut:
    """The API shape of a store crawl run."""
    return from_attributes(CrawlRunOut, run)


def covers(registration: ForgeRegistration, url: str) -> bool:
    """True when `url` (canonical) lies within the registration's host and scope."""
    forge = urlsplit(registration.url)
    target = urlsplit(url)
    if (forge.hostname or "").lower() != (
        target.hostname or ""
    ).lower() or forge.port != target.port:
        return False
    base = forge.path.rstrip("/").lower()
    path = target.path.lower()
    if base and not path.startswith(base + "/"):
        return False
    relative = path[len(base) :].strip("/")
    if registration.whole_instance:
        return True
    prefixes = [*registration.groups, *registration.orgs]
    if any(
        relative == p.lower().strip("/") or relative.startswith(p.lower().strip("/") + "/")
        for p in prefixes
    ):
        return True
    return relative in {repo.lower().strip("/") for repo in registration.repos}


def repository_status(store: Store, url: str, language: str = "en") -> StatusOut:
    """Listed, invalid, not found, not covered by any forge, or not a repository URL."""
    try:
        canonical = canonical_url(url)
    except ValueError as error:  # InvalidURLError, or urllib's own (a port that is no number)
        reason = error.reason if isinstance(error, InvalidURLError) else str(error)
        return StatusOut(
            url=url,
            canonical_url=None,
            id=None,
            status="bad_url",
            message=translate(language, "status.msg.bad_url", reason=reason),
        )
    record_id = canonical_id(canonical)
    found_id = store.find_record_by_url(canonical)
    record = store.get_record(found_id) if found_id else None
    forge = _covering_forge(store, canonical, record.repository.forge if record else None)
    last_run = _last_run(store, forge.name) if forge else None
    common: dict[str, Any] = {
        "url": url,
        "canonical_url": canonical,
        "id": record.id if record else record_id,
        "forge": forge.name if forge else (record.repository.forge if record else None),
        "last_crawl": last_run,
    }
    if record is not None:
        errors = sum(1 for finding in record.findings if finding.type == "error")
        meta = store.get_record_meta(record.id)
        since = meta.first_seen.date().isoformat() if meta else "?"
        return StatusOut(
            **common,
            status="listed" if record.valid else "invalid",
            message=translate(
                language,
                "status.msg.listed" if record.valid else "status.msg.invalid",
                name=record.name,
                since=since,
                errors=errors,
            ),
            record=record_hit(record, language),
            findings=list(record.findings),
        )
    if forge is None:
        host = urlsplit(canonical).hostname or canonical
        return StatusOut(
            **common,
            status="not_covered",
            message=translate(language, "status.msg.not_covered", host=host),
        )
    key = "status.msg.not_found_crawled" if last_run else "status.msg.not_found"
    date = last_run.started_at.isoformat(timespec="minutes") if last_run else ""
    return StatusOut(
        **common,
        status="not_found",
        message=translate(language, key, forge=forge.name, date=date),
    )


def _covering_forge(store: Store, url: str, named: str | None) -> ForgeRegistration | None:
    forges: list[ForgeRegistration] = list(store.list_forges())
    if named:
        for forge in forges:
            if forge.name == named:
                return forge
    return next((forge for forge in forges if covers(forge, url)), None)


def _last_run(store: Store, forge: str) -> CrawlRunOut | None:
    runs = list(store.crawl_runs(forge, limit=1))
    return crawl_run_out(runs[0]) if runs else None
