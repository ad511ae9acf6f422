"""publiccode.yml: the one parser and validator of codereuse (standard up to 0.7).

Use `parse(data, path=..., base_dir=...)` on a file's bytes; it never raises on any input and
returns a `ParseResult` with ordered findings (key paths, 1-based lines and columns, as the
reference parser italia/publiccode-parser-go reports them, with messages that say what to do),
the decoded data, a typed `PublicCode` model and the declared version. Network checks (URL
reachability, remote logos) are a separate, opt-in step in ``crawler.publiccode_network``.
"""

from schemas.publiccode.model import PublicCode
from schemas.publiccode.parser import FILE_NAMES, ParseResult, locate, locator, parse
from schemas.publiccode.vocabularies import (
    CATEGORIES,
    DEVELOPMENT_STATUSES,
    MAINTENANCE_TYPES,
    PARSER_VERSION,
    PLATFORMS,
    SCOPES,
    SOFTWARE_TYPES,
    SUPPORTED_VERSIONS,
    SUPPORTS_ALIASES,
)

__all__ = [
    "CATEGORIES",
    "DEVELOPMENT_STATUSES",
    "FILE_NAMES",
    "MAINTENANCE_TYPES",
    "PARSER_VERSION",
    "PLATFORMS",
    "SCOPES",
    "SOFTWARE_TYPES",
    "SUPPORTED_VERSIONS",
    "SUPPORTS_ALIASES",
    "ParseResult",
    "PublicCode",
    "locate",
    "locator",
    "parse",
]
