"""The controlled vocabularies of publiccode.yml 0.7, as the standard lists them.

Sources: publiccodeyml/publiccode.yml `docs/standard/categories-list.rst`, `scope-list.rst`,
`aliases-list.rst` and `schema.core.rst` (spec 0.7, 2026-06). The supported versions are the
reference parser's (italia/publiccode-parser-go `SupportedVersions`).
"""

from __future__ import annotations

from typing import Literal, get_args

PARSER_VERSION = "codereuse-publiccode/1"
"""Identifies this validator's rules in provenance records; bump it when results can change."""

LATEST_VERSION = "0.7"

SUPPORTED_VERSIONS: tuple[str, ...] = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5.0",
    "0.5",
    "0.7.0",
    "0.7",
)

SoftwareType = Literal[
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
]
DevelopmentStatus = Literal["concept", "development", "beta", "stable", "obsolete"]
MaintenanceType = Literal["internal", "contract", "community", "none"]

SOFTWARE_TYPES: tuple[str, ...] = get_args(SoftwareType)
DEVELOPMENT_STATUSES: tuple[str, ...] = get_args(DevelopmentStatus)
MAINTENANCE_TYPES: tuple[str, ...] = get_args(MaintenanceType)

PLATFORMS: tuple[str, ...] = ("web", "windows", "mac", "linux", "ios", "android")
"""Suggested platform values; the standard allows other human-readable values too."""

IT_COUNTRY_EXTENSION_VERSIONS: tuple[str, ...] = ("0.2", "1.0")

SUPPORTS_ALIASES: dict[str, str] = {
    "gdpr": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
    "eidas": "https://eur-lex.europa.eu/eli/reg/2014/910/oj",
    "nis2": "https://eur-lex.europa.eu/eli/dir/2022/2555/oj",
    "cra": "https://eur-lex.europa.eu/eli/reg/2024/2847/oj",
    "spid": "https://www.spid.gov.it/",
    "cie": "https://www.cartaidentita.interno.gov.it/",
    "anpr": "https://www.anpr.interno.it/",
    "pagopa": "https://www.pagopa.gov.it/",
    "io": "https://io.italia.it/",
}
"""`supports` aliases (used as ``alias:<name>``) and what each resolves to."""

SCOPES: tuple[str, ...] = (
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "government",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
)

CATEGORIES: tuple[str, ...] = (
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "integrated-library-system",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "regulations-and-directives",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
    "other",
)

CATEGORIES_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst"
)
SCOPES_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst"
)
ALIASES_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst"
)
IPA_URL = "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary"
