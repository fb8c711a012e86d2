"""A reviewer's view: ``privacykg show`` (a policy's statements grouped, each with its quote),
``privacykg coverage`` (the share of a policy's sentences that some fact cites), and the
linked-data pages and graph view of the endpoint, all from the same summaries.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as urlquote

import pyoxigraph as ox

from . import modality
from . import namespaces as ns
from .errors import UsageError

RDF_TYPE = ns.RDF + "type"
LABEL = ns.RDFS + "label"
OA_BODY = ns.OA + "hasBody"

# ---------------------------------------------------------------------------- coverage

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)")


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class CoverageReport:
    policy: str
    sentences: list[Sentence]
    cited: list[bool]

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def n_cited(self) -> int:
        return sum(self.cited)

    @property
    def percent(self) -> float:
        return 100.0 * self.n_cited / self.total if self.total else 100.0

    @property
    def uncited(self) -> list[Sentence]:
        return [s for s, c in zip(self.sentences, self.cited) if not c]


def substantive_sentences(text: str) -> list[Sentence]:
    """The sentences of a source text that state something: split per line, then after
    ., ! or ?; headings, menu lines and fragments (fewer than five words, no lower-case
    letter, or only a link) are left out.

    >>> [s.text for s in substantive_sentences("PRIVACY\\nWe collect your name. We never sell it to anyone else.\\n- [French](#)")]
    ['We collect your name.', 'We never sell it to anyone else.']
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        offset = 0
        for part in SENTENCE_SPLIT.split(line):
            start = line.find(part, offset)
            offset = start + len(part)
            s = part.strip()
            if not s:
                continue
            words = re.findall(r"[A-Za-zÀ-ÿА-я]+", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s))
            is_link = re.fullmatch(r"[-*\s]*\[[^\]]*\]\([^)]*\)\s*", s) is not None
            if is_link or not re.search(r"[a-z]", s):
                continue
            if len(words) < 5 and not re.search(r"[.!?:]$", s):
                continue
            if len(words) < 3:
                continue
            lead = len(part) - len(part.lstrip())
            out.append(Sentence(pos + start + lead, pos + start + lead + len(s), s))
        pos += len(line) + 1
    return out


def sentence_cited(sentence: Sentence, spans: list[tuple[int, int]]) -> bool:
    """Cited when quotes cover at least half of the sentence's characters."""
    covered = 0
    for a, b in spans:
        lo, hi = max(a, sentence.start), min(b, sentence.end)
        if hi > lo:
            covered += hi - lo
    return covered * 2 >= (sentence.end - sentence.start)


def coverage(data_dir: Path | str = "data", policy: str | None = None, *, ontology_dir=None) -> list[CoverageReport]:
    """Coverage of each policy (or of one: ``identrics`` or ``identrics-2018-05-20``)."""
    from .build import policy_files
    from .compile import compile_policy
    from .ontology import load_ontology

    data = Path(data_dir)
    files = policy_files(data)
    if policy:
        files = [f for f in files if f.stem == policy or f.stem.startswith(policy + "-2") or f.stem.startswith(policy + "-1")]
        if not files:
            raise UsageError(f"no policy '{policy}' in {data / 'policies'}")
    onto = load_ontology(ontology_dir)
    reports = []
    for f in files:
        cp = compile_policy(f, onto, ns.IRIs(), data / "sources")
        from .markdown import quoted_text

        text = quoted_text(cp.source_path.read_bytes(), str(cp.source_path))
        sentences = substantive_sentences(text)
        spans = sorted(cp.quotes)
        reports.append(CoverageReport(cp.key, sentences, [sentence_cited(s, spans) for s in sentences]))
    return reports


def coverage_text(reports: list[CoverageReport], uncited: bool = False) -> str:
    lines = [f"{'policy':32} {'cited':>7} {'of':>5} {'coverage':>9}"]
    for r in reports:
        lines.append(f"{r.policy:32} {r.n_cited:7} {r.total:5} {r.percent:8.1f}%")
    if uncited:
        for r in reports:
            lines.append("")
            lines.append(f"uncited in {r.policy}:")
            for s in r.uncited:
                lines.append(f"  [{s.start}-{s.end}] {s.text}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- store look-ups


def _v(t) -> str:
    return t.value if t is not None else ""


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
    rows = list(store.query(
        "SELECT ?n ?slug ?v WHERE { ?n <https://w3id.org/privacykg/ns#policySlug> ?slug ; "
        "<https://w3id.org/privacykg/ns#versionDate> ?v }", use_default_graph_as_union=True))
    matches = []
    for r in rows:
        key = f"{r['slug'].value}-{r['v'].value}"
        if policy in (key, r["slug"].value):
            matches.append((r["v"].value, r["n"].value))
    if not matches:
        known = sorted({f"{r['slug'].value}-{r['v'].value}" for r in rows})
        raise UsageError(f"no policy '{policy}' in the store; known: {', '.join(known) or 'none'}")
    return max(matches)[1]


def _props(store: ox.Store, iri: str, graph=None) -> dict[str, list]:
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
    return [Evidence(exact, prefix, suffix, start, stop, source)
            for start, stop, exact, prefix, suffix, source in sorted(found)]


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
    return ox.NamedNode(graph.value[:at] + "/graph/" + graph.value[at + len("/graph/inferred/"):])


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
    def heading(self) -> str:
        who = f"{self.controller} · " if self.controller and self.controller not in self.title else ""
        return f"{who}{self.title} · version {self.version}" if self.version else f"{who}{self.title}"


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
        notices = [q.subject for q in self.store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice"), graph)]
        if not notices:
            return None
        n = notices[0]
        p = _props(self.store, n.value, graph)
        first = lambda pred: p[pred][0].value if p.get(pred) else ""
        controller = first(ns.DPV + "hasDataController")
        return PolicyRef(graph.value, n.value, first(ns.DCT + "title") or self.labels(n.value),
                         self.name(controller, graph) if controller else "", first(ns.PKG + "versionDate"),
                         first(ns.PKG + "sourceText"))

    def name(self, iri: str, graph: ox.NamedNode | None = None) -> str:
        """An organisation's name: the one the policy version of ``graph`` gives it (its
        rdf:Statement: a renamed company has each version's own), else from any asserted
        graph, else its label."""
        if graph is not None:
            for q in self.store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "subject"), ox.NamedNode(iri), graph):
                if any(True for _ in self.store.quads_for_pattern(q.subject, ox.NamedNode(ns.RDF + "predicate"),
                                                                  ox.NamedNode(ns.DPV + "hasName"), graph)):
                    for o in self.store.quads_for_pattern(q.subject, ox.NamedNode(ns.RDF + "object"), None, graph):
                        return o.object.value
        return self._any_name(iri)

    def _any_name(self, iri: str) -> str:
        """An organisation's name, from any asserted graph, else its label."""
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ns.DPV + "hasName"), None):
            if not is_inferred_graph(q.graph_name):
                return q.object.value
        return self.labels(iri)


# Groups of a process's properties, in reading order, with the words a lawyer uses.
PROCESS_GROUPS = [
    ("purpose", ["hasPurpose"]),
    ("personal data", ["hasPersonalData"]),
    ("legal basis", ["hasLegalBasis"]),
    ("data subjects", ["hasDataSubject"]),
    ("operations", ["hasProcessing"]),
    ("from", ["hasDataSource"]),
    ("recipients", ["hasRecipient", "hasDataProcessor", "hasThirdParty", "hasRecipientDataController",
                    "hasRecipientThirdParty", "hasDataImporter"]),
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
    p = _props(store, iri, graph)
    kind = labels(p[RDF_TYPE][0].value) if p.get(RDF_TYPE) else "storage"
    parts = [kind]
    for d in p.get(ns.DPV + "hasDuration", []):
        dp = _props(store, d.value, graph)
        for v in dp.get(ns.RDF + "value", []):
            parts.append(v.value)
        for v in dp.get(ns.DCT + "description", []):
            parts.append(f"“{v.value}”")
    return ": ".join([parts[0], " ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _marked(item: tuple[str, str], words: list[str] | None) -> tuple[str, str]:
    """A value's text with its modality marks: "Marketing [implied]", "Consent [if: if you agree]"."""
    return (item[0], f"{item[1]} [{'; '.join(words)}]") if words else item


def node_summary(store: ox.Store, iri: str, labels: Labels, groups=PROCESS_GROUPS, graph=None) -> NodeSummary:
    p = _props(store, iri, graph)
    label = p[LABEL][0].value if p.get(LABEL) else labels(iri)
    out = NodeSummary(iri, label, comment=p[ns.RDFS + "comment"][0].value if p.get(ns.RDFS + "comment") else "",
                      marks=modality.node_words(store, iri, graph))
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
    ("name", ["hasName"]), ("address", ["hasAddress"]), ("contact", ["hasContact"]),
    ("country", ["hasLocation"]), ("DPO", ["hasDataProtectionOfficer"]), ("representative", ["hasRepresentative"]),
    ("part of", ["isSubsidiaryOf"]), ("subsidiaries", ["hasSubsidiary"]),
]

NOTICE_FACTS = (("last modified", ns.DCT + "modified"), ("issued", ns.DCT + "issued"),
                ("effective", ns.DCT + "valid"), ("controller", ns.DPV + "hasDataController"),
                ("right", ns.DPV + "hasRight"), ("authority", ns.DPV + "hasAuthority"),
                ("applicable law", ns.DPV + "hasApplicableLaw"), ("fee", ns.DPV + "hasFee"),
                ("response time", ns.PKG + "rightsResponseTime"), ("how to exercise rights", ns.PKG + "rightsExercise"),
                ("complaint", ns.PKG + "complaintRoute"), ("honours Do Not Track", ns.PKG + "respondsToDoNotTrack"),
                ("contact", ns.DPV + "hasContact"))


def notice_graph(store: ox.Store, notice: str) -> ox.NamedNode | None:
    """The asserted graph holding ``notice a dpv:PrivacyNotice`` (its policy version's graph)."""
    for q in store.quads_for_pattern(ox.NamedNode(notice), ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice")):
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
    tp = _props(store, iri, graph)
    s = NodeSummary(iri, tp[LABEL][0].value if tp.get(LABEL) else iri)
    for name, pred in (("kind", ns.SKOS + "broader"), ("provider", ns.TECH + "hasProvider")):
        items = [_term_text(o, labels) for o in tp.get(pred, [])]
        if items:
            s.groups.append((name, items))
    for d in tp.get(ns.DPV + "hasDuration", []):
        dp = _props(store, d.value, graph)
        txt = " ".join([v.value for v in dp.get(ns.RDF + "value", [])] +
                       [f"“{v.value}”" for v in dp.get(ns.DCT + "description", [])])
        s.groups.append(("duration", [("", txt or labels(dp[RDF_TYPE][0].value))]))
    s.evidence = evidence_for(store, iri, graph)
    return s


def _technologies(store: ox.Store, notice: str, graph: ox.NamedNode, labels: Labels) -> list[NodeSummary]:
    prefix = notice + "/technology/"
    iris = sorted({q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "Technology"), graph) if q.subject.value.startswith(prefix)})
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
    p = _props(store, notice, graph)
    title = p[ns.DCT + "title"][0].value if p.get(ns.DCT + "title") else labels(notice)
    facts = []
    notice_marks = modality.value_words(store, notice, graph)
    for what, pred in NOTICE_FACTS:
        for o in p.get(pred, []):
            iri, text = _marked(_term_text(o, labels), notice_marks.get((pred, o)))
            facts.append((what, iri, text, statement_evidence(store, notice, pred, o, graph)))
    ents = [_entity_summary(store, e.value, graph, graphs, labels)
            for e in sorted(p.get(ns.PKG + "mentionsEntity", []), key=lambda x: x.value)]
    procs = [node_summary(store, o.value, labels, graph=graph)
             for o in sorted(p.get(ns.DPV + "hasProcess", []), key=lambda x: x.value)]
    prohibs = [node_summary(store, o.value, labels, graph=graph)
               for o in sorted(p.get(ns.DPV + "hasProhibition", []), key=lambda x: x.value)]
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
    for title, items in (("ORGANISATIONS AND PEOPLE", s.entities), ("PROCESSING ACTIVITIES", s.processes),
                         ("WHAT THE POLICY SAYS IS NOT DONE", s.prohibitions),
                         ("COOKIES AND OTHER TECHNOLOGIES", s.technologies)):
        out.append("")
        out.append(f"{title} ({len(items)})")
        for n in items:
            out.append(f"  ■ {n.label}")
            for name, vals in n.groups:
                texts = [f"{t}" + (f" ({ns.compact(i)})" if i and ns.compact(i) != t and not i.startswith(("http://w", "https://w3id.org/privacykg/")) else "")
                         for i, t in vals]
                out.append(f"    {name}: " + "; ".join(texts))
            if n.marks:
                out.append("    holds: " + "; ".join(n.marks))
            if n.comment:
                out.append(f"    reading: {n.comment}")
            out.extend(_wrap_quote(e) for e in n.evidence)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- linked data


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


def _href(iri: str, base: str) -> str:
    """Where a page about the IRI is served: its own path for IRIs minted under the base, the
    vocabulary page's anchor for our extension's terms, else ``/resource?iri=``."""
    if iri.startswith(ns.PKG) and base + "ns#" == ns.PKG:
        return "/ns#" + urlquote(iri[len(ns.PKG):], safe="")
    rest = iri[len(base):] if iri.startswith(base) else None
    if rest and "#" not in rest and "?" not in rest and rest.split("/")[0] in MINTED_ROOTS:
        return "/" + urlquote(rest, safe="/-._~!$&'()*+,;=:@%")
    return "/resource?iri=" + urlquote(iri, safe="")


#: The first path segments of the IRIs minted under the base that the server routes.
MINTED_ROOTS = ("policy", "entity", "source", "graph", "dataset")


def _link(iri: str, base: str, label: str | None = None) -> str:
    text = html.escape(label or ns.compact(iri))
    href = _href(iri, base)
    extra = ""
    if ns.is_dpv_iri(iri):
        extra = f' <a class=ext href="{html.escape(iri)}" title="DPV documentation">[DPV]</a>'
    return f'<a href="{html.escape(href)}">{text}</a>{extra}'


def _source_href(e: Evidence, base: str) -> str:
    """The quote's place in its source text: the text's page with the span marked (``#quote``)."""
    href = _href(e.source, base)
    sep = "&" if "?" in href else "?"
    return f"{href}{sep}start={e.start}&end={e.end}#quote"


def _quote_html(e: Evidence, base: str = ns.DEFAULT_BASE) -> str:
    where = f"[{e.start}–{e.end}]"
    if e.source:
        where = f'<a href="{html.escape(_source_href(e, base))}" title="this quote in the source text">{where} in the text</a>'
    return (f'<blockquote class=evidence>…{html.escape(e.prefix)}<mark>{html.escape(e.exact)}</mark>'
            f'{html.escape(e.suffix)}… <span class=offsets>{where}</span></blockquote>')


def _quotes_html(evs: list[Evidence], base: str) -> str:
    return "".join(_quote_html(e, base) for e in evs)


def _node_html(n: NodeSummary, base: str) -> str:
    rows = []
    for name, vals in n.groups:
        cells = ", ".join(_link(i, base, t) if i else html.escape(t) for i, t in vals)
        rows.append(f"<tr><th>{html.escape(name)}</th><td>{cells}</td></tr>")
    if n.marks:
        rows.insert(0, f"<tr><th>holds</th><td class=modality>{html.escape('; '.join(n.marks))}</td></tr>")
    comment = f"<p class=reading>Reading: {html.escape(n.comment)}</p>" if n.comment else ""
    return (f'<section class=node><h3>{_link(n.iri, base, n.label)}</h3><table>{"".join(rows)}</table>{comment}'
            + _quotes_html(n.evidence, base) + "</section>")


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{html.escape(title)} · privacykg</title><link rel=stylesheet href=/static/style.css></head>"
            f"<body><header><a href=/>privacykg</a> · <a href=/sparql>SPARQL</a> · <a href=/void>VoID</a></header>"
            f"<main>{body}</main></body></html>")


def policy_html(store: ox.Store, s: PolicySummary, base: str) -> str:
    """A policy version's page: its statements grouped, each with its quotes from its own text."""
    iri = s.notice
    parts = [(f"<h1>{html.escape(s.title)}</h1><p class=iri>{html.escape(iri)} · "
              f"<a href='/?policy={urlquote(iri, safe='')}#graph'>graph view</a> · "
              f"<a href='/resource?iri={urlquote(iri, safe='')}&format=turtle'>Turtle</a>"
              + (f" · {_link(s.source, base, 'source text')}" if s.source else "") + "</p>"
              + (origin_html(store, s.source) if s.source else "")),
             "<h2>The document and its controller</h2><table class=facts>"]
    from .versions_html import version_links_html

    parts.insert(1, version_links_html(store, iri, base))  # the timeline and the diffs of its policy
    labels = Labels(store)
    graph = notice_graph(store, iri)
    types = sorted({q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, graph)
                    if isinstance(q.object, ox.NamedNode)})
    if types:
        parts.append("<tr><th>type</th><td>" + ", ".join(_link(t, base, labels(t)) for t in types) + "</td></tr>")
    for what, fi, text, evs in s.facts:
        val = _link(fi, base, text) if fi else html.escape(text)
        parts.append(f"<tr><th>{html.escape(what)}</th><td>{val}{_quotes_html(evs, base)}</td></tr>")
    parts.append("</table>")
    for title, items in (("Organisations and people", s.entities), ("Processing activities", s.processes),
                         ("What the policy says is not done", s.prohibitions),
                         ("Cookies and other technologies", s.technologies)):
        parts.append(f"<h2>{title} ({len(items)})</h2>")
        parts.extend(_node_html(n, base) for n in items)
    return page(s.title, "".join(parts))


def describe_html(store: ox.Store, iri: str, base: str) -> str | None:
    """The HTML page of an IRI: a policy version's page, or a resource's page grouped by policy."""
    s = policy_summary(store, iri)
    if s is not None:
        return policy_html(store, s, base)
    view = resource_view(store, iri)
    return resource_html(view, base) if view is not None else None


# ---------------------------------------------------------------------------- resource pages

#: How much a resource page reads: the triples pointing to it, and the policies it lists.
MAX_INCOMING = 2000
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


@dataclass
class PolicySection:
    policy: PolicyRef
    rows: list[Row] = field(default_factory=list)
    quotes: list[Evidence] = field(default_factory=list)  # citing the resource or a statement about it


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
    return [q for q in store.quads_for_pattern(s, p, o)
            if not is_inferred_graph(q.graph_name) and (within is None or within(q.graph_name))]


def inference_reason(store: ox.Store, s, p: str, o, within=None) -> str:
    """Why an inferred triple holds, in words: the stated sub-property or sub-class it comes
    from (with what the stated one means where DPV's reading would mislead), or what it derives.
    ``within(graph)`` says which asserted graphs it may come from (its policy's and shared ones)."""
    if p in DERIVED_NOTES:
        return DERIVED_NOTES[p]
    if p == RDF_TYPE:
        subs = sorted({q.object.value for q in _asserted_quads(store, s, ox.NamedNode(RDF_TYPE), None, within)
                       if q.object != o and _has(store, q.object, SUBCLASS, o)})
        if subs:
            return f"stated as {', '.join(map(ns.compact, subs))}, which DPV makes a sub-class of {ns.compact(o.value)}"
        return "entailed by the vocabulary"
    for q in _asserted_quads(store, s, None, o, within):
        sub = q.predicate.value
        if sub != p and _has(store, q.predicate, SUBPROPERTY, ox.NamedNode(p)):
            note = READING_NOTES.get(sub)
            return (f"stated as {ns.compact(sub)}, which DPV makes a sub-property of {ns.compact(p)}"
                    + (f": {note}" if note else ""))
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
    for (p, o), refs in sorted(stated.items(), key=lambda kv: (first.get(kv[0][0], 2), ns.compact(kv[0][0]), str(kv[0][1]))):
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
                sec.rows.append(_incoming_row(store, q, sec))
        elif key not in related:
            related.add(key)
            view.related.append(Row(q.predicate.value, q.subject, incoming=True))
    for q in later:
        if (q.subject, q.predicate.value) not in asserted and not _asserted_quads(store, q.subject, q.predicate, node):
            inferred.setdefault(q.graph_name, []).append(Row(q.predicate.value, q.subject, incoming=True))


def _incoming_row(store: ox.Store, q, sec: PolicySection) -> Row:
    """A link to the resource in a policy's graph, with the quotes of its statement or, failing
    those, of the node linking here (not of the notice: the section stands for it)."""
    row = Row(q.predicate.value, q.subject, incoming=True)
    if isinstance(q.subject, ox.NamedNode):
        row.quotes = statement_evidence(store, q.subject.value, q.predicate.value, q.object, q.graph_name)
        if not row.quotes and q.subject.value != sec.policy.notice:
            row.context = evidence_for(store, q.subject.value, q.graph_name)
    return row


def _inferred_groups(store: ox.Store, node, graphs: Graphs, inferred: dict) -> list[tuple[str, list[Row]]]:
    """The inferred rows per materialisation (a policy's, an entity's, the vocabulary's), each with why it holds."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for g, rows in inferred.items():
        ref = graphs.policy(g)
        whose = f"from {ref.heading}" if ref else ("from the vocabulary" if asserted_graph_of(g) is None
                                                   else f"from the shared description in {asserted_graph_of(g).value}")
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
    for g, sec in sections.by_graph.items():
        sec.quotes = about_evidence(store, iri, g)
        sec.rows.sort(key=lambda r: (ns.compact(r.predicate), str(r.other)))
    view.related.sort(key=lambda r: (ns.compact(r.predicate), labels(r.other.value).lower()))
    view.inferred = _inferred_groups(store, node, graphs, inferred)
    view.sections = sorted(sections.by_graph.values(), key=lambda s: (s.policy.heading.lower(), s.policy.graph))
    view.more_sections = len(sections.left_off)
    if not (view.description or view.related or view.sections or view.inferred):
        return None
    return view


def _value_html(o, base: str, labels: Labels) -> str:
    if isinstance(o, ox.NamedNode):
        return _link(o.value, base, labels(o.value))
    return html.escape(o.value)


def _pred_html(p: str, base: str, incoming: bool) -> str:
    link = _link(p, base, ns.compact(p))
    return f"is {link} of" if incoming else link


def _policy_link(ref: PolicyRef, base: str) -> str:
    return _link(ref.notice, base, ref.heading)


def _description_html(view: ResourceView, base: str) -> str:
    """The resource's asserted triples, each with the policies stating it (said once above the
    table when every row has the same ones)."""
    ref_sets = {tuple(refs) for _, _, refs in view.description}
    common = next(iter(ref_sets)) if len(ref_sets) == 1 else ()
    lead = (f"<p class=stated-by>As stated in {'; '.join(_policy_link(r, base) for r in common)}.</p>"
            if common else "")
    rows = []
    for p, o, refs in view.description:
        who = ""
        if refs and not common:
            who = " <span class=stated-by>stated in " + "; ".join(_policy_link(r, base) for r in refs) + "</span>"
        rows.append(f"<tr><th>{_pred_html(p, base, False)}</th><td>{_value_html(o, base, view.labels)}{who}</td></tr>")
    for r in view.related:
        rows.append(f"<tr><th>{_pred_html(r.predicate, base, True)}</th><td>{_value_html(r.other, base, view.labels)}</td></tr>")
    return lead + (f"<table class=facts>{''.join(rows)}</table>" if rows else "")


def _row_html(r: Row, base: str, labels: Labels) -> str:
    quotes = _quotes_html(r.quotes, base)
    if r.context:
        quotes += (f"<details class=context><summary>its quotes ({len(r.context)})</summary>"
                   f"{_quotes_html(r.context, base)}</details>")
    return f"<tr><th>{_pred_html(r.predicate, base, r.incoming)}</th><td>{_value_html(r.other, base, labels)}{quotes}</td></tr>"


def _section_html(sec: PolicySection, base: str, labels: Labels) -> str:
    ref = sec.policy
    rows = "".join(_row_html(r, base, labels) for r in sec.rows)
    return (f"<section class=policy data-graph='{html.escape(ref.graph, quote=True)}' "
            f"data-source='{html.escape(ref.source, quote=True)}'>"
            f"<h3>{_policy_link(ref, base)}</h3>"
            + (f"<table class=facts>{rows}</table>" if rows else "")
            + _quotes_html(sec.quotes, base) + "</section>")


def _inferred_html(view: ResourceView, base: str) -> str:
    if not view.inferred:
        return ""
    n = sum(len(rows) for _, rows in view.inferred)
    parts = [f"<details class=inferred><summary>Inferred ({n}): entailed by the vocabulary, not stated as such</summary>",
             ("<p class=reading>The build materialises what DPV's hierarchy entails (super-properties, "
              "super-classes, closures) so that queries need no reasoner. These triples are true in "
              "DPV's terms but are not what any policy says: each row gives the statement it comes from.</p>")]
    for whose, rows in view.inferred:
        body = "".join(f"<tr><th>{_pred_html(r.predicate, base, r.incoming)}</th>"
                       f"<td>{_value_html(r.other, base, view.labels)}"
                       f"<span class=reason>{html.escape(r.reason)}</span></td></tr>" for r in rows)
        parts.append(f"<h3>{html.escape(whose)}</h3><table class=facts>{body}</table>")
    return "".join(parts) + "</details>"


def resource_html(view: ResourceView, base: str) -> str:
    """A resource's page: its description, then what each policy says of it (with its quotes,
    each linked to its place in the text), then the inferred triples, folded."""
    iri = view.iri
    dpv_note = (f"<p>A DPV term: <a class=ext href='{html.escape(iri)}'>its DPV documentation</a>.</p>"
                if ns.is_dpv_iri(iri) else "")
    parts = [f"<h1>{html.escape(view.title)}</h1><p class=iri>{html.escape(iri)}</p>{dpv_note}",
             _description_html(view, base)]
    if view.sections:
        parts.append(f"<h2>What each policy says ({len(view.sections) + view.more_sections})</h2>")
        parts.extend(_section_html(s, base, view.labels) for s in view.sections)
    if view.more_sections:
        parts.append(f"<p class=note>… and {view.more_sections} more policies: ask the SPARQL endpoint.</p>")
    parts.append(_inferred_html(view, base))
    return page(view.title, "".join(parts))


# ---------------------------------------------------------------------------- source texts


@dataclass
class SourceText:
    """A policy's source text as the build read it, with what the store says of it."""

    iri: str
    name: str
    label: str
    notice: str
    text: str
    origin_html: str = ""  # the licence and attribution line (empty for a text without origin:)


def _first_asserted(store: ox.Store, s: ox.NamedNode, p: str) -> str:
    for q in store.quads_for_pattern(s, ox.NamedNode(p), None):
        if not is_inferred_graph(q.graph_name):
            return q.object.value
    return ""


def source_text(store: ox.Store, iri: str, sources_dir: Path | str) -> SourceText | None:
    """The text of a source document from ``sources_dir``: the file the store names
    (``dct:identifier``), only when its SHA-256 is the one the build recorded (else the offsets
    of the quotes would point elsewhere); None when the store or the folder lacks it."""
    import hashlib

    from .errors import DataError
    from .markdown import quoted_text

    node = ox.NamedNode(iri)
    name, sha = _first_asserted(store, node, ns.DCT + "identifier"), _first_asserted(store, node, ns.PKG + "sha256")
    if not name or not sha or Path(name).name != name or name.startswith("."):
        return None
    path = Path(sources_dir) / name
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    try:
        text = quoted_text(data, str(path))
    except DataError:
        return None
    notices = [q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(ns.PKG + "sourceText"), node)]
    label = _first_asserted(store, node, LABEL) or name
    return SourceText(iri, name, label, notices[0] if notices else "", text, origin_html(store, iri))


def origin_html(store: ox.Store, source: str) -> str:
    """The licence, attribution and published file of a source text (from its ``origin:``), as a
    paragraph; empty when the annotation gives none."""
    node = ox.NamedNode(source)
    licence = _first_asserted(store, node, ns.DCT + "license")
    if not licence:
        return ""
    published = _first_asserted(store, node, ns.DCT + "source")
    attribution = _first_asserted(store, node, ns.PKG + "attribution")
    rendered = _first_asserted(store, node, ns.PKG + "quotedRendering")
    parts = [f"Text: {html.escape(attribution)}" if attribution else "Text",
             f"licence <a href='{html.escape(licence)}' rel=license>{html.escape(licence)}</a>"]
    if published:
        parts.append(f"published at <a href='{html.escape(published)}'>{html.escape(published)}</a>")
    if rendered:
        parts.append(f"quoted in its plain-text rendering ({html.escape(rendered)})")
    return "<p class=licence>" + " · ".join(parts) + "</p>"


def source_html(src: SourceText, base: str, span: tuple[int, int] | None = None) -> str:
    """The source text as a page, the quoted span (character offsets, as the evidence's
    ``oa:TextPositionSelector``) marked as ``#quote`` so that links scroll to it."""
    text = src.text
    links = [_link(src.notice, base, "the policy's page")] if src.notice else []
    links += ["<a href='?format=text'>raw text</a>", "<a href='?format=turtle'>Turtle</a>"]
    head = (f"<h1>{html.escape(src.label)}</h1><p class=iri>{html.escape(src.iri)} · {' · '.join(links)}</p>"
            + src.origin_html)
    if span is None:
        return page(src.label, f"{head}<pre class=source-text>{html.escape(text)}</pre>")
    start, end = span
    marked = (f"{html.escape(text[:start])}<mark id=quote>{html.escape(text[start:end])}</mark>"
              f"{html.escape(text[end:])}")
    note = f"<p class=note>Characters {start}–{end} marked: <a href='#quote'>go to the quote</a>.</p>"
    return page(src.label, f"{head}{note}<pre class=source-text>{marked}</pre>")


def _asserted(q) -> bool:
    return not is_inferred_graph(q.graph_name)


def vocabulary_triples(store: ox.Store, namespace: str) -> list[ox.Triple]:
    """The asserted triples about the terms of a namespace (our extension, ``pkg:``)."""
    seen, out = set(), []
    rows = store.query("SELECT ?s ?p ?o ?g ?ns WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ns)) }",
                       substitutions={ox.Variable("ns"): ox.Literal(namespace)})
    for r in rows:
        q = ox.Quad(r["s"], r["p"], r["o"], r["g"])
        if _asserted(q):
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                out.append(t)
    return out


def vocabulary_html(store: ox.Store, namespace: str, base: str) -> str:
    """One page for a hash namespace: a section per term, anchored by its local name, so that
    ``<namespace>Term`` dereferences to ``/ns#Term``."""
    labels = Labels(store)
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for t in vocabulary_triples(store, namespace):
        by_subject[t.subject.value].append(t)
    parts = [(f"<h1>The privacykg vocabulary</h1><p class=iri>{html.escape(namespace)}</p>"
              f"<p>Terms privacykg adds where DPV 2.3 has none, each under the nearest DPV concept "
              f"({len(by_subject)} terms and resources).</p>")]
    for iri in sorted(by_subject, key=lambda i: i.lower()):
        local = iri[len(namespace):]
        rows = []
        for t in sorted(by_subject[iri], key=lambda t: (t.predicate.value, str(t.object))):
            o = t.object
            val = _link(o.value, base, labels(o.value)) if isinstance(o, ox.NamedNode) else html.escape(o.value)
            rows.append(f"<tr><th>{_link(t.predicate.value, base, ns.compact(t.predicate.value))}</th><td>{val}</td></tr>")
        title = labels(iri)
        parts.append(f"<section class=node id='{html.escape(local, quote=True)}'><h3>{html.escape(title)}</h3>"
                     f"<p class=iri>{html.escape(iri)}</p><table>{''.join(rows)}</table></section>")
    return page("privacykg vocabulary", "".join(parts))


def policy_graph_json(store: ox.Store, notice: str, base: str = ns.DEFAULT_BASE) -> dict | None:
    """Nodes and links of a policy for the UI's graph view; each node's ``href`` is its page."""
    s = policy_summary(store, notice)
    if s is None:
        return None
    nodes: dict[str, dict] = {}
    links = []

    def node(iri, label, kind):
        nodes.setdefault(iri, {"id": iri, "label": label, "kind": kind, "href": _href(iri, base)})

    def link(a, b, label):
        links.append({"source": a, "target": b, "label": label})

    node(notice, s.title, "notice")
    for what, iri, text, _ in s.facts:
        if what == "controller" and iri:
            node(iri, text, "controller")
            link(notice, iri, "controller")
    kinds = {"purpose": "purpose", "personal data": "data", "recipients": "recipient", "to countries": "country",
             "where": "country", "legal basis": "basis"}
    for p in s.processes:
        node(p.iri, p.label, "process")
        link(notice, p.iri, "process")
        for name, vals in p.groups:
            if name in kinds:
                for i, t in vals:
                    if i:
                        node(i, t, kinds[name])
                        link(p.iri, i, name)
    return {"nodes": list(nodes.values()), "links": links}
