"""The two ways the shapes run agree: pySHACL on one policy graph, and the SPARQL translation
set-wise on a store (what `privacykg build` uses by default). Every rule-breaking case of
tests/test_shapes.py fires the same rules in both."""

from __future__ import annotations

import pytest
from rdflib import Graph

from helpers import BREAKS, FIXTURES, PRE, store_for
from privacykg import namespaces as ns

TERM_RULES = {"DPVTermsDeclared", "ExtensionTermsDeclared"}  # covered by queries/checks/undeclared-term-violation.rq


def sparql_rules(policy, ontology, set_based=True):
    from privacykg.shacl_sparql import validate_store

    return {
        (sq.shape, sq.severity)
        for sq, g, focus in validate_store(store_for(policy, ontology), ontology.shapes, set_based=set_based)
    }


def pyshacl_rules(policy, ontology):
    from privacykg.validate import shacl_validate

    return {(r.shape, r.severity) for r in shacl_validate(policy, ontology)}


@pytest.fixture(scope="module")
def policy(ontology):
    from privacykg.compile import compile_policy

    return compile_policy(
        FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml", ontology, ns.IRIs(), FIXTURES / "valid/sources"
    ).graph


# both SPARQL translations: the set-wise one the build uses, and the EXISTS one it falls back to
TRANSLATIONS = pytest.mark.parametrize("set_based", [True, False], ids=["set-wise", "exists"])


@TRANSLATIONS
def test_valid_policy_in_both(policy, ontology, set_based):
    assert sparql_rules(policy, ontology, set_based) == set() == pyshacl_rules(policy, ontology)


@TRANSLATIONS
@pytest.mark.parametrize("rule", sorted(set(BREAKS) - TERM_RULES))
def test_engines_agree(rule, policy, ontology, set_based):
    g = Graph()
    for t in policy:
        g.add(t)
    g.update(PRE + BREAKS[rule][1])
    ours, reference = sparql_rules(g, ontology, set_based), pyshacl_rules(g, ontology)
    reference = {r for r in reference if r[0].rpartition(":")[2] not in TERM_RULES}
    assert (f"pkgsh:{rule}", BREAKS[rule][0]) in ours
    assert ours == reference
