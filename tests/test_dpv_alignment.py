"""Our DPV profile against the official DPV 2.3 files (../shared/dpv, not part of the project):
every term we declare exists there, with the types, hierarchy, membership and dates we state.
Our extension never mints an IRI in a DPV namespace."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, TIME

from helpers import DPV_DIR, ROOT
from privacykg import namespaces as ns

FILES = ["dpv/dpv.ttl", "pd/pd.ttl", "tech/tech.ttl", "loc/loc.ttl", "legal/legal.ttl", "legal/eu/gdpr/eu-gdpr.ttl"]
pytestmark = pytest.mark.skipif(not DPV_DIR.is_dir(), reason="the official DPV files are not beside the project")


@pytest.fixture(scope="module")
def dpv() -> Graph:
    g = Graph()
    for f in FILES:
        g.parse(DPV_DIR / f, format="turtle")
    return g


@pytest.fixture(scope="module")
def profile() -> Graph:
    return Graph().parse(ROOT / "ontology" / "dpv-profile.ttl")


def dpv_terms(g):
    return {s for s in g.subjects() if isinstance(s, URIRef) and ns.is_dpv_iri(str(s)) and "#" in str(s)}


def test_every_profile_term_exists_in_dpv(profile, dpv):
    missing = sorted(ns.compact(str(t)) for t in dpv_terms(profile) if (t, None, None) not in dpv)
    assert not missing, f"declared in the profile but not in DPV 2.3: {missing}"
    assert len(dpv_terms(profile)) > 500


@pytest.mark.parametrize(
    "pred",
    [RDF.type, SKOS.broader, RDFS.subClassOf, RDFS.subPropertyOf, SKOS.narrower, URIRef(ns.DPV + "hasJurisdiction")],
    ids=lambda p: ns.compact(str(p)),
)
def test_every_link_is_dpvs(profile, dpv, pred):
    wrong = []
    for s, o in profile.subject_objects(pred):
        if not ns.is_dpv_iri(str(s)) or "#" not in str(s):
            continue
        if pred == RDF.type and o in (RDFS.Class, RDF.Property, SKOS.Concept, OWL.Class, OWL.ObjectProperty):
            if (s, RDF.type, o) not in dpv:
                wrong.append((s, o))
            continue
        if (s, pred, o) not in dpv:
            wrong.append((ns.compact(str(s)), ns.compact(str(o))))
    assert not wrong, f"{ns.compact(str(pred))} links not in DPV 2.3: {wrong[:20]}"


def test_no_definitions_copied(profile):
    for pred in (SKOS.definition, SKOS.scopeNote, SKOS.prefLabel, DCTERMS.description):
        assert not list(profile.subject_objects(pred)), f"the profile must not carry DPV's {pred}"


def test_validity_dates_match_dpv(profile, dpv):
    def dates(g, s):
        out = set()
        for interval in g.objects(s, DCTERMS.temporal):
            for edge in (TIME.hasBeginning, TIME.hasEnd):
                for inst in g.objects(interval, edge):
                    for d in g.objects(inst, TIME.inXSDDate):
                        out.add((str(edge), str(d)))
        return out

    checked = 0
    for s in profile.subjects(DCTERMS.temporal, None):
        assert dates(profile, s) == dates(dpv, s), ns.compact(str(s))
        checked += 1
    assert checked >= 15  # the unions and the adequacy decisions


def test_eea_membership_is_dpvs_one_hop(profile, dpv):
    for union in ("EEA", "EEA30", "EEA31", "EU", "EU27", "EU28"):
        u = URIRef(ns.LOC + union)
        ours = set(profile.objects(u, SKOS.narrower))
        theirs = {c for c in dpv.objects(u, SKOS.narrower) if (c, RDF.type, URIRef(ns.DPV + "Country")) in dpv}
        assert ours == theirs, union
    assert (URIRef(ns.LOC + "EEA31"), SKOS.narrower, URIRef(ns.LOC + "GB")) in profile
    assert (URIRef(ns.LOC + "EEA30"), SKOS.narrower, URIRef(ns.LOC + "GB")) not in profile


def test_extension_mints_no_dpv_iri_and_hangs_under_dpv(dpv):
    ext = Graph().parse(ROOT / "ontology" / "privacykg.ttl")
    reg = Graph().parse(ROOT / "ontology" / "transfer-mechanisms.ttl")
    for s in set(ext.subjects()):
        if isinstance(s, URIRef):
            assert str(s).startswith(ns.PKG), f"{s}: the extension may only declare pkg: terms"
            assert ext.value(s, RDFS.label) is not None and ext.value(s, RDFS.comment) is not None, s
    for s, o in ext.subject_objects(SKOS.broader):
        assert (o, None, None) in dpv or str(o).startswith(ns.PKG), f"{s} is under {o}, which DPV 2.3 lacks"
    for s in set(reg.subjects(RDF.type, URIRef(ns.PKG + "TransferMechanism"))):
        assert str(s).startswith(ns.PKG) or (s, None, None) in dpv, s


def test_register_dates_agree_with_dpv(dpv):
    reg = Graph().parse(ROOT / "ontology" / "transfer-mechanisms.ttl")
    for s, d in reg.subject_objects(URIRef(ns.PKG + "validFrom")):
        if str(s).startswith(ns.LEGAL_EU):
            begins = {
                str(x)
                for i in dpv.objects(s, DCTERMS.temporal)
                for b in dpv.objects(i, TIME.hasBeginning)
                for x in dpv.objects(b, TIME.inXSDDate)
            }
            assert begins == {str(d)}, ns.compact(str(s))


def test_term_status_and_successors_are_dpvs(profile, dpv):
    """The profile carries DPV's sw:term_status for its terms, and a sunset term's dct:isReplacedBy is a term
    DPV's own text names for it (the loader refuses sunset terms and names the successor)."""
    status = URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
    wrong = [
        (ns.compact(str(s)), str(o)) for s, o in profile.subject_objects(status) if str(o) != str(dpv.value(s, status))
    ]
    assert not wrong, wrong
    assert str(profile.value(URIRef(ns.DPV + "LegalAgreement"), status)) == "sunset"
    for s, o in profile.subject_objects(DCTERMS.isReplacedBy):
        assert str(dpv.value(s, status)) == "sunset", s
        said = " ".join(str(t) for p in (SKOS.definition, SKOS.scopeNote) for t in dpv.objects(s, p))
        assert ns.compact(str(o)) in said, (s, o)
