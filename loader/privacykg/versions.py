"""Versions of one policy and what changed between two of them (``privacykg diff``, the
timeline and diff pages).

A version's description is its policy graph (``<base>graph/<policy>/<version>``), asserted
only: its own triples and, through its ``rdf:Statement`` nodes, what it says about
organisations. A **fact** is one statement of it, with the IRIs minted per version made
comparable across versions:

* a node minted under the version's notice IRI (the notice itself, ``process/<key>``,
  ``prohibition/<key>``, ``technology/<key>``, ``process/<key>/storage/1`` ...) is keyed by its
  path relative to the notice (the YAML keys are in those paths), so ``process/cookies`` of two
  versions is one node;
* a stated condition (``pkg:hasStatedCondition``; its IRI hashes its offsets) is keyed by its words;
* modality marks on one value (``rdf:Statement`` node ``dpv:hasLikelihood``, ``dpv:hasStatus``,
  ``pkg:hasStatedCondition``) are facts about the statement, keyed by the statement's own key;
* evidence (annotations, targets, selectors), the ``rdf:Statement`` bookkeeping triples, the
  source document's description and the version's own identity (``pkg:versionDate``,
  ``pkg:sourceText``) are not facts.

A fact's quotes are those of its condition (a stated condition), else of its own
``rdf:Statement``, else of its subject (a process's quotes, an organisation's). Quotes are
compared by their words, not their offsets: text inserted above a sentence moves it without
changing what it says. **added**: a fact of the new version only; **removed**: of the old only;
**changed**: a fact of both whose quotes differ, counting only the fact's own quotes (its
statement's or condition's) and, for the node's ``rdf:type`` facts, the node's own quotes (so a
process whose quote was edited is one change, not one per value it lists).

cq36 (``queries/cq/cq36-changes-between-versions.rq``) asks the same of any SPARQL store and
lists the same added and removed facts.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .evidence import Evidence

RDF_TYPE = ns.RDF + "type"
RDF_STATEMENT = ns.RDF + "Statement"
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = ns.RDF + "subject", ns.RDF + "predicate", ns.RDF + "object"
RDF_VALUE = ns.RDF + "value"
STATED_CONDITION = ox.NamedNode(ns.PKG + "StatedCondition")
#: the version's identity, not something it says: never compared
IDENTITY = {ns.PKG + "versionDate", ns.PKG + "sourceText"}
#: the triples of a statement node that only say which triple it is
BOOKKEEPING = {RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT}
KINDS = ("added", "removed", "changed")
OA = ns.OA


@dataclass(frozen=True)
class Version:
    """One stored version of a policy."""

    policy: str
    version: str
    notice: str
    graph: str
    title: str = ""


@dataclass
class Change:
    """One fact added, removed or changed, shown readably (``subject``, ``predicate``,
    ``object``: a path under the notice, ``entity/<key>``, a prefixed name or a value) with its
    old and new quotes; ``key`` is the comparable form, ``old_iri``/``new_iri`` the subject's IRI
    in each version that has it."""

    kind: str
    subject: str
    predicate: str
    object: str
    key: tuple[str, str, str]
    old_quotes: list[Evidence] = field(default_factory=list)
    new_quotes: list[Evidence] = field(default_factory=list)
    object_label: str = ""
    old_iri: str = ""
    new_iri: str = ""
    #: the object's IRI as the version showing it names it ("" for a value or a condition)
    object_iri: str = ""


@dataclass
class Diff:
    """What changed from ``old`` to ``new``, sorted: added, removed, changed, each by subject,
    predicate and object."""

    policy: str
    old: Version
    new: Version
    changes: list[Change]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in KINDS}


@dataclass
class TimelineEntry:
    version: Version
    #: the counts against the version before it (None for the first)
    counts: dict[str, int] | None = None
    previous: Version | None = None


# ---------------------------------------------------------------------------- versions


def _store(store_or_path):
    if hasattr(store_or_path, "quads_for_pattern"):
        return store_or_path
    from .store import open_store

    return open_store(store_or_path)


def versions(store, policy: str) -> list[Version]:
    """The stored versions of ``policy`` (its slug), oldest first."""
    store = _store(store)
    out = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(ns.PKG + "policySlug"), ox.Literal(policy), None):
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or "/graph/inferred/" in g.value:
            continue
        n = q.subject
        if not any(
            True for _ in store.quads_for_pattern(n, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice"), g)
        ):
            continue
        dates = [d.object.value for d in store.quads_for_pattern(n, ox.NamedNode(ns.PKG + "versionDate"), None, g)]
        titles = [t.object.value for t in store.quads_for_pattern(n, ox.NamedNode(ns.DCT + "title"), None, g)]
        if dates:
            out[dates[0]] = Version(policy, dates[0], n.value, g.value, titles[0] if titles else "")
    return [out[v] for v in sorted(out)]


def policies(store) -> list[str]:
    """Every policy slug in the store."""
    store = _store(store)
    return sorted(
        {
            q.object.value
            for q in store.quads_for_pattern(None, ox.NamedNode(ns.PKG + "policySlug"), None, None)
            if isinstance(q.graph_name, ox.NamedNode) and "/graph/inferred/" not in q.graph_name.value
        }
    )


def find_version(store, policy: str, version: str) -> Version:
    """The stored version, or a UsageError naming the versions (or policies) there are."""
    found = versions(store, policy)
    if not found:
        known = policies(store)
        raise UsageError(f"no policy '{policy}' in the store; policies: {', '.join(known) or 'none'}")
    for v in found:
        if v.version == version:
            return v
    raise UsageError(
        f"policy '{policy}' has no version {version}; its versions: " + ", ".join(v.version for v in found)
    )


# ---------------------------------------------------------------------------- one version's facts


class VersionFacts:
    """A version's facts by key, each with its subject IRI, terms and quotes."""

    def __init__(self, store, version: Version):
        self.version = version
        self.notice = version.notice
        g = ox.NamedNode(version.graph)
        by_s: dict = {}
        for q in store.quads_for_pattern(None, None, None, g):
            by_s.setdefault(q.subject, []).append((q.predicate.value, q.object))
        self.by_s = by_s
        self.statements: dict = {}  # statement node -> (s, p, o)
        self.conditions: dict = {}  # condition node -> its words
        for s, pos in by_s.items():
            d = {}
            for p, o in pos:
                d.setdefault(p, o)
            if RDF_SUBJECT in d and RDF_PREDICATE in d and RDF_OBJECT in d:
                self.statements[s] = (d[RDF_SUBJECT], d[RDF_PREDICATE].value, d[RDF_OBJECT])
            if (RDF_TYPE, STATED_CONDITION) in pos and RDF_VALUE in d:
                self.conditions[s] = d[RDF_VALUE].value
        self.statement_of = {v: k for k, v in sorted(self.statements.items(), key=lambda kv: kv[0].value)}
        notice = ox.NamedNode(self.notice)
        self.source = {o for p, o in by_s.get(notice, []) if p == ns.PKG + "sourceText"}
        self.evidence = self._evidence()
        #: key -> (subject term, predicate, object term, own: the quotes are the fact's own)
        self.facts: dict[tuple[str, str, str], tuple] = {}
        for s, pos in by_s.items():
            if s in self.source or self._is_evidence(s) or s in self.conditions:
                continue
            is_statement = s in self.statements
            for p, o in pos:
                if p in IDENTITY and s == notice:
                    continue
                if is_statement and (p in BOOKKEEPING or (p == RDF_TYPE and o.value == RDF_STATEMENT)):
                    continue
                self._add(s, p, o)
        for s, p, o in self.statements.values():
            self._add(s, p, o)

    # ---- terms and keys
    def _is_evidence(self, term) -> bool:
        return isinstance(term, ox.NamedNode) and term.value.startswith(self.notice + "/evidence/")

    def under_notice(self, term) -> str | None:
        """The path of a node minted under the notice ("" for the notice), else None."""
        if isinstance(term, ox.NamedNode) and (term.value == self.notice or term.value.startswith(self.notice + "/")):
            return term.value[len(self.notice) :]
        return None

    def key(self, term) -> str:
        """A term's comparable form: ``~/path`` under the notice, ``«s p o»`` for a statement
        node, ``if: words`` for a stated condition, else its N-Triples form."""
        if term in self.statements:
            s, p, o = self.statements[term]
            return f"«{self.key(s)} <{p}> {self.key(o)}»"
        if term in self.conditions:
            return "if: " + self.conditions[term]
        rel = self.under_notice(term)
        if rel is not None:
            return "~" + rel
        return str(term)

    def fact_key(self, s, p: str, o) -> tuple[str, str, str]:
        return (self.key(s), p, self.key(o))

    def _add(self, s, p, o) -> None:
        self.facts.setdefault(self.fact_key(s, p, o), (s, p, o))

    # ---- quotes
    def _evidence(self) -> dict:
        """body -> its quotes, from this graph's annotations."""
        by_s = self.by_s
        first = lambda node, pred: next((o for p, o in by_s.get(node, []) if p == pred), None)
        out: dict = {}
        for ann, pos in by_s.items():
            if not self._is_evidence(ann):
                continue
            bodies = [o for p, o in pos if p == OA + "hasBody"]
            for target in (o for p, o in pos if p == OA + "hasTarget"):
                source = first(target, OA + "hasSource")
                exact = prefix = suffix = None
                start = end = None
                for sel in (o for p, o in by_s.get(target, []) if p == OA + "hasSelector"):
                    if first(sel, OA + "exact") is not None:
                        exact, prefix, suffix = (first(sel, OA + x) for x in ("exact", "prefix", "suffix"))
                    if first(sel, OA + "start") is not None:
                        start, end = first(sel, OA + "start"), first(sel, OA + "end")
                if exact is None:
                    continue
                ev = Evidence(
                    exact.value,
                    prefix.value if prefix else "",
                    suffix.value if suffix else "",
                    int(start.value) if start else -1,
                    int(end.value) if end else -1,
                    source.value if source else "",
                )
                for b in bodies:
                    out.setdefault(b, []).append(ev)
        for evs in out.values():
            evs.sort(key=lambda e: (e.start, e.end, e.exact))
        return out

    def quotes(self, s, p: str, o) -> tuple[list[Evidence], bool]:
        """The fact's quotes and whether they are its own (its condition's or statement's)
        rather than its subject's."""
        if o in self.conditions:
            return self.evidence.get(o, []), True
        st = self.statement_of.get((s, p, o))
        if st is not None and self.evidence.get(st):
            return self.evidence[st], True
        return self.evidence.get(s, []), False


def _compared(facts: VersionFacts, s, p, o) -> frozenset[str] | None:
    """The quote words a change of the fact is judged by, or None when its quotes are only
    its subject's (shown, not compared) and it is not the node's rdf:type."""
    evs, own = facts.quotes(s, p, o)
    if own or (p == RDF_TYPE and s not in facts.statements):
        return frozenset(e.exact for e in evs)
    return None


# ---------------------------------------------------------------------------- showing terms


class _Show:
    def __init__(self, store, base: str):
        self.store = store
        self.entity = base + "entity/"
        self.labels: dict[str, str] = {}

    def term(self, facts: VersionFacts, t) -> str:
        if t in facts.statements:
            s, p, o = facts.statements[t]
            return f"«{self.term(facts, s)} {ns.compact(p)} {self.term(facts, o)}»"
        if t in facts.conditions:
            return "if: " + facts.conditions[t]
        rel = facts.under_notice(t)
        if rel is not None:
            return rel.lstrip("/") or "notice"
        if isinstance(t, ox.NamedNode):
            if t.value.startswith(self.entity):
                return "entity/" + t.value[len(self.entity) :]
            return ns.compact(t.value)
        return t.value

    def label(self, t) -> str:
        """The label of an IRI not minted per version (a DPV term, an organisation), or ""."""
        if not isinstance(t, ox.NamedNode):
            return ""
        if t.value not in self.labels:
            found = ""
            for pred in (ns.DPV + "hasName", ns.RDFS + "label"):
                for q in self.store.quads_for_pattern(t, ox.NamedNode(pred), None, None):
                    if "/graph/inferred" not in (q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""):
                        found = q.object.value
                        break
                if found:
                    break
            self.labels[t.value] = found
        return self.labels[t.value]


def _base_of(version: Version) -> str:
    at = version.notice.rfind("policy/")
    return version.notice[:at] if at >= 0 else ns.DEFAULT_BASE


# ---------------------------------------------------------------------------- the diff


def diff_versions(store, old: Version, new: Version, read: dict | None = None) -> Diff:
    """The facts added, removed and changed from ``old`` to ``new`` (two stored versions);
    ``read`` keeps each version's facts once read, by version (a timeline reads each once)."""
    store = _store(store)
    read = {} if read is None else read
    for v in (old, new):
        if v.version not in read:
            read[v.version] = VersionFacts(store, v)
    a, b = read[old.version], read[new.version]
    show = _Show(store, _base_of(new))
    changes = []
    for key in sorted(set(a.facts) | set(b.facts)):
        fa, fb = a.facts.get(key), b.facts.get(key)
        if fa is not None and fb is not None:
            qa, qb = _compared(a, *fa), _compared(b, *fb)
            if qa is None or qb is None or qa == qb:
                continue
            kind = "changed"
        else:
            kind = "removed" if fb is None else "added"
        facts, (s, p, o) = (a, fa) if fb is None else (b, fb)
        changes.append(
            Change(
                kind,
                show.term(facts, s),
                ns.compact(p),
                show.term(facts, o),
                key,
                old_quotes=a.quotes(*fa)[0] if fa else [],
                new_quotes=b.quotes(*fb)[0] if fb else [],
                object_label=show.label(o),
                old_iri=fa[0].value if fa and isinstance(fa[0], ox.NamedNode) else "",
                new_iri=fb[0].value if fb and isinstance(fb[0], ox.NamedNode) else "",
                object_iri=o.value if isinstance(o, ox.NamedNode) and o not in facts.conditions else "",
            )
        )
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.subject, c.predicate, c.object, c.key))
    return Diff(old.policy, old, new, changes)


def diff(store, policy: str, old: str, new: str) -> Diff:
    """What changed in ``policy`` from version ``old`` to version ``new`` (version dates).

    Raises UsageError for an unknown policy or version, naming those there are.
    """
    store = _store(store)
    return diff_versions(store, find_version(store, policy, old), find_version(store, policy, new))


def timeline(store, policy: str) -> list[TimelineEntry]:
    """The versions of ``policy`` by date, each with the counts of facts added, removed and
    changed against the version before it."""
    store = _store(store)
    found = versions(store, policy)
    if not found:
        raise UsageError(f"no policy '{policy}' in the store; policies: {', '.join(policies(store)) or 'none'}")
    out = [TimelineEntry(found[0])]
    read: dict = {}
    for prev, cur in itertools.pairwise(found):
        out.append(TimelineEntry(cur, diff_versions(store, prev, cur, read).counts, prev))
        read.pop(prev.version, None)
    return out


# ---------------------------------------------------------------------------- text, JSON, Markdown


def _quotes_json(evs: list[Evidence]) -> list[dict]:
    return [{"exact": e.exact, "start": e.start, "end": e.end} for e in evs]


def diff_json(d: Diff) -> str:
    return (
        json.dumps(
            {
                "policy": d.policy,
                "old": asdict(d.old),
                "new": asdict(d.new),
                "counts": d.counts,
                "changes": [
                    {
                        "change": c.kind,
                        "subject": c.subject,
                        "predicate": c.predicate,
                        "object": c.object,
                        "object_label": c.object_label,
                        "object_iri": c.object_iri,
                        "old_subject_iri": c.old_iri,
                        "new_subject_iri": c.new_iri,
                        "old_quotes": _quotes_json(c.old_quotes),
                        "new_quotes": _quotes_json(c.new_quotes),
                    }
                    for c in d.changes
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _differing(c: Change) -> tuple[list[Evidence], list[Evidence]]:
    """The quotes to show: all of them for an added or removed fact, the ones that differ for a
    changed one."""
    if c.kind != "changed":
        return c.old_quotes, c.new_quotes
    old_words, new_words = {e.exact for e in c.old_quotes}, {e.exact for e in c.new_quotes}
    return [e for e in c.old_quotes if e.exact not in new_words], [e for e in c.new_quotes if e.exact not in old_words]


def _obj(c: Change) -> str:
    return f"{c.object} ({c.object_label})" if c.object_label and c.object_label != c.object else c.object


def diff_text(d: Diff) -> str:
    """The diff for a terminal: one block per change, its quotes below it."""
    n = d.counts
    out = [
        (
            f"{d.policy}: {d.old.version} -> {d.new.version}: "
            f"{n['added']} added, {n['removed']} removed, {n['changed']} changed"
        )
    ]
    for kind, mark in (("added", "+"), ("removed", "-"), ("changed", "~")):
        items = d.of(kind)
        if not items:
            continue
        out.append("")
        out.append(f"{kind.upper()} ({len(items)})")
        for c in items:
            out.append(f"{mark} {c.subject}  {c.predicate}  {_obj(c)}")
            old, new = _differing(c)
            out.extend(f"    old: “{e.exact}” [{e.start}-{e.end}]" for e in old)
            out.extend(f"    new: “{e.exact}” [{e.start}-{e.end}]" for e in new)
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def diff_markdown(d: Diff) -> str:
    n = d.counts
    out = [
        f"# {_md(d.policy)}: {d.old.version} → {d.new.version}",
        "",
        f"{n['added']} added, {n['removed']} removed, {n['changed']} changed.",
        "",
    ]
    if d.changes:
        out += ["| change | subject | predicate | object | old quote | new quote |", "|---|---|---|---|---|---|"]
        for c in d.changes:
            old, new = _differing(c)
            q = lambda evs: "<br>".join(f"“{_md(e.exact)}”" for e in evs)
            out.append(f"| {c.kind} | {_md(c.subject)} | {_md(c.predicate)} | {_md(_obj(c))} | {q(old)} | {q(new)} |")
    return "\n".join(out) + "\n"


def format_diff(d: Diff, fmt: str = "table") -> str:
    if fmt == "json":
        return diff_json(d)
    if fmt == "md":
        return diff_markdown(d)
    return diff_text(d)
