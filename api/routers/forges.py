"""``/api/v1/forges``: registered forges (read for all; write with the admin token), crawl requests.

Writes check the registration exactly as ``codereuse forges add`` does (URL, scope, kind, SSRF
refusal of private addresses) through the `register_forge` callable the CLI wires in; the API
itself never crawls: ``POST …/crawl`` queues a job that ``codereuse run`` picks up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from api.deps import AdminDep, ContextDep, FindingLanguage, StoreDep
from api.forge_view import forge_out
from api.models import CrawlJobOut, ForgeCreate, ForgeOut, ForgePatch
from api.problems import ApiProblem, problem_responses
from schemas.copying import from_attributes
from schemas.forge import ForgeRegistration
from schemas.token_env import token_env_problem

router = APIRouter(prefix="/api/v1/forges", tags=["forges"])
ForgeName = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$", description="registered forge name")
]
WRITE_PROBLEMS = problem_responses(401, 403, 404, 409, 422, 503)


def _forge_or_404(store: StoreDep, name: str) -> ForgeRegistration:
    registration: ForgeRegistration | None = store.get_forge(name)
    if registration is None:
        raise ApiProblem(
            404, "not-found", f"no forge named {name!r} is registered; see /api/v1/forges"
        )
    return registration


@router.get("", response_model=list[ForgeOut], summary="Registered forges")
def list_forges(store: StoreDep, lang: FindingLanguage = "en") -> list[ForgeOut]:
    """Every registered forge with its record count, its last crawl and that crawl's errors
    (each with its finding code and parameters; the text in ``lang``)."""
    return [forge_out(store, registration, language=lang) for registration in store.list_forges()]


@router.get(
    "/{name}",
    response_model=ForgeOut,
    summary="One forge: registration, last crawls, counts, errors",
    responses=problem_responses(404, 422),
)
def get_forge(store: StoreDep, name: ForgeName, lang: FindingLanguage = "en") -> ForgeOut:
    """The registration, its ten latest crawl runs and the latest run's errors (each with its
    finding code and parameters; the text in ``lang``)."""
    return forge_out(store, _forge_or_404(store, name), crawls=10, language=lang)


def _check_token_env(context: ContextDep, name: str | None) -> None:
    """Refuse a `token_env` the operator did not allow (CODEREUSE_ALLOWED_TOKEN_ENV): a 422.

    Over the API the registrant is not the operator, so the variable whose value the crawl sends
    to the forge must be one the operator meant for forge tokens (architecture decision 14).
    """
    if name is None:
        return
    problem = token_env_problem(name, allowed=context.settings.allowed_token_env)
    if problem:
        raise ApiProblem(422, "token-env-not-allowed", problem)


def _same(url: str) -> str:
    """A URL as compared to tell whether a PATCH changed it (case of the host, final slash)."""
    return url.strip().rstrip("/").lower()


def _checked(context: ContextDep, **fields: object) -> ForgeRegistration:
    if context.register_forge is None:
        raise ApiProblem(
            503,
            "registration-unavailable",
            "this server cannot check forge registrations; register with `codereuse forges add`",
        )
    return context.register_forge(**fields)


@router.post(
    "",
    response_model=ForgeOut,
    status_code=status.HTTP_201_CREATED,
    summary="Register a forge (admin token)",
    responses=WRITE_PROBLEMS,
)
def create_forge(
    context: ContextDep, _admin: AdminDep, body: ForgeCreate, response: Response
) -> ForgeOut:
    """Check the URL and kind (private addresses refused unless ``allow_private``) and
    register the forge."""
    if body.name and context.store.get_forge(body.name) is not None:
        raise ApiProblem(409, "conflict", f"a forge named {body.name!r} is already registered")
    _check_token_env(context, body.token_env)
    registration = _checked(context, **body.model_dump(exclude={"notify_issues"}))
    registration = registration.model_copy(update={"notify_issues": body.notify_issues})
    context.store.add_forge(registration)
    response.headers["Location"] = f"/api/v1/forges/{registration.name}"
    return forge_out(context.store, registration)


@router.patch(
    "/{name}",
    response_model=ForgeOut,
    summary="Change a forge's registration (admin token)",
    responses=WRITE_PROBLEMS,
)
def update_forge(
    context: ContextDep, _admin: AdminDep, name: ForgeName, body: ForgePatch
) -> ForgeOut:
    """Fields sent replace the old ones. The forge is checked again (it answers as its kind,
    its address is not private unless allowed) only when the URL changes or a private address
    stops being allowed; other changes are validated without a request to the forge."""
    current = _forge_or_404(context.store, name)
    changes = body.model_dump(exclude_unset=True)
    notify_issues = changes.pop("notify_issues", None)
    if notify_issues is None:
        notify_issues = current.notify_issues
    allow_private = changes.pop("allow_private", None)
    allow = current.allow_private if allow_private is None else allow_private
    if changes.get("token_env") != current.token_env:  # one the operator set stays allowed
        _check_token_env(context, changes.get("token_env"))
    if changes.get("url") is None:
        changes.pop("url", None)
    merged = {
        "url": current.url,
        "kind": current.kind,
        "name": current.name,
        "groups": current.groups,
        "orgs": current.orgs,
        "repos": current.repos,
        "exclude": current.exclude,
        "token_env": current.token_env,
        **{
            key: value if value is not None else []
            for key, value in changes.items()
            if key != "token_env"
        },
    }
    if "token_env" in changes:
        merged["token_env"] = changes["token_env"]
    url_changed = "url" in changes and _same(changes["url"]) != _same(current.url)
    check = url_changed or (current.allow_private and not allow)
    registration = _checked(context, **merged, allow_private=allow, check=check)
    registration = registration.model_copy(update={"notify_issues": notify_issues})
    context.store.update_forge(registration)
    return forge_out(context.store, registration)


@router.delete(
    "/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a forge and the records only it held (admin token)",
    responses=WRITE_PROBLEMS,
    response_class=Response,
)
def delete_forge(context: ContextDep, _admin: AdminDep, name: ForgeName) -> Response:
    """Unregister the forge; its records are tombstoned unless another forge also holds them."""
    _forge_or_404(context.store, name)
    context.store.remove_forge(name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{name}/crawl",
    response_model=CrawlJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask for a crawl of a forge (admin token)",
    responses=WRITE_PROBLEMS,
)
def request_crawl(
    context: ContextDep, _admin: AdminDep, name: ForgeName, response: Response
) -> CrawlJobOut:
    """Queue a crawl job (an already queued one is reused); the job runner of `codereuse serve`
    (or `codereuse run`'s scheduler) carries it out. Follow it at ``Location``
    (``/api/v1/jobs/{id}``)."""
    _forge_or_404(context.store, name)
    job_id = context.store.request_crawl(name)
    job = context.store.get_crawl_job(job_id)
    if job is None:
        # The forge was removed between queueing and reading back (its jobs went with it).
        raise ApiProblem(
            404, "not-found", f"the forge {name!r} was removed while its crawl was being queued"
        )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return from_attributes(CrawlJobOut, job)
