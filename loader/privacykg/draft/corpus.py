"""What the annotated corpus teaches: every quote of ``data/policies`` with the terms it
supports, and the nearest annotated sentence to a new one (TF-IDF cosine, pure Python).

The facts of a file, per family (:func:`facts_of`), are also what the evaluation scores
against.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import namespaces as ns
from ..ontology import Ontology
from .lexicon import family_of

TOKEN = re.compile(r"[a-z][a-z0-9-]+")
STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "you",
        "your",
        "our",
        "are",
        "that",
        "this",
        "from",
        "may",
        "will",
        "can",
        "any",
        "such",
        "have",
        "has",
        "not",
        "but",
        "its",
        "their",
        "they",
        "them",
        "which",
        "who",
        "when",
        "where",
        "also",
        "into",
        "about",
        "other",
        "more",
        "been",
        "all",
    ]
)
FIELD_FAMILY = {
    "hasPurpose": "purpose",
    "hasPersonalData": "personal-data",
    "hasDataSubject": "data-subject",
    "hasRecipient": "recipient",
    "hasDataProcessor": "recipient",
    "hasThirdParty": "recipient",
    "hasLegalBasis": "legal-basis",
    "hasThirdCountry": "country",
    "hasCountry": "country",
    "isImplementedUsingTechnology": "technology",
    "hasRight": "right",
}

ORGANISATION_FIELDS = {
    "hasRecipient": "organisation",
    "hasDataProcessor": "organisation",
    "hasThirdParty": "organisation",
}
PERSON_LIKE = (ns.DPV + "NaturalPerson", ns.DPV + "DataProtectionOfficer")


@dataclass(frozen=True)
class Organisation:
    """A named organisation of the corpus: its key, name and kinds (one key, one identity)."""

    key: str
    name: str
    kinds: tuple[str, ...]
    location: str | None
    names: tuple[str, ...]  # the name and its aliases
    policy: str  # the file it was read from


@dataclass(frozen=True)
class Fact:
    family: str
    term: str
    quotes: tuple[str, ...]  # its own quotes, else its node's


@dataclass(frozen=True)
class Example:
    text: str
    policy: str  # file key, e.g. imago-2020-05-24
    facts: tuple[tuple[str, str], ...]  # (family, term) this quote says (its own quote, or its node's only one)
    context: tuple[tuple[str, str], ...] = ()  # (family, term) of the node it is one of several quotes of


def tokens(text: str) -> list[str]:
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP]


def _quote_texts(item) -> list[str]:
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        if "text" in item:
            return [str(item["text"])]
        return [t for k in ("quote", "quotes") for q in _as_list(item.get(k)) for t in _quote_texts(q)]
    return []


def _as_list(x) -> list:
    return x if isinstance(x, list) else [] if x is None else [x]


def _family(onto: Ontology, field: str, curie: str) -> str | None:
    family = FIELD_FAMILY.get(field)
    if family == "legal-basis":
        prefix, _, local = curie.partition(":")
        kind = family_of(onto, ns.PREFIXES.get(prefix, "") + local)
        return "transfer" if kind == "transfer" else family
    return family


def _node_facts(onto: Ontology, node: dict, fields) -> list[tuple[Fact, bool]]:
    """(fact, has its own quote) of one process or notice."""
    node_quotes = tuple(t for k in ("quote", "quotes") for q in _as_list(node.get(k)) for t in _quote_texts(q))
    out = []
    for field in fields:
        for item in _as_list(node.get(field)):
            raw = item.get("value") if isinstance(item, dict) else item
            if not isinstance(raw, str):
                continue
            family = _family(onto, field, raw) if ":" in raw else ORGANISATION_FIELDS.get(field)
            own = tuple(_quote_texts(item)) if isinstance(item, dict) else ()
            if family:
                out.append((Fact(family, raw, own or node_quotes), bool(own)))
    for cond in _as_list(node.get("hasStorageCondition")):
        if isinstance(cond, dict) and cond.get("duration"):
            out.append((Fact("retention", str(cond["duration"]), tuple(_quote_texts(cond)) or node_quotes), True))
    return out


def facts_of(onto: Ontology, doc: dict) -> list[tuple[Fact, bool]]:
    """Every fact of an annotation file (processes, prohibitions left out, and the notice's rights)."""
    out = _node_facts(onto, doc.get("notice") or {}, ["hasRight"])
    for proc in (doc.get("processes") or {}).values():
        if isinstance(proc, dict):
            out += _node_facts(onto, proc, [f for f in FIELD_FAMILY if f != "hasRight"])
    return out


def read_annotations(data_dir: Path) -> dict[str, dict]:
    """Every annotation file of ``data_dir/policies``, by file key."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = {}
    for path in sorted((data_dir / "policies").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        if isinstance(doc, dict) and str(doc.get("draft", "")).lower() != "true":
            out[path.stem] = doc
    return out


class Corpus:
    """The annotated quotes, indexed for the nearest-sentence look-up."""

    def __init__(self, examples: list[Example]):
        self.examples = examples
        self.df = Counter(t for e in examples for t in set(tokens(e.text)))
        self.n = len(examples)
        self.vectors = [self._vector(e.text) for e in examples]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, v in enumerate(self.vectors):
            for t in v:
                self.postings[t].append(i)

    @classmethod
    def from_annotations(cls, onto: Ontology, docs: dict[str, dict], exclude=lambda key, doc: False) -> Corpus:
        by_text: dict[str, tuple[str, set, set]] = {}
        for key, doc in docs.items():
            if exclude(key, doc):
                continue
            for fact, own in facts_of(onto, doc):
                sure = own or len(fact.quotes) == 1  # which of a node's several quotes says it is unknown
                for q in fact.quotes:
                    by_text.setdefault(q, (key, set(), set()))[1 if sure else 2].add((fact.family, fact.term))
        return cls([Example(t, k, tuple(sorted(f)), tuple(sorted(c - f))) for t, (k, f, c) in by_text.items()])

    def _vector(self, text: str) -> dict[str, float]:
        tf = Counter(tokens(text))
        v = {t: c * math.log((self.n + 1) / (self.df.get(t, 0) + 1)) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def nearest(self, text: str, k: int = 1) -> list[tuple[Example, float]]:
        """The ``k`` annotated quotes nearest ``text`` (cosine of TF-IDF vectors), nearest first."""
        q = self._vector(text)
        scores: dict[int, float] = defaultdict(float)
        for t, w in q.items():
            for i in self.postings.get(t, ()):
                scores[i] += w * self.vectors[i][t]
        best = sorted(scores, key=scores.get, reverse=True)[:k]
        return [(self.examples[i], scores[i]) for i in best]


def organisations(onto: Ontology, docs: dict[str, dict], exclude=lambda key, doc: False) -> dict[str, Organisation]:
    """The organisations the corpus names, by key (as the latest file describes it), people and DPOs left out."""
    from ..identity import ROLES

    out = {}
    for file_key, doc in docs.items():
        if exclude(file_key, doc):
            continue
        for key, ent in (doc.get("entities") or {}).items():
            if not isinstance(ent, dict) or not isinstance(ent.get("name"), str):
                continue
            types = [t for t in _as_list(ent.get("types")) if isinstance(t, str) and ":" in t]
            iris = [ns.PREFIXES[t.split(":")[0]] + t.split(":", 1)[1] for t in types if t.split(":")[0] in ns.PREFIXES]
            if any(onto.is_a(i, k) for i in iris for k in PERSON_LIKE):
                continue
            kinds = tuple(t for t, i in zip(types, iris, strict=False) if not any(onto.is_a(i, r) for r in ROLES))
            names = (ent["name"], *[a for a in _as_list(ent.get("aliases")) if isinstance(a, str)])
            loc = ent.get("location") if isinstance(ent.get("location"), str) else None
            if loc is None and key in out:
                loc = out[key].location  # a file that does not say where it is does not move it
            out[key] = Organisation(key, ent["name"], kinds, loc, names, file_key)
    return out
