"""The triples the endpoint serves in RDF formats for a resource (``describe_triples``) and for
the terms of a namespace (``vocabulary_triples``).
"""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .evidence import LABEL, OA_BODY, is_inferred_graph


def describe_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The resource's description: its own triples (with the blank nodes and ``<iri>#...`` nodes
    they lead to), the labels of what it links to, the statements made about it (``rdf:subject``)
    and the evidence citing it or them (annotation, target, quote and position selectors).
    A resource with no triples of its own is described by the triples pointing to it."""
    node = ox.NamedNode(iri)
    seen = set()
    out = []

    def add(t):
        if t not in seen:
            seen.add(t)
            out.append(t)

    def closure(start, doc: str, with_labels: bool):
        """start's triples, and those of the nodes local to ``doc``'s document it leads to."""
        todo, done = [start], set()
        while todo:
            n = todo.pop()
            if n in done or len(done) > 2000:
                continue
            done.add(n)
            for q in store.quads_for_pattern(n, None, None):
                add(ox.Triple(q.subject, q.predicate, q.object))
                o = q.object
                if isinstance(o, ox.BlankNode) or (isinstance(o, ox.NamedNode) and o.value.startswith(doc + "#")):
                    todo.append(o)
                elif with_labels and isinstance(o, ox.NamedNode):
                    for lq in store.quads_for_pattern(o, ox.NamedNode(LABEL), None):
                        add(ox.Triple(lq.subject, lq.predicate, lq.object))

    closure(node, iri.split("#")[0], True)
    if not out:
        for i, q in enumerate(store.quads_for_pattern(None, None, node)):
            if i >= 500:
                break
            add(ox.Triple(q.subject, q.predicate, q.object))
        return out
    bodies = [node] + [q.subject for q in store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "subject"), node)]
    for b in bodies:
        if b != node:
            closure(b, b.value.split("#")[0] if isinstance(b, ox.NamedNode) else "", False)
        for q in store.quads_for_pattern(None, ox.NamedNode(OA_BODY), b):
            ann = q.subject
            closure(ann, ann.value.split("#")[0] if isinstance(ann, ox.NamedNode) else "", False)
    return out


def _asserted(q) -> bool:
    return not is_inferred_graph(q.graph_name)


def vocabulary_triples(store: ox.Store, namespace: str) -> list[ox.Triple]:
    """The asserted triples about the terms of a namespace (our extension, ``pkg:``)."""
    seen, out = set(), []
    rows = store.query(
        "SELECT ?s ?p ?o ?g ?ns WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ns)) }",
        substitutions={ox.Variable("ns"): ox.Literal(namespace)},
    )
    for r in rows:
        q = ox.Quad(r["s"], r["p"], r["o"], r["g"])
        if _asserted(q):
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                out.append(t)
    return out
