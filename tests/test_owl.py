"""Our ontology files load in owlready2 and HermiT finds them consistent (Java from Debian).

HermiT accepts only OWL 2 datatypes, and xsd:date is not one: the copy handed to it carries
the dates as xsd:dateTime at midnight UTC, which changes no class or property axiom."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java: `make test` installs it")

FILES = ["dpv-profile.ttl", "privacykg.ttl", "transfer-mechanisms.ttl"]


def reason(graph: Graph, tmp_path):
    from owlready2 import World, sync_reasoner

    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype == XSD.date:
            graph.remove((s, p, o))
            graph.add((s, p, Literal(f"{o}T00:00:00Z", datatype=XSD.dateTime)))
    path = tmp_path / "ontology.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    sync_reasoner(world, infer_property_values=False, debug=0)
    return world


def ontology_graph() -> Graph:
    g = Graph()
    for f in FILES:
        g.parse(ROOT / "ontology" / f)
    return g


def test_ontology_is_consistent(tmp_path):
    world = reason(ontology_graph(), tmp_path)
    assert list(world.inconsistent_classes()) == []
    assert len(world.graph) > 5000  # the whole vocabulary was loaded


def test_an_inconsistency_would_be_found(tmp_path):
    """The check can fail: two disjoint classes with a common member are caught."""
    from owlready2 import OwlReadyInconsistentOntologyError

    g = ontology_graph()
    a, b = URIRef("https://w3id.org/privacykg/ns#JobTitle"), URIRef("https://w3id.org/privacykg/ns#Employer")
    g.add((a, RDF.type, OWL.Class))
    g.add((b, RDF.type, OWL.Class))
    g.add((a, OWL.disjointWith, b))
    x = URIRef("https://example.org/both")
    g.add((x, RDF.type, a))
    g.add((x, RDF.type, b))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        reason(g, tmp_path)
