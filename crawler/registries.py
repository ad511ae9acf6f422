"""Forge registries in, forge registries out: our own ``forges.yml`` and the public registries.

`load_registry` reads a file, recognises its format from its structure (not its name) and turns
it into registrations:

* ``codereuse``: our own ``forges.yml`` (``forges: [{name, kind, url, groups, ...}]``), as
  written by `dump_forges_yaml` / ``codereuse forges export``; a bad entry fails the import with
  its line number, since the file is the user's own;
* ``codegouvfr``: code.gouv.fr's ``comptes-organismes-publics.yml`` (top-level key = forge host,
  ``forge`` kind, optional ``owners``, ``ignored_since``): one registration per host, ``fr-HOST``;
* ``nl-publishers``: the Dutch OSS register's ``publishers.json`` (``codeHosting[{url, group}]``,
  ``active``): one registration per host, ``nl-HOST``;
* ``it-publishers``: Developers Italia's publishers YAML (``[{name, orgs, repos}]``): ``it-HOST``;
* ``github-government``: GitHub's government list (section → org logins): one github.com
  registration per section, ``github-SECTION``;
* ``repo-manifest``: a mapping of section → repository URLs (code.gov's ``repo-manifest.json``):
  one registration per section and host, ``SECTION-HOST``;
* ``ch-index``: the Swiss index, a Markdown list of account URLs under ``##`` sections: one
  registration per host, ``ch-HOST``;
* ``codegouvfr-organisations`` (code.gouv.fr's ``top_organizations.yml``, pso_id → name) and
  ``ch-organisations`` (the Swiss ``ld.admin.ch`` taxonomy): organisations only.

Each format also gives what it says about the organisation behind each account
(`ImportedRegistry.organisations`, read by `crawler.registry_organisations`): ``forges import``
keeps it and normalisation attaches it to the repositories' owners.

Entries of third-party registries that codereuse cannot crawl (a Gogs forge, a host whose kind
cannot be told, an entry the registry marks ignored or inactive) are skipped with a note, and the
rest is imported. github.com registrations read their token from ``GITHUB_TOKEN`` (anonymous
access allows 60 requests an hour); edit the exported forges.yml to change it.

Imported registrations get no live check (a registry of hundreds of accounts would mean
hundreds of requests at import time, and the crawl reports unreachable forges anyway), but they
get URL normalisation and the SSRF check of the host's *written form* (IP literals and internal
names, no DNS). Resolved addresses and redirects are checked at crawl time by
`crawler.addresses.request_guard`, the crawl client's request hook.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from crawler import registry_organisations as organisations_of
from crawler.addresses import check_host_form
from crawler.kinds import kind_names, kind_of_host, kind_of_registry_name, kind_spec
from crawler.registration import BUILD_FIELDS, build_registration, slug
from schemas.errors import InvalidURLError, RegistrationError
from schemas.forge import ForgeKind, ForgeRegistration
from schemas.organisation import RegistryOrganisation
from schemas.record import canonical_url

FORMATS = (
    "codereuse",
    "codegouvfr",
    "nl-publishers",
    "it-publishers",
    "github-government",
    "repo-manifest",
    "ch-index",
    "codegouvfr-organisations",
    "ch-organisations",
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass
class ImportedRegistry:
    """What a registry file gave: its format, the registrations, and the entries skipped (why)."""

    format: str
    registrations: list[ForgeRegistration] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    organisations: list[RegistryOrganisation] = field(default_factory=list)
    """What the file says about the organisation behind each account."""


def infer_kind(host: str) -> ForgeKind | None:
    """The forge kind a host name tells (github.com, gitlab.com, ``gitlab.*``, ``github.*``)."""
    spec = kind_of_host(host)
    return spec.name if spec is not None else None


def _base(url: str) -> str:
    """``scheme://host[:port]`` of `url` (https when no scheme is given), lower-case."""
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    netloc = (parts.hostname or "").lower()
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return f"{(parts.scheme or 'https').lower()}://{netloc}"


class _Builder:
    """Collects scopes per forge and turns them into checked registrations, noting what it skips."""

    def __init__(self, source: str, prefix: str) -> None:
        self.source = source
        self.prefix = prefix
        self.result_skipped: list[str] = []
        self.scopes: dict[tuple[str, ForgeKind], dict[str, list[str]]] = {}
        self.whole: set[tuple[str, ForgeKind]] = set()

    def skip(self, where: str, reason: str) -> None:
        self.result_skipped.append(f"{self.source}: {where}: {reason}")

    def add(self, base: str, *, kind: ForgeKind, scope: str = "", path: str = "") -> None:
        """Add scope `path` (of kind groups/orgs/repos) on the forge at `base`; none: whole."""
        key = (base, kind)
        entry = self.scopes.setdefault(key, {"groups": [], "orgs": [], "repos": []})
        if scope:
            entry[scope].append(path)
        else:
            self.whole.add(key)

    def add_url(self, url: str, *, single_repo: bool, where: str) -> None:
        """A URL naming an org/group (``single_repo`` False) or a repository, kind from the host."""
        base = _base(url)
        parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
        host = (parts.hostname or "").lower()
        spec = kind_of_host(host)
        if spec is None:
            self.skip(
                where,
                f"cannot tell the forge kind of {host} from its name; register it with "
                f"`codereuse forges add {base} --kind {'|'.join(kind_names())}`",
            )
            return
        kind = spec.name
        if single_repo:
            try:  # strips clone suffixes and UI paths such as /tree/main/sub (root file only)
                parts = urlsplit(canonical_url(url))
            except InvalidURLError as error:
                self.skip(where, error.reason)
                return
        segments = [s for s in parts.path.split("/") if s]
        if segments and segments[-1].lower().endswith(".git"):
            segments[-1] = segments[-1][: -len(".git")]
        if segments[:1] and segments[0] in spec.owner_prefixes:
            segments = segments[1:]
        canonical = spec.public_hosts.get(host, base)
        if not segments and canonical in spec.scope_required:
            self.skip(
                where, f"{host} cannot be crawled whole; name {spec.owners.noun}s or repositories"
            )
        elif not segments:
            self.add(base, kind=kind)
        elif single_repo and not spec.owners.nested and len(segments) != 2:
            self.skip(where, f"{url} is not a {spec.label} repository URL ({host}/OWNER/NAME)")
        elif single_repo:
            self.add(base, kind=kind, scope="repos", path="/".join(segments))
        elif not spec.owners.nested and len(segments) > 1:
            self.skip(
                where,
                f"{url} is not a {spec.label} {spec.owners.noun} URL ({host}/{spec.owners.noun.upper()})",
            )
        else:
            self.add(base, kind=kind, scope=spec.owners.field, path="/".join(segments))

    def build(self) -> list[ForgeRegistration]:
        """One registration per forge: its whole instance, or the scopes collected for it."""
        registrations: list[ForgeRegistration] = []
        for (base, kind), scope in sorted(self.scopes.items()):
            whole = (base, kind) in self.whole
            registration = self.checked(
                base,
                kind=kind,
                name=slug(f"{self.prefix}-{urlsplit(base).netloc}"),
                groups=[] if whole else scope["groups"],
                orgs=[] if whole else scope["orgs"],
                repos=[] if whole else scope["repos"],
                # Anonymous github.com allows 60 requests an hour: crawl with the usual token.
                token_env="GITHUB_TOKEN" if base in kind_spec(kind).token_required else None,
                where=urlsplit(base).netloc,
            )
            if registration is not None:
                registrations.append(registration)
        return registrations

    def checked(self, url: str, *, where: str, **fields: Any) -> ForgeRegistration | None:
        try:
            registration = build_registration(url, **fields)
            check_host_form(
                urlsplit(registration.url).hostname or "",
                where=registration.url,
                allow_private=registration.allow_private,
            )
        except (RegistrationError, InvalidURLError) as error:
            self.skip(where, str(error))
            return None
        return registration


def _codereuse(
    document: Mapping[str, Any], source: str, nodes: list[yaml.Node]
) -> ImportedRegistry:
    result = ImportedRegistry(format="codereuse")
    entries = document.get("forges") or []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        node = nodes[index] if index < len(nodes) else None
        where = _place(source, node)
        if not isinstance(entry, Mapping):
            raise RegistrationError(
                f"{where}: forges[{index}] must be a mapping with name, kind and url"
            )
        if isinstance(entry.get("kind"), str) and entry["kind"] not in kind_names():
            raise RegistrationError(
                f"{_place(source, node, 'kind')}: forges[{index}].kind: unknown forge kind "
                f"{entry['kind']!r}; codereuse knows {', '.join(kind_names())}"
            )
        try:
            template = ForgeRegistration.model_validate(dict(entry))
            registration = build_registration(**template.model_dump(include=set(BUILD_FIELDS)))
            registration = registration.model_copy(update={"notify_issues": template.notify_issues})
            check_host_form(
                urlsplit(registration.url).hostname or "",
                where=registration.url,
                allow_private=registration.allow_private,
            )
        except ValidationError as error:
            first = error.errors()[0]
            key = first["loc"][0] if first["loc"] else None
            problems = "; ".join(
                f"forges[{index}].{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                for e in error.errors()
            )
            raise RegistrationError(f"{_place(source, node, key)}: {problems}") from None
        except RegistrationError as error:
            raise RegistrationError(f"{where}: {error}") from None
        if registration.name in seen:
            raise RegistrationError(
                f"{where}: the name {registration.name!r} is used twice; names must be unique"
            )
        seen.add(registration.name)
        result.registrations.append(registration)
    return result


def _codegouvfr(document: Mapping[str, Any], source: str) -> ImportedRegistry:
    builder = _Builder(source, "fr")
    for host, entry in document.items():
        spec = kind_of_registry_name(entry.get("forge"))
        if spec is None:
            builder.skip(
                str(host),
                f"forge kind {entry.get('forge')!r} is not supported ({', '.join(kind_names())} only)",
            )
            continue
        kind = spec.name
        if entry.get("ignored_since"):
            builder.skip(
                str(host), f"the registry ignores this forge since {entry['ignored_since']}"
            )
            continue
        owners = entry.get("owners") or {}
        if not isinstance(owners, Mapping):
            builder.skip(str(host), "owners must be a mapping of account names")
            continue
        if not owners:
            builder.add(_base(str(host)), kind=kind)
        for owner, details in owners.items():
            if isinstance(details, Mapping) and details.get("ignored_since"):
                builder.skip(
                    f"{host}/{owner}",
                    f"the registry ignores this account since {details['ignored_since']}",
                )
                continue
            builder.add(_base(str(host)), kind=kind, scope=spec.owners.field, path=str(owner))
    return ImportedRegistry("codegouvfr", builder.build(), builder.result_skipped)


def _nl_publishers(publishers: Iterable[Any], source: str) -> ImportedRegistry:
    builder = _Builder(source, "nl")
    for index, publisher in enumerate(publishers):
        label = publisher.get("description") or publisher.get("id") or f"publisher {index}"
        if publisher.get("active") is False:
            builder.skip(str(label), "the publisher is inactive in the registry")
            continue
        for hosting in publisher.get("codeHosting") or []:
            url = hosting.get("url") if isinstance(hosting, Mapping) else None
            if not isinstance(url, str):
                builder.skip(str(label), "a codeHosting entry without url")
                continue
            builder.add_url(url, single_repo=hosting.get("group") is False, where=f"{label}: {url}")
    return ImportedRegistry("nl-publishers", builder.build(), builder.result_skipped)


def _it_publishers(publishers: Iterable[Any], source: str) -> ImportedRegistry:
    builder = _Builder(source, "it")
    for index, publisher in enumerate(publishers):
        label = publisher.get("name") or publisher.get("id") or f"publisher {index}"
        for url in publisher.get("orgs") or []:
            builder.add_url(str(url), single_repo=False, where=f"{label}: {url}")
        for url in publisher.get("repos") or []:
            builder.add_url(str(url), single_repo=True, where=f"{label}: {url}")
    return ImportedRegistry("it-publishers", builder.build(), builder.result_skipped)


def _github_government(document: Mapping[str, Any], source: str) -> ImportedRegistry:
    result = ImportedRegistry(format="github-government")
    builder = _Builder(source, "github")
    for section, logins in document.items():
        registration = builder.checked(
            "https://github.com",
            kind="github",
            name=slug(f"github-{section}"),
            orgs=[str(login) for login in logins or []],
            token_env="GITHUB_TOKEN",
            where=str(section),
        )
        if registration is not None:
            result.registrations.append(registration)
    result.skipped = builder.result_skipped
    return result


def _repo_manifest(document: Mapping[str, Any], source: str) -> ImportedRegistry:
    result = ImportedRegistry(format="repo-manifest")
    for section, urls in document.items():
        builder = _Builder(source, slug(str(section)))
        for url in urls:
            builder.add_url(url, single_repo=True, where=f"{section}: {url}")
        result.registrations.extend(builder.build())
        result.skipped.extend(builder.result_skipped)
    return result


def _markdown_index(sections: Mapping[str, list[str]], source: str) -> ImportedRegistry:
    builder = _Builder(source, "ch")
    for section, urls in sections.items():
        for url in urls:
            builder.add_url(url, single_repo=False, where=f"{section}: {url}")
    return ImportedRegistry(
        "ch-index",
        builder.build(),
        builder.result_skipped,
        organisations_of.swiss_index(sections, source),
    )


def _with(registrations: Any, organisations: Any, document: Any, source: str) -> ImportedRegistry:
    """`registrations(document, source)` with `organisations(document, source)` attached."""
    result: ImportedRegistry = registrations(document, source)
    result.organisations = organisations(document, source)
    return result


def _item_nodes(text: str) -> list[yaml.Node]:
    """The YAML node of each item of the top-level ``forges`` list (for error places)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "forges" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _place(source: str, node: yaml.Node | None, key: object = None) -> str:
    """``source:line:column`` of `node`, or of the value of `key` inside it when present."""
    if node is None:
        return source
    if isinstance(node, yaml.MappingNode) and key is not None:
        for key_node, value_node in node.value:
            if key_node.value == key:
                node = value_node
                break
    return f"{source}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _is_list_of(value: Any, *keys: str) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and any(key in item for key in keys) for item in value)
    )


def parse_registry(text: str, *, source: str) -> ImportedRegistry:
    """Recognise the registry format of `text` and import it (see the module docstring).

    Raises:
        RegistrationError: not YAML/JSON, a format codereuse does not know, or a bad entry in our
        own format; the message names `source` (and line and column where known).
    """
    try:
        document = json.loads(text) if text.lstrip()[:1] in {"{", "["} else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise RegistrationError(
            f"{source}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None
    except yaml.YAMLError as error:
        if sections := organisations_of.markdown_sections(text):
            return _markdown_index(sections, source)  # a Markdown list is no YAML
        mark = getattr(error, "problem_mark", None)
        place = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise RegistrationError(
            f"{place}: not valid YAML: {getattr(error, 'problem', error)}"
        ) from None
    if isinstance(document, Mapping) and isinstance(document.get("forges"), list):
        return _codereuse(document, source, _item_nodes(text))
    if isinstance(document, Mapping) and _is_list_of(document.get("data"), "codeHosting"):
        return _with(_nl_publishers, organisations_of.nl_publishers, document["data"], source)
    if _is_list_of(document, "codeHosting"):
        return _with(_nl_publishers, organisations_of.nl_publishers, document, source)
    if _is_list_of(document, "orgs", "repos"):
        return _with(_it_publishers, organisations_of.it_publishers, document, source)
    if _is_list_of(document, "id") and all(
        str(item["id"]).startswith(("https://ld.admin.ch/", "http://ld.admin.ch/"))
        for item in document
    ):
        return ImportedRegistry(
            "ch-organisations", organisations=organisations_of.swiss_taxonomy(document, source)
        )
    if isinstance(document, Mapping) and document:
        values = list(document.values())
        if all(isinstance(v, Mapping) and "forge" in v for v in values):
            return _with(_codegouvfr, organisations_of.codegouvfr, document, source)
        if all(_UUID.match(str(k)) and isinstance(v, str) for k, v in document.items()):
            return ImportedRegistry(
                "codegouvfr-organisations",
                organisations=organisations_of.codegouvfr_names(document, source),
            )
        if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values):
            if all("/" in x for v in values for x in v):
                return _repo_manifest(document, source)
            return _with(_github_government, organisations_of.github_government, document, source)
    raise RegistrationError(
        f"{source}: not a forge registry codereuse knows; expected our forges.yml (forges: [...]), "
        "code.gouv.fr's comptes-organismes-publics.yml, the Dutch publishers.json, Developers "
        "Italia's publishers YAML or GitHub's government list"
    )


def load_registry(path: Path) -> ImportedRegistry:
    """Read `path` and import it with `parse_registry`.

    Raises:
        RegistrationError: the file cannot be read, or as `parse_registry`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RegistrationError(f"{path}: cannot read the registry ({error})") from None
    return parse_registry(text, source=str(path))


def dump_forges_yaml(registrations: Iterable[ForgeRegistration]) -> str:
    """Our ``forges.yml``: the registrations, empty fields left out, readable by `parse_registry`."""
    entries = []
    for registration in registrations:
        entry: dict[str, Any] = {
            "name": registration.name,
            "kind": registration.kind,
            "url": registration.url,
        }
        for key in ("groups", "orgs", "repos", "exclude"):
            if getattr(registration, key):
                entry[key] = list(getattr(registration, key))
        if registration.token_env:
            entry["token_env"] = registration.token_env
        if registration.allow_private:
            entry["allow_private"] = True
        if registration.notify_issues:
            entry["notify_issues"] = True
        entries.append(entry)
    header = "# codereuse forge registry: `codereuse forges import` reads this file back.\n"
    return header + yaml.safe_dump({"forges": entries}, sort_keys=False, allow_unicode=True)


def group_by_host(registrations: Iterable[ForgeRegistration]) -> dict[str, list[str]]:
    """Registration names per forge host (for summaries)."""
    hosts: dict[str, list[str]] = defaultdict(list)
    for registration in registrations:
        hosts[urlsplit(registration.url).hostname or ""].append(registration.name)
    return dict(hosts)
