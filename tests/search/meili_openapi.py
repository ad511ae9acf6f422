"""Contract harness: validate Meilisearch requests and responses against the official OpenAPI file.

The file is ``../shared/reference/meilisearch/openapi-v1.53.0.json`` (OpenAPI 3.1, so its
schemas are JSON Schema Draft 2020-12). `load_contract` patches the four defects listed in the
``SOURCE.md`` beside it, asserting each is still there so a newer file cannot be patched blindly:

1. ``AttributePatterns`` is an object in the file but a plain string array on the wire
   (``#[serde(transparent)]``): ``"facets": ["licence"]`` would fail as shipped.
2. ``TaskView.startedAt`` / ``finishedAt`` are null while a task is enqueued.
3. ``GetLogs.mode`` defaults to ``"Human"`` but the enum is lower-case.
4. Document bodies have an empty schema; we validate them as arrays of objects whose primary key
   is a string Meilisearch accepts (``[A-Za-z0-9_-]``, 1–511 bytes), as one bad id fails a batch.

It also makes the request bodies we send *strict*: the server rejects unknown fields
(deserr ``deny_unknown_fields``), the file does not say so, and a misspelt parameter would
otherwise pass silently.

`ContractTransport` wraps any httpx transport (a fake server or the network), validates every
request before it is sent and keeps it in `requests`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from indexer.search.meilisearch.settings import PRIMARY_KEY

SPEC_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "meilisearch"
    / "openapi-v1.53.0.json"
)
SPEC_URI = "urn:meilisearch:openapi:1.53.0"
INDEX_UID = re.compile(r"^[A-Za-z0-9_-]{1,400}$")
DOCUMENTS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": [PRIMARY_KEY],
        "properties": {PRIMARY_KEY: {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,511}$"}},
    },
}
# Request bodies we send, made strict like the server (unknown fields are refused there).
STRICT_SCHEMAS = (
    "SearchQuery",
    "Settings_Unchecked",
    "TypoSettings",
    "MinWordSizeTyposSetting",
    "FacetingSettings",
    "PaginationSettings",
    "LocalizedAttributesRuleView",
)


_ERROR = {"$ref": "#/components/schemas/ResponseError"}


class ContractViolation(AssertionError):
    """A request or response that the (patched) OpenAPI file does not allow."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    params: dict[str, str]
    body: Any

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


def patch_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` with the four known defects fixed and our request bodies strict."""
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    # 1. AttributePatterns is transparent on the wire.
    assert schemas["AttributePatterns"]["type"] == "object", "defect 1 is gone; update the harness"
    schemas["AttributePatterns"] = {"type": "array", "items": {"type": "string"}}
    # 2. Enqueued tasks have null startedAt/finishedAt.
    for name in ("startedAt", "finishedAt"):
        prop = schemas["TaskView"]["properties"][name]
        assert prop["type"] == "string", "defect 2 is gone; update the harness"
        prop["type"] = ["string", "null"]
    # 3. The LogMode default has the wrong case.
    mode = schemas["GetLogs"]["properties"]["mode"]
    assert mode["default"] == "Human", "defect 3 is gone; update the harness"
    mode["default"] = "human"
    # 4. Document bodies are not described.
    documents = spec["paths"]["/indexes/{index_uid}/documents"]
    for method in ("post", "put"):
        content = documents[method]["requestBody"]["content"]["application/json"]
        assert content["schema"] == {}, "defect 4 is gone; update the harness"
        content["schema"] = DOCUMENTS_SCHEMA
    for name in STRICT_SCHEMAS:
        schemas[name]["additionalProperties"] = False
    return spec


def load_contract() -> Contract:
    """The patched contract; skips the calling test when ``../shared`` is not there."""
    if not SPEC_PATH.is_file():
        pytest.skip(f"the Meilisearch OpenAPI file is not at {SPEC_PATH} (../shared is absent)")
    return _contract()


@functools.cache
def _contract() -> Contract:
    """Parsed and patched once per test session (the file is 800 kB)."""
    return Contract(patch_spec(json.loads(SPEC_PATH.read_text(encoding="utf-8"))))


def _absolute_refs(schema: Any) -> Any:
    """`schema` with document-local ``#/…`` references made absolute to the spec's URI."""
    if isinstance(schema, dict):
        return {
            key: (
                f"{SPEC_URI}{value}"
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else _absolute_refs(value)
            )
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_absolute_refs(item) for item in schema]
    return schema


def _coerce(text: str, schema: dict[str, Any]) -> Any:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and re.fullmatch(r"-?\d+", text):
        return int(text)
    if "boolean" in kinds and text in {"true", "false"}:
        return text == "true"
    return text


@dataclass
class Contract:
    """Operations of the patched spec, with validators for bodies and parameters."""

    spec: dict[str, Any]
    _routes: list[tuple[re.Pattern[str], str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(self.spec, default_specification=DRAFT202012)
        )
        for template in self.spec["paths"]:
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            self._routes.append((re.compile(f"^{pattern}$"), template, template.count("{")))
        # Literal segments win over parameters (``/documents/delete-batch`` over ``/{id}``).
        self._routes.sort(key=lambda route: route[2])

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        """A Draft 2020-12 validator for `schema` whose references resolve inside the spec."""
        return Draft202012Validator(_absolute_refs(schema), registry=self.registry)

    def schema(self, name: str) -> Draft202012Validator:
        """The validator of ``components.schemas.<name>``."""
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any], dict[str, str]]:
        """(template, operation, path parameters) for a request, or `ContractViolation`."""
        for pattern, template, _ in self._routes:
            match = pattern.match(path)
            if match and method.lower() in self.spec["paths"][template]:
                return template, self.spec["paths"][template][method.lower()], match.groupdict()
        raise ContractViolation(f"{method} {path} is not an operation of Meilisearch 1.53.0")

    def _check(self, where: str, schema: dict[str, Any], value: Any) -> None:
        errors = sorted(self.validator(schema).iter_errors(value), key=lambda e: list(e.path))
        if errors:
            details = "; ".join(
                f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}"
                for error in errors[:5]
            )
            raise ContractViolation(f"{where}: {details}")

    def check_request(self, method: str, path: str, params: dict[str, str], body: Any) -> None:
        """Raise `ContractViolation` unless the request is one the spec allows."""
        _, operation, path_params = self.operation(method, path)
        where = f"{method} {path}"
        declared = {p["name"]: p for p in operation.get("parameters", [])}
        for name, value in path_params.items():
            self._check(
                f"{where} path {name}",
                declared[name]["schema"],
                _coerce(value, declared[name]["schema"]),
            )
            if name == "index_uid" and not INDEX_UID.match(value):
                raise ContractViolation(
                    f"{where}: index uid {value!r} is not [A-Za-z0-9_-]{{1,400}}"
                )
        for name, value in params.items():
            parameter = declared.get(name)
            if parameter is None or parameter.get("in") != "query":
                raise ContractViolation(f"{where}: undeclared query parameter {name!r}")
            self._check(
                f"{where} query {name}", parameter["schema"], _coerce(value, parameter["schema"])
            )
        request_body = operation.get("requestBody")
        if body is None:
            if request_body and request_body.get("required"):
                raise ContractViolation(f"{where}: the request body is required")
            return
        if request_body is None:
            raise ContractViolation(f"{where}: this operation takes no body")
        content = request_body["content"].get("application/json")
        if content is None:
            raise ContractViolation(f"{where}: this operation takes no JSON body")
        self._check(f"{where} body", content.get("schema", {}), body)

    def check_response(self, method: str, path: str, status: int, body: Any) -> None:
        """Raise `ContractViolation` unless `body` fits the documented response for `status`."""
        _, operation, _ = self.operation(method, path)
        response = operation.get("responses", {}).get(str(status))
        if response is None and status >= 400:
            # The file documents only some error statuses (401, 404); every error body has
            # the one ResponseError shape (e.g. 403 invalid_api_key, 400 invalid_search_filter).
            response = {"content": {"application/json": {"schema": _ERROR}}}
        if response is None:
            raise ContractViolation(f"{method} {path}: status {status} is not documented")
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            self._check(f"{method} {path} response {status}", schema, body)


class ContractTransport(httpx.BaseTransport):
    """Validate each request against the contract, record it, then pass it to `inner`."""

    def __init__(self, inner: httpx.BaseTransport, contract: Contract) -> None:
        self.inner = inner
        self.contract = contract
        self.requests: list[RecordedRequest] = []
        self.headers: list[httpx.Headers] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw = request.read()
        if raw:
            if request.headers.get("content-type", "").split(";")[0] != "application/json":
                raise ContractViolation(f"{request.method} {request.url.path}: body is not JSON")
            body = json.loads(raw)
        else:
            body = None
        params = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        recorded = RecordedRequest(request.method, request.url.path, params, body)
        self.contract.check_request(recorded.method, recorded.path, params, body)
        self.requests.append(recorded)
        self.headers.append(request.headers)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def routes(self) -> list[str]:
        """``METHOD path`` of every request so far, in order."""
        return [request.route for request in self.requests]
