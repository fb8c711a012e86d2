"""A policy version as its own graph states it (``policy_summary``: its facts, organisations,
processing activities, prohibitions and technologies, each with its quotes) and that summary as
the text of ``privacykg show``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import modality
from . import namespaces as ns
from .errors import UsageError
from .evidence import (
    LABEL,
    RDF_TYPE,
    Evidence,
    Graphs,
    Labels,
    about_evidence,
    evidence_for,
    find_notice,
    is_inferred_graph,
    props,
    statement_evidence,
    statements_about,
)

# Groups of a process's properties, in reading order, with the words a lawyer uses.
PROCESS_GROUPS = [
    ("purpose", ["hasPurpose"]),
    ("personal data", ["hasPersonalData"]),
    ("legal basis", ["hasLegalBasis"]),
    ("data subjects", ["hasDataSubject"]),
    ("operations", ["hasProcessing"]),
    ("from", ["hasDataSource"]),
    (
        "recipients",
        [
            "hasRecipient",
            "hasDataProcessor",
            "hasThirdParty",
            "hasRecipientDataController",
            "hasRecipientThirdParty",
            "hasDataImporter",
        ],
    ),
    ("to countries", ["hasThirdCountry", "hasCountry", "isOutsideOfLocation"]),
    ("where", ["hasLocation", "hasJurisdiction"]),
    ("measures", ["hasTechnicalMeasure", "hasOrganisationalMeasure", "hasLegalMeasure", "hasPhysicalMeasure"]),
    ("technology", ["isImplementedUsingTechnology"]),
    ("context", ["hasContext", "hasNecessity", "hasAutomationLevel", "hasHumanInvolvement", "hasConsentStatus"]),
]


@dataclass
class NodeSummary:
    iri: str
    label: str
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (group, [(iri or "", text)])
    evidence: list[Evidence] = field(default_factory=list)
    comment: str = ""
    marks: list[str] = field(default_factory=list)  # "may", "if: ...", "implied" (modality.py)


@dataclass
class PolicySummary:
    notice: str
    title: str
    facts: list[tuple[str, str, str, list[Evidence]]]  # (what, value iri or "", text, evidence)
    entities: list[NodeSummary]
    processes: list[NodeSummary]
    prohibitions: list[NodeSummary]
    technologies: list[NodeSummary]
    source: str = ""


def _term_text(t, labels: Labels) -> tuple[str, str]:
    if isinstance(t, ox.NamedNode):
        return t.value, labels(t.value)
    return "", t.value


def _storage_text(store, iri, labels, graph=None) -> str:
    p = props(store, iri, graph)
    kind = labels(p[RDF_TYPE][0].value) if p.get(RDF_TYPE) else "storage"
    parts = [kind]
    for d in p.get(ns.DPV + "hasDuration", []):
        dp = props(store, d.value, graph)
        for v in dp.get(ns.RDF + "value", []):
            parts.append(v.value)
        for v in dp.get(ns.DCT + "description", []):
            parts.append(f"“{v.value}”")
    return ": ".join([parts[0], " ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _marked(item: tuple[str, str], words: list[str] | None) -> tuple[str, str]:
    """A value's text with its modality marks: "Marketing [implied]", "Consent [if: if you agree]"."""
    return (item[0], f"{item[1]} [{'; '.join(words)}]") if words else item


def node_summary(store: ox.Store, iri: str, labels: Labels, groups=PROCESS_GROUPS, graph=None) -> NodeSummary:
    p = props(store, iri, graph)
    label = p[LABEL][0].value if p.get(LABEL) else labels(iri)
    out = NodeSummary(
        iri,
        label,
        comment=p[ns.RDFS + "comment"][0].value if p.get(ns.RDFS + "comment") else "",
        marks=modality.node_words(store, iri, graph),
    )
    marks = modality.value_words(store, iri, graph)
    for name, locals_ in groups:
        items = []
        for local in locals_:
            for o in p.get(ns.DPV + local, []):
                items.append(_marked(_term_text(o, labels), marks.get((ns.DPV + local, o))))
        if items:
            out.groups.append((name, items))
    storage = [("", _storage_text(store, o.value, labels, graph)) for o in p.get(ns.DPV + "hasStorageCondition", [])]
    if storage:
        out.groups.append(("retention", storage))
    out.evidence = evidence_for(store, iri, graph)
    return out


ENTITY_GROUPS = [
    ("roles", ["type"]),
    ("name", ["hasName"]),
    ("address", ["hasAddress"]),
    ("contact", ["hasContact"]),
    ("country", ["hasLocation"]),
    ("DPO", ["hasDataProtectionOfficer"]),
    ("representative", ["hasRepresentative"]),
    ("part of", ["isSubsidiaryOf"]),
    ("subsidiaries", ["hasSubsidiary"]),
]

NOTICE_FACTS = (
    ("last modified", ns.DCT + "modified"),
    ("issued", ns.DCT + "issued"),
    ("effective", ns.DCT + "valid"),
    ("controller", ns.DPV + "hasDataController"),
    ("right", ns.DPV + "hasRight"),
    ("authority", ns.DPV + "hasAuthority"),
    ("applicable law", ns.DPV + "hasApplicableLaw"),
    ("fee", ns.DPV + "hasFee"),
    ("response time", ns.PKG + "rightsResponseTime"),
    ("how to exercise rights", ns.PKG + "rightsExercise"),
    ("complaint", ns.PKG + "complaintRoute"),
    ("honours Do Not Track", ns.PKG + "respondsToDoNotTrack"),
    ("contact", ns.DPV + "hasContact"),
)


def notice_graph(store: ox.Store, notice: str) -> ox.NamedNode | None:
    """The asserted graph holding ``notice a dpv:PrivacyNotice`` (its policy version's graph)."""
    for q in store.quads_for_pattern(
        ox.NamedNode(notice), ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice")
    ):
        if isinstance(q.graph_name, ox.NamedNode) and not is_inferred_graph(q.graph_name):
            return q.graph_name
    return None


def entity_props(store: ox.Store, iri: str, graph: ox.NamedNode, graphs: Graphs) -> dict[str, list]:
    """An organisation as one policy presents it: what that policy's graph says of it, as its own
    triples or as ``rdf:Statement`` nodes about it. Its shared description (asserted graphs that
    are no policy's) fills in only for a policy that makes no statements about it: the union of
    every policy's roles is not what this one says. Reads this policy's graph and the
    organisation's own triples, never the other policies' graphs."""
    own = {(p.value, o) for _, p, o in statements_about(store, iri, graph)}
    out: dict[str, list] = defaultdict(list)
    seen = set()

    def add(key):
        if key not in seen:
            seen.add(key)
            out[key[0]].append(key[1])

    for q in store.quads_for_pattern(ox.NamedNode(iri), None, None):
        g, key = q.graph_name, (q.predicate.value, q.object)
        if g == graph or (not is_inferred_graph(g) and not graphs.is_policy_graph(g) and (key in own or not own)):
            add(key)
    for key in sorted(own, key=str):
        add(key)
    return out


def _entity_summary(store: ox.Store, iri: str, graph: ox.NamedNode, graphs: Graphs, labels: Labels) -> NodeSummary:
    ep = entity_props(store, iri, graph, graphs)
    s = NodeSummary(iri, ep[LABEL][0].value if ep.get(LABEL) else labels(iri))
    for name, locals_ in ENTITY_GROUPS:
        items = []
        for local in locals_:
            pred = RDF_TYPE if local == "type" else ns.DPV + local
            items.extend(_term_text(o, labels) for o in ep.get(pred, []))
        if items:
            s.groups.append((name, items))
    s.evidence = about_evidence(store, iri, graph)
    return s


def _technology_summary(store: ox.Store, iri: str, graph: ox.NamedNode, labels: Labels) -> NodeSummary:
    tp = props(store, iri, graph)
    s = NodeSummary(iri, tp[LABEL][0].value if tp.get(LABEL) else iri)
    for name, pred in (("kind", ns.SKOS + "broader"), ("provider", ns.TECH + "hasProvider")):
        items = [_term_text(o, labels) for o in tp.get(pred, [])]
        if items:
            s.groups.append((name, items))
    for d in tp.get(ns.DPV + "hasDuration", []):
        dp = props(store, d.value, graph)
        txt = " ".join(
            [v.value for v in dp.get(ns.RDF + "value", [])]
            + [f"“{v.value}”" for v in dp.get(ns.DCT + "description", [])]
        )
        s.groups.append(("duration", [("", txt or labels(dp[RDF_TYPE][0].value))]))
    s.evidence = evidence_for(store, iri, graph)
    return s


def _technologies(store: ox.Store, notice: str, graph: ox.NamedNode, labels: Labels) -> list[NodeSummary]:
    prefix = notice + "/technology/"
    iris = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "Technology"), graph)
            if q.subject.value.startswith(prefix)
        }
    )
    techs = [_technology_summary(store, t, graph, labels) for t in iris]
    return sorted(techs, key=lambda s: s.label.lower())


def policy_summary(store: ox.Store, notice: str) -> PolicySummary | None:
    """A policy version as its own graph states it: every quote from that graph (offsets into
    its own text), never another policy's."""
    graph = notice_graph(store, notice)
    if graph is None:
        return None
    labels = Labels(store)
    graphs = Graphs(store, labels)
    p = props(store, notice, graph)
    title = p[ns.DCT + "title"][0].value if p.get(ns.DCT + "title") else labels(notice)
    facts = []
    notice_marks = modality.value_words(store, notice, graph)
    for what, pred in NOTICE_FACTS:
        for o in p.get(pred, []):
            iri, text = _marked(_term_text(o, labels), notice_marks.get((pred, o)))
            facts.append((what, iri, text, statement_evidence(store, notice, pred, o, graph)))
    ents = [
        _entity_summary(store, e.value, graph, graphs, labels)
        for e in sorted(p.get(ns.PKG + "mentionsEntity", []), key=lambda x: x.value)
    ]
    procs = [
        node_summary(store, o.value, labels, graph=graph)
        for o in sorted(p.get(ns.DPV + "hasProcess", []), key=lambda x: x.value)
    ]
    prohibs = [
        node_summary(store, o.value, labels, graph=graph)
        for o in sorted(p.get(ns.DPV + "hasProhibition", []), key=lambda x: x.value)
    ]
    techs = _technologies(store, notice, graph, labels)
    src = p[ns.PKG + "sourceText"][0].value if p.get(ns.PKG + "sourceText") else ""
    return PolicySummary(notice, title, facts, ents, procs, prohibs, techs, src)


# ---------------------------------------------------------------------------- show (text)


def _wrap_quote(ev: Evidence) -> str:
    return f"      “{ev.exact}” [{ev.start}-{ev.end}]"


def show_text(store_or_path, policy: str) -> str:
    from .store import open_store

    # an embedded store, a path to one, or a remote.RemoteDataset
    store = store_or_path if hasattr(store_or_path, "quads_for_pattern") else open_store(store_or_path)
    notice = find_notice(store, policy)
    s = policy_summary(store, notice)
    if s is None:
        raise UsageError(f"{notice} is not a privacy notice in the store")
    out = [f"{s.title}", f"  {s.notice}", ""]
    out.append("THE DOCUMENT AND ITS CONTROLLER")
    for what, iri, text, evs in s.facts:
        out.append(f"  {what}: {text}" + (f"  ({ns.compact(iri)})" if iri and ns.compact(iri) != text else ""))
        out.extend(_wrap_quote(e) for e in evs)
    for title, items in (
        ("ORGANISATIONS AND PEOPLE", s.entities),
        ("PROCESSING ACTIVITIES", s.processes),
        ("WHAT THE POLICY SAYS IS NOT DONE", s.prohibitions),
        ("COOKIES AND OTHER TECHNOLOGIES", s.technologies),
    ):
        out.append("")
        out.append(f"{title} ({len(items)})")
        for n in items:
            out.append(f"  ■ {n.label}")
            for name, vals in n.groups:
                texts = [
                    f"{t}"
                    + (
                        f" ({ns.compact(i)})"
                        if i and ns.compact(i) != t and not i.startswith(("http://w", "https://w3id.org/privacykg/"))
                        else ""
                    )
                    for i, t in vals
                ]
                out.append(f"    {name}: " + "; ".join(texts))
            if n.marks:
                out.append("    holds: " + "; ".join(n.marks))
            if n.comment:
                out.append(f"    reading: {n.comment}")
            out.extend(_wrap_quote(e) for e in n.evidence)
    return "\n".join(out) + "\n"
