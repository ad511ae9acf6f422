"""schemathesis on the purl reverse lookup and the reuse operations, over a store with links."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis

from tests.api.conftest import build_app, built_search
from tests.api.test_openapi_fuzz import fuzz
from tests.reuse.test_api import reuse_store

OPERATIONS = (
    "/api/v1/packages/{purl}",
    "/api/v1/software/{record_id}/reuse",
    "/api/v1/software/{record_id}/sbom",
    "/api/v1/export/reuse",
)


def test_reuse_operations_conform_to_the_openapi(tmp_path: Path) -> None:
    """Generated purls, ids and formats get no 5xx and answers matching the published schema."""
    store = reuse_store(tmp_path)
    app = build_app(store, built_search(store))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().path in OPERATIONS
    ]
    assert len(OPERATIONS) == len(operations)
    failures = fuzz(operations, {}, examples=60)
    store.close()
    assert [] == failures


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
