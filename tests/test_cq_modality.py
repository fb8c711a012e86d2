"""Modality in the answers (issue 15): cq35 lists conditional and possible statements and implied
values; cq28 and the transfer questions (cq01, cq02, cq04) say when an answer rests on one; `show`
and the policy pages show the marks. Expected answers are read from the policy texts; the
sentences are quoted beside them."""

from __future__ import annotations

import privacykg
from privacykg import namespaces as ns
from privacykg.store import open_store
from privacykg.summary import policy_summary, show_text

IDENTRICS = "https://w3id.org/privacykg/policy/identrics/2018-05-20"
IMAGO = "https://w3id.org/privacykg/policy/imago/2020-05-24"


def run(store, qid, **params):
    return privacykg.select(store, qid, params or None)


def marks(row) -> set[str]:
    return set(filter(None, (row.get("modality") or "").split(" | ")))


def rows35(store, policy):
    return {
        (
            r["subject"].rpartition("/")[2],
            ns.compact(r.get("property", "")) if r.get("property") else "",
            ns.compact(r.get("value", "")) if r.get("value") else "",
            r["mark"],
            r.get("condition", ""),
        )
        for r in run(store, "cq35", policy=policy)
    }


def test_cq35_identrics_conditions_possibilities_and_readings(corpus_store):
    got = rows35(corpus_store, "identrics")
    expected = {
        # "Correction and deletion: In some jurisdictions, you have the right to correct or amend ..."
        ("2018-05-20", "dpv:hasRight", "eu-gdpr:A16", "conditional", "In some jurisdictions"),
        # "You may also have the right to request deletion of your personal information; ..."
        ("2018-05-20", "dpv:hasRight", "eu-gdpr:A17", "possible", ""),
        # "... which may include such authorities outside your country of residence."
        ("legal-disclosure", "dpv:isOutsideOfLocation", "pkg:CountryOfResidence", "possible", ""),
        ("legal-disclosure", "dpv:hasProcessing", "dpv:CrossBorderTransfer", "possible", ""),
        # "We will share personal information when we believe it is required, such as: To comply with legal
        # obligations": the legal obligation basis is read from the purpose, not stated
        ("legal-disclosure", "", "", "conditional", "when we believe it is required"),
        ("legal-disclosure", "dpv:hasLegalBasis", "eu-gdpr:A6-1-c", "implied", ""),
        # "We may occasionally share non-personal, anonymized, and statistical data with third parties."
        ("anonymised-sharing", "", "", "possible", ""),
        ("anonymised-sharing", "dpv:hasPurpose", "dpv:ServiceProvision", "implied", ""),
        # "Collect any personally identifiable information (without your express permission)"
        ("cookies-no-identifiable-data", "", "", "conditional", "without your express permission"),
        # "Surveys and polls: If you choose to participate in a survey or poll, any personal information you
        # provide may be used for marketing or market research purposes after your explicit consent."
        ("surveys", "", "", "conditional", "If you choose to participate in a survey or poll"),
        ("surveys", "", "", "possible", ""),
    }
    assert expected <= got, expected - got
    # every row is one of the three marks, and a conditional row carries its words
    assert all(m in ("possible", "conditional", "implied") and (m != "conditional" or c) for *_, m, c in got)


def test_cq35_conditions_are_quoted_from_the_source(corpus_store):
    from helpers import DATA

    text = (DATA / "sources" / "imago-2020-05-24.txt").read_text(encoding="utf-8")
    rows = run(corpus_store, "cq35", policy="imago")
    assert rows
    for r in rows:
        if r["mark"] == "conditional":
            assert r["condition"] in text, r
        assert r.get("quote") and r["quote"] in text, r


def test_cq28_says_imagos_promise_is_conditional(corpus_store):
    rows = {r["policy"]: r for r in run(corpus_store, "cq28")}
    # "We will never, ever provide or sell personal data to organizations not recognized as an affiliated
    # ImagoTechnologies partner, or otherwise connected to helping us deliver operations to customers ..."
    condition = (
        "if: to organizations not recognized as an affiliated ImagoTechnologies partner, or otherwise "
        "connected to helping us deliver operations to customers essential to our products and services"
    )
    assert marks(rows["imago"]) == {condition}
    # "Impro Technologies does not sell your Personal Data to third parties.": unqualified
    assert marks(rows["impro"]) == set()


def test_cq01_and_cq04_say_imagos_transfer_is_possible_and_its_destination_read_in(corpus_store):
    # "Personal data collected through Imago Technologies service may be stored and processed in any country in
    # which Imago Technologies and its affiliates maintain facilities": a "may", and "outside the EEA" is our
    # reading (no country is named)
    for qid in ("cq01", "cq04"):
        (row,) = [r for r in run(corpus_store, qid) if r["notice"] == IMAGO]
        assert {"may", "implied: EEA"} <= marks(row), (qid, row)


def test_cq02_rows_carry_the_modality_column(corpus_store):
    from privacykg.queries import load_library

    for qid in ("cq01", "cq02", "cq04", "cq28"):  # the new column comes last, so older columns keep their place
        assert list(load_library()[qid].columns)[-1] == "modality", qid
    rows = run(corpus_store, "cq02", country="loc:US")
    # Identrics names no third country: its only cross-border disclosure is the possible one to authorities
    # "outside your country of residence", which is no country
    assert not [r for r in rows if r["controller"] == "Identrics Ltd."]


def test_show_and_policy_page_show_the_marks(corpus_store):
    out = show_text(corpus_store, "identrics")
    # the prohibition "Collect any personally identifiable information (without your express permission)"
    assert "holds: if: without your express permission" in out
    # "You may also have the right to request deletion of your personal information"
    assert "[may]" in out and "[implied]" in out
    summary = policy_summary(open_store(corpus_store), IMAGO)
    (p,) = [n for n in summary.processes if n.iri.endswith("/merger-transfer")]
    # "In the event of a re-organization, merger, or sale we may transfer any or all personal data we collect"
    assert p.marks == ["may", "if: In the event of a re-organization, merger, or sale"]
    from privacykg.pages_html import node_html

    html = node_html(p, ns.DEFAULT_BASE)
    assert "<th>holds</th>" in html and "if: In the event of a re-organization, merger, or sale" in html
