"""Build-time materialisation, so that any SPARQL store answers the same with no reasoner.

What is materialised, and where:

* ``<base>graph/inferred`` (once per build, from the ontology):
  ``skos:broaderTransitive`` for every concept and each of its ancestors by ``skos:broader``
  (location-union links excluded: a country's union is membership, not a kind; test EEA
  membership one hop with ``loc:EEA skos:narrower ?country``), and the closures of
  ``rdfs:subClassOf`` and ``rdfs:subPropertyOf``.
* ``<base>graph/inferred/<policy>/<version>`` (one per policy, replaced with it):
  the super-properties of every statement (``dpv:hasDataProcessor`` -> ``dpv:hasRecipient``
  -> ``dpv:hasEntity``), the super-classes of every type, ``skos:broaderTransitive`` of
  technologies, and the EEA composition in force on the policy's date
  (``pkg:eeaOnVersionDate loc:EEA31`` until 2020-01-31, ``loc:EEA30`` after), and on each node
  that cites the source, ``pkg:firstQuote``: the first sentence (by offset) it is read from.

Why not owlrl or owlready2 here: both compute a full RDFS/OWL-RL closure of everything,
axiomatic triples included, which at 100,000 policies costs hours; what the queries need are
three closures of a small ontology, computed once, then applied per policy as it streams by.
The test suite checks that these triples are all entailed by owlrl's RDFS closure.

>>> from privacykg.ontology import load_ontology
>>> onto = load_ontology()
>>> eea_on("2019-06-01", onto), eea_on("2021-06-04", onto)
('https://w3id.org/dpv/loc#EEA31', 'https://w3id.org/dpv/loc#EEA30')
"""

from __future__ import annotations

import datetime as _dt
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, TIME

from . import namespaces as ns
from .ontology import Ontology

EEA_VERSIONS = ("EEA31", "EEA30")


def _closure(pairs: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def up(x, seen):
        for p in pairs.get(x, ()):
            if p not in seen:
                seen.add(p)
                up(p, seen)
        return seen

    for x in pairs:
        out[x] = up(x, set())
    return out


def ontology_closures(onto: Ontology) -> dict[str, dict[str, set[str]]]:
    """Transitive closures of skos:broader (no loc->loc), rdfs:subClassOf, rdfs:subPropertyOf."""
    result = {}
    for name, pred in (("broader", SKOS.broader), ("subClassOf", RDFS.subClassOf), ("subPropertyOf", RDFS.subPropertyOf)):
        pairs: dict[str, set[str]] = {}
        for s, o in onto.graph.subject_objects(pred):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                s, o = str(s), str(o)
                if name == "broader" and s.startswith(ns.LOC) and o.startswith(ns.LOC):
                    continue
                pairs.setdefault(s, set()).add(o)
        result[name] = _closure(pairs)
    return result


def ontology_inferred(onto: Ontology) -> Graph:
    """The triples of ``graph/inferred``."""
    g = Graph()
    c = ontology_closures(onto)
    for pred, name in ((SKOS.broaderTransitive, "broader"), (RDFS.subClassOf, "subClassOf"),
                       (RDFS.subPropertyOf, "subPropertyOf")):
        for s, ups in c[name].items():
            for o in ups:
                g.add((URIRef(s), pred, URIRef(o)))
    return g


def _date(lit) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(lit))
    except ValueError:
        return None


def eea_on(date: str, onto: Ontology) -> str | None:
    """The EEA composition (``loc:EEA31`` / ``loc:EEA30``) in force on ``date`` (YYYY-MM-DD)."""
    d = _dt.date.fromisoformat(date)
    for union, begin, end in _eea_intervals(onto):
        if (begin is None or begin <= d) and (end is None or d <= end):
            return union
    return None


def _eea_intervals(onto: Ontology) -> list[tuple[str, _dt.date | None, _dt.date | None]]:
    """Validity intervals of the dated EEA compositions, from the profile (DPV's OWL-Time pattern).
    EEA30 has no interval in DPV: it starts the day after EEA31 ends."""
    out = []
    ends = {}
    for v in EEA_VERSIONS:
        u = URIRef(ns.LOC + v)
        begin = end = None
        for interval in onto.graph.objects(u, DCTERMS.temporal):
            for inst in onto.graph.objects(interval, TIME.hasBeginning):
                begin = _date(onto.graph.value(inst, TIME.inXSDDate))
            for inst in onto.graph.objects(interval, TIME.hasEnd):
                end = _date(onto.graph.value(inst, TIME.inXSDDate))
        ends[v] = end
        out.append([ns.LOC + v, begin, end])
    if out[1][1] is None and ends["EEA31"]:
        out[1][1] = ends["EEA31"] + _dt.timedelta(days=1)
    return [tuple(x) for x in out]


class PolicyInferencer:
    """Applies the ontology's closures to one policy graph at a time."""

    def __init__(self, onto: Ontology):
        self.onto = onto
        c = ontology_closures(onto)
        self.super_props = c["subPropertyOf"]
        classes = {}
        for name in ("subClassOf", "broader"):
            for k, v in c[name].items():
                classes.setdefault(k, set()).update(v)
        self.super_classes = classes
        self.broader = c["broader"]
        self.eea = _eea_intervals(onto)

    def infer(self, policy_graph: Graph, notice_iri: str, version_date: str) -> Graph:
        g = Graph()
        for s, p, o in policy_graph:
            if p == RDF.type:
                for sup in self.super_classes.get(str(o), ()):
                    g.add((s, RDF.type, URIRef(sup)))
            else:
                for sup in self.super_props.get(str(p), ()):
                    g.add((s, URIRef(sup), o))
            if p == SKOS.broader and isinstance(o, URIRef):
                g.add((s, SKOS.broaderTransitive, o))
                for sup in self.broader.get(str(o), ()):
                    g.add((s, SKOS.broaderTransitive, URIRef(sup)))
        # the first sentence (by offset) each process, entity or technology is read from, so that
        # queries need not search all the evidence of the dataset for it
        OA = "http://www.w3.org/ns/oa#"
        first: dict = {}
        for ann, body in policy_graph.subject_objects(URIRef(OA + "hasBody")):
            for target in policy_graph.objects(ann, URIRef(OA + "hasTarget")):
                start = exact = None
                for sel in policy_graph.objects(target, URIRef(OA + "hasSelector")):
                    for v in policy_graph.objects(sel, URIRef(OA + "start")):
                        start = int(v)
                    for v in policy_graph.objects(sel, URIRef(OA + "exact")):
                        exact = v
                if start is not None and exact is not None and (body not in first or start < first[body][0]):
                    first[body] = (start, exact)
        for body, (_, exact) in first.items():
            g.add((body, URIRef(ns.PKG + "firstQuote"), exact))
        d = _dt.date.fromisoformat(version_date)
        for union, begin, end in self.eea:
            if (begin is None or begin <= d) and (end is None or d <= end):
                g.add((URIRef(notice_iri), URIRef(ns.PKG + "eeaOnVersionDate"), URIRef(union)))
        return g - policy_graph
