"""An in-process fake Meilisearch for tests, answering like the real HTTP API (v1.53 shapes).

Serve it through ``httpx.MockTransport(fake.handle)``. What it does like the server:

* writes answer 202 with a summarized task; ``GET /tasks/{uid}`` shows ``enqueued`` for the
  first `polls_before_done` polls, then processes every queued task up to that one, in order,
  and shows ``succeeded`` or ``failed`` with ``error {message, code, type, link}``;
* indexes (create, get, delete, stats), settings (PATCH merges), documents (add/replace by
  primary key, a bad id fails the whole batch; delete-batch), ``/swap-indexes`` with ``rename``;
* search with ``page``/``hitsPerPage`` (exact ``totalHits``), ``filter`` parsed with
  Meilisearch's grammar and quoting rules and checked against the granular filterable rules
  (first matching rule wins), ``sort`` checked against sortable attributes, ``facets`` with
  ``facetDistribution``, ``distinctAttribute``, custom ``attr:asc|desc`` ranking rules,
  ``attributesToRetrieve`` and ``_formatted`` highlighting with the requested tags;
* an API key, when given, is required as ``Authorization: Bearer``.

Every response body is validated against the OpenAPI contract, so the fake cannot drift from the
shapes the backend has to parse.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.search.meili_fake_filter import FilterSyntaxError, conditions, evaluate, parse_filter
from tests.search.meili_fake_search import best_rank, highlight, rank_documents, words
from tests.search.meili_openapi import Contract

_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,511}$")
NOW = "2026-11-30T00:00:00Z"


class Refusal(Exception):
    """An error the fake answers with (HTTP status and Meilisearch code)."""

    def __init__(self, status: int, code: str, message: str, kind: str = "invalid_request") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.kind = status, code, message, kind

    def body(self) -> dict[str, str]:
        return {
            "message": self.message,
            "code": self.code,
            "type": self.kind,
            "link": f"https://docs.meilisearch.com/errors#{self.code}",
        }


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None
    settings: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class FakeTask:
    uid: int
    index_uid: str | None
    kind: str
    apply: Callable[[], None]
    status: str = "enqueued"
    error: dict[str, str] | None = None
    polls: int = 0

    def view(self) -> dict[str, Any]:
        done = self.status in {"succeeded", "failed"}
        return {
            "uid": self.uid,
            "batchUid": self.uid if done else None,
            "indexUid": self.index_uid,
            "status": self.status,
            "type": self.kind,
            "canceledBy": None,
            "details": {},
            "error": self.error,
            "duration": "PT0.001S" if done else None,
            "enqueuedAt": NOW,
            "startedAt": NOW if done else None,
            "finishedAt": NOW if done else None,
        }


class FakeMeilisearch:
    """The fake server (see the module docstring)."""

    def __init__(
        self,
        contract: Contract,
        *,
        version: str = "1.53.0",
        key: str | None = None,
        polls_before_done: int = 1,
    ) -> None:
        self.contract = contract
        self.version = version
        self.key = key
        self.polls_before_done = polls_before_done
        self.indexes: dict[str, FakeIndex] = {}
        self.tasks: list[FakeTask] = []
        self.failures: dict[str, Refusal] = {}

    def fail_next(self, kind: str, code: str, message: str) -> None:
        """Make the next task of type `kind` fail with `code` and `message`."""
        self.failures[kind] = Refusal(400, code, message)

    # -- HTTP --------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        method, path = request.method, request.url.path
        raw = request.read()
        body = json.loads(raw) if raw else None
        params = dict(request.url.params)
        try:
            if self.key and request.headers.get("authorization") != f"Bearer {self.key}":
                raise Refusal(403, "invalid_api_key", "The provided API key is invalid.", "auth")
            status, answer = self.route(method, path, params, body)
        except Refusal as refusal:
            status, answer = refusal.status, refusal.body()
        self.contract.check_response(method, path, status, answer)
        return httpx.Response(status, json=answer)

    def route(self, method: str, path: str, params: dict[str, str], body: Any) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if parts == ["version"]:
            return 200, {"commitSha": "0" * 40, "commitDate": NOW, "pkgVersion": self.version}
        if parts[0] == "tasks" and len(parts) == 2:
            return 200, self.poll(int(parts[1]))
        if parts == ["swap-indexes"] and method == "POST":
            return self.enqueue(None, "indexSwap", lambda: self.swap(body))
        if parts == ["indexes"] and method == "POST":
            uid, primary_key = body["uid"], body.get("primaryKey")
            return self.enqueue(uid, "indexCreation", lambda: self.create(uid, primary_key))
        if parts[0] != "indexes" or len(parts) < 2:
            raise Refusal(404, "not_found", f"no route {method} {path} in the fake")
        uid, rest = parts[1], parts[2:]
        if rest == [] and method == "GET":
            index = self.index(uid)
            view = {"uid": uid, "createdAt": NOW, "updatedAt": NOW, "primaryKey": index.primary_key}
            return 200, view
        if rest == [] and method == "DELETE":
            return self.enqueue(uid, "indexDeletion", lambda: self.drop(uid))
        if rest == ["stats"]:
            index = self.index(uid)
            return 200, {
                "numberOfDocuments": len(index.documents),
                "indexSize": 0,
                "usedIndexSize": 0,
                "rawDocumentDbSize": 0,
                "avgDocumentSize": 0,
                "isIndexing": False,
                "fieldDistribution": {},
            }
        if rest == ["settings"] and method == "PATCH":
            return self.enqueue(uid, "settingsUpdate", lambda: self.configure(uid, body))
        if rest == ["documents"] and method == "POST":
            primary_key = params.get("primaryKey")
            return self.enqueue(
                uid, "documentAdditionOrUpdate", lambda: self.add(uid, primary_key, body)
            )
        if rest == ["documents", "delete-batch"] and method == "POST":
            return self.enqueue(uid, "documentDeletion", lambda: self.remove(uid, body))
        if len(rest) == 2 and rest[0] == "documents" and method == "GET":
            document = self.index(uid).documents.get(rest[1])
            if document is None:
                raise Refusal(404, "document_not_found", f"Document `{rest[1]}` not found.")
            return 200, document
        if rest == ["documents", "fetch"] and method == "POST":
            return 200, self.fetch(self.index(uid), body)
        if rest == ["search"] and method == "POST":
            return 200, self.search(self.index(uid), body)
        raise Refusal(404, "not_found", f"no route {method} {path} in the fake")

    # -- tasks -------------------------------------------------------------------------------

    def enqueue(
        self, index_uid: str | None, kind: str, apply: Callable[[], None]
    ) -> tuple[int, Any]:
        task = FakeTask(len(self.tasks), index_uid, kind, apply)
        self.tasks.append(task)
        summary = {
            "taskUid": task.uid,
            "indexUid": index_uid,
            "status": "enqueued",
            "type": kind,
            "enqueuedAt": NOW,
        }
        return 202, summary

    def poll(self, uid: int) -> dict[str, Any]:
        if not 0 <= uid < len(self.tasks):
            raise Refusal(404, "task_not_found", f"Task `{uid}` not found.")
        task = self.tasks[uid]
        task.polls += 1
        if task.status == "enqueued" and task.polls > self.polls_before_done:
            self.process(uid)
        return task.view()

    def process(self, up_to: int) -> None:
        """Run every enqueued task up to `up_to`, in order, as the scheduler would."""
        for task in self.tasks[: up_to + 1]:
            if task.status != "enqueued":
                continue
            try:
                failure = self.failures.pop(task.kind, None)
                if failure:
                    raise failure
                task.apply()
                task.status = "succeeded"
            except Refusal as refusal:
                task.status, task.error = "failed", refusal.body()

    # -- index operations --------------------------------------------------------------------

    def index(self, uid: str) -> FakeIndex:
        if uid not in self.indexes:
            raise Refusal(404, "index_not_found", f"Index `{uid}` not found.")
        return self.indexes[uid]

    def create(self, uid: str, primary_key: str | None) -> None:
        if uid in self.indexes:
            raise Refusal(409, "index_already_exists", f"Index `{uid}` already exists.")
        self.indexes[uid] = FakeIndex(uid, primary_key)

    def drop(self, uid: str) -> None:
        self.index(uid)
        del self.indexes[uid]

    def configure(self, uid: str, settings: dict[str, Any]) -> None:
        index = self.indexes.setdefault(uid, FakeIndex(uid, None))
        index.settings.update(settings)

    def add(self, uid: str, primary_key: str | None, documents: list[dict[str, Any]]) -> None:
        index = self.indexes.setdefault(uid, FakeIndex(uid, primary_key))
        index.primary_key = index.primary_key or primary_key
        key = index.primary_key
        if key is None:
            raise Refusal(400, "index_primary_key_no_candidate_found", "no primary key")
        for document in documents:  # one bad id fails the whole batch, like the server
            value = document.get(key)
            if not isinstance(value, str) or not _DOCUMENT_ID.match(value):
                raise Refusal(
                    400, "invalid_document_id", f"Document identifier `{value}` is invalid."
                )
        for document in documents:
            index.documents[document[key]] = document

    def remove(self, uid: str, ids: list[str]) -> None:
        index = self.index(uid)
        for document_id in ids:
            index.documents.pop(document_id, None)

    def swap(self, pairs: list[dict[str, Any]]) -> None:
        for pair in pairs:
            first, second = pair["indexes"]
            if pair.get("rename"):
                if second in self.indexes:
                    raise Refusal(400, "index_already_exists", f"Index `{second}` already exists.")
                index = self.index(first)
                del self.indexes[first]
                index.uid = second
                self.indexes[second] = index
            else:
                a, b = self.index(first), self.index(second)
                a.uid, b.uid = second, first
                self.indexes[first], self.indexes[second] = b, a

    # -- search ------------------------------------------------------------------------------

    def _features(self, index: FakeIndex, attribute: str) -> dict[str, Any] | None:
        """The filter features of the first filterable rule matching `attribute`."""
        for rule in index.settings.get("filterableAttributes") or []:
            if isinstance(rule, str):
                if fnmatch.fnmatchcase(attribute, rule):
                    return {"facetSearch": True, "filter": {"equality": True, "comparison": True}}
                continue
            if any(fnmatch.fnmatchcase(attribute, p) for p in rule["attributePatterns"]):
                features = rule.get("features") or {}
                filters = {"equality": True, "comparison": False} | features.get("filter", {})
                return {"facetSearch": features.get("facetSearch", False), "filter": filters}
        return None

    def _check_filter(self, index: FakeIndex, tree: tuple[Any, ...]) -> None:
        for condition in conditions(tree):
            attribute = condition[1]
            features = self._features(index, attribute)
            needs = (
                "comparison"
                if condition[0] == "range"
                or (condition[0] == "cmp" and condition[2] not in {"=", "!="})
                else "equality"
            )
            if features is None or not features["filter"][needs]:
                raise Refusal(
                    400,
                    "invalid_search_filter",
                    f"Attribute `{attribute}` is not filterable with {needs} operators.",
                )

    def _filtered(
        self, index: FakeIndex, expression: str | None, code: str
    ) -> list[dict[str, Any]]:
        documents = list(index.documents.values())
        if expression:
            try:
                tree = parse_filter(expression)
            except FilterSyntaxError as error:
                raise Refusal(400, code, str(error)) from None
            self._check_filter(index, tree)
            documents = [d for d in documents if evaluate(tree, d)]
        return documents

    def fetch(self, index: FakeIndex, query: dict[str, Any]) -> dict[str, Any]:
        documents = self._filtered(index, query.get("filter"), "invalid_document_filter")
        offset, limit = query.get("offset", 0), query.get("limit", 20)
        return {
            "results": documents[offset : offset + limit],
            "offset": offset,
            "limit": limit,
            "total": len(documents),
        }

    def search(self, index: FakeIndex, query: dict[str, Any]) -> dict[str, Any]:
        settings = index.settings
        documents = self._filtered(index, query.get("filter"), "invalid_search_filter")
        query_words = words(query.get("q") or "")
        searchable = settings.get("searchableAttributes") or ["*"]
        if searchable == ["*"]:
            searchable = sorted({key for d in documents for key in d})
        ranks: dict[int, int] = {}
        counts: dict[int, int] = {}
        # `last` drops query words from the end while nothing matches; `all` (and this fake
        # without a strategy) needs every word.
        strategy = query.get("matchingStrategy", "all")
        for document in documents:
            for count in range(
                len(query_words), 0 if strategy == "last" else len(query_words) - 1, -1
            ):
                rank = best_rank(query_words[:count], document, searchable)
                if rank is not None:
                    ranks[id(document)] = rank
                    counts[id(document)] = count
                    break
            else:
                if not query_words:
                    ranks[id(document)] = 0
        sort = query.get("sort") or []
        for clause in sort:
            if clause.split(":")[0] not in (settings.get("sortableAttributes") or []):
                raise Refusal(400, "invalid_search_sort", f"Attribute `{clause}` is not sortable.")
        rules = settings.get("rankingRules") or ["attributeRank", "sort"]
        ordered = rank_documents([d for d in documents if id(d) in ranks], ranks, rules, sort)
        if not sort:  # the `words` rule: more query words matched first
            ordered.sort(key=lambda document: -counts.get(id(document), 0))
        distinct = settings.get("distinctAttribute")
        if distinct:
            seen: set[str] = set()
            kept = []
            for document in ordered:
                value = document.get(distinct)
                if value is not None and json.dumps(value) in seen:
                    continue
                seen.add(json.dumps(value))
                kept.append(document)
            ordered = kept
        facets = query.get("facets") or []
        distribution: dict[str, dict[str, int]] = {}
        for attribute in facets:
            if self._features(index, attribute) is None:
                raise Refusal(
                    400, "invalid_search_facets", f"Attribute `{attribute}` is not filterable."
                )
            counts: dict[str, int] = {}
            for document in ordered:
                value = document.get(attribute)
                items = value if isinstance(value, list) else [value]
                for item in dict.fromkeys(items):
                    if item is None:
                        continue
                    text = "true" if item is True else "false" if item is False else str(item)
                    counts[text] = counts.get(text, 0) + 1
            limit = (settings.get("faceting") or {}).get("maxValuesPerFacet", 100)
            top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
            distribution[attribute] = dict(top)
        page, per_page = query.get("page") or 1, query.get("hitsPerPage", 20)
        total = len(ordered)
        window = ordered[(page - 1) * per_page : page * per_page]
        pre, post = query.get("highlightPreTag", "<em>"), query.get("highlightPostTag", "</em>")
        retrieve = query.get("attributesToRetrieve") or ["*"]
        hits = []
        for document in window:
            hit = {k: v for k, v in document.items() if retrieve == ["*"] or k in retrieve}
            formatted = dict(hit)
            for attribute in query.get("attributesToHighlight") or []:
                if attribute in document:
                    formatted[attribute] = highlight(document[attribute], query_words, pre, post)
            if query.get("attributesToHighlight"):
                hit["_formatted"] = formatted
            hits.append(hit)
        answer: dict[str, Any] = {
            "hits": hits,
            "query": query.get("q") or "",
            "processingTimeMs": 0,
            "hitsPerPage": per_page,
            "page": page,
            "totalPages": math.ceil(total / per_page) if per_page else 0,
            "totalHits": total,
        }
        if facets:
            answer["facetDistribution"] = distribution
            answer["facetStats"] = {}
        return answer
