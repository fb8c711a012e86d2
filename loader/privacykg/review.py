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
        from .yamlread import decode_text

        text = decode_text(cp.source_path.read_bytes(), str(cp.source_path))
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


def evidence_for(store: ox.Store, body: str) -> list[Evidence]:
    """The quotes of the annotations whose body is ``body``, in source order.

    Walks annotation -> target -> selectors with pattern look-ups (one SPARQL query with the
    body substituted costs a join over every annotation in the store, for each node of a page)."""
    def objects(s, local):
        return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(ns.OA + local), None)]

    def first(s, local):
        vals = objects(s, local)
        return vals[0].value if vals else None

    found = set()
    anns = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(OA_BODY), ox.NamedNode(body))}
    for ann in anns:
        for target in set(objects(ann, "hasTarget")):
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
                    found.add((start, stop, exact, prefix, suffix))
    return [Evidence(exact, prefix, suffix, start, stop) for start, stop, exact, prefix, suffix in sorted(found)]


def statement_evidence(store: ox.Store, s: str, p: str, o) -> list[Evidence]:
    """The quotes of the reified statements ``s p o`` (``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``)."""
    rdf = lambda local: ox.NamedNode(ns.RDF + local)  # noqa: E731
    statements = []
    for q in store.quads_for_pattern(None, rdf("subject"), ox.NamedNode(s)):
        st = q.subject
        if st in statements:
            continue
        if (any(True for _ in store.quads_for_pattern(st, rdf("predicate"), ox.NamedNode(p)))
                and any(True for _ in store.quads_for_pattern(st, rdf("object"), o))):
            statements.append(st)
    out = []
    for st in sorted(statements, key=lambda x: x.value):
        if isinstance(st, ox.NamedNode):
            out.extend(evidence_for(store, st.value))
    return out


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
    out.evidence = evidence_for(store, iri)
    return out


ENTITY_GROUPS = [
    ("roles", ["type"]),
    ("name", ["hasName"]), ("address", ["hasAddress"]), ("contact", ["hasContact"]),
    ("country", ["hasLocation"]), ("DPO", ["hasDataProtectionOfficer"]), ("representative", ["hasRepresentative"]),
    ("part of", ["isSubsidiaryOf"]), ("subsidiaries", ["hasSubsidiary"]),
]


def policy_summary(store: ox.Store, notice: str) -> PolicySummary | None:
    labels = Labels(store)
    graph = None
    for q in store.quads_for_pattern(ox.NamedNode(notice), ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice")):
        graph = q.graph_name
        if "/graph/inferred" not in graph.value:
            break
    if graph is None:
        return None
    p = _props(store, notice, graph)
    title = p[ns.DCT + "title"][0].value if p.get(ns.DCT + "title") else labels(notice)
    facts = []
    notice_marks = modality.value_words(store, notice, graph)
    for what, pred in (("last modified", ns.DCT + "modified"), ("issued", ns.DCT + "issued"),
                       ("effective", ns.DCT + "valid"), ("controller", ns.DPV + "hasDataController"),
                       ("right", ns.DPV + "hasRight"), ("authority", ns.DPV + "hasAuthority"),
                       ("applicable law", ns.DPV + "hasApplicableLaw"), ("fee", ns.DPV + "hasFee"),
                       ("response time", ns.PKG + "rightsResponseTime"), ("how to exercise rights", ns.PKG + "rightsExercise"),
                       ("complaint", ns.PKG + "complaintRoute"), ("honours Do Not Track", ns.PKG + "respondsToDoNotTrack"),
                       ("contact", ns.DPV + "hasContact")):
        for o in p.get(pred, []):
            iri, text = _marked(_term_text(o, labels), notice_marks.get((pred, o)))
            facts.append((what, iri, text, statement_evidence(store, notice, pred, o)))
    ents = []
    for e in sorted(p.get(ns.PKG + "mentionsEntity", []), key=lambda x: x.value):
        ep = _props(store, e.value, graph)
        s = NodeSummary(e.value, ep[LABEL][0].value if ep.get(LABEL) else labels(e.value))
        for name, locals_ in ENTITY_GROUPS:
            items = []
            for local in locals_:
                pred = RDF_TYPE if local == "type" else ns.DPV + local
                for o in ep.get(pred, []):
                    items.append(_term_text(o, labels))
            if items:
                s.groups.append((name, items))
        s.evidence = evidence_for(store, e.value)
        ents.append(s)
    procs = [node_summary(store, o.value, labels, graph=graph)
             for o in sorted(p.get(ns.DPV + "hasProcess", []), key=lambda x: x.value)]
    prohibs = [node_summary(store, o.value, labels, graph=graph)
               for o in sorted(p.get(ns.DPV + "hasProhibition", []), key=lambda x: x.value)]
    techs = []
    tech_prefix = notice + "/technology/"
    seen = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "Technology"), graph):
        if q.subject.value.startswith(tech_prefix) and q.subject.value not in seen:
            seen.add(q.subject.value)
            tp = _props(store, q.subject.value, graph)
            s = NodeSummary(q.subject.value, tp[LABEL][0].value if tp.get(LABEL) else q.subject.value)
            for name, pred in (("kind", ns.SKOS + "broader"), ("provider", ns.TECH + "hasProvider")):
                items = [_term_text(o, labels) for o in tp.get(pred, [])]
                if items:
                    s.groups.append((name, items))
            for d in tp.get(ns.DPV + "hasDuration", []):
                dp = _props(store, d.value, graph)
                txt = " ".join([v.value for v in dp.get(ns.RDF + "value", [])] +
                               [f"“{v.value}”" for v in dp.get(ns.DCT + "description", [])])
                s.groups.append(("duration", [("", txt or labels(dp[RDF_TYPE][0].value))]))
            s.evidence = evidence_for(store, q.subject.value)
            techs.append(s)
    techs.sort(key=lambda s: s.label.lower())
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


def _quote_html(e: Evidence) -> str:
    return (f'<blockquote class=evidence>…{html.escape(e.prefix)}<mark>{html.escape(e.exact)}</mark>'
            f'{html.escape(e.suffix)}… <span class=offsets>[{e.start}–{e.end}]</span></blockquote>')


def _node_html(n: NodeSummary, base: str) -> str:
    rows = []
    for name, vals in n.groups:
        cells = ", ".join(_link(i, base, t) if i else html.escape(t) for i, t in vals)
        rows.append(f"<tr><th>{html.escape(name)}</th><td>{cells}</td></tr>")
    if n.marks:
        rows.insert(0, f"<tr><th>holds</th><td class=modality>{html.escape('; '.join(n.marks))}</td></tr>")
    comment = f"<p class=reading>Reading: {html.escape(n.comment)}</p>" if n.comment else ""
    return (f'<section class=node><h3>{_link(n.iri, base, n.label)}</h3><table>{"".join(rows)}</table>{comment}'
            + "".join(_quote_html(e) for e in n.evidence) + "</section>")


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{html.escape(title)} · privacykg</title><link rel=stylesheet href=/static/style.css></head>"
            f"<body><header><a href=/>privacykg</a> · <a href=/sparql>SPARQL</a> · <a href=/void>VoID</a></header>"
            f"<main>{body}</main></body></html>")


def describe_html(store: ox.Store, iri: str, base: str) -> str | None:
    s = policy_summary(store, iri)
    if s is not None:
        parts = [f"<h1>{html.escape(s.title)}</h1><p class=iri>{html.escape(iri)} · "
                 f"<a href='/?policy={urlquote(iri, safe='')}#graph'>graph view</a> · "
                 f"<a href='/resource?iri={urlquote(iri, safe='')}&format=turtle'>Turtle</a></p>",
                 "<h2>The document and its controller</h2><table class=facts>"]
        labels = Labels(store)
        types = sorted({q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None)
                        if isinstance(q.object, ox.NamedNode) and _asserted(q)})
        if types:
            parts.append("<tr><th>type</th><td>" + ", ".join(_link(t, base, labels(t)) for t in types) + "</td></tr>")
        for what, fi, text, evs in s.facts:
            val = _link(fi, base, text) if fi else html.escape(text)
            parts.append(f"<tr><th>{html.escape(what)}</th><td>{val}{''.join(_quote_html(e) for e in evs)}</td></tr>")
        parts.append("</table>")
        for title, items in (("Organisations and people", s.entities), ("Processing activities", s.processes),
                             ("What the policy says is not done", s.prohibitions),
                             ("Cookies and other technologies", s.technologies)):
            parts.append(f"<h2>{title} ({len(items)})</h2>")
            parts.extend(_node_html(n, base) for n in items)
        return page(s.title, "".join(parts))
    triples = describe_triples(store, iri)
    if not triples:
        return None
    labels = Labels(store)
    node = ox.NamedNode(iri)
    first = {RDF_TYPE: 0, LABEL: 1}
    own = sorted((t for t in triples if t.subject == node),
                 key=lambda t: (first.get(t.predicate.value, 2), ns.compact(t.predicate.value), str(t.object)))
    # what points to it (not its evidence: that is quoted below)
    skip = {OA_BODY, ns.RDF + "subject", ns.RDF + "object"}
    incoming, seen = [], set()
    for q in store.quads_for_pattern(None, None, node):
        key = (q.subject, q.predicate)
        if q.predicate.value in skip or key in seen or q.subject == node:
            continue
        seen.add(key)
        incoming.append(ox.Triple(q.subject, q.predicate, q.object))
        if len(incoming) >= 200:
            break
    incoming.sort(key=lambda t: (ns.compact(t.predicate.value), t.subject.value))
    rows = []
    for t in own:
        o = t.object
        val = _link(o.value, base, labels(o.value)) if isinstance(o, ox.NamedNode) else html.escape(o.value)
        rows.append(f"<tr><th>{_link(t.predicate.value, base, ns.compact(t.predicate.value))}</th><td>{val}</td></tr>")
    for t in incoming:
        rows.append(f"<tr><th>is {_link(t.predicate.value, base, ns.compact(t.predicate.value))} of</th>"
                    f"<td>{_link(t.subject.value, base, labels(t.subject.value)) if isinstance(t.subject, ox.NamedNode) else ''}</td></tr>")
    evs = "".join(_quote_html(e) for e in evidence_for(store, iri))
    title = labels(iri)
    dpv_note = (f"<p>A DPV term: <a class=ext href='{html.escape(iri)}'>its DPV documentation</a>.</p>"
                if ns.is_dpv_iri(iri) else "")
    return page(title, f"<h1>{html.escape(title)}</h1><p class=iri>{html.escape(iri)}</p>{dpv_note}"
                       f"<table class=facts>{''.join(rows)}</table>{'<h2>Evidence</h2>' + evs if evs else ''}")


def _asserted(q) -> bool:
    return not (isinstance(q.graph_name, ox.NamedNode) and "/graph/inferred" in q.graph_name.value)


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
    parts = [f"<h1>The privacykg vocabulary</h1><p class=iri>{html.escape(namespace)}</p>"
             f"<p>Terms privacykg adds where DPV 2.3 has none, each under the nearest DPV concept "
             f"({len(by_subject)} terms and resources).</p>"]
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
