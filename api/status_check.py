""" "Is my repository listed, and if not, why": the answer behind ``/api/v1/status``, the status
page and ``codereuse status``.

For any URL the answer names one reason (`StatusOut.status`): listed, invalid or unreadable
(with the findings); listed but empty, archived or a fork (the policy: such repositories are
listed and marked, never left out for it, and the message says so); renamed (with where it is
now); or not listed because the URL is not a
repository, no registration covers it (and what would), a rule excludes it, it is internal or
private, it was deleted (tombstoned since when, after how many listings), its forge was never
crawled (and when it will be), the forge's last crawl failed (its error), or the crawls did not
list it. The most specific registration covering the URL is the one named.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from api.catalogue import record_hit
from api.coverage import covering, excluding_rule, suggestion
from api.i18n import translate
from api.models import CrawlRunOut, FindingOut, StatusKind, StatusOut, findings_out
from indexer.store import Store
from indexer.store.values import CrawlRun
from schemas.copying import from_attributes
from schemas.errors import InvalidURLError
from schemas.findings import has_errors
from schemas.forge import ForgeRegistration
from schemas.record import Record, canonical_id, canonical_url
from schemas.settings import Settings, interval_seconds

UNREADABLE_CODES = frozenset(
    {"publiccode.too_large", "publiccode.truncated", "publiccode.undecodable"}
)
"""Finding codes of a publiccode file the crawl saw but could not read."""
MAX_RUN_ERRORS = 5
"""Errors of a failing forge's last crawl given with a `forge_failing` answer."""


def crawl_run_out(run: CrawlRun) -> CrawlRunOut:
    """The API shape of a store crawl run."""
    return from_attributes(CrawlRunOut, run)


def recrawl_interval(settings: Settings) -> timedelta:
    """How often `codereuse run` recrawls a forge (the ``every`` setting)."""
    return timedelta(seconds=interval_seconds(settings.every))


def repository_status(
    store: Store, url: str, language: str = "en", *, every: timedelta | None = None
) -> StatusOut:
    """The status of `url` in `language` (see the module docstring); `every` is the recrawl
    interval of `codereuse run`, used to say when the next crawl is due."""
    try:
        canonical = canonical_url(url)
    except ValueError as error:  # InvalidURLError (or a ValueError no check foresaw)
        reason = _url_reason(error, language)
        return StatusOut(
            url=url,
            canonical_url=None,
            id=None,
            status="bad_url",
            message=translate(language, "status.msg.bad_url", reason=reason),
        )
    asked_id = canonical_id(canonical)
    registrations = list(store.list_forges())
    found_id = store.find_record_by_url(canonical)
    record = store.get_record(found_id) if found_id else None
    hosting_record = None if record else _record_hosted_at(store, asked_id, canonical)
    shown = record or hosting_record
    forge = _forge_for(registrations, canonical, shown)
    last_run = _last_run(store, forge.name) if forge else None
    common: dict[str, Any] = {
        "url": url,
        "canonical_url": canonical,
        "id": shown.id if shown else asked_id,
        "forge": forge.name if forge else (shown.repository.forge if shown else None),
        "last_crawl": last_run,
    }
    if shown is not None:
        moved = record is not None and found_id != asked_id
        return _listed(store, shown, common, language, moved=moved, hosted=record is None)
    return _not_listed(store, registrations, forge, last_run, common, language, every)


def _listed(
    store: Store,
    record: Record,
    common: dict[str, Any],
    language: str,
    *,
    moved: bool,
    hosted: bool,
) -> StatusOut:
    errors = sum(1 for finding in record.findings if finding.type == "error")
    meta = store.get_record_meta(record.id)
    values: dict[str, Any] = {
        "name": record.name,
        "since": meta.first_seen.date().isoformat() if meta else "?",
        "errors": errors,
        "now": record.url,
    }
    extra: dict[str, Any] = {}
    unreadable = next((f for f in record.findings if f.code in UNREADABLE_CODES), None)
    status: StatusKind
    if moved:
        status, extra["moved_to"] = "renamed", record.url
    elif unreadable is not None:
        status = "unreadable"
        size, limit = unreadable.params.get("size"), unreadable.params.get("limit")
        extra |= {"file_size": size if isinstance(size, int) else None, "file_limit": limit}
        values |= {
            "path": unreadable.params.get("path", "publiccode.yml"),
            "size": f"{size:,}" if isinstance(size, int) else "?",
            "limit": f"{limit:,}" if isinstance(limit, int) else "?",
            "why": translate(language, f"status.unreadable.{unreadable.code}"),
        }
    elif has_errors(record.findings):
        status = "invalid"
    elif not record.declared and _is_empty(store, record):
        status = "empty"
    elif record.repository.archived:
        status = "archived"
    elif record.repository.is_fork or record.relations.fork_of:
        status, extra["fork_of"] = "fork", record.relations.fork_of
        values["parent"] = record.relations.fork_of or ""
    else:
        status = "listed"
    values["forge"] = record.repository.forge
    key = f"status.msg.{status}"
    if status == "fork" and not record.relations.fork_of:
        key = "status.msg.fork_unknown_parent"
    if status == "listed" and not record.declared:
        key = "status.msg.listed_inferred"
    if hosted and status in {"listed", "invalid"}:
        key, extra["moved_to"] = "status.msg.listed_as", record.url
    return StatusOut(
        **common,
        **extra,
        status=status,
        message=translate(language, key, **values),
        record=record_hit(record, language),
        findings=findings_out(record.findings, language),
    )


def _is_empty(store: Store, record: Record) -> bool:
    """True when the crawl's snapshot of the record's repository says it has no commits."""
    snapshots = store.snapshots_of([canonical_id(record.repository.url)])
    return any(snapshot.payload.get("empty") is True for snapshot in snapshots)


def _not_listed(
    store: Store,
    registrations: list[ForgeRegistration],
    forge: ForgeRegistration | None,
    last_run: CrawlRunOut | None,
    common: dict[str, Any],
    language: str,
    every: timedelta | None,
) -> StatusOut:
    canonical = str(common["canonical_url"])

    def answer(status: StatusKind, key: str | None = None, **extra: Any) -> StatusOut:
        values = {k: _shown(v) for k, v in extra.items()}
        fields = {k: v for k, v in extra.items() if k in _DETAIL_FIELDS}
        message = translate(language, key or f"status.msg.{status}", **values)
        return StatusOut(**common, **fields, status=status, message=message)

    states = store.repository_states(str(common["id"]))
    if forge is not None:
        states = [s for s in states if s.forge == forge.name] or states
    tombstoned = next((s for s in states if s.tombstoned_at is not None), None)
    note = next((s for s in states if s.reason is not None), None)
    saved = next((s for s in states if s.reason is None), None)
    if note is not None and (saved is None or (note.seen_at or _EPOCH) > (saved.seen_at or _EPOCH)):
        reason: StatusKind = "internal" if note.reason == "internal" else "private"
        return answer(reason, forge=note.forge, date=note.seen_at)
    if tombstoned is not None:
        return answer(
            "deleted",
            forge=tombstoned.forge,
            since=tombstoned.tombstoned_at,
            listings=max(tombstoned.missed_listings, 1),
        )
    deleted = store.get_record(str(common["id"]), include_deleted=True)
    meta = store.get_record_meta(deleted.id) if deleted else None
    if meta is not None and meta.deleted_at is not None:
        return answer("deleted", "status.msg.deleted_record", since=meta.deleted_at)
    if forge is None:
        host = urlsplit(canonical).hostname or canonical
        return answer("not_covered", host=host, suggestion=suggestion(registrations, canonical))
    rule = excluding_rule(forge, canonical)
    if rule is not None:
        return answer("excluded", forge=forge.name, rule=rule)
    queued = next((j for j in store.crawl_jobs(forge.name, limit=5) if j.status == "queued"), None)
    if last_run is None:
        if queued is not None:
            return answer(
                "not_crawled", "status.msg.not_crawled_queued", forge=forge.name, job=queued.id
            )
        return answer("not_crawled", forge=forge.name)
    next_crawl = (last_run.finished_at or last_run.started_at) + every if every else None
    listed = int(last_run.stats.get("repositories", 0) or 0)
    if last_run.status == "failed" or (last_run.status == "partial" and not listed):
        errors = _run_errors(store, last_run.id, language)
        failing = answer(
            "forge_failing",
            forge=forge.name,
            date=last_run.started_at,
            error=errors[0].text if errors else "?",
            next_crawl_at=next_crawl,
        )
        return failing.model_copy(update={"findings": errors})
    return answer(
        "not_found",
        "status.msg.not_found_crawled",
        forge=forge.name,
        date=last_run.started_at,
        repositories=listed,
        next_crawl_at=next_crawl,
    )


_EPOCH = datetime.fromtimestamp(0).astimezone()
_DETAIL_FIELDS = frozenset({"rule", "since", "suggestion", "error", "next_crawl_at"})


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return "" if value is None else value


def _record_hosted_at(store: Store, asked_id: str, canonical: str) -> Record | None:
    """The live record whose repository is hosted at `canonical` under another id.

    A renamed repository whose publiccode.yml still names its old address gives a record at
    the old id that lists the current address as a mirror.
    """
    for record_id in sorted(store.records_naming({asked_id})):
        record = store.get_record(record_id)
        if record is not None and (
            canonical in record.relations.mirrors or canonical_id(record.repository.url) == asked_id
        ):
            return record
    return None


def _forge_for(
    registrations: list[ForgeRegistration], url: str, record: Record | None
) -> ForgeRegistration | None:
    if record is not None:
        named = next((r for r in registrations if r.name == record.repository.forge), None)
        if named is not None:
            return named
    return covering(registrations, url)


def _last_run(store: Store, forge: str) -> CrawlRunOut | None:
    runs = list(store.crawl_runs(forge, limit=1))
    return crawl_run_out(runs[0]) if runs else None


def _url_reason(error: ValueError, language: str) -> str:
    """Why the URL asked about names no repository, in `language`: the error's code keys the
    pages' catalogue (``status.url.*``), so no English parser text reaches a German page."""
    if isinstance(error, InvalidURLError) and error.code:
        return translate(language, f"status.{error.code}", **error.params)
    return (
        error.reason
        if isinstance(error, InvalidURLError)
        else translate(language, "status.url.unreadable")
    )


def _run_errors(store: Store, run_id: int, language: str) -> list[FindingOut]:
    """The error findings of a crawl run, worded in `language` (forge-level ones carry codes
    such as ``crawl.refused``, so a German page reads a German message)."""
    errors = [f for _record, f in store.crawl_findings(run_id) if f.type == "error"]
    return findings_out(errors[:MAX_RUN_ERRORS], language)
