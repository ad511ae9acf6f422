"""Logging for the command line: plain text for people, JSON lines for cron and containers.

Every record passes a redaction filter before it is written, so a token that slipped into a
message (an exception text, a URL with credentials) is masked: secrets never reach the logs.
The masking is `schemas.redaction.redact`, the same function the store applies to findings.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

from schemas.redaction import redact, secret_values

__all__ = ["JsonFormatter", "RedactingFilter", "configure_logging", "redact", "secret_values"]


class RedactingFilter(logging.Filter):
    """Masks secrets in the fully formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any `extra` fields."""

    _standard = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in self._standard})
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(log_format: Literal["text", "json"] = "text", *, quiet: bool = False) -> None:
    """Send our log records to stderr in `log_format`; `quiet` shows warnings and errors only."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_codereuse", False):
            root.removeHandler(existing)
    handler._codereuse = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    # alembic.runtime.plugins says "setup plugin …" seven times when alembic is first imported,
    # which is in every server worker at start.
    for noisy in ("httpx", "httpcore", "uvicorn.access", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
