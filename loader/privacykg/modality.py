"""Modality: what the compiler records when a statement holds only under a condition, only
possibly ("may"), or was read into the text by the encoder (implied).

The YAML (docs/annotation-format.md, "Modality"):

* on a process or prohibition: ``modality: possible`` or ``modality: conditional``, and
  ``condition:`` one verbatim quote (text or ``{text:, at:}``) or a list of them; a condition
  alone makes the node conditional, ``modality: conditional`` without one is an error;
* on one value (``{value: ..., quote: ...}``): ``implied: true``, ``condition: "..."`` and
  ``modality: possible``; the marks go on the ``rdf:Statement`` of that value.

The RDF (DPV 2.3 first, our extension where it has no term):

* possible: ``?x dpv:hasLikelihood pkg:Possible`` (``pkg:Possible`` narrower than ``dpv:Likelihood``);
* conditional: ``?x pkg:hasStatedCondition ?c`` (narrower than ``dpv:hasProcessingCondition``),
  ``?c a pkg:StatedCondition`` (narrower than ``dpv:ProcessingCondition``) with the condition's
  words as ``rdf:value`` and its quote as an ``oa:Annotation``;
* implied: ``?st dpv:hasStatus pkg:Implied`` (``pkg:Implied`` narrower than ``dpv:Status``).

The compiler calls :func:`value_marks` for each ``{value: ...}`` mapping, :func:`mark` for the
statement node of a marked value, and :func:`node_marks` for a process or prohibition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import namespaces as ns

#: keys a value mapping may carry besides value/quote/quotes/comment
VALUE_FIELDS = {"implied", "condition", "modality"}
#: keys a process or prohibition may carry
NODE_FIELDS = {"modality", "condition"}
MODALITIES = ("possible", "conditional")

POSSIBLE = f"<{ns.PKG}Possible>"
IMPLIED = f"<{ns.PKG}Implied>"
STATED_CONDITION = f"<{ns.PKG}StatedCondition>"
HAS_STATED_CONDITION = f"<{ns.PKG}hasStatedCondition>"
HAS_LIKELIHOOD = f"<{ns.DPV}hasLikelihood>"
HAS_STATUS = f"<{ns.DPV}hasStatus>"
A = f"<{ns.RDF}type>"
RDF_VALUE = f"<{ns.RDF}value>"


@dataclass
class Marks:
    """The modality of one statement: possible, implied, and the spans of its conditions."""

    possible: bool = False
    implied: bool = False
    conditions: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.possible or self.implied or bool(self.conditions)


class Spans(list):
    """The quote spans of one value, with the value's :class:`Marks` (``statement()`` reads them)."""

    marks: Marks | None = None


def _modality(c, m, path: str, node, allow_implied: bool) -> Marks:
    """Read ``modality``/``condition`` (and ``implied`` on a value) from mapping ``m``."""
    marks = Marks()
    raw = c.text(m.get("modality"), f"{path}.modality") if m.get("modality") is not None else None
    if raw is not None and raw.strip() not in MODALITIES:
        c.problem(
            m["modality"],
            f"{path}.modality",
            f"unknown modality '{raw}'",
            'write modality: possible ("may", "might", "can") or modality: conditional with condition:',
            rule="modality",
        )
    raw = (raw or "").strip()
    marks.possible = raw == "possible"
    for i, item in enumerate(c.listof(m.get("condition"), f"{path}.condition")):
        cpath = f"{path}.condition" + (f"[{i}]" if isinstance(m["condition"].value, list) else "")
        span = c.quote(item, cpath)
        if span is not None:
            marks.conditions.append(span)
    if raw == "conditional" and m.get("condition") is None:
        c.problem(
            m["modality"],
            f"{path}.modality",
            "modality: conditional needs the condition's own words",
            'add condition: "..." quoting the condition verbatim from the source (e.g. "if you agree")',
            rule="modality",
        )
    if allow_implied and m.get("implied") is not None:
        imp = c.text(m["implied"], f"{path}.implied")
        if imp not in ("true", "false"):
            c.problem(
                m["implied"],
                f"{path}.implied",
                f"'{imp}' is not true or false",
                "write implied: true for a value read into the text",
                rule="modality",
            )
        marks.implied = imp == "true"
    return marks


def value_marks(c, m, node, path: str, spans: list[tuple[int, int]]) -> Spans:
    """The spans of a ``{value: ...}`` mapping, carrying its marks."""
    out = Spans(spans)
    marks = _modality(c, m, path, node, allow_implied=True)
    out.marks = marks or None
    return out


def node_marks(c, subject: str, m, node, path: str) -> None:
    """Read and record the modality of a process or prohibition node ``subject``."""
    marks = _modality(c, m, path, node, allow_implied=False)
    if marks:
        mark(c, subject, marks)


def mark(c, subject: str, marks: Marks) -> None:
    """Add the triples of ``marks`` to ``subject`` (a process, prohibition or rdf:Statement)."""
    from .compile import _child, _hash, literal, term_value

    g = c.g
    if marks.possible:
        g.add((subject, HAS_LIKELIHOOD, POSSIBLE))
    if marks.implied:
        g.add((subject, HAS_STATUS, IMPLIED))
    for start, end in marks.conditions:
        cond = _child(c.notice, f"/condition/{_hash(term_value(subject), start, end)}")
        g.add((subject, HAS_STATED_CONDITION, cond))
        g.add((cond, A, STATED_CONDITION))
        g.add((cond, RDF_VALUE, literal(c.source_text[start:end])))
        c.annotate(cond, [(start, end)])


# ---- reading the marks back (show, the policy pages) -------------------------------------------
def _words(store, node, graph) -> list[str]:
    """The marks of one node in words: "may", "if: <the condition's words>", "implied"."""
    import pyoxigraph as ox

    out = []
    if any(
        True
        for _ in store.quads_for_pattern(node, ox.NamedNode(HAS_LIKELIHOOD[1:-1]), ox.NamedNode(POSSIBLE[1:-1]), graph)
    ):
        out.append("may")
    for q in store.quads_for_pattern(node, ox.NamedNode(HAS_STATED_CONDITION[1:-1]), None, graph):
        for v in store.quads_for_pattern(q.object, ox.NamedNode(RDF_VALUE[1:-1]), None, graph):
            out.append(f"if: {v.object.value}")
    if any(
        True for _ in store.quads_for_pattern(node, ox.NamedNode(HAS_STATUS[1:-1]), ox.NamedNode(IMPLIED[1:-1]), graph)
    ):
        out.append("implied")
    return sorted(set(out), key=out.index)


def node_words(store, iri: str, graph=None) -> list[str]:
    """The marks of a process or prohibition, in words (empty for a plain stated fact)."""
    import pyoxigraph as ox

    return _words(store, ox.NamedNode(iri), graph)


def value_words(store, subject: str, graph=None) -> dict[tuple[str, object], list[str]]:
    """The marks of the values of ``subject``, by (predicate IRI, object term), in words."""
    import pyoxigraph as ox

    rdf = lambda local: ox.NamedNode(ns.RDF + local)
    out: dict[tuple[str, object], list[str]] = {}
    for q in store.quads_for_pattern(None, rdf("subject"), ox.NamedNode(subject), graph):
        words = _words(store, q.subject, graph)
        if not words:
            continue
        for p in store.quads_for_pattern(q.subject, rdf("predicate"), None, graph):
            for o in store.quads_for_pattern(q.subject, rdf("object"), None, graph):
                out.setdefault((p.object.value, o.object), []).extend(
                    w for w in words if w not in out.get((p.object.value, o.object), [])
                )
    return out


# ---- the summary the build materialises (pkg:modality) --------------------------------------

MODALITY = f"<{ns.PKG}modality>"
RDF_SUBJECT = f"<{ns.RDF}subject>"
RDF_OBJECT = f"<{ns.RDF}object>"


def _local(term: str) -> str:
    """A value's local name: an IRI after its last ``#`` or ``/`` (``dpv:Marketing`` ->
    ``Marketing``), a literal's text likewise."""
    from .compile import term_value

    return re.sub(r"^.*[#/]", "", term_value(term))


def summaries(triples) -> dict[str, str]:
    """For each node of a policy with modality marks, on itself or on its values, one string:
    "may", "if: <words>", "may: <value>", "<value> if: <words>", "implied: <value>", sorted and
    joined by " | " (what cq01, cq02, cq04 and cq28 show; built once here, so that a question
    need not gather every mark of the corpus). ``triples``: N-Triples term triples."""
    from .compile import literal, term_value

    words: dict[str, list[str]] = {}  # condition node -> its words
    by_subject: dict[tuple[str, str], list[str]] = {}
    for s, p, o in triples:
        if p in (RDF_VALUE, HAS_STATED_CONDITION, HAS_LIKELIHOOD, HAS_STATUS, RDF_SUBJECT, RDF_OBJECT):
            by_subject.setdefault((s, p), []).append(o)
    for (s, p), objects in by_subject.items():
        if p == RDF_VALUE:
            words[s] = [term_value(o) for o in objects]
    marks: dict[str, set[str]] = {}
    for (s, p), objects in by_subject.items():
        if p not in (HAS_STATED_CONDITION, HAS_LIKELIHOOD, HAS_STATUS):
            continue
        about = by_subject.get((s, RDF_SUBJECT))
        value = by_subject.get((s, RDF_OBJECT))
        for o in objects:
            if about and value:  # a value's statement: the mark names the value
                node, v = about[0], _local(value[0])
                texts = (
                    [f"may: {v}"]
                    if p == HAS_LIKELIHOOD and o == POSSIBLE
                    else [f"implied: {v}"]
                    if p == HAS_STATUS and o == IMPLIED
                    else [f"{v} if: {w}" for w in words.get(o, ())]
                    if p == HAS_STATED_CONDITION
                    else []
                )
            else:
                node = s
                texts = (
                    ["may"]
                    if p == HAS_LIKELIHOOD and o == POSSIBLE
                    else [f"if: {w}" for w in words.get(o, ())]
                    if p == HAS_STATED_CONDITION
                    else []
                )
            marks.setdefault(node, set()).update(texts)
    return {node: literal(" | ".join(sorted(texts))) for node, texts in marks.items() if texts}
