"""Drafted publiccode.yml for inferred records: the API answer and the software page."""

from __future__ import annotations

from schemas.publiccode import parse
from tests.api.client import AppClient

INFERRED = "/api/v1/software/gitlab.opencode.de/kreis/kalender"
DECLARED = "/api/v1/software/gitlab.opencode.de/stadt/beteiligung"


def test_draft_of_an_inferred_record_is_valid_yaml_with_sources(client: AppClient) -> None:
    """?draft=1 answers the drafted YAML: 0 validator errors, a comment per value."""
    response = client.get(f"{INFERRED}/publiccode.yml", params={"draft": 1})
    assert 200 == response.status_code
    assert response.headers["content-type"].startswith("application/yaml")
    assert "drafted" == response.headers["x-codereuse-draft"]
    assert response.headers["content-disposition"].startswith("inline")
    assert [] == parse(response.content).errors
    assert "# from: forge display name\nname: Terminkalender" in response.text


def test_download_answers_an_attachment(client: AppClient) -> None:
    """download=1 makes browsers save publiccode.yml."""
    response = client.get(f"{INFERRED}/publiccode.yml", params={"draft": 1, "download": 1})
    assert 'attachment; filename="publiccode.yml"' == response.headers["content-disposition"]


def test_detail_links_the_draft_of_inferred_records_only(client: AppClient) -> None:
    """The detail's links name the draft for an inferred record, not for a declared one."""
    inferred = client.get(INFERRED).json()["links"]
    assert f"{INFERRED}/publiccode.yml?draft=1" == inferred["publiccode_draft"]
    assert "publiccode_draft" not in client.get(DECLARED).json()["links"]


def test_declared_valid_record_has_no_draft(client: AppClient) -> None:
    """A repository with its own publiccode.yml gets no draft: a 404 problem says why."""
    response = client.get(f"{DECLARED}/publiccode.yml", params={"draft": 1})
    assert 404 == response.status_code
    assert "no-draft" in response.json()["type"]


def test_software_page_offers_the_draft(client: AppClient) -> None:
    """The page of an inferred record shows the draft and a download link, in de and en."""
    english = client.get("/software/gitlab.opencode.de/kreis/kalender?lang=en").text
    assert "Draft publiccode.yml" in english
    assert "# from: forge display name" in english
    assert "publiccode.yml?draft=1&amp;download=1" in english
    german = client.get("/software/gitlab.opencode.de/kreis/kalender?lang=de").text
    assert "Entwurf einer publiccode.yml" in german
    declared = client.get("/software/gitlab.opencode.de/stadt/beteiligung?lang=en").text
    assert "Draft publiccode.yml" not in declared
