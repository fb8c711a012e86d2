"""The lexicon: phrases that name DPV terms, read at run time from our profile's labels
(``ontology/``, our own words), the curated synonyms of ``synonyms.yaml``, and patterns for
durations (-> ``xsd:duration``) and GDPR articles (-> legal bases, rights, transfer mechanisms).

>>> lex = Lexicon.load()
>>> [(h.family, h.term, h.text) for h in lex.match("You may lodge a complaint; we keep logs for 30 days.")]
[('right', 'eu-gdpr:A77', 'lodge a complaint')]
>>> [(d.value, d.text) for d in durations("kept for 30 days, then six months")]
[('P30D', '30 days'), ('P6M', 'six months')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from rdflib import RDFS

from .. import namespaces as ns
from ..ontology import Ontology, load_ontology

SYNONYMS = Path(__file__).with_name("synonyms.yaml")

# family -> the kind its terms are (checked in this order: a transfer mechanism is also a legal basis)
FAMILY_KINDS = [
    ("transfer", ns.PKG + "TransferMechanism"),
    ("right", ns.DPV + "Right"),
    ("legal-basis", ns.DPV + "LegalBasis"),
    ("purpose", ns.DPV + "Purpose"),
    ("personal-data", ns.DPV + "PersonalData"),
    ("data-subject", ns.DPV + "DataSubject"),
    ("technology", ns.DPV + "Technology"),
    ("recipient", ns.DPV + "Recipient"),
    ("recipient", ns.DPV + "Organisation"),
]
# labels too general to suggest anything on their own
VAGUE = {
    "use",
    "access",
    "store",
    "service",
    "purpose",
    "data",
    "record",
    "identifier",
    "contact",
    "communication",
    "location",
    "preference",
    "language",
    "interest",
    "job",
    "region",
    "picture",
    "authority",
    "organisation",
    "personal data",
    "transfer",
    "contract",
    "consent",
    "optional",
    "transactional",
    "financial",
    "identifying",
    "behavioural",
    "demographic",
    "device based",
    "authenticating",
    "user",
    "entity",
    "subject",
    "name",
    "right",
    "legal basis",
    "data processing agreement",
    "application",
    "software",
    "technology",
}

NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
DURATION = re.compile(
    r"(?<![\w.])\[?(\d{1,3}|"
    + "|".join(sorted(NUMBERS, key=len, reverse=True))
    + r")\]?(?:\s*\(\d{1,3}\))?[\s-]+(day|week|month|year)s?\b",
    re.IGNORECASE,
)
ARTICLE = re.compile(r"\bArt(?:icle|\.)?\s*(\d{1,2})\s*(?:\((\d)\))?\s*(?:\(([a-f])\))?", re.IGNORECASE)
ARTICLE_TERMS = {
    "15": "eu-gdpr:A15",
    "16": "eu-gdpr:A16",
    "17": "eu-gdpr:A17",
    "18": "eu-gdpr:A18",
    "20": "eu-gdpr:A20",
    "21": "eu-gdpr:A21",
    "22": "eu-gdpr:A22",
    "77": "eu-gdpr:A77",
    "46": "eu-gdpr:A46-2-c",
    "45": "eu-gdpr:A45-3",
}


@dataclass(frozen=True)
class Entry:
    phrase: str
    term: str
    family: str
    origin: str  # "label" (our profile) or "synonym" (synonyms.yaml)
    pattern: re.Pattern
    regex: bool = False  # a RE: pattern of synonyms.yaml


@dataclass(frozen=True)
class Hit:
    family: str
    term: str
    start: int  # in the statement
    end: int
    text: str
    reason: str
    band: str


@dataclass(frozen=True)
class Duration:
    value: str  # xsd:duration
    start: int
    end: int
    text: str


def _spelling(word: str) -> str:
    """A word as a pattern that also takes its other spellings: British or US -ise/-ize,
    -yse/-yze and -our/-or ("personalise", "behaviour"), and "e-mail" or "email"."""
    out = re.escape(word)
    out = re.sub(r"(?<=[a-z])is(?=e|ing|ation)", "i[sz]", out)
    out = re.sub(r"(?<=[a-z])ys(?=e|ing)", "y[sz]", out)
    out = re.sub(r"(?<=[a-z]{3})our(?=$|al|ite|ed|ing)", "ou?r", out)
    return re.sub(r"\be(?:\\-)?mail", r"e-?mail", out)


def _word(word: str, verb: bool, last: bool) -> str:
    """One word of a phrase: a verb (a phrase's first word, or a curated word standing alone)
    also as "-s", "-ed" and "-ing"; the last word in the plural ("party", "parties")."""
    stem = _spelling(word)
    if verb and len(word) >= 5 and word.isalpha():
        if word.endswith("e"):
            return stem[:-1] + r"(?:e|es|ed|ing)"
        if word.endswith("y") and word[-2] not in "aeiou":
            return stem[:-1] + r"(?:y|ies|ied|ying)"
        return stem + r"(?:s|es|ed|ing)?"
    if last and len(word) >= 4 and word.endswith("y") and word[-2] not in "aeiou":
        return stem[:-1] + r"(?:y|ies)"
    return stem + (r"(?:s|es)?" if last else "")


def _pattern(phrase: str, curated: bool = False) -> re.Pattern:
    """A phrase as a pattern: words apart by spaces or hyphens, each in its other spellings and
    inflections (see :func:`_word`); ``RE:`` and ``ACRONYM:`` phrases as they are."""
    if phrase.startswith("RE:"):
        return re.compile(phrase[3:], re.IGNORECASE)
    if phrase.startswith("ACRONYM:"):
        return re.compile(r"(?<![\w.])" + re.escape(phrase[8:]) + r"(?![\w])")
    words = phrase.split()
    if len(words) == 1 and not curated:  # a label's one word: "country", "countries" are not the same reading
        return re.compile(r"\b" + _spelling(phrase) + r"(?:s|es)?\b", re.IGNORECASE)
    body = r"[\s-]+".join(_word(w, i == 0, i == len(words) - 1) for i, w in enumerate(words))
    return re.compile(r"\b" + body + r"\b", re.IGNORECASE)


def _label(text: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", text).strip().lower()
    return re.sub(r"^the data subject's ", "", text)


def family_of(onto: Ontology, iri: str) -> str | None:
    if iri in onto.countries:
        return "country"
    for family, kind in FAMILY_KINDS:
        if onto.is_a(iri, kind):
            return family
    return None


def _label_entries(onto: Ontology, vague: bool = False) -> list[Entry]:
    """Our profile's labels as entries (``vague``: only those in VAGUE, else all but those)."""
    out = []
    for s, label in onto.graph.subject_objects(RDFS.label):
        iri = str(s)
        curie = ns.compact(iri)
        family = family_of(onto, iri) if curie != iri else None
        phrase = _label(str(label))
        if family is None or len(phrase) < 3 or (phrase in VAGUE) != vague:
            continue
        out.append(Entry(phrase, curie, family, "label", _pattern(phrase)))
    return out


def _synonym_entries(onto: Ontology) -> list[Entry]:
    table = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    out = []
    for family, phrases in table.items():
        if family == "items":
            continue  # read by _item_terms
        for phrase, curie in phrases.items():
            prefix, _, local = curie.partition(":")
            if onto.is_declared(ns.PREFIXES[prefix] + local):  # only terms of our profile
                out.append(
                    Entry(
                        re.sub(r"^(ACRONYM|RE):", "", phrase),
                        curie,
                        family,
                        "synonym",
                        _pattern(phrase, curated=True),
                        phrase.startswith("RE:"),
                    )
                )
    return out


def _item_terms(onto: Ontology) -> dict[str, str]:
    """Word -> personal-data term, for whole items of an enumeration: the ``items`` of
    synonyms.yaml and our profile's personal-data labels too vague to match alone."""
    table = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")).get("items") or {}
    out = {e.phrase: e.term for e in _label_entries(onto, vague=True) if e.family == "personal-data"}
    for word, curie in table.items():
        prefix, _, local = curie.partition(":")
        if onto.is_declared(ns.PREFIXES[prefix] + local):
            out[word.lower()] = curie
    return out


class Lexicon:
    def __init__(self, entries: list[Entry], onto: Ontology, items: dict[str, str] | None = None):
        self.entries = entries
        self.onto = onto
        self.items = items or {}

    @classmethod
    @lru_cache(maxsize=2)
    def load(cls, ontology_dir: str | None = None) -> Lexicon:
        onto = load_ontology(ontology_dir)
        syn = _synonym_entries(onto)
        curated = {e.phrase.lower() for e in syn}
        return cls(syn + [e for e in _label_entries(onto) if e.phrase not in curated], onto, _item_terms(onto))

    def _item_hits(self, text: str) -> list[Hit]:
        """Personal data named by a whole item of an enumeration ("such as your name, email,
        location"): words too vague to suggest anything elsewhere."""
        out = []
        for start, end, item in enumeration_items(text):
            word = item.lower()
            term = self.items.get(word) or (self.items.get(word[:-1]) if word.endswith("s") else None)
            if term:
                out.append(Hit("personal-data", term, start, end, item, f"item '{item}' of an enumeration", "high"))
        return out

    def _refamily(self, hit: Hit) -> Hit:
        """An article's term in the family our profile puts it in (Art. 49(1)(a) is a transfer
        mechanism there, Art. 49(1)(b) a legal basis)."""
        prefix, _, local = hit.term.partition(":")
        family = family_of(self.onto, ns.PREFIXES[prefix] + local) or hit.family
        return hit if family == hit.family else replace(hit, family=family)

    def match(self, text: str) -> list[Hit]:
        """Every phrase of the lexicon in ``text`` and GDPR articles; a phrase inside a longer one
        of the same family gives way to it ("session cookies", not also "cookies"), a pattern never."""
        hits, patterns = [], set()
        for e in self.entries:
            for m in e.pattern.finditer(text):
                band = "high" if e.origin == "synonym" or " " in e.phrase else "possible"
                how = "our profile's label" if e.origin == "label" else "curated phrase"
                said = f"curated pattern, on '{m.group(0)}'" if e.regex else f"{how} '{e.phrase}'"
                hits.append(Hit(e.family, e.term, m.start(), m.end(), m.group(0), said, band))
                if e.regex:
                    patterns.add(hits[-1])
        hits += [self._refamily(h) for h in article_hits(text)]
        hits += self._item_hits(text)
        hits += californian(hits, text)
        kept = [
            h
            for h in hits
            if h in patterns
            or not any(
                o.family == h.family and o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
                for o in hits
            )
        ]
        # a total order: two phrases matching one span ("cookie", "cookies") keep the same reason
        # whatever the order of the set (which a string hash, random per process, decides)
        return sorted(set(kept), key=lambda h: (h.start, -(h.end - h.start), h.term, h.family, h.band, h.reason))


def article_hits(text: str) -> list[Hit]:
    out = []
    for m in ARTICLE.finditer(text):
        num, para, letter = m.groups()
        if num == "6" and para == "1" and letter:
            term, family = f"eu-gdpr:A6-1-{letter.lower()}", "legal-basis"
        elif num == "49" and para == "1" and letter:
            term, family = f"eu-gdpr:A49-1-{letter.lower()}", "legal-basis"  # a derogation
        elif num == "7" and para == "3":
            term, family = "eu-gdpr:A7-3", "right"
        elif num in ARTICLE_TERMS:
            term = ARTICLE_TERMS[num]
            family = "transfer" if num in ("45", "46") else "right"
        else:
            continue
        out.append(Hit(family, term, m.start(), m.end(), m.group(0), f"GDPR article '{m.group(0).strip()}'", "high"))
    return out


CALIFORNIA = re.compile(r"\b(?:California|CCPA|CPRA)\b")
# a right the GDPR and the CCPA both grant, as the CCPA's where the statement speaks of California
CCPA_RIGHTS = {"eu-gdpr:A15": "pkg:CCPARightToKnow", "eu-gdpr:A17": "pkg:CCPARightToDelete"}


def californian(hits: list[Hit], text: str) -> list[Hit]:
    """The CCPA's rights of access (to know) and deletion, where a statement naming California
    (or the CCPA, CPRA) grants a right of access or deletion."""
    if not CALIFORNIA.search(text):
        return []
    return [
        replace(h, term=CCPA_RIGHTS[h.term], reason=f"{h.reason}, in a statement on California law")
        for h in hits
        if h.family == "right" and h.term in CCPA_RIGHTS
    ]


ENUMERATION = re.compile(
    r"(?:\b(?:such as|including|includes?|like|e\.g\.|for example|for instance|namely)\b,?|:)\s+([^.;:()]+)",
    re.IGNORECASE,
)
ITEM_SPLIT = re.compile(r"\s*(?:,|/|\band\b|\bor\b|\betc\b\.?)\s*", re.IGNORECASE)
ITEM_LEAD = re.compile(r"^(?:(?:your|the|a|an|any|other|additional|certain|basic|and|or|our)\s+)+", re.IGNORECASE)


def enumeration_items(text: str) -> list[tuple[int, int, str]]:
    """(start, end, item) of the items after "such as", "including", "e.g." or a colon, split at
    commas, slashes, "and" and "or", with leading "your", "the", "any"... left off."""
    out = []
    for m in ENUMERATION.finditer(text):
        at = m.start(1)
        for piece in ITEM_SPLIT.split(m.group(1)):
            lead = ITEM_LEAD.match(piece)
            item = piece[lead.end() :] if lead else piece
            if item:
                start = text.index(item, at)
                out.append((start, start + len(item), item))
                at = start + len(item)
    return out


def durations(text: str) -> list[Duration]:
    """Periods stated with a number, as ``xsd:duration`` values."""
    out = []
    for m in DURATION.finditer(text):
        raw = m.group(1).lower()
        n = int(raw) if raw.isdigit() else NUMBERS[raw]
        out.append(Duration(f"P{n}{UNITS[m.group(2).lower()]}", m.start(), m.end(), m.group(0)))
    return out
