"""One test per SHACL rule of ontology/shapes/: a valid policy graph passes; each mutation
breaks exactly the rule named, and that rule fires with its severity."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from conftest import FIXTURES

PRE = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
PREFIX pkg: <https://w3id.org/privacykg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX loc: <https://w3id.org/dpv/loc#>
PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
N = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01>"
P = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/process/newsletter>"
T = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/process/newsletter-transfer>"
X = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/prohibition/no-selling>"
C = "<https://w3id.org/privacykg/entity/acme>"
DPO = "<https://w3id.org/privacykg/entity/acme-dpo>"

# rule -> (severity, SPARQL update that breaks it)
BREAKS = {
    "NoticeHasController": ("Violation", f"DELETE WHERE {{ {N} dpv:hasDataController ?c }}"),
    "NoticeHasDate": ("Violation", f"DELETE WHERE {{ {N} dct:modified ?d }}"),
    "NoticeHasSource": ("Violation", f"DELETE WHERE {{ {N} pkg:sourceText ?s }}"),
    "NoticeHasProcess": ("Violation", f"DELETE WHERE {{ {N} dpv:hasProcess ?p }}"),
    "NoticeRightIsRight": ("Violation", f"INSERT DATA {{ {N} dpv:hasRight dpv:DirectMarketing }}"),
    "NoticeHasRights": ("Warning", f"DELETE WHERE {{ {N} dpv:hasRight ?r }}"),
    "ProcessHasPurpose": ("Violation", f"DELETE WHERE {{ {P} dpv:hasPurpose ?x }}"),
    "ProcessHasPersonalData": ("Violation", f"DELETE WHERE {{ {P} dpv:hasPersonalData ?x }}"),
    "ProcessHasController": ("Violation", f"DELETE WHERE {{ {P} dpv:hasDataController ?x }}"),
    "ProcessIsProcess": ("Violation", f"DELETE DATA {{ {X} a dpv:Process }}"),
    "LegalBasisIsLegalBasis": ("Violation", f"INSERT DATA {{ {P} dpv:hasLegalBasis dpv:DirectMarketing }}"),
    "PurposeIsPurpose": ("Violation", f"INSERT DATA {{ {P} dpv:hasPurpose pd:EmailAddress }}"),
    "PersonalDataIsPersonalData": ("Violation", f"INSERT DATA {{ {P} dpv:hasPersonalData dpv:DirectMarketing }}"),
    "TransferHasDestination": ("Violation", f"DELETE WHERE {{ {T} dpv:hasThirdCountry ?x }}"),
    "ProhibitionSaysWhat": ("Violation", f"DELETE WHERE {{ {X} dpv:hasPurpose ?x }}"),
    "StorageDurationIsDuration": ("Violation",
        f"DELETE {{ ?d rdf:value ?v }} INSERT {{ ?d rdf:value \"two years\" }} WHERE {{ {P} dpv:hasStorageCondition/dpv:hasDuration ?d . ?d rdf:value ?v }}"),
    "ControllerHasName": ("Violation", f"DELETE WHERE {{ {C} dpv:hasName ?x }}"),
    "ControllerHasCountry": ("Warning", f"DELETE WHERE {{ {C} dpv:hasLocation ?x }}"),
    "NamedEntityHasName": ("Violation", f"DELETE WHERE {{ {DPO} dpv:hasName ?x }}"),
    "DPOHasContact": ("Warning", f"DELETE WHERE {{ {DPO} dpv:hasContact ?x }}"),
    "AnnotationShape": ("Violation", "DELETE { ?sel oa:start ?s } WHERE { ?sel a oa:TextPositionSelector ; oa:start ?s } "),
    "QuoteLengthMatchesOffsets": ("Violation",
        'DELETE { ?sel oa:end ?e } INSERT { ?sel oa:end 99999 } WHERE { ?sel a oa:TextPositionSelector ; oa:end ?e }'),
    "ProcessHasEvidence": ("Violation", f"DELETE WHERE {{ ?a oa:hasBody {P} ; ?p ?o }}"),
    "NoticeStatementHasEvidence": ("Violation",
        f"DELETE {{ ?a ?p ?o }} WHERE {{ ?st rdf:subject {N} ; rdf:predicate dpv:hasRight . ?a oa:hasBody ?st ; ?p ?o }}"),
    "DPVTermsDeclared": ("Violation", f"INSERT DATA {{ {P} dpv:hasPurpose dpv:Marketting }}"),
    "ExtensionTermsDeclared": ("Violation", f"INSERT DATA {{ {T} dpv:hasLegalBasis pkg:PrivacyShieldTypo }}"),
}


@pytest.fixture(scope="module")
def valid_graph(ontology):
    from privacykg import namespaces as ns
    from privacykg.compile import compile_policy

    cp = compile_policy(FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml", ontology, ns.IRIs(),
                        FIXTURES / "valid/sources")
    return cp.graph


def results(graph, ontology):
    from privacykg.validate import shacl_validate

    return shacl_validate(graph, ontology)


def test_valid_graph_conforms(valid_graph, ontology):
    assert results(valid_graph, ontology) == []


def test_every_rule_has_a_breaking_case(ontology):
    rules = set()
    for target in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode):
        for s in ontology.shapes.subjects(target, None):
            if isinstance(s, URIRef):
                rules.add(str(s).rpartition("#")[2])
    assert rules == set(BREAKS), f"rules without a test: {rules - set(BREAKS)}; tests without a rule: {set(BREAKS) - rules}"


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_fires(rule, valid_graph, ontology):
    severity, update = BREAKS[rule]
    g = Graph()
    for t in valid_graph:
        g.add(t)
    g.update(PRE + update)
    assert len(g) != len(valid_graph) or set(g) != set(valid_graph), "the mutation changed nothing"
    fired = results(g, ontology)
    assert any(r.shape == f"pkgsh:{rule}" and r.severity == severity for r in fired), fired
    assert all(r.message for r in fired)
    others = {r.shape for r in fired if r.severity == "Violation"} - {f"pkgsh:{rule}"}
    assert others <= ALSO.get(rule, set()), f"{rule} also broke {others}"


# Rules that one mutation breaks together by nature (a misspelt purpose is also not a purpose...)
ALSO = {
    "ControllerHasName": {"pkgsh:NamedEntityHasName"},
    "DPVTermsDeclared": {"pkgsh:PurposeIsPurpose"},
    "ExtensionTermsDeclared": {"pkgsh:LegalBasisIsLegalBasis"},
    "NoticeRightIsRight": {"pkgsh:NoticeStatementHasEvidence"},
}
