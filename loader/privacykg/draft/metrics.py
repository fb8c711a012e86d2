"""Measures of a draft against the reviewed annotation of the same text, for
``tools/eval_draft.py``: per-fact recall of the top suggestions of the sentences a fact cites,
the share of the draft's quoted statements a reviewer quoted unchanged, and term scores of
candidate processes (heading groups cut at new purposes) matched to the annotated processes by
shared quotes; and the notice's statements: its term-valued fields as ``field=value`` sets, its
text fields (complaint routes, how rights are exercised) as hits where a suggested statement
overlaps an annotated quote.

Spans are ``(start, end)`` character offsets into the source text the quotes are checked against.

>>> overlaps((0, 5), (4, 9)), overlaps((0, 5), (5, 9))
(True, False)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..ontology import Ontology
from .corpus import facts_of
from .notice import NoticeFact, one_value
from .suggest import Suggestion
from .write import candidate_groups

Span = tuple[int, int]
SIMILARITY = re.compile(r"\(similarity (\d+(?:\.\d+)?)\)")


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def locate(text: str, quote: str) -> Span | None:
    """The span of ``quote`` in ``text``: its first occurrence (a valid file's quotes without an
    offset occur once), None when it is not there."""
    at = text.find(quote)
    return None if at < 0 else (at, at + len(quote))


def quote_texts(node) -> list[str]:
    """Every quote's text anywhere under ``node`` (the values of ``quote`` and ``quotes`` keys,
    plain or as ``{text, at}``)."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("quote", "quotes"):
                for q in value if isinstance(value, list) else [value]:
                    if isinstance(q, str):
                        out.append(q)
                    elif isinstance(q, dict) and isinstance(q.get("text"), str):
                        out.append(q["text"])
            else:
                out += quote_texts(value)
    elif isinstance(node, list):
        for item in node:
            out += quote_texts(item)
    return out


# ---- per-sentence recall@k --------------------------------------------------------------


def similarity(s: Suggestion) -> float:
    """The cosine of the nearest annotated sentence a suggestion came from; 1.0 for one read in
    the statement itself (a lexicon phrase or pattern, a retention period, a named organisation)."""
    if not s.reason.startswith("nearest annotated sentence"):
        return 1.0
    m = SIMILARITY.search(s.reason)
    return float(m.group(1)) if m else 0.0


def ranked(suggestions: list[Suggestion]) -> dict[tuple[Span, str], list[str]]:
    """Per (statement span, family): the terms suggested, best first (high band before possible,
    then by similarity, then alphabetically). Prohibitions are left out, as in the scores."""
    groups: dict[tuple[Span, str], list[Suggestion]] = defaultdict(list)
    for s in suggestions:
        if not s.prohibited:
            groups[((s.start, s.end), s.family)].append(s)
    return {
        key: [s.term for s in sorted(ss, key=lambda s: (s.band != "high", -similarity(s), s.term))]
        for key, ss in groups.items()
    }


@dataclass(frozen=True)
class FactQuotes:
    """An annotated fact and the spans of the sentences it cites (its own quotes, else its node's);
    ``sure`` when that is one sentence or its own quote."""

    family: str
    term: str
    spans: tuple[Span, ...]
    sure: bool


def fact_quotes(onto: Ontology, doc: dict, text: str) -> list[FactQuotes]:
    """The facts of an annotation file with their quotes located in ``text`` (each distinct
    fact and quote set once)."""
    out = []
    for fact, own in facts_of(onto, doc):
        spans = tuple(sp for q in fact.quotes if (sp := locate(text, q)) is not None)
        if spans:
            out.append(FactQuotes(fact.family, fact.term, spans, own or len(fact.quotes) == 1))
    return list(dict.fromkeys(out))


def hit(fact: FactQuotes, tops: dict[tuple[Span, str], list[str]], k: int | None) -> bool:
    """Whether ``fact.term`` is among the first ``k`` (all when None) terms of its family suggested
    for some statement overlapping one of its quotes."""
    return any(
        fam == fact.family and fact.term in terms[:k] and any(overlaps(st, sp) for sp in fact.spans)
        for (st, fam), terms in tops.items()
    )


def recall_counts(facts: list[FactQuotes], tops: dict, k: int | None) -> dict[str, Counter]:
    """Per family: ``facts`` (all), ``hits``, and the same for the sure facts (``sure``, ``sure_hits``)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for f in facts:
        got = hit(f, tops, k)
        out[f.family].update(facts=1, hits=int(got), sure=int(f.sure), sure_hits=int(got and f.sure))
    return out


# ---- quotes kept unchanged --------------------------------------------------------------


def kept_quotes(suggestions: list[Suggestion], reviewed: list[str], text: str) -> Counter:
    """Of the distinct statements the suggestions quote: ``quoted``; ``kept``, those whose text is
    also a quote of the reviewed file; ``overlapping``, those overlapping some reviewed quote."""
    texts = set(reviewed)
    spans = [sp for q in texts if (sp := locate(text, q)) is not None]
    out = Counter()
    for span, said in {(s.start, s.end): s.statement.text for s in suggestions}.items():
        out.update(quoted=1, kept=int(said in texts), overlapping=int(any(overlaps(span, sp) for sp in spans)))
    return out


# ---- process-level scores ---------------------------------------------------------------


@dataclass
class Process:
    spans: list[Span]
    terms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def annotated_processes(onto: Ontology, doc: dict, text: str) -> list[Process]:
    """The processes of a reviewed file: every quote under each (its own and its values'), and
    its terms per family."""
    out = []
    for proc in (doc.get("processes") or {}).values():
        if not isinstance(proc, dict):
            continue
        p = Process([sp for q in quote_texts(proc) if (sp := locate(text, q)) is not None])
        for fact, _ in facts_of(onto, {"processes": {"p": proc}}):
            p.terms[fact.family].add(fact.term)
        out.append(p)
    return out


def candidate_processes(suggestions: list[Suggestion]) -> list[Process]:
    """The draft's candidate processes, as the draft file writes them (:func:`candidate_groups`)."""
    out = []
    for items in candidate_groups(suggestions):
        p = Process(sorted({(s.start, s.end) for s in items if not s.shared}))
        for s in items:
            p.terms[s.family].add(s.term)
        out.append(p)
    return out


def shared(gold: Process, cand: Process) -> int:
    """How many of ``gold``'s quotes overlap a statement of ``cand``."""
    return sum(any(overlaps(q, st) for st in cand.spans) for q in gold.spans)


def match(gold: list[Process], cands: list[Process]) -> list[tuple[Process, Process | None]]:
    """Each annotated process with the candidate sharing most of its quotes (the first in text
    order on a tie; None when none shares any). A candidate may be matched to several."""
    pairs = []
    for g in gold:
        best = max(cands, key=lambda c: shared(g, c), default=None)
        pairs.append((g, best if best is not None and shared(g, best) > 0 else None))
    return pairs


def process_counts(pairs: list[tuple[Process, Process | None]]) -> dict[str, Counter]:
    """Per family, over the matched pairs: ``tp`` (terms in both), ``predicted`` (the candidate's),
    ``gold`` (the annotated process's; an unmatched process counts with nothing predicted)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for g, c in pairs:
        for fam in set(g.terms) | set(c.terms if c else ()):
            want, got = g.terms.get(fam, set()), c.terms.get(fam, set()) if c else set()
            out[fam].update(tp=len(want & got), predicted=len(got), gold=len(want))
    return out


# ---- the notice's statements ------------------------------------------------------------

NOTICE_TERMS = {  # notice field -> its name in the scored terms ("dnt=false")
    "modified": "modified",
    "effective": "effective",
    "issued": "issued",
    "responseTime": "responseTime",
    "hasFee": "hasFee",
    "hasAuthority": "hasAuthority",
    "respondsToDoNotTrack": "dnt",
}
NOTICE_TEXTS = ("complaint", "rightsExercise")
ONE_VALUE = ("responseTime", "respondsToDoNotTrack")  # the draft writes one value of each


def _items(node) -> list:
    return node if isinstance(node, list) else [] if node is None else [node]


def _term(value) -> str:
    """A notice value as the scored terms spell it: a date in ISO form, true/false in lower case."""
    if isinstance(value, bool):
        return str(value).lower()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def notice_terms(doc: dict) -> set[str]:
    """The notice's term-valued statements of an annotation file, as ``field=value``
    (``responseTime=P1M``, ``hasFee=dpv:FeeNotRequired``, ``dnt=false``, ``effective=2024-02-01``)."""
    notice = doc.get("notice") or {}
    out = set()
    for fld, name in NOTICE_TERMS.items():
        for item in _items(notice.get(fld)):
            value = item.get("value") if isinstance(item, dict) else item
            if value is not None:
                out.add(f"{name}={_term(value)}")
    return out


def drafted_notice_terms(facts: list[NoticeFact], band: str | None = None) -> set[str]:
    """The same terms for the notice facts a draft writes (``band``: only those of that band)."""
    written = [f for fld in ONE_VALUE for f in one_value(facts, fld)] + [f for f in facts if f.field not in ONE_VALUE]
    return {f"{NOTICE_TERMS[f.field]}={f.value}" for f in written if f.field in NOTICE_TERMS and band in (None, f.band)}


def notice_text_counts(doc: dict, facts: list[NoticeFact], text: str) -> dict[str, Counter]:
    """Per text field (``complaint``, ``rightsExercise``): ``gold`` (annotated items) and ``found``
    (those with a quote overlapping a statement the draft suggests for the field), ``predicted``
    (the statements suggested) and ``right`` (those overlapping a quote of an annotated item)."""
    notice = doc.get("notice") or {}
    out: dict[str, Counter] = defaultdict(Counter)
    for fld in NOTICE_TEXTS:
        gold = [[sp for q in quote_texts(item) if (sp := locate(text, q))] for item in _items(notice.get(fld))]
        said = list(dict.fromkeys((f.start, f.end) for f in facts if f.field == fld))
        quoted = [sp for spans in gold for sp in spans]
        out[fld].update(
            gold=len(gold),
            found=sum(any(overlaps(sp, s) for sp in spans for s in said) for spans in gold),
            predicted=len(said),
            right=sum(any(overlaps(s, q) for q in quoted) for s in said),
        )
    return out
