"""A typed model of publiccode.yml 0.7, built leniently from whatever a file holds.

`PublicCode.from_data` keeps every value that has the right shape and drops (only) those that do
not, so an invalid file still yields as much of its content as could be read; whether the file
is valid is the findings' business, not the model's. Field names are snake_case; the YAML keys
are the aliases (``model_dump(by_alias=True)`` gives publiccode.yml keys back).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.publiccode.decode import ROOT, Spec
from schemas.publiccode.yamlnodes import MAP, SCALAR, SEQ, Node


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class Organisation(_Model):
    """An organisation: the publisher (``organisation``) or a funder (``fundedBy`` item)."""

    name: str | None = None
    uri: str | None = None


class Description(_Model):
    """The texts of one language (``description.<lang>``)."""

    localised_name: str | None = Field(None, alias="localisedName")
    generic_name: str | None = Field(None, alias="genericName")
    short_description: str | None = Field(None, alias="shortDescription")
    long_description: str | None = Field(None, alias="longDescription")
    documentation: str | None = None
    api_documentation: str | None = Field(None, alias="apiDocumentation")
    features: list[str] = Field(default_factory=list)
    screenshots: list[str] = Field(default_factory=list)
    videos: list[str] = Field(default_factory=list)
    awards: list[str] = Field(default_factory=list)


class Legal(_Model):
    """``legal``: the licence and the (deprecated) owner keys."""

    license: str | None = None
    main_copyright_owner: str | None = Field(None, alias="mainCopyrightOwner")
    repo_owner: str | None = Field(None, alias="repoOwner")
    authors_file: str | None = Field(None, alias="authorsFile")


class Contact(_Model):
    """A maintenance contact person."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    affiliation: str | None = None


class Contractor(_Model):
    """A company maintaining the software under contract."""

    name: str | None = None
    email: str | None = None
    website: str | None = None
    until: str | None = None


class Maintenance(_Model):
    """``maintenance``."""

    type: str | None = None
    contractors: list[Contractor] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)


class Localisation(_Model):
    """``localisation``."""

    localisation_ready: bool | None = Field(None, alias="localisationReady")
    available_languages: list[str] = Field(default_factory=list, alias="availableLanguages")


class Dependency(_Model):
    """A runtime dependency (``dependsOn.open|proprietary|hardware`` item)."""

    name: str | None = None
    version_min: str | None = Field(None, alias="versionMin")
    version_max: str | None = Field(None, alias="versionMax")
    version: str | None = None
    optional: bool | None = None


class DependsOn(_Model):
    """``dependsOn``."""

    open: list[Dependency] = Field(default_factory=list)
    proprietary: list[Dependency] = Field(default_factory=list)
    hardware: list[Dependency] = Field(default_factory=list)


class IntendedAudience(_Model):
    """``intendedAudience``."""

    scope: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    unsupported_countries: list[str] = Field(default_factory=list, alias="unsupportedCountries")


class Support(_Model):
    """A ``supports`` item: an ``alias:<name>`` or a URI."""

    id: str | None = None


class ItalianConformity(_Model):
    """``IT.conforme`` (deprecated)."""

    linee_guida_design: bool | None = Field(None, alias="lineeGuidaDesign")
    modello_interoperabilita: bool | None = Field(None, alias="modelloInteroperabilita")
    misure_minime_sicurezza: bool | None = Field(None, alias="misureMinimeSicurezza")
    gdpr: bool | None = None


class ItalianReuse(_Model):
    """``IT.riuso`` (deprecated)."""

    codice_ipa: str | None = Field(None, alias="codiceIPA")


class ItalianPlatforms(_Model):
    """``IT.piattaforme`` (deprecated)."""

    spid: bool | None = None
    pagopa: bool | None = None
    cie: bool | None = None
    anpr: bool | None = None
    io: bool | None = None


class ItalianSection(_Model):
    """The Italian country section ``IT`` (deprecated since 0.7)."""

    country_extension_version: str | None = Field(None, alias="countryExtensionVersion")
    conforme: ItalianConformity | None = None
    riuso: ItalianReuse | None = None
    piattaforme: ItalianPlatforms | None = None


class PublicCode(_Model):
    """A publiccode.yml (standard 0.7); every key optional so partial files fit."""

    publiccode_yml_version: str | None = Field(None, alias="publiccodeYmlVersion")
    name: str | None = None
    application_suite: str | None = Field(None, alias="applicationSuite")
    url: str | None = None
    landing_url: str | None = Field(None, alias="landingURL")
    is_based_on: list[str] = Field(default_factory=list, alias="isBasedOn")
    software_version: str | None = Field(None, alias="softwareVersion")
    release_date: str | None = Field(None, alias="releaseDate")
    logo: str | None = None
    monochrome_logo: str | None = Field(None, alias="monochromeLogo")
    organisation: Organisation | None = None
    input_types: list[str] = Field(default_factory=list, alias="inputTypes")
    output_types: list[str] = Field(default_factory=list, alias="outputTypes")
    platforms: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    used_by: list[str] = Field(default_factory=list, alias="usedBy")
    funded_by: list[Organisation] = Field(default_factory=list, alias="fundedBy")
    roadmap: str | None = None
    development_status: str | None = Field(None, alias="developmentStatus")
    software_type: str | None = Field(None, alias="softwareType")
    supports: list[Support] = Field(default_factory=list)
    intended_audience: IntendedAudience | None = Field(None, alias="intendedAudience")
    description: dict[str, Description] = Field(default_factory=dict)
    legal: Legal | None = None
    maintenance: Maintenance | None = None
    localisation: Localisation | None = None
    depends_on: DependsOn | None = Field(None, alias="dependsOn")
    it: ItalianSection | None = Field(None, alias="IT")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PublicCode:
        """The model of a decoded publiccode.yml mapping, keeping only well-shaped values."""
        return cls.model_validate(_clean(data, ROOT))

    @classmethod
    def lenient_data(cls, root: Node) -> dict[str, Any]:
        """What of the YAML tree fits the model, numbers in text keys kept as written.

        (``phone: 0412501953`` stays "0412501953", where plain data has the integer.)
        """
        cleaned = _from_node(root, ROOT)
        return cleaned if isinstance(cleaned, dict) else {}


_MISSING = object()


def _from_node(node: Node, spec: Spec) -> Any:
    """Like `_clean`, from YAML nodes, so that scalars keep their source text."""
    if node.kind == SCALAR:
        value = node.value
        if value is None:
            return _MISSING
        if spec.kind == "str":
            return value if isinstance(value, str) else node.text
        if spec.kind == "bool":
            return value if isinstance(value, bool) else _MISSING
        if spec.kind == "list" and spec.string_or_list and isinstance(value, str):
            return [value]
        return _MISSING
    if node.kind == SEQ:
        if spec.kind != "list" or spec.item is None:
            return _MISSING
        items = (_from_node(item, spec.item) for item in node.items)
        return [item for item in items if item is not _MISSING]
    if node.kind != MAP or spec.kind not in ("struct", "map"):
        return _MISSING
    out = {}
    for key, value in node.items:
        if key.kind != SCALAR:
            continue
        child = spec.item if spec.kind == "map" else spec.fields.get(key.text)
        if child is not None and (cleaned := _from_node(value, child)) is not _MISSING:
            out[key.text] = cleaned
    return out


def _clean(value: Any, spec: Spec) -> Any:
    """``value`` reduced to what fits ``spec``; `_MISSING` when nothing does."""
    if value is None:
        return _MISSING
    if spec.kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if isinstance(value, int | float) else _MISSING
    if spec.kind == "bool":
        return value if isinstance(value, bool) else _MISSING
    if spec.kind == "list":
        assert spec.item is not None
        if spec.string_or_list and isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            return _MISSING
        items = (_clean(item, spec.item) for item in value)
        return [item for item in items if item is not _MISSING]
    if not isinstance(value, dict):
        return _MISSING
    if spec.kind == "map":
        assert spec.item is not None
        entries = {str(k): _clean(v, spec.item) for k, v in value.items()}
        return {k: v for k, v in entries.items() if v is not _MISSING}
    out = {}
    for name, child in spec.fields.items():
        if name in value and (cleaned := _clean(value[name], child)) is not _MISSING:
            out[name] = cleaned
    return out
