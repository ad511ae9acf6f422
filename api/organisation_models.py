"""Output models of ``/api/v1/organisations`` (the OpenAPI response schemas)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models import FacetValue, SearchResponse
from api.organisation_reuse import OrganisationReuse
from schemas.organisation import OrganisationEntity, OrganisationKind


class OrganisationOut(BaseModel):
    """One organisation of the list, with the counts of its software."""

    id: str
    name: str | None
    kind: OrganisationKind
    country: str | None
    level: str | None
    forges: list[str] = Field(description="registered forges it publishes on")
    software: int = Field(description="live records of the organisation")
    declared: int = Field(description="of which from a publiccode.yml")
    valid: int = Field(description="of which with a valid publiccode.yml")
    links: dict[str, str] = Field(description="self (JSON) and page (HTML) URLs")


class OrganisationsResponse(BaseModel):
    """A page of organisations matching the words and filters, with facet counts."""

    query: str
    total: int
    page: int
    per_page: int
    pages: int
    items: list[OrganisationOut]
    facets: dict[str, list[FacetValue]] = Field(description="country, kind and forge counts")
    links: dict[str, str] = Field(description="self, next, prev")


class YearCount(BaseModel):
    year: str
    records: int


class OrganisationDetail(BaseModel):
    """One organisation: its profile with a source for every field (``organisation.sources``),
    identifiers with their sources, forge accounts, counts, what its software uses, and its
    software (search hits under the usual filters)."""

    organisation: OrganisationEntity
    software_count: int
    declared: int
    valid: int
    forges: list[str]
    licences: list[FacetValue] = Field(description="licences its software uses, most first")
    categories: list[FacetValue] = Field(description="publiccode.yml categories, most first")
    activity: list[YearCount] = Field(description="its software by year of last activity")
    software: SearchResponse
    reuse: OrganisationReuse = Field(
        description="our software used by other organisations, software of others we use "
        "(issue 15; each link with its evidence)"
    )
    links: dict[str, str] = Field(description="self, page, parent (when a registry names one)")
