"""The value rules of publiccode.yml 0.7 over the checked view (see `decode`).

`Rules` (a `checker.Checker`) walks the checked view in key-table order and reports, with the
reference parser's keys and wording first and our explanation of what to do after it: required
keys, allowed values, lengths in grapheme clusters, URL/date/e-mail/MIME/SPDX/BCP 47/ISO 3166
formats, organisation URIs, `supports` ids and the maintenance contractors/contacts rules.
"""

from __future__ import annotations

from typing import Any

from schemas.publiccode import formats
from schemas.publiccode.bcp47 import country_codes, is_valid_tag
from schemas.publiccode.checker import (
    MIME_TYPE,
    URL,
    Checker,
    ListRule,
    did_you_mean,
    quoted_list,
    suggested,
    tag_hint,
)
from schemas.publiccode.formats import clip
from schemas.publiccode.positions import lang_path
from schemas.publiccode.vocabularies import (
    ALIASES_URL,
    CATEGORIES,
    CATEGORIES_URL,
    DEVELOPMENT_STATUSES,
    IPA_URL,
    IT_COUNTRY_EXTENSION_VERSIONS,
    MAINTENANCE_TYPES,
    SCOPES,
    SCOPES_URL,
    SOFTWARE_TYPES,
    SUPPORTS_ALIASES,
)

CATEGORY = ListRule(CATEGORIES, "category", CATEGORIES_URL, "unknown_category")
SCOPE = ListRule(SCOPES, "scope", SCOPES_URL, "unknown_scope")


class Rules(Checker):
    """The key table's rules, in the reference's order (see the module docstring)."""

    def check(self, view: dict[str, Any]) -> None:
        """Run every rule on the checked view."""
        self.required(view, "", "name", "the software's name (name: My Software)")
        url = self.required(view, "", "url", "the source repository URL (url: https://…)")
        if url is not None and not formats.is_url(url):
            self.error(
                "url",
                f'url must be a valid URL: "{url[:80]}" is not an absolute URL; write the '
                "repository address, like https://github.com/owner/repo",
                "not_url",
                found=url[:80],
            )
        if "landingURL" in view:
            self.http_url("landingURL", view["landingURL"])
        for index, based in enumerate(view.get("isBasedOn") or []):
            self.conforms(URL, f"isBasedOn[{index}]", based)
        if "releaseDate" in view:
            self.date("releaseDate", view["releaseDate"])
        if "organisation" in view:
            organisation = view["organisation"]
            uri = self.required(
                organisation, "organisation", "uri", "the organisation's URI (a URL or a URN)"
            )
            if uri is not None:
                self.organisation_uri("organisation.uri", uri)
        for name in ("inputTypes", "outputTypes"):
            for index, mime in enumerate(view.get(name) or []):
                self.conforms(MIME_TYPE, f"{name}[{index}]", mime)
        self.non_empty(view, "", "platforms", "a list of platforms, e.g. - web")
        for index, category in enumerate(view.get("categories") or []):
            self.listed(CATEGORY, f"categories[{index}]", category)
        for index, funder in enumerate(view.get("fundedBy") or []):
            path = f"fundedBy[{index}]"
            uri = self.required(funder, path, "uri", "the funder's URI (a URL or a URN)")
            if uri is not None:
                self.organisation_uri(f"{path}.uri", uri)
        if "roadmap" in view:
            self.http_url("roadmap", view["roadmap"])
        status = self.required(
            view, "", "developmentStatus", f"one of {quoted_list(DEVELOPMENT_STATUSES)}"
        )
        if status is not None:
            self.one_of("developmentStatus", status, DEVELOPMENT_STATUSES)
        kind = self.required(view, "", "softwareType", f"one of {quoted_list(SOFTWARE_TYPES)}")
        if kind is not None:
            self.one_of("softwareType", kind, SOFTWARE_TYPES)
        self.supports(view.get("supports") or [])
        self.audience(view.get("intendedAudience") or {})
        self.descriptions(view.get("description") or {})
        self.legal(view.get("legal") or {})
        self.maintenance(view.get("maintenance") or {})
        self.localisation(view.get("localisation") or {})
        for group in ("open", "proprietary", "hardware"):
            for index, dependency in enumerate((view.get("dependsOn") or {}).get(group) or []):
                self.required(dependency, f"dependsOn.{group}[{index}]", "name", "its name")
        for section in ("IT", "it"):
            if section in view:
                self.country_it(section, view[section])

    def supports(self, items: list[dict[str, Any]]) -> None:
        for index, item in enumerate(items):
            path = f"supports[{index}]"
            ident = self.required(item, path, "id", "an alias (alias:gdpr) or a URI")
            if ident is None:
                continue
            key = f"{path}.id"
            if ident.startswith("alias:"):
                alias = ident[len("alias:") :]
                if alias not in SUPPORTS_ALIASES:
                    names = tuple(SUPPORTS_ALIASES)
                    self.error(
                        key,
                        f'id contains an unknown alias (see {ALIASES_URL}): "{clip(alias)}" is not '
                        f"one of {', '.join(names)}.{did_you_mean(alias, names)}",
                        "unknown_alias",
                        **suggested(alias, names),
                        found=clip(alias),
                        allowed=", ".join(names),
                    )
            elif not (formats.is_urn(ident) or formats.is_url(ident)):
                self.error(
                    key,
                    "id must be a known alias ('alias:<name>') or a valid URI (URL or URN): "
                    f'found "{ident[:80]}"',
                    "not_alias_or_uri",
                    found=ident[:80],
                )

    def audience(self, audience: dict[str, Any]) -> None:
        for index, scope in enumerate(audience.get("scope") or []):
            self.listed(SCOPE, f"intendedAudience.scope[{index}]", scope)
        countries = country_codes()
        for name in ("countries", "unsupportedCountries"):
            for index, code in enumerate(audience.get(name) or []):
                valid_case = code in (code.lower(), code.upper())
                if not valid_case or code.upper() not in countries:
                    self.error(
                        f"intendedAudience.{name}[{index}]",
                        f"{name}[{index}] must be a valid ISO 3166-1 alpha-2 two-letter country "
                        f'code, like IT or DE (found "{code[:20]}")',
                        "not_country_code",
                        found=code[:20],
                    )

    def descriptions(self, description: dict[str, Any]) -> None:
        if not description:
            self.error(
                "description",
                "description must contain more than 0 items: add at least one language, "
                "e.g. description: {en: {shortDescription: …, longDescription: …, features: […]}}",
                "empty_list",
            )
            return
        bad = [lang for lang in description if not is_valid_tag(lang)]
        if bad:
            self.error(
                "description",
                f'description must be a valid BCP 47 language: "{clip(bad[0])}" is not a language '
                f"tag.{tag_hint(bad[0])}",
                "not_language_tag",
                found=clip(bad[0]),
            )
            return
        for lang, entry in description.items():
            path = lang_path("description", lang)
            if "genericName" in entry:
                self.length(f"{path}.genericName", entry["genericName"], maximum=35)
            short = self.required(entry, path, "shortDescription", "a one-line description")
            if short is not None:
                self.length(f"{path}.shortDescription", short, maximum=150)
            long = self.required(
                entry, path, "longDescription", "a description of 150 to 10,000 characters"
            )
            if long is not None:
                self.length(f"{path}.longDescription", long, minimum=150, maximum=10000)
            for name in ("documentation", "apiDocumentation"):
                if name in entry:
                    self.http_url(f"{path}.{name}", entry[name])
            self.non_empty(entry, path, "features", "a list of the software's main features")
            for index, video in enumerate(entry.get("videos") or []):
                self.http_url(f"{path}.videos[{index}]", video)

    def legal(self, legal: dict[str, Any]) -> None:
        licence = self.required(
            legal, "legal", "license", "the SPDX license expression (license: EUPL-1.2)"
        )
        if licence is not None:
            problem = formats.spdx_problem(licence)
            if problem is not None:
                self.error(
                    "legal.license",
                    "license must be a valid license (see https://spdx.org/licenses): "
                    f'"{licence[:80]}" — {problem}. Use SPDX identifiers, e.g. '
                    "EUPL-1.2, AGPL-3.0-or-later, or 'EUPL-1.2 OR MIT'",
                    "not_spdx",
                    found=licence[:80],
                    problem=problem,
                )

    def maintenance(self, maintenance: dict[str, Any]) -> None:
        kind = self.required(
            maintenance, "maintenance", "type", f"one of {quoted_list(MAINTENANCE_TYPES)}"
        )
        if kind is not None:
            self.one_of("maintenance.type", kind, MAINTENANCE_TYPES)
        contractors = maintenance.get("contractors")
        if kind == "contract" and contractors is None:
            self.error(
                "maintenance.contractors",
                'contractors is a required field when "type" is "contract": list who maintains '
                "the software under contract (name, until)",
                "contractors_required",
            )
        elif kind != "contract" and contractors is not None:
            self.error(
                "maintenance.contractors",
                'contractors must not be present unless "type" is "contract": remove it or set '
                'maintenance.type to "contract"',
                "contractors_not_allowed",
            )
            contractors = None  # the reference stops at the first failing rule of a key
        for index, contractor in enumerate(contractors or []):
            path = f"maintenance.contractors[{index}]"
            self.required(contractor, path, "name", "the contractor's name")
            self.email(f"{path}.email", contractor.get("email"))
            if "website" in contractor:
                self.http_url(f"{path}.website", contractor["website"])
            until = self.required(contractor, path, "until", "the contract's end date (YYYY-MM-DD)")
            if until is not None:
                self.date(f"{path}.until", until)
        contacts = maintenance.get("contacts")
        if kind in ("community", "internal") and contacts is None:
            self.error(
                "maintenance.contacts",
                f'contacts is a required field when "type" is "{kind}": list at least one person '
                "to contact (name, email)",
                "contacts_required",
                type=str(kind),
            )
        for index, contact in enumerate(contacts or []):
            path = f"maintenance.contacts[{index}]"
            self.required(contact, path, "name", "the contact person's name")
            self.email(f"{path}.email", contact.get("email"))

    def localisation(self, localisation: dict[str, Any]) -> None:
        if localisation.get("localisationReady") is None:
            self.error(
                "localisation.localisationReady",
                "localisationReady is a required field: add localisationReady: true or false",
                "required",
            )
        languages = localisation.get("availableLanguages")
        if languages is None:
            self.error(
                "localisation.availableLanguages",
                "availableLanguages is a required field: list the languages the software is "
                "available in (BCP 47 codes like en, it)",
                "required",
            )
            return
        if not languages:
            self.error(
                "localisation.availableLanguages",
                "availableLanguages must contain more than 0 items: add at least one language",
                "empty_list",
            )
        for index, lang in enumerate(languages):
            if not is_valid_tag(lang):
                self.error(
                    f"localisation.availableLanguages[{index}]",
                    f"availableLanguages[{index}] must be a valid BCP 47 language: "
                    f'"{lang[:40]}" is not a language tag.{tag_hint(lang)}',
                    "not_language_tag",
                    found=lang[:40],
                )

    def country_it(self, section: str, it: dict[str, Any]) -> None:
        version = it.get("countryExtensionVersion")
        if version is not None:
            self.one_of(
                f"{section}.countryExtensionVersion", version, IT_COUNTRY_EXTENSION_VERSIONS
            )
        code = (it.get("riuso") or {}).get("codiceIPA")
        if code and not formats.is_ipa_code(code, self.ipa_codes):
            self.error(
                f"{section}.riuso.codiceIPA",
                "codiceIPA must be a valid Italian Public Administration Code (iPA) "
                f'(see {IPA_URL}): "{code[:40]}" is not one',
                "not_ipa_code",
                found=code[:40],
            )
