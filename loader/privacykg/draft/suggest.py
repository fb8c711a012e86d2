"""Per-statement suggestions: the lexicon's phrases and patterns, and the terms of the
nearest annotated sentence of the corpus; each with its quote (the statement, as offsets
into the source text), its reason and a band (high / possible)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rdflib import URIRef

from .. import namespaces as ns
from .corpus import Corpus, Organisation
from .lexicon import Lexicon, durations
from .segment import Statement

NEAREST_MIN = 0.5  # cosine below which an annotated sentence suggests nothing
NEAREST_HIGH = 0.8  # at or above, the terms its own quote gives are in the high band
NEAREST_K = 3  # the annotated sentences consulted per statement
RETENTION_CUE = re.compile(
    r"\b(retain\w*|retention|keep|kept|stored?|storage|delete[ds]?|erased?|purged?|period|remains?|backups?|"
    r"overwritten|archived|how long)\b",
    re.IGNORECASE,
)  # a cookie's lifetime ("Expiry", "Duration" of a cookie table) is not read as a retention period
TRANSFER_CUE = re.compile(
    r"\b(transfer\w*|outside|stored? in|servers?|hosted|located in|processed in)\b", re.IGNORECASE
)
ADEQUACY_CUE = re.compile(r"\badequacy (?:decisions?|regulations?|findings?)\b", re.IGNORECASE)
NOT_ADEQUATE = re.compile(r"\b(?:not|no)\b[^.;]{0,40}\badequa", re.IGNORECASE)
# an authority is a recipient where data goes to it, not where a complaint may (rights sections)
DISCLOSURE_CUE = re.compile(
    r"\b(?:disclos\w*|shar(?:e|es|ed|ing)|provid\w*|requests?|requested|requir\w*|compelled|report\w*|"
    r"cooperat\w*|respond\w*|transfer\w*|order\w*|subpoena\w*)\b",
    re.IGNORECASE,
)
NEGATED = re.compile(
    r"\b(?:we|us|our \w+)\b[^.;:]{0,40}?\b(?:never|do not|don't|does not|doesn't|will not|won't|"
    r"shall not|are not|is not)\b",
    re.IGNORECASE,
)
# what a statement saying "we never ..." does not do: a candidate prohibition, not a process
PROHIBITED_FAMILIES = {"purpose", "personal-data", "data-subject", "recipient", "technology"}
CORPUS_FAMILIES = {
    "purpose",
    "personal-data",
    "legal-basis",
    "right",
    "transfer",
    "country",
    "recipient",
    "data-subject",
    "technology",
}


@dataclass
class Suggestion:
    family: str
    term: str
    start: int  # the quote: text[start:end] of the source
    end: int
    reason: str
    band: str
    statement: Statement
    description: str | None = None  # for a retention period: the words that state it
    shared: bool = False  # a data subject another candidate of its heading names: a value, not a statement of it
    from_heading: bool = False  # read in the section's heading, suggested on its first statement

    @property
    def prohibited(self) -> bool:
        """Part of a candidate prohibition: a "we never / do not ..." statement."""
        return self.family in PROHIBITED_FAMILIES and NEGATED.search(self.statement.text) is not None


def _authority(lex: Lexicon, curie: str) -> bool:
    prefix, _, local = curie.partition(":")
    return lex.onto.is_a(ns.PREFIXES.get(prefix, "") + local, ns.DPV + "Authority")


def _lexicon(lex: Lexicon, st: Statement, header: Statement | None = None) -> dict[tuple[str, str], Suggestion]:
    """The lexicon's suggestions for ``st``; a table row's periods are retention periods when its
    ``header`` row (or the row itself) has retention wording ("Retention period", "How long we keep it")."""
    out: dict[tuple[str, str], Suggestion] = {}
    for h in lex.match(st.text):
        if h.family == "recipient" and _authority(lex, h.term) and not DISCLOSURE_CUE.search(st.text):
            continue
        band = h.band
        if h.family == "country" and not TRANSFER_CUE.search(st.text):
            band = "possible"
        key = (h.family, h.term)
        if key not in out or (band == "high" and out[key].band != "high"):
            out[key] = Suggestion(h.family, h.term, st.start, st.end, f"matched {h.reason}", band, st)
    out.update(_adequacy(lex, st, out))
    if RETENTION_CUE.search(st.text) or (header is not None and RETENTION_CUE.search(header.text)):
        for d in durations(st.text):
            out.setdefault(
                ("retention", d.value),
                Suggestion(
                    "retention",
                    d.value,
                    st.start,
                    st.end,
                    f"retention wording with the period '{d.text}'",
                    "high",
                    st,
                    d.text,
                ),
            )
    return out


def _adequacy(lex: Lexicon, st: Statement, found: dict) -> dict[tuple[str, str], Suggestion]:
    """The European Commission's adequacy decision for a country the statement names, where the
    statement speaks of adequacy ("relies on the adequacy decision for the United Kingdom") and
    our profile knows a decision for that country (``legal-eu:Adequacy-EU-GB``)."""
    if not ADEQUACY_CUE.search(st.text) or NOT_ADEQUATE.search(st.text):
        return {}
    out = {}
    for family, term in found:
        if family != "country":
            continue
        code = term.split(":", 1)[1]
        decision = f"legal-eu:Adequacy-EU-{code}"
        if (URIRef(f"{ns.LEGAL_EU}Adequacy-EU-{code}"), None, None) in lex.onto.graph:
            out[("transfer", decision)] = Suggestion(
                "transfer",
                decision,
                st.start,
                st.end,
                f"adequacy wording beside the country {term}, for which the Commission's decision is {decision}",
                "high",
                st,
            )
    return out


HEADING_FAMILIES = {"purpose", "personal-data", "data-subject", "recipient", "technology"}


def _heading(lex: Lexicon, corpus: Corpus | None, st: Statement, found: dict) -> None:
    """What the heading of ``st``'s section names ("12. Job applications", "Fraud prevention and
    credit checks"), and what the annotated sentences nearest it give, suggested on the section's
    first statement in the possible band: headings are not quoted, but they say what the section
    is about."""
    if not st.heading:
        return
    said = {}
    for h in lex.match(st.heading):
        if h.family in HEADING_FAMILIES:
            said[(h.family, h.term)] = f"the section's heading '{st.heading}' names it ({h.reason})"
    near: dict = {}
    if said:  # a heading naming what the section is about: what the sentences nearest it give, too
        _nearest(corpus, replace(st, text=st.heading), near)
    for key, s in near.items():
        if key[0] in HEADING_FAMILIES:
            said.setdefault(key, f"the section's heading '{st.heading}': {s.reason}")
    for (family, term), why in said.items():
        if (family, term) not in found:
            found[(family, term)] = Suggestion(family, term, st.start, st.end, why, "possible", st, from_heading=True)


def _nearest(corpus: Corpus | None, st: Statement, found: dict) -> None:
    for ex, score in corpus.nearest(st.text, NEAREST_K) if corpus is not None else ():
        if score >= NEAREST_MIN:
            _learn(ex, score, st, found)


def _learn(ex, score: float, st: Statement, found: dict) -> None:
    said = ex.text if len(ex.text) <= 70 else ex.text[:69] + "…"
    reason = f"nearest annotated sentence in {ex.policy} (similarity {score:.2f}): '{said}'"
    for family, term in ex.facts + ex.context:
        if family not in CORPUS_FAMILIES:
            continue
        sure = (family, term) in ex.facts
        why = reason if sure else f"{reason}, one of several quotes of a process with this term"
        key = (family, term)
        if key in found:
            if "nearest annotated" not in found[key].reason:
                found[key].reason += f"; also the {why}"
                found[key].band = "high"
        else:
            found[key] = Suggestion(
                family, term, st.start, st.end, why, "high" if sure and score >= NEAREST_HIGH else "possible", st
            )


STREET = r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Boulevard|Blvd\.|Square|Drive|Place|Way)\b"


class Gazetteer:
    """The names of the corpus's organisations, matched case-sensitively on word boundaries."""

    def __init__(self, orgs: dict[str, Organisation]):
        self.by_name = {n: o for o in orgs.values() for n in o.names if len(n) >= 3 and n[0].isupper()}
        names = sorted(self.by_name, key=len, reverse=True)
        alternatives = "|".join(map(re.escape, names))
        # a name that is also a street's ("250 Front Street West") is not the organisation
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])(?! {STREET})") if names else None

    def match(self, st: Statement, found: dict) -> None:
        for m in self.pattern.finditer(st.text) if self.pattern else ():
            org = self.by_name[m.group(0)]
            found.setdefault(
                ("organisation", org.key),
                Suggestion(
                    "organisation",
                    org.key,
                    st.start,
                    st.end,
                    f"names {org.name}, an organisation of the corpus (described in {org.policy})",
                    "high",
                    st,
                ),
            )


def suggest(
    statements: list[Statement], lex: Lexicon, corpus: Corpus | None, gazetteer: Gazetteer | None = None
) -> list[Suggestion]:
    """Every suggestion for every statement, in the order of the text."""
    out, header, section = [], None, None
    for st in statements:
        header = st if st.kind == "header" else header if st.kind == "row" else None
        found = _lexicon(lex, st, header if st.kind == "row" else None)
        if st.heading_at != section:
            section = st.heading_at
            _heading(lex, corpus, st, found)
        _nearest(corpus, st, found)
        if gazetteer is not None:
            gazetteer.match(st, found)
        out += sorted(found.values(), key=lambda s: (s.family, s.term))
    return out
