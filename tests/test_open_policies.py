"""The openly licensed policies with their published versions (GitHub, Basecamp and their
subprocessor lists, data/sources/*.md): questions answered from the real versions.

Every expected answer is read from the published texts; the sentence is beside the assertion.
"""

from __future__ import annotations

import itertools

import pytest

import privacykg
from helpers import DATA

BASE = "https://w3id.org/privacykg/"


def key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def version(iri: str) -> str:
    """`.../policy/github/2020-05-19` -> `github/2020-05-19`."""
    return "/".join(iri.split("/")[-2:])


def versions_of(policy: str) -> list[str]:
    return sorted(p.stem[len(policy) + 1 :] for p in (DATA / "policies").glob(f"{policy}-2*.yaml"))


def test_subprocessors_and_where_they_process(data_store):
    """GitHub Subprocessors and Cookies, 2020-07-31: every row of the table gives "United States" as the
    location of processing; cq02 names each subprocessor established there (Corporate Location), and
    not Monday.com: "| Monday.com | Team collaboration and project management platform | United States | Israel |"."""
    rows = [
        r
        for r in privacykg.select(data_store, "cq02", {"country": "loc:US"})
        if version(r["notice"]) == "github-subprocessors/2020-07-31"
    ]
    # "| Automattic | Blogging service | United States | United States |", "| AWS Amazon | Data hosting | ...",
    # "| Braintree (PayPal) | ...", ... "| Zuora | Corporate billing system | United States | United States |"
    assert {key(r["recipient"]) for r in rows if r.get("recipient")} == {
        "automattic",
        "amazon-web-services",
        "braintree",
        "clearbit",
        "discourse",
        "discoverorg",
        "eloqua",
        "google",
        "linkedin",
        "magic-robot",
        "mailchimp",
        "mailgun",
        "microsoft",
        "nexmo",
        "oracle",
        "salesforce",
        "segment",
        "sendgrid",
        "sentry",
        "stripe",
        "twilio",
        "zendesk",
        "zuora",
    }
    assert "monday-com" not in {key(r.get("recipient", "")) for r in rows}
    assert any("| Monday.com |" in r["quote"] for r in rows)  # its transfer is there, to a US location
    # Basecamp Subprocessors, 2022-07-18: "These subprocessors are all located in the United States:"
    rows = [
        r
        for r in privacykg.select(data_store, "cq02", {"country": "loc:US"})
        if version(r["notice"]) == "basecamp-subprocessors/2022-07-18"
    ]
    assert {key(r["recipient"]) for r in rows if r.get("recipient")} == {
        "amazon-web-services",
        "braintree",
        "convert-com",
        "customer-io",
        "datadog",
        "google",
        "hcaptcha",
        "help-scout",
        "mailchimp",
        "sentry",
        "taxjar",
    }


def test_privacy_shield_named_after_schrems_ii(data_store):
    """cq05: a mechanism no longer valid on the version's date. Basecamp, 2021-09-28: "Basecamp complies
    with the EU-U.S. Privacy Shield Framework and the Swiss-U.S. Privacy Shield Framework as set forth by
    the U.S. Department of Commerce" (the Court struck the EU-US framework down on 16 July 2020; the
    Swiss regulator found the Swiss-US one inadequate on 8 September 2020). GitHub, 2020-05-19: "GitHub
    complies with the EU-U.S. Privacy Shield Framework and Swiss-U.S. Privacy Shield Framework", then
    still valid."""
    rows = privacykg.select(data_store, "cq05")
    by_version: dict[str, set[str]] = {}
    for r in rows:
        by_version.setdefault(version(r["notice"]), set()).add(key(r["mechanism"]).split("#")[-1])
    assert by_version["basecamp/2021-09-28"] == {"EUUSPrivacyShield", "SwissUSPrivacyShield"}
    assert "github/2020-05-19" not in by_version


def test_github_rights_as_granted(data_store):
    """cq21, GitHub 2020-05-19: "you may access, update, alter, or delete your basic user profile
    information" (A15, A16, A17); "you can use our Data Portability tools to download information we
    have about you" (A20); "if you object to our processing of personal information" (A21); "You may
    withdraw your consent at any time." (A7-3); "if you are a resident of an EU member state, you have
    the right to file a complaint with your local supervisory authority" (A77). Nothing restricts
    processing (no A18)."""
    rows = privacykg.select(data_store, "cq21", {"policy": "github"})
    rights = {r["right"].rsplit("#", 1)[-1] for r in rows if r["version"] == "2020-05-19"}
    assert rights == {"A15", "A16", "A17", "A20", "A21", "A7-3", "A77"}


@pytest.mark.parametrize("policy", ["github", "basecamp", "github-subprocessors", "basecamp-subprocessors"])
def test_every_version_is_a_published_version(policy):
    """A version's date is the date line of its published text (the Markdown's "Effective date: ..."
    or "Last updated: ..."), and its file is named after it."""
    import datetime as dt
    import re

    for v in versions_of(policy):
        text = (DATA / "sources" / f"{policy}-{v}.md").read_text(encoding="utf-8")
        m = re.search(r"(?:Effective date|Last updated):?\s*\**\s*([A-Z][a-z]+ \d{1,2}, \d{4})", text)
        assert m, f"{policy}-{v}: no date line"
        assert dt.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat() == v


# ---------------------------------------------------------------- across versions

SCHREMS_II_DAY0 = "2020-07-17"  # the Court struck the EU-US Privacy Shield down on 16 July 2020


def _rendered(policy: str, v: str) -> str:
    from privacykg.markdown import render

    return render((DATA / "sources" / f"{policy}-{v}.md").read_text(encoding="utf-8")).text


@pytest.mark.slow  # quick subset: more than a second
@pytest.mark.parametrize("policy", ["basecamp", "github"])
def test_who_kept_naming_the_privacy_shield_and_when_they_switched(data_store, policy):
    """cq37 on the real versions. The expected versions are read from the texts: those dated after
    16 July 2020 whose text still names the Privacy Shield (Basecamp, 2021-09-28: "Basecamp complies
    with the EU-U.S. Privacy Shield Framework ..."; GitHub, 2020-07-22: "In addition, GitHub is
    certified to the EU-US and Swiss-US Privacy Shield Frameworks."); the switch is the first later
    version whose text no longer does (Basecamp, 2022-02-10: "Since GDPR went into effect, Basecamp
    has offered a data processing addendum."; GitHub, 2022-05-25: "relies on legal mechanisms such
    as Standard Contractual Clauses"). Day counts from 17 July 2020, the first invalid day."""
    import datetime as dt

    versions = versions_of(policy)
    names = {v: "Privacy Shield" in _rendered(policy, v) for v in versions}
    late = {v for v in versions if v >= SCHREMS_II_DAY0 and names[v]}
    assert late, "no version after Schrems II names the Privacy Shield"
    switch = min(v for v in versions if v > max(late) and not names[v])
    rows = [r for r in privacykg.select(data_store, "cq37", {"policy": policy, "mechanism": "pkg:EUUSPrivacyShield"})]
    assert {r["version"] for r in rows} == late
    day0 = dt.date.fromisoformat(SCHREMS_II_DAY0)
    for r in rows:
        assert r["switchVersion"] == switch
        assert int(r["daysLate"]) == (dt.date.fromisoformat(r["version"]) - day0).days
        assert int(r["daysToSwitch"]) == (dt.date.fromisoformat(switch) - day0).days


@pytest.mark.slow  # quick subset: more than a second
def test_controllers_added_and_renamed(data_store):
    """cq39 on the real versions. Basecamp, 2022-12-23: "37signals LLC" where 2022-05-19 read "Basecamp,
    LLC" (one company renamed). GitHub, 2020-07-22: "GitHub, Inc. and, for those in the European
    Economic Area, the United Kingdom, and Switzerland, GitHub B.V. are the controllers responsible
    for the processing of your personal information" (2020-05-19 names GitHub, Inc. alone as controller)."""
    rows = privacykg.select(data_store, "cq39")
    got = {
        (
            r["policy"],
            r["oldVersion"],
            r["newVersion"],
            r["change"],
            key(r["controller"]),
            r.get("oldName", ""),
            r.get("newName", ""),
        )
        for r in rows
    }
    assert ("basecamp", "2022-05-19", "2022-12-23", "renamed", "basecamp", "Basecamp, LLC", "37signals LLC") in got
    # (2020-05-19 names GitHub B.V. too, as "Our EU Office", not as a controller)
    assert ("github", "2020-05-19", "2020-07-22", "added", "github-bv") in {g[:5] for g in got}
    assert not any(r[4] == "github" and r[3] != "renamed" for r in got)  # GitHub, Inc. is a controller throughout
    # only consecutive versions are compared: each pair is two neighbours among the policy's dates, read from
    # the file names (a version between them, or one of another policy, would make it no pair of these)
    consecutive = {(p, a, b) for p in {g[0] for g in got} for a, b in itertools.pairwise(versions_of(p))}
    assert {g[:3] for g in got} <= consecutive


def test_what_github_changed_after_schrems_ii(data_store):
    """`privacykg diff github 2020-05-19 2020-07-22`: GitHub B.V. becomes a controller ("...
    GitHub B.V. are the controllers responsible ...") and transfers rely on SCCs ("GitHub processes
    personal information both inside and outside of the United States and relies on Standard
    Contractual Clauses as the legally provided mechanism to lawfully transfer data from the European
    Economic Area, the United Kingdom, and Switzerland to the United States.")."""
    from privacykg.versions import diff

    d = diff(data_store, "github", "2020-05-19", "2020-07-22")
    added = {(c.subject, c.predicate, c.object): c for c in d.changes if c.kind == "added"}
    bv = added[("entity/github-bv", "rdf:type", "dpv:DataController")]
    assert any("GitHub B.V. are the controllers" in e.exact for e in bv.new_quotes)
    sccs = [c for k, c in added.items() if k[1] == "dpv:hasLegalBasis" and k[2] == "eu-gdpr:A46-2-c"]
    assert sccs and any("relies on Standard Contractual Clauses" in e.exact for c in sccs for e in c.new_quotes)
    # (cq36, the same question in SPARQL, agrees with the library on version histories in
    # tests/test_diff.py; over this corpus's 19 GitHub versions it takes minutes: see the README)
