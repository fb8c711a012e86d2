"""Store look-ups behind the reviewer's views: labels, a policy's notice, the quotes
(``oa:`` annotations) citing a node or a statement about it, and which graph says what (a policy
version's graph, an inferred graph, a shared one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError

RDF_TYPE = ns.RDF + "type"
LABEL = ns.RDFS + "label"
OA_BODY = ns.OA + "hasBody"


class Labels:
    """rdfs:label look-ups over the store, cached."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        if iri in self.cache:
            return self.cache[iri]
        label = None
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(LABEL), None):
            label = q.object.value
            break
        if label is None:
            label = ns.compact(iri)
        self.cache[iri] = label
        return label


def find_notice(store: ox.Store, policy: str) -> str:
    """The notice IRI for ``identrics`` (newest version), ``identrics-2018-05-20`` or an IRI."""
    if policy.startswith(("http://", "https://")):
        return policy
    rows = list(
        store.query(
            "SELECT ?n ?slug ?v WHERE { ?n <https://w3id.org/privacykg/ns#policySlug> ?slug ; "
            "<https://w3id.org/privacykg/ns#versionDate> ?v }",
            use_default_graph_as_union=True,
        )
    )
    matches = []
    for r in rows:
        key = f"{r['slug'].value}-{r['v'].value}"
        if policy in (key, r["slug"].value):
            matches.append((r["v"].value, r["n"].value))
    if not matches:
        known = sorted({f"{r['slug'].value}-{r['v'].value}" for r in rows})
        raise UsageError(f"no policy '{policy}' in the store; known: {', '.join(known) or 'none'}")
    return max(matches)[1]


def props(store: ox.Store, iri: str, graph=None) -> dict[str, list]:
    """The node's properties, in one graph (its policy's asserted graph) or in all."""
    out: dict[str, list] = defaultdict(list)
    seen = set()
    for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, graph):
        key = (q.predicate.value, q.object)
        if key in seen:
            continue
        seen.add(key)
        out[q.predicate.value].append(q.object)
    return out


@dataclass
class Evidence:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    source: str = ""  # the IRI of the source text (``oa:hasSource``)


def _graph_arg(graph):
    """A graph for ``quads_for_pattern``: the named graph, or None for every graph."""
    if graph is None or isinstance(graph, ox.NamedNode):
        return graph
    return ox.NamedNode(graph)


def evidence_for(store: ox.Store, body: str, graph=None) -> list[Evidence]:
    """The quotes of the annotations whose body is ``body``, in source order; given ``graph``
    (a policy version's graph), only the annotations of that graph, whose offsets are into that
    policy's text.

    Walks annotation -> target -> selectors with pattern look-ups (one SPARQL query with the
    body substituted costs a join over every annotation in the store, for each node of a page)."""
    g = _graph_arg(graph)

    def objects(s, local):
        return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(ns.OA + local), None, g)]

    def first(s, local):
        vals = objects(s, local)
        return vals[0].value if vals else None

    found = set()
    anns = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(OA_BODY), ox.NamedNode(body), g)}
    for ann in anns:
        for target in set(objects(ann, "hasTarget")):
            source = first(target, "hasSource") or ""
            quotes, positions = [], []
            for sel in set(objects(target, "hasSelector")):
                exact = first(sel, "exact")
                if exact is not None:
                    quotes.append((exact, first(sel, "prefix") or "", first(sel, "suffix") or ""))
                start, stop = first(sel, "start"), first(sel, "end")
                if start is not None and stop is not None:
                    positions.append((int(start), int(stop)))
            for exact, prefix, suffix in quotes:
                for start, stop in positions:
                    found.add((start, stop, exact, prefix, suffix, source))
    return [
        Evidence(exact, prefix, suffix, start, stop, source)
        for start, stop, exact, prefix, suffix, source in sorted(found)
    ]


def statements_about(store: ox.Store, s: str, graph=None) -> list[tuple[ox.NamedNode, ox.NamedNode, object]]:
    """The reified statements with ``rdf:subject s`` (in one graph or all): (statement, predicate, object)."""
    g = _graph_arg(graph)
    rdf = lambda local: ox.NamedNode(ns.RDF + local)
    out, seen = [], set()
    for q in store.quads_for_pattern(None, rdf("subject"), ox.NamedNode(s), g):
        st = q.subject
        if st in seen or not isinstance(st, ox.NamedNode):
            continue
        seen.add(st)
        preds = [x.object for x in store.quads_for_pattern(st, rdf("predicate"), None, g)]
        objs = [x.object for x in store.quads_for_pattern(st, rdf("object"), None, g)]
        out.extend((st, p, o) for p in preds for o in objs if isinstance(p, ox.NamedNode))
    return sorted(out, key=lambda x: x[0].value)


def statement_evidence(store: ox.Store, s: str, p: str, o, graph=None) -> list[Evidence]:
    """The quotes of the reified statements ``s p o`` (``rdf:subject`` / ``rdf:predicate`` /
    ``rdf:object``), in one graph or in all."""
    out = []
    for st, pred, obj in statements_about(store, s, graph):
        if pred.value == p and obj == o:
            out.extend(evidence_for(store, st.value, graph))
    return out


def about_evidence(store: ox.Store, iri: str, graph) -> list[Evidence]:
    """The quotes a policy's graph gives for a node: those citing the node and those citing a
    statement about it, without repeats, in source order."""
    found = {(e.start, e.end, e.exact): e for e in evidence_for(store, iri, graph)}
    for st, _, _ in statements_about(store, iri, graph):
        for e in evidence_for(store, st.value, graph):
            found.setdefault((e.start, e.end, e.exact), e)
    return [found[k] for k in sorted(found)]


# ---------------------------------------------------------------------------- which graph says it


def is_inferred_graph(graph) -> bool:
    """Whether a graph holds materialised triples: ``<base>graph/inferred`` and the graphs under it.

    >>> is_inferred_graph(ox.NamedNode("https://w3id.org/privacykg/graph/inferred/acme/2024-03-01"))
    True
    >>> is_inferred_graph(ox.NamedNode("https://w3id.org/privacykg/graph/inferredco/2024-03-01"))
    False
    """
    if not isinstance(graph, ox.NamedNode):
        return False
    return "/graph/inferred/" in graph.value or graph.value.endswith("/graph/inferred")


def asserted_graph_of(graph: ox.NamedNode) -> ox.NamedNode | None:
    """The graph whose triples an inferred graph was materialised from: ``<base>graph/inferred/X``
    -> ``<base>graph/X``; None for the vocabulary's closure (``<base>graph/inferred``).

    >>> asserted_graph_of(ox.NamedNode("https://w3id.org/privacykg/graph/inferred/acme/2024-03-01")).value
    'https://w3id.org/privacykg/graph/acme/2024-03-01'
    """
    at = graph.value.rfind("/graph/inferred/")
    if at < 0:
        return None
    return ox.NamedNode(graph.value[:at] + "/graph/" + graph.value[at + len("/graph/inferred/") :])


@dataclass(frozen=True)
class PolicyRef:
    """A policy version as a page names it: its graph, notice, title, controller and version."""

    graph: str
    notice: str
    title: str
    controller: str
    version: str
    source: str

    @property
    def name(self) -> str:
        """The policy, every version of it: its controller (unless the title names it) and title."""
        who = f"{self.controller} · " if self.controller and self.controller not in self.title else ""
        return f"{who}{self.title}"

    @property
    def heading(self) -> str:
        return f"{self.name} · version {self.version}" if self.version else self.name


class Graphs:
    """What each named graph is, looked up once per page: a policy version's graph (with its
    notice), an inferred graph, or another asserted graph (the vocabulary, an entity's shared
    description)."""

    def __init__(self, store: ox.Store, labels: Labels):
        self.store = store
        self.labels = labels
        self.cache: dict[ox.NamedNode, PolicyRef | None] = {}

    def policy(self, graph) -> PolicyRef | None:
        """The policy version whose graph this is (for an inferred graph: the policy version it
        was materialised from), or None."""
        if not isinstance(graph, ox.NamedNode):
            return None
        if is_inferred_graph(graph):
            graph = asserted_graph_of(graph)
            if graph is None:
                return None
        if graph not in self.cache:
            self.cache[graph] = self._read(graph)
        return self.cache[graph]

    def is_policy_graph(self, graph) -> bool:
        return not is_inferred_graph(graph) and self.policy(graph) is not None

    def _read(self, graph: ox.NamedNode) -> PolicyRef | None:
        notices = [
            q.subject
            for q in self.store.quads_for_pattern(
                None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice"), graph
            )
        ]
        if not notices:
            return None
        n = notices[0]
        p = props(self.store, n.value, graph)
        first = lambda pred: p[pred][0].value if p.get(pred) else ""
        controller = first(ns.DPV + "hasDataController")
        return PolicyRef(
            graph.value,
            n.value,
            first(ns.DCT + "title") or self.labels(n.value),
            self.name(controller, graph) if controller else "",
            first(ns.PKG + "versionDate"),
            first(ns.PKG + "sourceText"),
        )

    def name(self, iri: str, graph: ox.NamedNode | None = None) -> str:
        """An organisation's name: the one the policy version of ``graph`` gives it (its
        rdf:Statement: a renamed company has each version's own), else from any asserted
        graph, else its label."""
        if graph is not None:
            for q in self.store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "subject"), ox.NamedNode(iri), graph):
                if any(
                    True
                    for _ in self.store.quads_for_pattern(
                        q.subject, ox.NamedNode(ns.RDF + "predicate"), ox.NamedNode(ns.DPV + "hasName"), graph
                    )
                ):
                    for o in self.store.quads_for_pattern(q.subject, ox.NamedNode(ns.RDF + "object"), None, graph):
                        return o.object.value
        return self._any_name(iri)

    def _any_name(self, iri: str) -> str:
        """An organisation's name, from any asserted graph, else its label."""
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ns.DPV + "hasName"), None):
            if not is_inferred_graph(q.graph_name):
                return q.object.value
        return self.labels(iri)


def first_asserted(store: ox.Store, s: ox.NamedNode, p: str) -> str:
    """The value of the first asserted (not inferred) ``s p ?o``, or "" when there is none."""
    for q in store.quads_for_pattern(s, ox.NamedNode(p), None):
        if not is_inferred_graph(q.graph_name):
            return q.object.value
    return ""
