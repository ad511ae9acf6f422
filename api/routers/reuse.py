"""Reuse over the API: ``/api/v1/software/{id}/reuse``, ``…/sbom`` and ``/api/v1/packages/{purl}``.

Included before the software router, whose last route takes any path as a record id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse

from api.catalogue import record_path
from api.deps import StoreDep
from api.exports.reuse_links import write_links_csv, write_links_graph, write_links_parquet
from api.problems import ApiProblem, content_route, problem_responses
from api.reuse_models import PackageRecord, PackageResponse, ReuseResponse
from api.reuse_view import PackageEntry, lookup_key, package_lookup, reuse_of
from api.routers.software import RecordId, _record_or_404, _shadowed_detail
from api.sbom import SBOM_MEDIA_TYPE, sbom_json
from schemas.copying import from_attributes

router = APIRouter(tags=["reuse"])
Purl = Annotated[
    str,
    Path(
        min_length=5,
        max_length=1000,
        description="a package URL; any version, qualifiers and subpath are ignored",
        examples=["pkg:npm/%40stadt/formular@1.2.0", "pkg:pypi/django"],
    ),
]


@router.get(
    "/api/v1/software/{record_id:path}/reuse",
    response_model=ReuseResponse,
    summary="Who uses this software, and what it uses, with evidence",
    responses=problem_responses(404, 422),
)
def software_reuse(store: StoreDep, record_id: RecordId) -> Response | ReuseResponse:
    """Reuse links by kind (``depends_on``, ``fork_of``, ``based_on``, ``declared_used_by``),
    each with its source (manifest path and line), confidence and first/last seen; the
    publisher's own repositories are listed apart as internal use."""
    shadowed = _shadowed_detail(store, record_id, "reuse")
    if shadowed is not None:
        return shadowed
    record = _record_or_404(store, record_id)
    view = reuse_of(store, record)
    path = record_path(record.id)
    return from_attributes(
        ReuseResponse,
        view,
        id=record.id,
        summary=record.reuse,
        links={
            "self": f"/api/v1/software/{path}/reuse",
            "software": f"/api/v1/software/{path}",
            "page": f"/software/{path}",
            "sbom": f"/api/v1/software/{path}/sbom",
        },
    )


@router.get(
    "/api/v1/software/{record_id:path}/sbom",
    summary="A CycloneDX 1.6 SBOM of this software",
    **content_route(SBOM_MEDIA_TYPE, "object", 404, 422),
)
def software_sbom(store: StoreDep, record_id: RecordId) -> Response:
    """The software as root component (licence, repository, published purl), the packages its
    manifests and publiccode.yml dependsOn name as components with purls."""
    shadowed = _shadowed_detail(store, record_id, "sbom")
    if shadowed is not None:
        return shadowed
    record = _record_or_404(store, record_id)
    name = record.id.rsplit("/", 1)[-1] or "software"
    return Response(
        sbom_json(record),
        media_type=SBOM_MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{name}.cdx.json"'},
    )


def _entry(entry: PackageEntry) -> PackageRecord:
    path = record_path(entry.record.id)
    return PackageRecord(
        id=entry.record.id,
        name=entry.record.name,
        url=entry.record.url,
        purl=entry.purl,
        path=entry.path,
        line=entry.line,
        scope=entry.scope,
        evidence_url=entry.evidence_url,
        links={"software": f"/api/v1/software/{path}", "page": f"/software/{path}"},
    )


@router.get(
    "/api/v1/packages/{purl:path}",
    response_model=PackageResponse,
    summary="Which catalogue software publishes or uses a package",
    responses=problem_responses(400, 404, 422),
)
def package(store: StoreDep, purl: Purl) -> PackageResponse:
    """Reverse lookup by package URL (the question a security advisory raises): the catalogue
    records whose manifests publish or use the package, any version, with the manifest line."""
    key = lookup_key(purl)
    if key is None:
        raise ApiProblem(
            400,
            "invalid-purl",
            f"{purl[:200]!r} is not a package URL; write pkg:TYPE/NAMESPACE/NAME, "
            "e.g. pkg:npm/lodash or pkg:maven/org.example/core",
        )
    publishers, users = package_lookup(store, key)
    return PackageResponse(
        purl=purl,
        key=key,
        published_by=[_entry(entry) for entry in publishers],
        used_by=[_entry(entry) for entry in users],
    )


LinkFormat = Literal["csv", "parquet", "graph"]
_LINK_EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "graph": ("application/json", "graph.json"),
}


@router.get(
    "/api/v1/export/reuse",
    summary="Export the reuse links (CSV or Parquet, one row per link) or their graph",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the links, streamed",
            "content": {
                media_type: {"schema": {"type": "object" if name == "graph" else "string"}}
                for name, (media_type, _) in _LINK_EXPORTS.items()
            },
        },
        **problem_responses(422, 503),
    },
)
def export_reuse(
    store: StoreDep,
    format: LinkFormat = Query("csv", description="csv, parquet, or graph (JSON Graph Format)"),
) -> StreamingResponse:
    """Every reuse link with kind, user and software (ids and organisations), package, manifest
    path and line, evidence URL, confidence, self-declared and internal flags, first/last seen.

    ``graph`` is a JSON Graph Format document: records and usedBy organisations as nodes, one
    directed edge per link from user to software.
    """
    store.check_integrity()
    media_type, extension = _LINK_EXPORTS[format]
    chunks: Iterator[bytes]
    if format == "graph":
        links = list(store.iter_reuse_links())
        ids = {link.software_id for link in links} | {
            link.user_id for link in links if link.user_id
        }
        names = {record.id: record.name for record in store.iter_records(ids=sorted(ids))}
        chunks = write_links_graph(links, names)
    elif format == "parquet":
        chunks = write_links_parquet(store.iter_reuse_links())
    else:
        chunks = write_links_csv(store.iter_reuse_links())
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="codereuse-reuse-{stamp}.{extension}"'
        },
    )
