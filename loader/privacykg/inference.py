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
  (``pkg:eeaOnVersionDate loc:EEA31`` until 2020-01-31, ``loc:EEA30`` after), on each node
  that cites the source, ``pkg:firstQuote``: the first sentence (by offset) it is read from, and
  on each node with modality marks (on itself or its values), ``pkg:modality``: one string of them.

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
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, TIME

from . import namespaces as ns
from .ontology import Ontology

if TYPE_CHECKING:
    from .compile import Triples

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
    for name, pred in (
        ("broader", SKOS.broader),
        ("subClassOf", RDFS.subClassOf),
        ("subPropertyOf", RDFS.subPropertyOf),
    ):
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
    """The triples of ``graph/inferred`` (none that the ontology's graph asserts)."""
    g = Graph()
    c = ontology_closures(onto)
    for pred, name in (
        (SKOS.broaderTransitive, "broader"),
        (RDFS.subClassOf, "subClassOf"),
        (RDFS.subPropertyOf, "subPropertyOf"),
    ):
        for s, ups in c[name].items():
            for o in ups:
                t = (URIRef(s), pred, URIRef(o))
                if t not in onto.graph:
                    g.add(t)
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
    """Applies the ontology's closures to one policy graph at a time.

    It works on the N-Triples terms a policy compiles to (:class:`~privacykg.compile.Triples`);
    :meth:`infer` does the same on an rdflib graph."""

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
        # the same closures keyed and valued by N-Triples terms (sorted: the output is the same
        # from run to run)
        term = lambda closure: {f"<{k}>": tuple(f"<{x}>" for x in sorted(v)) for k, v in closure.items() if v}  # noqa: E731
        self._super_props_nt = term(self.super_props)
        self._super_classes_nt = term(self.super_classes)
        self._broader_nt = term(self.broader)

    def infer(self, policy_graph: Graph, notice_iri: str, version_date: str) -> Graph:
        """The inferred triples of an rdflib policy graph, as an rdflib graph."""
        from .compile import Triples, from_rdflib

        terms: dict[str, object] = {}

        def nt(t):
            key = from_rdflib(t)
            terms.setdefault(key, t)
            return key

        triples = Triples()
        for t in policy_graph:
            triples.add(tuple(nt(x) for x in t))
        out = Graph()
        for t in self.infer_triples(triples, notice_iri, version_date):
            out.add(tuple(terms[x] if x in terms else URIRef(x[1:-1]) for x in t))
        return out

    def infer_triples(self, policy: Triples, notice_iri: str | None = None, version_date: str | None = None) -> Triples:
        """The inferred triples of one policy (N-Triples terms), none of them already in it:
        super-classes and super-properties, ``skos:broaderTransitive``, ``pkg:firstQuote``
        and (given the notice and its date) ``pkg:eeaOnVersionDate``."""
        from .compile import Triples, term_value

        g = Triples()
        a, broader, broader_t = f"<{RDF.type}>", f"<{SKOS.broader}>", f"<{SKOS.broaderTransitive}>"
        oa = "<http://www.w3.org/ns/oa#"
        has_body, has_target, has_selector = oa + "hasBody>", oa + "hasTarget>", oa + "hasSelector>"
        start_p, exact_p = oa + "start>", oa + "exact>"
        super_classes, super_props, broader_of = self._super_classes_nt, self._super_props_nt, self._broader_nt
        bodies: list[tuple[str, str]] = []  # (annotation, body), in the order they were added
        objects: dict[tuple[str, str], list[str]] = {}  # (subject, predicate) -> objects, for the evidence
        for s, p, o in policy:
            if p == a:
                for sup in super_classes.get(o, ()):
                    g[(s, a, sup)] = None
                continue
            for sup in super_props.get(p, ()):
                g[(s, sup, o)] = None
            if p == broader:
                if o[0] == "<":
                    g[(s, broader_t, o)] = None
                    for sup in broader_of.get(o, ()):
                        g[(s, broader_t, sup)] = None
            elif p == has_body:
                bodies.append((s, o))
            elif p in (has_target, has_selector, start_p, exact_p):
                objects.setdefault((s, p), []).append(o)
        # the first sentence (by offset) each process, entity or technology is read from, so that
        # queries need not search all the evidence of the dataset for it
        first: dict[str, tuple[int, str]] = {}
        for ann, body in bodies:
            for target in objects.get((ann, has_target), ()):
                start = exact = None
                for sel in objects.get((target, has_selector), ()):
                    for v in objects.get((sel, start_p), ()):
                        start = int(term_value(v))
                    for v in objects.get((sel, exact_p), ()):
                        exact = v
                if start is not None and exact is not None and (body not in first or start < first[body][0]):
                    first[body] = (start, exact)
        first_quote = f"<{ns.PKG}firstQuote>"
        for body, (_, exact) in first.items():
            g[(body, first_quote, exact)] = None
        # each marked node's modality, one string (see modality.summaries)
        from .modality import MODALITY, summaries

        for node, text in summaries(policy).items():
            g[(node, MODALITY, text)] = None
        d = _dt.date.fromisoformat(version_date) if version_date else None
        for union, begin, end in self.eea if d else ():
            if (begin is None or begin <= d) and (end is None or d <= end):
                g[(f"<{notice_iri}>", f"<{ns.PKG}eeaOnVersionDate>", f"<{union}>")] = None
        for t in [t for t in g if t in policy]:
            del g[t]
        return g
