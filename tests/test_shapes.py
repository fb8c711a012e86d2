"""One test per SHACL rule of ontology/shapes/: a valid policy graph passes; each mutation
breaks exactly the rule named, and that rule fires with its severity."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from helpers import BREAKS, FIXTURES, PRE


@pytest.fixture(scope="module")
def valid_graph(ontology):
    from privacykg import namespaces as ns
    from privacykg.compile import compile_policy

    cp = compile_policy(
        FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml", ontology, ns.IRIs(), FIXTURES / "valid/sources"
    )
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
    assert rules == set(BREAKS), (
        f"rules without a test: {rules - set(BREAKS)}; tests without a rule: {set(BREAKS) - rules}"
    )


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
