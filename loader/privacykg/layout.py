"""One triple, one place: how a compiled policy is laid out in named graphs.

A policy compiles to one set of triples (:class:`~privacykg.compile.Triples`), the set the
shapes and checks validate. In the store it is split so that no triple sits in two graphs:

* ``<base>graph/<policy>/<version>`` keeps what the policy says: its notice, processes,
  prohibitions, technologies and evidence, and, for each statement it makes about a named
  organisation or person (name, types, roles, location, address ...), an ``rdf:Statement``
  node (``rdf:subject``, ``rdf:predicate``, ``rdf:object``) citing it: "which policy says
  this" is answered there;
* ``<base>graph/entity/<key>`` holds the statements about the entity ``<base>entity/<key>``
  once, whichever and however many policies make them: the union of what every policy
  says of it (each triple there is backed by at least one policy's ``rdf:Statement``);
* ``<base>graph/inferred/<policy>/<version>`` and ``<base>graph/inferred/entity/<key>``
  hold what is inferred from each, never a triple asserted anywhere.

Why: the default graph of a query is the union of the graphs, and stores such as pyoxigraph
0.5 and Virtuoso give a triple once per graph that holds it; an organisation named by k
policies would otherwise be counted k times by any client's ``COUNT``.

>>> from privacykg.compile import Triples
>>> iris = ns.IRIs("http://example.org/")
>>> t = Triples()
>>> t.add(("<http://example.org/policy/a/2020-01-01>", "<https://w3id.org/privacykg/ns#mentionsEntity>", "<http://example.org/entity/acme>"))
>>> t.add(("<http://example.org/entity/acme>", "<https://w3id.org/dpv#hasName>", '"Acme"'))
>>> own, entities = split(t, "http://example.org/policy/a/2020-01-01", iris)
>>> len(own), sorted(entities)
(5, ['<http://example.org/entity/acme>'])
>>> entity_key("<http://example.org/entity/acme>", iris), iris.entity_graph("acme")
('acme', 'http://example.org/graph/entity/acme')
"""

from __future__ import annotations

from . import namespaces as ns
from .compile import Triples, statement_node

A = f"<{ns.RDF}type>"
RDF_STATEMENT = f"<{ns.RDF}Statement>"
RDF_SUBJECT = f"<{ns.RDF}subject>"
RDF_PREDICATE = f"<{ns.RDF}predicate>"
RDF_OBJECT = f"<{ns.RDF}object>"


def entity_prefix(iris: ns.IRIs) -> str:
    """The start of the N-Triples term of every entity IRI."""
    return f"<{iris.entity('')}"


def entity_key(term: str, iris: ns.IRIs) -> str | None:
    """The key of an entity's N-Triples term (``<base>entity/KEY``), or None."""
    prefix = entity_prefix(iris)
    return term[len(prefix) : -1] if term.startswith(prefix) else None


def reify(triple: tuple[str, str, str], notice_iri: str) -> list[tuple[str, str, str]]:
    """The ``rdf:Statement`` triples by which a policy says ``triple`` (the node is the one the
    compiler gives a statement with its own quote, so the two merge)."""
    s, p, o = triple
    st = statement_node(f"<{notice_iri}>", s, p, o)
    return [(st, A, RDF_STATEMENT), (st, RDF_SUBJECT, s), (st, RDF_PREDICATE, p), (st, RDF_OBJECT, o)]


def split(triples: Triples, notice_iri: str, iris: ns.IRIs) -> tuple[Triples, dict[str, Triples]]:
    """A compiled policy's triples as (the policy graph's, {entity term: its statements}): a
    triple about an entity goes to the entity, and the policy graph keeps its statement."""
    own = Triples()
    entities: dict[str, Triples] = {}
    prefix = entity_prefix(iris)
    for t in triples:
        if t[0].startswith(prefix):
            entities.setdefault(t[0], Triples()).add(t)
            for r in reify(t, notice_iri):
                own.add(r)
        else:
            own.add(t)
    return own, entities


def own_inferred(inferred: Triples, iris: ns.IRIs) -> Triples:
    """The triples of a policy's inferred graph: what is inferred from it but not about an
    entity. What is inferred about an entity comes from its whole description
    (:func:`entity_graphs`); an entity's first quote and modality are one policy's, and the
    evidence and statements in that policy's graph already say them."""
    prefix = entity_prefix(iris)
    return Triples((t, None) for t in inferred if not t[0].startswith(prefix))


def entity_graphs(term: str, asserted: Triples, inferencer, iris: ns.IRIs) -> dict[str, Triples]:
    """An entity's graph (its whole description ``asserted``) and its inferred graph (what the
    inferencer adds to it; empty when nothing), by graph name."""
    key = entity_key(term, iris)
    return {iris.entity_graph(key): asserted, iris.entity_inferred_graph(key): inferencer.infer_triples(asserted)}


class EntityGraphs:
    """The shared descriptions of entities, gathered policy by policy: the union of what the
    policies say of each."""

    def __init__(self, iris: ns.IRIs):
        self.iris = iris
        self.asserted: dict[str, Triples] = {}

    def add(self, asserted: dict[str, Triples]) -> None:
        for term, ts in asserted.items():
            self.asserted.setdefault(term, Triples()).update(ts)

    def nquads(self, inferencer) -> str:
        """Every entity graph and entity inferred graph, as N-Quads."""
        return "".join(
            triples.nquads(g)
            for term, asserted in self.asserted.items()
            for g, triples in entity_graphs(term, asserted, inferencer, self.iris).items()
        )


# ---- replacing or removing one policy in a built store -----------------------------------------

_STATEMENTS_ABOUT = """SELECT ?e ?g ?p ?o WHERE {
  GRAPH ?g { ?st a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?e ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } }"""
_ENTITIES_IN = """SELECT DISTINCT ?g ?e WHERE {
  GRAPH ?g { ?st a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?e } }"""
_ANNOTATION_FILE = (
    """SELECT ?g ?meta ?file WHERE { GRAPH ?meta { ?g <https://w3id.org/privacykg/ns#annotationFile> ?file } }"""
)


def entities_in(dataset, graph: str, iris: ns.IRIs) -> set[str]:
    """The entity terms a stored policy graph makes statements about (``dataset``: a pyoxigraph
    store or a :class:`~privacykg.remote.RemoteDataset`)."""
    import pyoxigraph as ox

    prefix = entity_prefix(iris)
    rows = dataset.query(_ENTITIES_IN, substitutions={ox.Variable("g"): ox.NamedNode(graph)})
    return {str(r["e"]) for r in rows if str(r["e"]).startswith(prefix)}


def statements_about(dataset, term: str, leave_out: str) -> dict[str, list[tuple[str, str]]]:
    """What each stored policy graph but ``leave_out`` says of the entity ``term``:
    {graph: [(predicate, object)]} as N-Triples terms."""
    import pyoxigraph as ox

    out: dict[str, list[tuple[str, str]]] = {}
    for r in dataset.query(_STATEMENTS_ABOUT, substitutions={ox.Variable("e"): ox.NamedNode(term[1:-1])}):
        g = r["g"].value
        if g != leave_out:
            out.setdefault(g, []).append((str(r["p"]), str(r["o"])))
    return out


def annotation_file(dataset, graph: str, iris: ns.IRIs) -> str:
    """The annotation file a stored policy graph was built from (as the metadata graph names it)."""
    import pyoxigraph as ox

    subs = {ox.Variable("g"): ox.NamedNode(graph), ox.Variable("meta"): ox.NamedNode(iris.metadata_graph)}
    for r in dataset.query(_ANNOTATION_FILE, substitutions=subs):
        return r["file"].value
    return graph


def entity_graphs_after(
    dataset, graph: str, new: dict[str, Triples], inferencer, iris: ns.IRIs
) -> tuple[dict[str, Triples], dict[str, dict[str, list[tuple[str, str]]]]]:
    """The entity graphs (and entity inferred graphs) to write when the policy graph ``graph``
    is replaced by one saying ``new`` (or removed: ``new`` empty): {graph name: triples}, an
    empty set for a graph to drop (an entity no policy speaks of any more); and, for the
    identity check, what the other policies say of each entity of ``new``."""
    touched = set(new) | entities_in(dataset, graph, iris)
    out: dict[str, Triples] = {}
    others_of: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for term in sorted(touched):
        others = statements_about(dataset, term, graph)
        others_of[term] = others
        asserted = Triples(((term, p, o), None) for pairs in others.values() for p, o in pairs)
        asserted.update(new.get(term, Triples()))
        out.update(entity_graphs(term, asserted, inferencer, iris))
    return out, others_of
