"""``privacykg coverage``: the share of a policy's substantive sentences that some fact's quote
cites, and the sentences none does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .errors import UsageError

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
        return [s for s, c in zip(self.sentences, self.cited, strict=False) if not c]


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
        files = [
            f for f in files if f.stem == policy or f.stem.startswith(policy + "-2") or f.stem.startswith(policy + "-1")
        ]
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
