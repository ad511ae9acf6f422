"""Problem details (RFC 9457) for every error the API answers, JSON and HTML alike.

Every error leaves the app as ``application/problem+json`` with ``type``, ``title``, ``status``,
``detail`` and ``instance``; validation errors add ``errors`` (one entry per offending
parameter, with its location). Pages for people get the same facts rendered as HTML when the
client asks for HTML (see `api.app`), so nothing ever answers with a bare stack trace.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.store.health import describe_failure, what_failed
from schemas.errors import (
    CodereuseError,
    ConfigurationError,
    ExportError,
    ForgeExistsError,
    InvalidQueryError,
    InvalidURLError,
    NotFoundError,
    RegistrationError,
    StoreError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://codereuse.example/problems/"
logger = logging.getLogger(__name__)


class ProblemFieldError(BaseModel):
    """One offending input: where it is (``query.per_page``) and what is wrong with it."""

    location: str = Field(description="where the input is, e.g. query.per_page or body.url")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(description="URI naming the kind of problem")
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="what went wrong this time and what to do")
    instance: str = Field(description="the request path the problem occurred on")
    errors: list[ProblemFieldError] = Field(
        default_factory=list, description="offending inputs, for validation problems"
    )


class ApiProblem(Exception):
    """Raised by routes to answer with a problem; `kind` becomes the last part of ``type``."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}


def problem_response(
    request: Request,
    status: int,
    kind: str,
    detail: str,
    *,
    errors: Sequence[ProblemFieldError] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build the problem+json response for `request`."""
    problem = Problem(
        type=PROBLEM_TYPE_BASE + kind,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=list(errors),
    )
    return JSONResponse(
        problem.model_dump(mode="json"),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _location(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(error: RequestValidationError) -> list[ProblemFieldError]:
    """Turn FastAPI's validation errors into located field errors (no input values echoed)."""
    return [
        ProblemFieldError(location=_location(item.get("loc", ())), message=str(item.get("msg", "")))
        for item in error.errors()
    ]


_KIND_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "request-too-large",
    414: "uri-too-long",
    422: "invalid-input",
    500: "internal-error",
    503: "unavailable",
}


def kind_for(status: int) -> str:
    """The problem kind used for a bare HTTP status."""
    return _KIND_BY_STATUS.get(status, "http-" + str(status))


async def handle_api_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiProblem)
    return problem_response(request, error.status, error.kind, error.detail, headers=error.headers)


async def handle_http_exception(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    if error.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}; the API is described at /api/v1/openapi.json"
    if error.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem_response(
        request,
        error.status_code,
        kind_for(error.status_code),
        detail,
        headers=dict(error.headers or {}),
    )


async def handle_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = validation_errors(error)
    where = ", ".join(item.location for item in errors) or "the request"
    return problem_response(
        request, 422, "invalid-input", f"invalid input in {where}", errors=errors
    )


async def handle_codereuse_error(request: Request, error: Exception) -> JSONResponse:
    """Map our own exceptions: user mistakes to 4xx, store and backend failures to 503."""
    if isinstance(error, InvalidQueryError):
        return problem_response(request, 400, "invalid-query", str(error))
    if isinstance(error, ExportError):
        return problem_response(request, 400, "invalid-export", str(error))
    if isinstance(error, ForgeExistsError):
        return problem_response(request, 409, "conflict", str(error))
    if isinstance(error, NotFoundError):
        return problem_response(request, 404, "not-found", str(error))
    if isinstance(error, InvalidURLError | RegistrationError):
        return problem_response(request, 422, "invalid-registration", str(error))
    if isinstance(error, StoreError | ConfigurationError):
        logger.error("store or configuration failure on %s: %s", request.url.path, error)
        what = what_failed(str(error)) if isinstance(error, StoreError) else "a setting is unusable"
        return problem_response(
            request,
            503,
            "unavailable",
            f"the catalogue is unavailable ({what}); try again later; the server's log says "
            "where and what to do",
        )
    logger.error("search backend failure on %s: %s", request.url.path, error)
    return problem_response(
        request, 503, "unavailable", "the search is unavailable; try again later"
    )


async def handle_storage_error(request: Request, error: Exception) -> JSONResponse:
    """A database error no layer wrapped (the embedded search reads SQLite directly): 503."""
    message = describe_failure(error, "the store")
    logger.error("storage failure on %s: %s", request.url.path, message)
    return problem_response(
        request,
        503,
        "unavailable",
        f"the catalogue is unavailable ({what_failed(message)}); try again later; the server's "
        "log says where and what to do",
    )


async def handle_unexpected(request: Request, error: Exception) -> JSONResponse:
    """Last resort: log the traceback, answer 500 without leaking internals."""
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request, 500, "internal-error", "an internal error occurred; it has been logged"
    )


EXCEPTION_HANDLERS = {
    ApiProblem: handle_api_problem,
    StarletteHTTPException: handle_http_exception,
    RequestValidationError: handle_validation_error,
    CodereuseError: handle_codereuse_error,
    sqlite3.Error: handle_storage_error,
    SQLAlchemyError: handle_storage_error,
    Exception: handle_unexpected,
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json answers for `statuses`."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def content_route(media_type: str, schema_type: str, *statuses: int) -> dict[str, Any]:
    """The route keywords of an answer that is not a response model (an Atom feed, YAML, an
    SBOM): a plain ``Response`` whose body is `media_type` (a JSON Schema `schema_type`), and
    problem+json answers for `statuses`. Use: ``@router.get(path, summary=…, **content_route(…))``.
    """
    return {
        "response_class": Response,
        "responses": {
            200: {"content": {media_type: {"schema": {"type": schema_type}}}},
            **problem_responses(*statuses),
        },
    }
