"""Federation across forges: one record per software, with mirrors, aliases, variants and forks."""

from __future__ import annotations

import random
from datetime import timedelta

from crawler.normalise import federate, federated_records, records_from_snapshots
from schemas.record import Record
from tests.normalise.helpers import FETCHED, publiccode, registration, snapshot

GITLAB = registration("opencode", "gitlab", "https://gitlab.example.org")
GITHUB = registration("github-germany", "github", "https://github.com")
GITLAB_AGAIN = registration("opencode-mirror-registration", "gitlab", "https://gitlab.example.org")


def _records(registration, *snapshots) -> list[Record]:  # type: ignore[no-untyped-def]
    return records_from_snapshots(list(snapshots), registration=registration)


def _by_id(records: list[Record]) -> dict[str, Record]:
    return {record.id: record for record in records}


def test_same_repository_on_two_registrations_is_one_record() -> None:
    """The same canonical URL crawled through two registrations gives one record; spellings become aliases."""
    url = "https://gitlab.example.org/team/formserver"
    first = _records(GITLAB, snapshot(url, publiccode=publiccode("Formserver", url)))
    second = _records(
        GITLAB_AGAIN,
        snapshot(
            "https://GitLab.example.org/Team/Formserver.git",
            forge="opencode-mirror-registration",
            fetched_at=FETCHED - timedelta(days=1),
        ),
    )
    [record] = federate(first + second)
    assert (
        "gitlab.example.org/team/formserver",
        True,
        "opencode",
        ["https://gitlab.example.org/Team/Formserver"],
    ) == (
        record.id,
        record.declared,
        record.forge,
        record.relations.aliases,
    )


def test_mirror_on_another_forge_joins_the_crawled_original() -> None:
    """A GitHub mirror whose publiccode url names the GitLab original is listed as its mirror."""
    original = "https://gitlab.example.org/team/formserver"
    mirror = "https://github.com/musterstadt/formserver"
    records = _records(
        GITLAB, snapshot(original, publiccode=publiccode("Formserver", original))
    ) + _records(
        GITHUB,
        snapshot(
            mirror, forge="github-germany", publiccode=publiccode("Formserver", original + ".git")
        ),
    )
    [record] = federate(records)
    assert ("gitlab.example.org/team/formserver", original, [mirror], "opencode") == (
        record.id,
        record.url,
        record.mirrors,
        record.forge,
    )


def test_mirrors_of_an_uncrawled_original_become_one_record_keyed_by_it() -> None:
    """Two copies naming the same uncrawled repository merge under its id, both as mirrors."""
    upstream = "https://github.com/globaleaks/GlobaLeaks"
    copies = [
        "https://gitlab.example.org/asl-brindisi/globaleaks",
        "https://gitlab.example.org/asl-lecce/globaleaks",
    ]
    records = _records(
        GITLAB, *(snapshot(url, publiccode=publiccode("GlobaLeaks", upstream)) for url in copies)
    )
    [record] = federate(records)
    assert ("github.com/globaleaks/globaleaks", upstream, sorted(copies)) == (
        record.id,
        record.url,
        sorted(record.mirrors),
    )


def test_inferred_original_takes_the_declared_content_of_its_mirror_on_the_same_forge() -> None:
    """When the original has no publiccode.yml but its mirror on the same forge declares it, the
    record is declared (the forge speaks for both)."""
    original = "https://gitlab.example.org/team/tool"
    mirror = "https://gitlab.example.org/mirrors/tool"
    records = _records(
        GITLAB,
        snapshot(original, payload={"name": "tool", "star_count": 5}),
        snapshot(mirror, publiccode=publiccode("Tool", original)),
    )
    [record] = federate(records)
    assert (True, "Tool", original, 5, [mirror]) == (
        record.declared,
        record.name,
        record.repository.url,
        record.repository.stars,
        record.mirrors,
    )


def test_a_claim_from_another_forge_does_not_rewrite_the_original() -> None:
    """A declared file on another forge naming a crawled, undeclared repository never gives it
    its name: the claimant keeps its own record, with the link and a warning on url."""
    original = "https://gitlab.example.org/team/tool"
    mirror = "https://github.com/team/tool"
    records = _records(
        GITLAB, snapshot(original, payload={"name": "tool", "star_count": 5})
    ) + _records(
        GITHUB,
        snapshot(mirror, forge="github-germany", publiccode=publiccode("Hijacked", original)),
    )
    by_id = _by_id(federate(records))
    tool, claimant = by_id["gitlab.example.org/team/tool"], by_id["github.com/team/tool"]
    assert ("tool", False, [], "Hijacked", mirror, [original]) == (
        tool.name,
        tool.declared,
        tool.mirrors,
        claimant.name,
        claimant.url,
        claimant.mirrors,
    )
    assert ["url"] == [f.key for f in claimant.findings if "does not confirm" in f.message]


def test_a_declared_original_keeps_its_content_against_a_newer_claim_from_another_forge() -> None:
    """Same name on both sides: the claimant is listed as a mirror, but however recently it was
    fetched, the original's own file says what the record shows."""
    original = "https://gitlab.example.org/team/formserver"
    mirror = "https://github.com/musterstadt/formserver"
    records = _records(
        GITLAB,
        snapshot(original, publiccode=publiccode("Formserver", original)),
    ) + _records(
        GITHUB,
        snapshot(
            mirror,
            forge="github-germany",
            publiccode=publiccode(
                "Formserver", original, extra="landingURL: https://evil.example/"
            ),
            fetched_at=FETCHED + timedelta(days=1),
        ),
    )
    [record] = federate(records)
    assert (None, [mirror], "opencode") == (record.landing_url, record.mirrors, record.forge)


def test_a_claim_confirmed_by_the_forge_s_fork_data_may_supply_the_content() -> None:
    """A claimant whose forge lists it as a fork of the named repository speaks for it."""
    original = "https://gitlab.example.org/team/tool"
    fork = "https://gitlab.example.org/city/tool"
    other = registration("other-lab", "gitlab", "https://gitlab.example.org")
    records = _records(GITLAB, snapshot(original, payload={"name": "tool"})) + _records(
        other,
        snapshot(
            fork,
            forge="other-lab",
            publiccode=publiccode("Tool", original),
            payload={"forked_from_project": {"web_url": original}},
        ),
    )
    [record] = federate(records)
    assert (True, "Tool", [fork]) == (record.declared, record.name, record.mirrors)


def test_url_copied_from_another_software_is_not_a_mirror() -> None:
    """A declared file naming a crawled repository of a different software keeps its own record, with a warning."""
    template = "https://gitlab.example.org/templates/app"
    copy = "https://gitlab.example.org/team/shop"
    records = _records(
        GITLAB,
        snapshot(template, publiccode=publiccode("Template App", template)),
        snapshot(copy, publiccode=publiccode("Shop", template)),
    )
    by_id = _by_id(federate(records))
    shop = by_id["gitlab.example.org/team/shop"]
    assert ([], [], copy, ["url"]) == (
        by_id["gitlab.example.org/templates/app"].mirrors,
        shop.mirrors,
        shop.url,
        [
            finding.key
            for finding in shop.findings
            if "describes another software" in finding.message
        ],
    )


def test_is_based_on_marks_a_variant_on_both_records() -> None:
    """isBasedOn links the variant to its upstream, and the upstream lists the variant."""
    upstream = "https://github.com/upstream/suite"
    variant = "https://gitlab.example.org/team/suite-plus"
    records = _records(
        GITHUB, snapshot(upstream, forge="github-germany", publiccode=publiccode("Suite", upstream))
    ) + _records(
        GITLAB,
        snapshot(
            variant, publiccode=publiccode("Suite Plus", variant, based_on=[upstream + ".git"])
        ),
    )
    by_id = _by_id(federate(records))
    assert ([upstream], [variant]) == (
        by_id["gitlab.example.org/team/suite-plus"].relations.is_based_on,
        by_id["github.com/upstream/suite"].relations.variants,
    )


def test_forge_fork_flag_links_fork_and_parent() -> None:
    """The forge's fork flag with a parent links fork_of on the fork and forks on the parent."""
    parent = "https://gitlab.example.org/upstream/formserver"
    fork = "https://gitlab.example.org/musterstadt/formserver"
    records = _records(
        GITLAB,
        snapshot(parent, payload={"name": "formserver"}),
        snapshot(fork, payload={"name": "formserver", "forked_from_project": {"web_url": parent}}),
    )
    by_id = _by_id(federate(records))
    assert (parent, [fork], 2) == (
        by_id["gitlab.example.org/musterstadt/formserver"].relations.fork_of,
        by_id["gitlab.example.org/upstream/formserver"].relations.forks,
        len(by_id),
    )


def test_technical_fork_is_a_mirror_and_a_fork() -> None:
    """A forge fork keeping the upstream's publiccode.yml joins the upstream record as mirror and fork."""
    upstream = "https://github.com/upstream/app"
    fork = "https://github.com/city/app"
    records = _records(
        GITHUB,
        snapshot(upstream, forge="github-germany", publiccode=publiccode("App", upstream)),
        snapshot(
            fork,
            forge="github-germany",
            publiccode=publiccode("App", upstream),
            payload={"fork": True, "parent": {"html_url": upstream}},
        ),
    )
    [record] = federate(records)
    assert ([fork], [fork]) == (record.mirrors, record.relations.forks)


def test_federation_is_order_independent_and_pure() -> None:
    """Any input order gives the same records, and the inputs are left unchanged."""
    upstream = "https://github.com/upstream/suite"
    records = _records(
        GITHUB,
        snapshot(upstream, forge="github-germany", publiccode=publiccode("Suite", upstream)),
        snapshot(
            "https://github.com/a/suite",
            forge="github-germany",
            publiccode=publiccode("Suite", upstream),
        ),
        snapshot(
            "https://github.com/b/variant",
            forge="github-germany",
            publiccode=publiccode("Variant", "https://github.com/b/variant", based_on=[upstream]),
        ),
        snapshot(
            "https://github.com/c/fork",
            forge="github-germany",
            payload={"fork": True, "parent": {"html_url": upstream}},
        ),
    )
    before = [record.model_dump() for record in records]
    expected = [record.model_dump() for record in federate(records)]
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    assert (expected, before) == (
        [record.model_dump() for record in federate(shuffled)],
        [record.model_dump() for record in records],
    )


def test_federated_records_from_stored_snapshots_of_several_forges() -> None:
    """Snapshots of two forges give one federated catalogue; unregistered forges are left out."""
    original = "https://gitlab.example.org/team/formserver"
    mirror = "https://github.com/musterstadt/formserver"
    snapshots = [
        snapshot(mirror, forge="github-germany", publiccode=publiccode("Formserver", original)),
        snapshot(original, forge="opencode", publiccode=publiccode("Formserver", original)),
        snapshot("https://gitlab.example.org/gone/app", forge="removed-forge"),
    ]
    records = federated_records(snapshots, [GITLAB, GITHUB])
    assert [("gitlab.example.org/team/formserver", [mirror])] == [
        (r.id, r.mirrors) for r in records
    ]
