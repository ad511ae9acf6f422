"""The stated rules that turn repository facts into publiccode.yml values (docs/drafts.md).

Each rule returns an `Inferred` value with the source it came from and, where the value is a
guess, the TODO the owner must settle. Rules read only `DraftFacts`; the first matching rule
wins, in the order written here and in the documentation. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from schemas.draft.inputs import DraftFacts
from schemas.publiccode.vocabularies import CATEGORIES

CONFIRM = "TODO: confirm"


@dataclass(frozen=True)
class Inferred:
    """A drafted value, where it came from, and what the owner should check (None: a fact)."""

    value: Any
    source: str
    todo: str | None = None


def _token(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace(" ", "-")


def _topics(facts: DraftFacts) -> set[str]:
    return {_token(topic) for topic in facts.topics}


def _name_words(facts: DraftFacts) -> set[str]:
    return {word for word in re.split(r"[-_.\s/]+", facts.name.lower()) if word}


def _root(facts: DraftFacts) -> set[str]:
    return {name.lower() for name in facts.root_names or ()}


def _languages(facts: DraftFacts) -> set[str]:
    return {language.lower() for language in facts.languages}


def _any(values: set[str], wanted: Iterable[str]) -> bool:
    return not values.isdisjoint(wanted)


# -- softwareType --------------------------------------------------------------------------------

CONFIG_TOPICS = frozenset(
    {"ansible", "ansible-role", "ansible-playbook", "terraform", "helm", "helm-chart",
     "helm-charts", "kubernetes-manifests", "dotfiles", "configuration", "gitops", "puppet",
     "saltstack", "kustomize"}
)  # fmt: skip
CONFIG_LANGUAGES = frozenset(
    {"hcl", "nix", "jsonnet", "yaml", "dockerfile", "smarty", "jinja", "starlark", "puppet",
     "open policy agent", "mustache", "makefile"}
)  # fmt: skip
CONFIG_ROOT_FILES = frozenset({"chart.yaml", "galaxy.yml", "main.tf", "kustomization.yaml"})
ADDON_WORDS = frozenset(
    {"plugin", "plugins", "addon", "add-on", "addons", "extension", "theme", "qgis-plugin",
     "wordpress-plugin", "moodle-plugin", "nextcloud-app", "browser-extension", "drupal-module",
     "joomla-extension", "odoo-module", "shopware-plugin", "typo3-extension"}
)  # fmt: skip
LIBRARY_WORDS = frozenset(
    {"library", "lib", "sdk", "framework", "package", "npm-package", "python-library",
     "php-library", "java-library", "client-library", "api-client", "component-library",
     "ui-components", "web-components", "design-system", "toolkit", "crate", "gem"}
)  # fmt: skip
MOBILE_TOPICS = frozenset(
    {"android", "ios", "mobile", "mobile-app", "android-app", "ios-app", "flutter",
     "react-native", "ionic", "kotlin-android", "swiftui"}
)  # fmt: skip
MOBILE_LANGUAGES = frozenset({"kotlin", "swift", "objective-c", "dart"})
DESKTOP_TOPICS = frozenset(
    {"desktop", "desktop-app", "desktop-application", "electron", "qt", "gtk", "wpf",
     "winforms", "javafx", "tauri", "windows-app"}
)  # fmt: skip
WEB_LANGUAGES = frozenset(
    {"html", "css", "scss", "sass", "less", "javascript", "typescript", "vue", "svelte", "php",
     "twig", "blade", "ejs", "handlebars", "astro", "coffeescript", "freemarker",
     "java server pages", "razor", "asp.net"}
)  # fmt: skip
WEB_TOPICS = frozenset(
    {"web", "webapp", "web-app", "web-application", "website", "django", "flask", "rails",
     "ruby-on-rails", "laravel", "symfony", "drupal", "wordpress", "react", "reactjs",
     "angular", "vue", "vuejs", "nextjs", "nuxt", "spring-boot", "fastapi", "express", "pwa",
     "cms", "portal", "frontend", "single-page-application"}
)  # fmt: skip
WEB_ROOT_FILES = frozenset(
    {"package.json", "composer.json", "manage.py", "angular.json", "next.config.js",
     "nuxt.config.js", "vite.config.js", "vite.config.ts", "webpack.config.js", "index.html",
     "public", "static", "templates", "frontend", "web"}
)  # fmt: skip
CONTAINER_ROOT_FILES = frozenset(
    {"dockerfile", "containerfile", "docker-compose.yml", "docker-compose.yaml", "compose.yml",
     "compose.yaml"}
)  # fmt: skip
BACKEND_TOPICS = frozenset(
    {"api", "rest-api", "restful-api", "backend", "microservice", "microservices", "server",
     "service", "graphql", "grpc", "daemon", "middleware", "openapi"}
)  # fmt: skip
SERVER_LANGUAGES = frozenset({"java", "c#", "ruby", "go", "scala", "elixir", "kotlin"})
"""Languages public-sector web applications are mostly written in: with no other sign, web."""
BACKEND_ROOT_FILES = frozenset({"openapi.yaml", "openapi.yml", "openapi.json", "swagger.yaml",
                                "swagger.yml", "swagger.json"})  # fmt: skip


def software_type(facts: DraftFacts) -> Inferred:
    """The kind of software, by the first rule that matches (see docs/drafts.md)."""
    topics, words, root, languages = (
        _topics(facts),
        _name_words(facts),
        _root(facts),
        _languages(facts),
    )
    tags = topics | words
    source = "languages, topics and root files"
    if (
        _any(topics, CONFIG_TOPICS)
        or (languages and languages <= CONFIG_LANGUAGES)
        or _any(root, CONFIG_ROOT_FILES)
    ):
        return Inferred("configurationFiles", source, CONFIRM)
    if _any(tags, ADDON_WORDS):
        return Inferred("addon", source, CONFIRM)
    if _any(tags, LIBRARY_WORDS) or (
        facts.name.lower().startswith("lib") and len(facts.name) > 4 and "-" not in facts.name[:4]
    ):
        return Inferred("library", source, CONFIRM)
    main = facts.languages[0].lower() if facts.languages else None
    if _any(topics, MOBILE_TOPICS) or (main in MOBILE_LANGUAGES and not _any(topics, WEB_TOPICS)):
        return Inferred("standalone/mobile", source, CONFIRM)
    if _any(topics, DESKTOP_TOPICS):
        return Inferred("standalone/desktop", source, CONFIRM)
    web_languages = _any(languages, WEB_LANGUAGES)
    if _any(topics, WEB_TOPICS) or (
        web_languages and _any(root, WEB_ROOT_FILES | CONTAINER_ROOT_FILES)
    ):
        return Inferred("standalone/web", source, CONFIRM)
    if _any(topics, BACKEND_TOPICS) or _any(root, CONTAINER_ROOT_FILES | BACKEND_ROOT_FILES):
        return Inferred("standalone/backend", source, CONFIRM)
    if web_languages or languages & SERVER_LANGUAGES:
        return Inferred("standalone/web", source, CONFIRM)
    return Inferred("standalone/other", "no rule matched", CONFIRM)


# -- platforms -----------------------------------------------------------------------------------

PLATFORM_TOPICS: dict[str, str] = {
    "web": "web", "linux": "linux", "windows": "windows", "macos": "mac", "mac": "mac",
    "osx": "mac", "android": "android", "ios": "ios",
}  # fmt: skip


def platforms(facts: DraftFacts, kind: str) -> Inferred:
    """Where the software runs: the platform topics, else what the software type implies."""
    topics, root, languages = _topics(facts), _root(facts), _languages(facts)
    named = [PLATFORM_TOPICS[t] for t in sorted(topics) if t in PLATFORM_TOPICS]
    found: list[str] = []
    if kind == "standalone/web":
        found = ["web"]
    elif kind == "standalone/mobile":
        both = _any(topics, {"flutter", "react-native", "ionic"}) or "dart" in languages
        if both or "android" in topics or "android" in root or languages & {"kotlin", "java"}:
            found.append("android")
        if both or "ios" in topics or "ios" in root or languages & {"swift", "objective-c"}:
            found.append("ios")
        found = found or ["android", "ios"]
    elif kind == "standalone/desktop":
        found = ["linux", "mac", "windows"]
    elif _any(languages, WEB_LANGUAGES) and kind in ("library", "addon"):
        found = ["web"]
    elif kind == "standalone/backend" or _any(root, CONTAINER_ROOT_FILES):
        found = ["linux"]
    else:
        found = ["linux", "mac", "windows"]
    values = list(dict.fromkeys([*found, *named]))
    source = "platform topics" if named and not found else "software type and languages"
    return Inferred(values, source, CONFIRM)


# -- developmentStatus ---------------------------------------------------------------------------

_PRERELEASE = re.compile(r"(alpha|beta|rc|pre|preview|dev|snapshot)", re.IGNORECASE)
_VERSION = re.compile(r"^[vV]?(\d+)(?:\.\d+)*")
RECENT = timedelta(days=365)


def _last_change(facts: DraftFacts) -> datetime | None:
    return facts.last_commit_at


def development_status(facts: DraftFacts) -> Inferred:
    """Archived → obsolete; a pre-release or 0.x release → beta; a release ≥ 1.0 → stable; no
    release: commits in the last year → development, quiet for a year → stable (finished
    software published once, as most owners declare it); almost nothing → concept."""
    if facts.archived:
        return Inferred("obsolete", "the repository is archived")
    release = facts.latest_release
    last = _last_change(facts)
    quiet = last is not None and facts.now is not None and facts.now - last > RECENT
    if release is not None:
        match = _VERSION.match(release.tag.strip())
        if release.prerelease or _PRERELEASE.search(release.tag):
            return Inferred("beta", "latest release (a pre-release)", CONFIRM)
        if match and int(match.group(1)) >= 1:
            return Inferred("stable", f"latest release {release.tag}", CONFIRM)
        return Inferred("beta", f"latest release {release.tag} (before 1.0)", CONFIRM)
    if (
        not quiet
        and not facts.readme
        and (facts.commits_last_year or 0) < 5
        and facts.releases_count == 0
    ):
        return Inferred("concept", "no release, no README and few commits", CONFIRM)
    if quiet:
        return Inferred("stable", "no release and no commit for a year", CONFIRM)
    return Inferred("development", "commits but no release", CONFIRM)


# -- maintenance ---------------------------------------------------------------------------------


def maintenance(facts: DraftFacts) -> Inferred:
    """``internal`` with the organisation's contact when its profile gives one; else
    ``community`` while commits are recent (contact: the owner, to confirm); else ``none``."""
    owner = facts.owner
    who = owner.organisation_name or owner.name
    if owner.contact_email and who:
        contact = {"name": who, "email": owner.contact_email}
        return Inferred(
            {"type": "internal", "contacts": [contact]},
            "organisation profile (public contact)",
            "TODO: confirm the organisation maintains it, and name a person",
        )
    last = _last_change(facts)
    recent = last is not None and facts.now is not None and facts.now - last <= RECENT
    if recent or (facts.commits_last_year or 0) > 0:
        contact = {"name": who or f"maintainers of {facts.name}"}
        return Inferred(
            {"type": "community", "contacts": [contact]},
            "recent commits; contact: the forge owner",
            "TODO: name a person to contact (name, email)",
        )
    return Inferred(
        {"type": "none"},
        "no commit in the last year",
        "TODO: say who maintains it (internal, contract or community)",
    )


# -- categories ----------------------------------------------------------------------------------

_CATEGORY_SET = frozenset(CATEGORIES)
_KEYWORDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "geographic-information-systems": (
        "gis", "geo", "geospatial", "qgis", "maps", "mapping", "openstreetmap", "geodata", "webgis",
        "ogc",
    ),
    "content-management": (
        "cms", "content-management-system", "wordpress", "drupal", "typo3", "joomla",
    ),
    "learning-management-system": ("e-learning", "elearning", "moodle", "lms"),
    "help-desk": ("helpdesk", "ticketing"), "service-desk": ("service-desk",),
    "identity-management": (
        "identity", "iam", "keycloak", "oauth", "oauth2", "openid-connect", "sso", "saml", "eid",
        "authentication", "spid",
    ),
    "instant-messaging": ("chat", "matrix", "messenger"),
    "video-conferencing": ("videoconference", "video-conferencing", "jitsi", "bigbluebutton"),
    "survey": ("survey", "surveys"),
    "data-collection": (
        "forms", "form-builder", "data-collection", "open-data", "opendata", "ckan",
    ),
    "document-management": ("dms", "document-management", "documents", "archive"),
    "knowledge-management": ("wiki", "knowledge-base"),
    "data-visualization": (
        "dashboard", "visualization", "visualisation", "data-visualization", "charts",
    ),
    "data-analytics": ("analytics", "statistics", "data-analysis"),
    "business-intelligence": ("business-intelligence",),
    "e-signature": ("e-signature", "digital-signature", "signature"),
    "billing-and-invoicing": ("invoicing", "e-invoicing", "xrechnung", "fatturazione-elettronica"),
    "payment-gateway": ("payment", "payments", "pagopa"), "accounting": ("accounting",),
    "budgeting": ("budget",), "erp": ("erp",), "crm": ("crm",), "hr": ("hr",),
    "payroll": ("payroll",), "procurement": ("procurement", "e-procurement", "tendering"),
    "project-management": ("project-management",), "task-management": ("kanban", "todo"),
    "workflow-management": ("workflow",), "business-process-management": ("bpmn", "bpm"),
    "appointment-scheduling": ("calendar", "appointments", "scheduling"),
    "online-booking": ("booking",), "email-management": ("email",),
    "email-marketing": ("newsletter",),
    "it-security": ("security", "cybersecurity", "vulnerability", "encryption"),
    "it-management": ("monitoring",), "it-development": ("devops", "ci-cd"), "ide": ("ide",),
    "translation": ("translation", "i18n"), "collaboration": ("collaboration",),
    "office": ("office", "spreadsheet"), "whistleblowing": ("whistleblowing",),
    "e-commerce": ("e-commerce", "ecommerce"), "backup": ("backup",),
    "inventory-management": ("inventory",), "integrated-library-system": ("library-management",),
    "cad": ("cad", "bim"), "voip": ("voip",), "fleet-management": ("fleet",),
    "compliance-management": ("accessibility", "gdpr", "compliance"),
    "time-tracking": ("time-tracking",), "website-builder": ("website", "static-site-generator"),
    "blog": ("blog",), "design-system": ("design-system",),
    "social-media-management": ("social-media",), "feedback-and-reviews-management": ("feedback",),
    "digital-citizenship": (
        "participation", "e-participation", "civic-tech", "e-government", "egovernment",
        "open-government", "citizen",
    ),
}  # fmt: skip
CATEGORY_KEYWORDS: dict[str, str] = {
    keyword: category
    for category, keywords in _KEYWORDS_BY_CATEGORY.items()
    for keyword in keywords
}
"""Topic keyword → publiccode category (a topic that is a category counts as itself)."""
MAX_CATEGORIES = 3


def categories(facts: DraftFacts) -> Inferred | None:
    """Categories named by the topics (a topic that is a category, or a keyword of the table);
    None (the key left out, it is optional) when no topic names one."""
    found: list[str] = []
    for topic in facts.topics:
        token = _token(topic)
        category = token if token in _CATEGORY_SET else CATEGORY_KEYWORDS.get(token)
        if category and category not in found and category != "other":
            found.append(category)
    if not found:
        return None
    return Inferred(found[:MAX_CATEGORIES], "forge topics", CONFIRM)


# -- localisation --------------------------------------------------------------------------------

I18N_ROOT_NAMES = frozenset(
    {"locale", "locales", "i18n", "l10n", "lang", "langs", "languages", "translations", "po",
     "messages"}
)  # fmt: skip


def localisation_ready(facts: DraftFacts) -> Inferred:
    """True when the root holds a translations folder (locales/, i18n/, po/, …)."""
    if facts.root_names is None:
        return Inferred(False, "root files unknown", CONFIRM)
    ready = _any(_root(facts), I18N_ROOT_NAMES)
    source = "a translations folder at the root" if ready else "no translations folder at the root"
    return Inferred(ready, source, CONFIRM)
