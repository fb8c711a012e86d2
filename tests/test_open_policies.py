"""The openly licensed policies with their published versions (GitHub, Basecamp and their
subprocessor lists, data/sources/*.md): questions answered from the real versions.

Every expected answer is read from the published texts; the sentence is beside the assertion.
"""

from __future__ import annotations

import pytest

import privacykg
from conftest import DATA

BASE = "https://w3id.org/privacykg/"


def key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def version(iri: str) -> str:
    """`.../policy/github/2020-05-19` -> `github/2020-05-19`."""
    return "/".join(iri.split("/")[-2:])


def versions_of(policy: str) -> list[str]:
    return sorted(p.stem[len(policy) + 1:] for p in (DATA / "policies").glob(f"{policy}-2*.yaml"))


def test_subprocessors_and_where_they_process(data_store):
    """GitHub Subprocessors and Cookies, 2020-07-31: every row of the table gives "United States" as the
    location of processing; cq02 names each subprocessor established there (Corporate Location), and
    not Monday.com: "| Monday.com | Team collaboration and project management platform | United States | Israel |"."""
    rows = [r for r in privacykg.select(data_store, "cq02", {"country": "loc:US"})
            if version(r["notice"]) == "github-subprocessors/2020-07-31"]
    # "| Automattic | Blogging service | United States | United States |", "| AWS Amazon | Data hosting | ...",
    # "| Braintree (PayPal) | ...", ... "| Zuora | Corporate billing system | United States | United States |"
    assert {key(r["recipient"]) for r in rows if r.get("recipient")} == {
        "automattic", "amazon-web-services", "braintree", "clearbit", "discourse", "discoverorg", "eloqua",
        "google", "linkedin", "magic-robot", "mailchimp", "mailgun", "microsoft", "nexmo", "oracle",
        "salesforce", "segment", "sendgrid", "sentry", "stripe", "twilio", "zendesk", "zuora"}
    assert "monday-com" not in {key(r.get("recipient", "")) for r in rows}
    assert any("| Monday.com |" in r["quote"] for r in rows)  # its transfer is there, to a US location
    # Basecamp Subprocessors, 2022-07-18: "These subprocessors are all located in the United States:"
    rows = [r for r in privacykg.select(data_store, "cq02", {"country": "loc:US"})
            if version(r["notice"]) == "basecamp-subprocessors/2022-07-18"]
    assert {key(r["recipient"]) for r in rows if r.get("recipient")} == {
        "amazon-web-services", "braintree", "convert-com", "customer-io", "datadog", "google", "hcaptcha",
        "help-scout", "mailchimp", "sentry", "taxjar"}


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
