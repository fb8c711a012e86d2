"""The materialised closures are sound: every triple privacykg infers is entailed by the
RDFS semantics (owlrl) of the vocabulary plus the policy, and the EEA on a policy's date is
the one DPV dates give."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from helpers import FIXTURES


def test_policy_inferences_are_rdfs_entailed(ontology):
    import owlrl

    from privacykg import namespaces as ns
    from privacykg.compile import compile_policy
    from privacykg.inference import PolicyInferencer

    cp = compile_policy(
        FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml", ontology, ns.IRIs(), FIXTURES / "valid/sources"
    )
    inferred = PolicyInferencer(ontology).infer(cp.graph, cp.notice_iri, cp.version)
    assert len(inferred) > 20
    g = Graph()
    for t in ontology.graph:
        g.add(t)
    for t in cp.graph:
        g.add(t)
    # SKOS: broader is a sub-property of broaderTransitive, which is transitive (SKOS S22, S24);
    # DPV states class hierarchy with skos:broader too, so read it as rdfs:subClassOf for types.
    for s, o in list(g.subject_objects(SKOS.broader)):
        if not (str(s).startswith(ns.LOC) and str(o).startswith(ns.LOC)):
            g.add((s, RDFS.subClassOf, o))
            g.add((s, SKOS.broaderTransitive, o))
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    changed = True
    while changed:  # transitive closure of broaderTransitive (an OWL, not RDFS, rule)
        new = {
            (a, SKOS.broaderTransitive, c)
            for a, b in g.subject_objects(SKOS.broaderTransitive)
            for c in g.objects(b, SKOS.broaderTransitive)
        } - set(g)
        changed = bool(new)
        for t in new:
            g.add(t)
    eea = URIRef(ns.PKG + "eeaOnVersionDate")
    first = URIRef(ns.PKG + "firstQuote")
    modality = URIRef(ns.PKG + "modality")  # a summary of the marks, not an entailment
    missing = [t for t in inferred if t not in g and t[1] not in (eea, first, modality)]
    assert not missing, missing[:10]


def test_eea_on_the_policy_date(ontology):
    from privacykg.inference import eea_on

    assert eea_on("2020-01-31", ontology).endswith("#EEA31")
    assert eea_on("2020-02-01", ontology).endswith("#EEA30")
    assert eea_on("2018-05-20", ontology).endswith("#EEA31")


def test_location_unions_are_not_kinds(ontology):
    """GB is broader-linked to EEA31 in DPV; the closure must not make GB a kind of EEA."""
    from privacykg import namespaces as ns
    from privacykg.inference import ontology_inferred

    g = ontology_inferred(ontology)
    assert (URIRef(ns.LOC + "GB"), SKOS.broaderTransitive, URIRef(ns.LOC + "EEA")) not in g
    assert (URIRef(ns.DPV + "DirectMarketing"), SKOS.broaderTransitive, URIRef(ns.DPV + "Purpose")) in g
    assert (URIRef(ns.DPV + "hasDataProcessor"), RDFS.subPropertyOf, URIRef(ns.DPV + "hasEntity")) in g
