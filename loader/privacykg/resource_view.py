"""What a resource's page shows (``resource_view``): its asserted description with the policies
stating each triple, what each policy's graph says of it with that policy's quotes, and the
inferred triples apart, each with why it holds (``inference_reason``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import namespaces as ns
from .evidence import (
    LABEL,
    OA_BODY,
    RDF_TYPE,
    Evidence,
    Graphs,
    Labels,
    PolicyRef,
    about_evidence,
    asserted_graph_of,
    evidence_for,
    is_inferred_graph,
    statement_evidence,
    statements_about,
)

#: How much a resource page reads: the triples pointing to it (GitHub, named by every version
#: of two long histories, has about 4,300 with the inferred ones), and the policies it lists.
MAX_INCOMING = 20_000
MAX_SECTIONS = 100

SKIP_INCOMING = {OA_BODY, ns.RDF + "subject", ns.RDF + "object"}
SUBCLASS = ns.RDFS + "subClassOf"
SUBPROPERTY = ns.RDFS + "subPropertyOf"

#: Where DPV's sub-property reading says the opposite of the words: what the stated property means.
READING_NOTES = {
    ns.DPV + "isOutsideOfLocation": "the policy places it outside of this location, not in it",
}
#: Inferred properties that no sub-property explains, in words.
DERIVED_NOTES = {
    ns.PKG + "firstQuote": "the first quote of this node in its policy, copied for queries",
    ns.PKG + "eeaOnVersionDate": "the EEA membership in force on the policy's date",
    ns.SKOS + "broaderTransitive": "the transitive closure of skos:broader",
}


@dataclass
class Row:
    """One triple on a resource's page: ``resource predicate other`` or, ``incoming``, ``other
    predicate resource``; with the quotes of its reified statement, the quotes of the node that
    points here (``context``) and, for an inferred row, why it holds."""

    predicate: str
    other: object
    incoming: bool = False
    quotes: list[Evidence] = field(default_factory=list)
    context: list[Evidence] = field(default_factory=list)
    reason: str = ""
    quad: object = None  # the quad an incoming row was read from (its quotes are read from it)


@dataclass
class PolicySection:
    """What one policy version's graph says of the resource. For an earlier version of a policy
    whose newer version is on the page too (``newer``), ``rows`` keeps only what that newer
    version no longer says, and ``unchanged`` counts the rest (a long history stays small)."""

    policy: PolicyRef
    rows: list[Row] = field(default_factory=list)
    quotes: list[Evidence] = field(default_factory=list)  # citing the resource or a statement about it
    newer: PolicyRef | None = None
    unchanged: int = 0


def policy_of(sec: PolicySection) -> str:
    """The policy a version's section belongs to: its graph ``<base>graph/<policy>/<date>`` without
    the date (every version of the policy, whatever name its controller had then)."""
    return sec.policy.graph.rsplit("/", 1)[0]


@dataclass
class ResourceView:
    iri: str
    title: str
    #: asserted triples of the resource: (predicate, object, the policies stating it)
    description: list[tuple[str, object, list[PolicyRef]]] = field(default_factory=list)
    related: list[Row] = field(default_factory=list)  # asserted links to it outside any policy
    sections: list[PolicySection] = field(default_factory=list)
    inferred: list[tuple[str, list[Row]]] = field(default_factory=list)  # (whose materialisation, rows)
    more_sections: int = 0
    labels: Labels | None = None


def _has(store: ox.Store, s, p: str, o) -> bool:
    return any(True for _ in store.quads_for_pattern(s, ox.NamedNode(p), o))


def _asserted_quads(store: ox.Store, s=None, p=None, o=None, within=None) -> list:
    """The asserted quads of a pattern; ``within(graph)`` narrows them to some graphs."""
    return [
        q
        for q in store.quads_for_pattern(s, p, o)
        if not is_inferred_graph(q.graph_name) and (within is None or within(q.graph_name))
    ]


def inference_reason(store: ox.Store, s, p: str, o, within=None) -> str:
    """Why an inferred triple holds, in words: the stated sub-property or sub-class it comes
    from (with what the stated one means where DPV's reading would mislead), or what it derives.
    ``within(graph)`` says which asserted graphs it may come from (its policy's and shared ones)."""
    if p in DERIVED_NOTES:
        return DERIVED_NOTES[p]
    if p == RDF_TYPE:
        subs = sorted(
            {
                q.object.value
                for q in _asserted_quads(store, s, ox.NamedNode(RDF_TYPE), None, within)
                if q.object != o and _has(store, q.object, SUBCLASS, o)
            }
        )
        if subs:
            return f"stated as {', '.join(map(ns.compact, subs))}, which DPV makes a sub-class of {ns.compact(o.value)}"
        return "entailed by the vocabulary"
    for q in _asserted_quads(store, s, None, o, within):
        sub = q.predicate.value
        if sub != p and _has(store, q.predicate, SUBPROPERTY, ox.NamedNode(p)):
            note = READING_NOTES.get(sub)
            return f"stated as {ns.compact(sub)}, which DPV makes a sub-property of {ns.compact(p)}" + (
                f": {note}" if note else ""
            )
    return "entailed by the vocabulary"


def _sources_of(graph: ox.NamedNode, graphs: Graphs):
    """Which asserted graphs an inferred graph's triples come from: its own asserted graph and
    the graphs that are no policy's (shared descriptions, the vocabulary)."""
    own = asserted_graph_of(graph)
    if own is None:
        return None
    return lambda g: g == own or not graphs.is_policy_graph(g)


class Sections:
    """The page's sections, one per policy whose graph says something of the resource, made on
    first use; past ``limit`` policies, the others are only counted (a page stays bounded when an
    organisation is named by thousands of policies)."""

    def __init__(self, graphs: Graphs, limit: int = MAX_SECTIONS):
        self.graphs = graphs
        self.limit = limit
        self.by_graph: dict[ox.NamedNode, PolicySection] = {}
        self.left_off: set = set()

    def get(self, graph) -> PolicySection | None:
        """The section of the policy whose (asserted) graph this is, or None (not a policy's
        graph, or one past the limit)."""
        if graph in self.by_graph:
            return self.by_graph[graph]
        ref = self.graphs.policy(graph) if not is_inferred_graph(graph) else None
        if ref is None:
            return None
        if len(self.by_graph) >= self.limit:
            self.left_off.add(graph)
            return None
        self.by_graph[graph] = PolicySection(ref)
        return self.by_graph[graph]

    def is_policy(self, graph) -> bool:
        return graph in self.left_off or self.get(graph) is not None


def _statement_graphs(store: ox.Store, node: ox.NamedNode) -> set:
    """The graphs holding evidence of the resource: annotations citing it, statements about it."""
    found = {q.graph_name for q in store.quads_for_pattern(None, ox.NamedNode(OA_BODY), node)}
    found |= {q.graph_name for q in store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "subject"), node)}
    return {g for g in found if isinstance(g, ox.NamedNode)}


def _read_own(store: ox.Store, view: ResourceView, node, sections: Sections, inferred: dict) -> None:
    """The resource's own triples: asserted ones into the description (with the policies whose
    graphs state them), inferred ones apart."""
    stated: dict[tuple, list[PolicyRef]] = {}
    for q in store.quads_for_pattern(node, None, None):
        key = (q.predicate.value, q.object)
        if is_inferred_graph(q.graph_name):
            inferred.setdefault(q.graph_name, []).append(Row(q.predicate.value, q.object))
            continue
        refs = stated.setdefault(key, [])
        sec = sections.get(q.graph_name)
        if sec is not None and sec.policy not in refs:
            refs.append(sec.policy)
    for g in sorted(_statement_graphs(store, node), key=lambda g: g.value):
        sec = sections.get(g)
        if sec is None:
            continue
        for _, p, o in statements_about(store, node.value, g):
            refs = stated.setdefault((p.value, o), [])
            if sec.policy not in refs:
                refs.append(sec.policy)
    first = {RDF_TYPE: 0, LABEL: 1}
    for (p, o), refs in sorted(
        stated.items(), key=lambda kv: (first.get(kv[0][0], 2), ns.compact(kv[0][0]), str(kv[0][1]))
    ):
        view.description.append((p, o, sorted(refs, key=lambda r: r.heading.lower())))
    for g, rows in inferred.items():
        inferred[g] = [r for r in rows if (r.predicate, r.other) not in stated]


def _read_incoming(store: ox.Store, view: ResourceView, node, sections: Sections, inferred: dict) -> None:
    """What points to the resource: per policy (with the quotes of the statement, or of the
    node pointing here), outside any policy, or inferred."""
    asserted, related, later = set(), set(), []
    for i, q in enumerate(store.quads_for_pattern(None, None, node)):
        if i >= MAX_INCOMING:
            break
        key = (q.subject, q.predicate.value)
        if q.predicate.value in SKIP_INCOMING or q.subject == node:
            continue
        if is_inferred_graph(q.graph_name):
            later.append(q)
            continue
        asserted.add(key)
        if sections.is_policy(q.graph_name):
            sec = sections.get(q.graph_name)
            if sec is not None and all((r.other, r.predicate) != key for r in sec.rows):
                sec.rows.append(Row(q.predicate.value, q.subject, incoming=True, quad=q))  # quoted later
        elif key not in related:
            related.add(key)
            view.related.append(Row(q.predicate.value, q.subject, incoming=True))
    for q in later:
        if (q.subject, q.predicate.value) not in asserted and not _asserted_quads(store, q.subject, q.predicate, node):
            inferred.setdefault(q.graph_name, []).append(Row(q.predicate.value, q.subject, incoming=True))


def _quote(store: ox.Store, row: Row, sec: PolicySection, context: bool = True) -> None:
    """The quotes of a row's statement or, failing those and given ``context``, of the node
    linking here (not of the notice: the section stands for it)."""
    q = row.quad
    if q is not None and isinstance(q.subject, ox.NamedNode):
        row.quotes = statement_evidence(store, q.subject.value, q.predicate.value, q.object, q.graph_name)
        if context and not row.quotes and q.subject.value != sec.policy.notice:
            row.context = evidence_for(store, q.subject.value, q.graph_name)


def _row_key(row: Row, sec: PolicySection) -> tuple:
    """A row compared across versions: nodes minted under a version's notice by their path under it."""
    other, notice = row.other, sec.policy.notice
    if isinstance(other, ox.NamedNode) and (other.value == notice or other.value.startswith(notice + "/")):
        other = other.value[len(notice) :]
    return (row.predicate, other, row.incoming)


def _read_evidence(store: ox.Store, iri: str, sections: Sections) -> None:
    """Quotes for the newest version of each policy on the page, and for what each earlier
    version says that its next version no longer does (the rest only counted; the quotes of an
    earlier version's nodes only on their own pages)."""
    versions: dict[str, list[tuple[object, PolicySection]]] = defaultdict(list)
    for g, sec in sections.by_graph.items():
        versions[policy_of(sec)].append((g, sec))
    for group in versions.values():
        group.sort(key=lambda gs: gs[1].policy.version, reverse=True)  # newest first
        keys = [{_row_key(r, sec) for r in sec.rows} for _, sec in group]
        for i, (g, sec) in enumerate(group):
            if i == 0:
                sec.quotes = about_evidence(store, iri, g)
            else:
                dropped = [r for r in sec.rows if _row_key(r, sec) not in keys[i - 1]]
                sec.newer, sec.unchanged = group[i - 1][1].policy, len(sec.rows) - len(dropped)
                sec.rows = dropped
            for r in sec.rows:  # an earlier version's node: its quotes are on its own page
                _quote(store, r, sec, context=i == 0)


def _inferred_groups(store: ox.Store, node, graphs: Graphs, inferred: dict) -> list[tuple[str, list[Row]]]:
    """The inferred rows per materialisation (a policy's, an entity's, the vocabulary's), each with why it holds."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for g, rows in inferred.items():
        ref = graphs.policy(g)
        whose = (
            f"from {ref.heading}"
            if ref
            else (
                "from the vocabulary"
                if asserted_graph_of(g) is None
                else f"from the shared description in {asserted_graph_of(g).value}"
            )
        )
        for r in rows:
            s, o = (r.other, node) if r.incoming else (node, r.other)
            r.reason = inference_reason(store, s, r.predicate, o, _sources_of(g, graphs))
            if all((x.predicate, x.other, x.incoming) != (r.predicate, r.other, r.incoming) for x in groups[whose]):
                groups[whose].append(r)
    for rows in groups.values():
        rows.sort(key=lambda r: (r.incoming, ns.compact(r.predicate), str(r.other)))
    return sorted(groups.items())


def resource_view(store: ox.Store, iri: str) -> ResourceView | None:
    """What a resource's page shows: its asserted description (who states each triple), what
    each policy says of it with that policy's quotes, and the inferred triples apart."""
    node = ox.NamedNode(iri)
    labels = Labels(store)
    graphs = Graphs(store, labels)
    view = ResourceView(iri, labels(iri), labels=labels)
    sections = Sections(graphs)
    inferred: dict = {}
    _read_own(store, view, node, sections, inferred)
    _read_incoming(store, view, node, sections, inferred)
    _read_evidence(store, iri, sections)
    for sec in sections.by_graph.values():
        sec.rows.sort(key=lambda r: (ns.compact(r.predicate), str(r.other)))
    view.related.sort(key=lambda r: (ns.compact(r.predicate), labels(r.other.value).lower()))
    view.inferred = _inferred_groups(store, node, graphs, inferred)
    view.sections = sorted(sections.by_graph.values(), key=lambda s: (s.policy.heading.lower(), s.policy.graph))
    view.more_sections = len(sections.left_off)
    if not (view.description or view.related or view.sections or view.inferred):
        return None
    return view
