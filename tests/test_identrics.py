"""Identrics (the foundation's proof policy): its answers come out of SPARQL, as its text says.
Expected values are written from data/sources/identrics-2018-05-20.txt."""

from __future__ import annotations

import privacykg

PRE = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
PREFIX loc: <https://w3id.org/dpv/loc#> PREFIX pkg: <https://w3id.org/privacykg/ns#>
PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
NOTICE = "https://w3id.org/privacykg/policy/identrics/2018-05-20"


def ask(store, q):
    return bool(privacykg.query(store, PRE + q))


def test_established_in_bulgaria(corpus_store):
    rows = privacykg.select(
        corpus_store,
        PRE
        + f"""SELECT ?name ?country WHERE {{
        <{NOTICE}> dpv:hasDataController ?c . ?c dpv:hasName ?name ; dpv:hasLocation ?country }}""",
    )
    assert rows == [{"name": "Identrics Ltd.", "country": "https://w3id.org/dpv/loc#BG"}]


def test_transfers_nothing_outside_the_eea(corpus_store):
    # no third country and nothing "outside the EEA": no process names a third country or the EEA as left
    assert not ask(
        corpus_store,
        f"""ASK {{ <{NOTICE}> dpv:hasProcess ?p .
        ?p dpv:hasThirdCountry|dpv:hasCountry ?where }}""",
    )
    assert not ask(
        corpus_store,
        f"""ASK {{ <{NOTICE}> dpv:hasProcess ?p . ?p dpv:isOutsideOfLocation ?where .
        FILTER (?where IN (loc:EEA, loc:EU, loc:EEA30, loc:EEA31, loc:EU27, loc:EU28)) }}""",
    )
    # "any personal information will be processed and stored in the Union"
    assert ask(
        corpus_store,
        f"""ASK {{ <{NOTICE}> dpv:hasProcess ?p . ?p dpv:hasLocation loc:EU .
        ?a oa:hasBody ?p ; oa:hasTarget/oa:hasSelector/oa:exact ?q .
        FILTER CONTAINS(?q, "processed and stored in the Union") }}""",
    )


def test_disclosure_abroad_is_recorded_as_possible(corpus_store):
    # the caveat (issue 15, pattern 7): "... other public authorities, which may include such authorities
    # outside your country of residence": the only cross-border disclosure, and only a possible one
    rows = privacykg.select(
        corpus_store,
        PRE
        + f"""SELECT ?p ?q WHERE {{ <{NOTICE}> dpv:hasProcess ?p .
        ?p dpv:hasProcessing dpv:CrossBorderTransfer ; dpv:isOutsideOfLocation pkg:CountryOfResidence .
        ?st rdf:subject ?p ; rdf:predicate dpv:hasProcessing ; rdf:object dpv:CrossBorderTransfer ;
            dpv:hasLikelihood pkg:Possible .
        ?a oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/oa:exact ?q }}""",
    )
    assert [(r["p"].rpartition("/")[2], r["q"]) for r in rows] == [
        ("legal-disclosure", "which may include such authorities outside your country of residence")
    ]


def test_rights_granted(corpus_store):
    rows = privacykg.select(corpus_store, PRE + f"SELECT ?r WHERE {{ <{NOTICE}> dpv:hasRight ?r }}")
    got = {r["r"].rpartition("#")[2] for r in rows}
    # access, correction, deletion, opting out of e-mail marketing (objection), complaint to a regulator
    assert got == {"A15", "A16", "A17", "A21", "A77"}


def test_collects_mac_addresses(corpus_store):
    assert ask(
        corpus_store,
        f"""ASK {{ <{NOTICE}> dpv:hasProcess ?p . ?p dpv:hasPersonalData pd:MACAddress .
        ?a oa:hasBody ?p ; oa:hasTarget/oa:hasSelector/oa:exact ?q . FILTER CONTAINS(?q, "MAC address") }}""",
    )


def test_promises_no_special_categories(corpus_store):
    rows = privacykg.select(
        corpus_store,
        PRE
        + f"""SELECT DISTINCT ?d ?q WHERE {{
        <{NOTICE}> dpv:hasProhibition ?x . ?x dpv:hasPersonalData ?d .
        ?d skos:broaderTransitive dpv:SpecialCategoryPersonalData .
        ?a oa:hasBody ?x ; oa:hasTarget/oa:hasSelector/oa:exact ?q }}""",
    )
    data = {r["d"].rpartition("#")[2] for r in rows}
    assert {
        "Race",
        "Health",
    } <= data  # "race, health, sexual orientation, political, philosophical, or religious views"
    assert any("will never collect or process Personal Data" in r["q"] for r in rows)


def test_not_aimed_at_children(corpus_store):
    assert ask(corpus_store, f"""ASK {{ <{NOTICE}> dpv:hasProhibition ?x . ?x dpv:hasDataSubject dpv:Child }}""")


def test_dpo_contact_and_date(corpus_store):
    rows = privacykg.select(
        corpus_store,
        PRE
        + f"""SELECT ?contact ?date WHERE {{
        <{NOTICE}> dpv:hasDataController/dpv:hasDataProtectionOfficer ?dpo ; dct:modified ?date .
        ?dpo dpv:hasContact ?contact }}""",
    )
    assert {"contact": "privacy@identrics.net", "date": "2018-05-20"} in rows


def test_every_fact_cites_a_sentence_of_the_source(corpus_store):
    """Each quote is verbatim at its offsets in the source text."""
    from helpers import DATA

    src = (DATA / "sources" / "identrics-2018-05-20.txt").read_text(encoding="utf-8")
    rows = privacykg.select(
        corpus_store,
        PRE
        + """SELECT ?exact ?start ?end WHERE { GRAPH <https://w3id.org/privacykg/graph/identrics/2018-05-20> {
        ?a a oa:Annotation ; oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end } }""",
    )
    assert len(rows) > 50
    for r in rows:
        assert src[int(r["start"]) : int(r["end"])] == r["exact"]
