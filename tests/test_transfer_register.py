"""The dated register of transfer mechanisms (ontology/transfer-mechanisms.ttl): the entries the policy
histories need, each with its dates and official source, and every entry dated, sourced and, where it is
our own term, declared in the extension. That DPV's adequacy decisions start on DPV's own dates is checked
against the official DPV files in tests/test_dpv_alignment.py; that the questions use the dates, in
tests/test_time_questions.py and tests/test_cq_transfers_data.py."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from helpers import ROOT
from privacykg import namespaces as ns

PKG = ns.PKG
XSD_DATE = URIRef(ns.XSD + "date")

REGISTER = ROOT / "ontology" / "transfer-mechanisms.ttl"


@pytest.fixture(scope="module")
def register() -> Graph:
    return Graph().parse(REGISTER)


# the entries the GitHub and Basecamp policy histories need: term, first day, last day, jurisdictions, a source
ENTRIES = [
    ("EUUSPrivacyShield", "2016-07-12", "2020-07-16", {"EU", "US"}, "http://data.europa.eu/eli/dec_impl/2016/1250/oj"),
    (
        "SwissUSPrivacyShield",
        "2017-04-12",
        "2020-09-08",
        {"CH", "US"},
        "https://www.admin.ch/gov/en/start/documentation/media-releases.msg-id-80318.html",
    ),
    ("EUUSDataPrivacyFramework", "2023-07-10", None, {"EU", "US"}, "http://data.europa.eu/eli/dec_impl/2023/1795/oj"),
    ("UKUSDataBridge", "2023-10-12", None, {"GB", "US"}, "https://www.legislation.gov.uk/uksi/2023/1028/made"),
    ("SwissUSDataPrivacyFramework", "2024-09-15", None, {"CH", "US"}, "https://www.fedlex.admin.ch/eli/cc/2022/568/en"),
]


@pytest.mark.parametrize("term, valid_from, valid_until, jurisdictions, source", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_register_entry(register, term, valid_from, valid_until, jurisdictions, source):
    s = URIRef(PKG + term)
    assert (s, RDF.type, URIRef(PKG + "TransferMechanism")) in register
    assert register.value(s, URIRef(PKG + "validFrom")) == Literal(valid_from, datatype=XSD_DATE)
    until = register.value(s, URIRef(PKG + "validUntil"))
    assert (until and str(until)) == valid_until
    assert until is None or until.datatype == XSD_DATE
    assert {str(j).rsplit("#", 1)[1] for j in register.objects(s, URIRef(ns.DPV + "hasJurisdiction"))} == jurisdictions
    assert URIRef(source) in set(register.objects(s, DCTERMS.source))


def test_every_register_entry_is_dated_sourced_and_declared(register):
    """Every entry has a start date, an official source and, for our own terms, a declaration in the extension
    (label, comment, isDefinedBy, a place under a DPV transfer basis); an end date never precedes the start
    and comes with what ended it."""
    ext = Graph().parse(ROOT / "ontology" / "privacykg.ttl")
    official = (
        "http://data.europa.eu/eli/",
        "https://eur-lex.europa.eu/",
        "https://curia.europa.eu/",
        "https://www.legislation.gov.uk/",
        "https://www.fedlex.admin.ch/eli/",
        "https://www.admin.ch/",
        "https://www.edoeb.admin.ch/",
    )
    entries = set(register.subjects(RDF.type, URIRef(PKG + "TransferMechanism")))
    assert len(entries) >= 22
    for s in entries:
        start, end = register.value(s, URIRef(PKG + "validFrom")), register.value(s, URIRef(PKG + "validUntil"))
        assert start is not None and start.datatype == XSD_DATE, s
        assert end is None or end.toPython() >= start.toPython(), s
        assert end is None or register.value(s, URIRef(PKG + "invalidatedBy")), f"{s}: say what ended it"
        sources = [str(o) for o in register.objects(s, DCTERMS.source)]
        assert sources and all(o.startswith(official) for o in sources), (s, sources)
        if str(s).startswith(PKG):
            assert ext.value(s, RDFS.label) and ext.value(s, RDFS.comment), s
            assert (s, RDFS.isDefinedBy, URIRef(PKG)) in ext, s
            assert ext.value(s, SKOS.broader) in (
                URIRef(ns.DPV + "DataTransferLegalBasis"),
                URIRef("https://w3id.org/dpv/legal/eu/gdpr#AdequacyDecision"),
            ), s
