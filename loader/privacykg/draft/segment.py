"""A policy text cut into statements: sentences, list items and table rows, each with its
character offsets into the text the quotes are checked against, and the heading it sits under.

>>> doc = segment("Your rights\\nYou may ask for a copy of your data. We reply in 30 days.\\n- your name\\n| Cookie | Expiry |\\n|---|---|\\n| _ga | 2 years |\\n")
>>> segment("We rely on the Swiss-U.S. Data Privacy Framework, e.g. for hosting. It ends.").statements[0].text
'We rely on the Swiss-U.S. Data Privacy Framework, e.g. for hosting.'
>>> [(s.kind, s.text, s.heading) for s in doc.statements]
[('sentence', 'You may ask for a copy of your data.', 'Your rights'), ('sentence', 'We reply in 30 days.', 'Your rights'), ('item', 'your name', 'Your rights'), ('header', '| Cookie | Expiry |', 'Your rights'), ('row', '| _ga | 2 years |', 'Your rights')]
>>> [s.line_at for s in doc.statements]  # the two sentences of one line, then an item, then rows
[12, 12, 70, 82, 112]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..coverage import substantive_sentences

BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|\([a-z0-9]{1,3}\)|[a-z][.)])\s+")
TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
SENTENCE_END = (".", ",", ";", ":", "?", "!")  # a line ending so is not a heading's
# a sentence split after one of these was not a sentence end ("the Swiss-U.S. Data Privacy Framework")
ABBREVIATION = re.compile(r"(?:\b(?:U\.S|U\.K|E\.U|e\.g|i\.e|etc|Inc|Ltd|Co|No|Nr|Art|St|vs|approx)|\b[A-Z])\.$")


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    text: str
    kind: str  # sentence, item, row, header (a table's header row)
    heading: str  # the heading it sits under ("" before the first)
    heading_at: int  # the heading's offset (-1 before the first): one group per heading
    line_at: int = -1  # its line's offset (a paragraph, a list item, a table row): where a candidate may start


@dataclass
class Document:
    text: str
    statements: list[Statement]
    headings: list[tuple[int, str]]


def is_heading(line: str) -> bool:
    """A short line that is not a sentence, a list item nor a table row."""
    s = line.strip()
    if not s or s.startswith("|") or BULLET.match(line) or s.endswith(SENTENCE_END):
        return False
    words = WORD.findall(s)
    return 1 <= len(words) <= 12 and s[0].isupper() or s.startswith("#")


NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[A-Z][.)]|[IVX]{1,4}[.)])\s+[A-Z]")


def is_standalone_heading(lines: list[str], i: int) -> bool:
    """A numbered section title ("4.5 Fraud prevention and credit checks", "1. Who we are") or a
    question ("What are cookies?", "How long will you use my personal data for?"): short, and
    standing alone between blank lines (a numbered list's items follow each other; a rendered
    Markdown heading loses its ``#``)."""
    line = lines[i]
    s = line.strip()
    numbered = NUMBERED.match(line) and not s.endswith(SENTENCE_END)
    question = s.endswith("?") and s[:1].isupper() and not BULLET.match(line) and not s.startswith("|")
    if not (numbered or question) or len(WORD.findall(s)) > 12:
        return False
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after


def _line_statements(line: str, at: int) -> list[tuple[int, int, str]]:
    """The (kind, start, end) spans of one line: a table row whole, a list item's sentences
    (or the item whole when it is a fragment), else the line's sentences."""
    s = line.strip()
    if s.startswith("|"):
        if TABLE_RULE.match(line) or not WORD.search(s):
            return []
        lead = len(line) - len(line.lstrip())
        return [("row", at + lead, at + lead + len(s))]
    bullet = BULLET.match(line)
    kind, offset = ("item", bullet.end()) if bullet else ("sentence", 0)
    body = line[offset:]
    found = _rejoin([(kind, at + offset + x.start, at + offset + x.end) for x in substantive_sentences(body)], line, at)
    if not found and bullet and WORD.search(body):
        b = body.rstrip()
        found = [("item", at + offset, at + offset + len(b))]
    return found


def _sentence_end(line: str, i: int) -> int:
    """The end of the sentence running on at ``i`` of ``line`` (past abbreviations)."""
    for m in re.finditer(r"[.!?]['\"”’)\]]*(?=\s|$)", line[i:]):
        if not ABBREVIATION.search(line[: i + m.start() + 1]):
            return i + m.end()
    return len(line.rstrip())


def _rejoin(spans: list[tuple[str, int, int]], line: str, at: int) -> list[tuple[str, int, int]]:
    """Sentences split after an abbreviation, joined again (with the fragment after it)."""
    out: list[tuple[str, int, int]] = []
    for kind, a, b in spans:
        if out and a < out[-1][2]:
            continue  # inside the sentence before, now joined
        if ABBREVIATION.search(line[a - at : b - at]):
            b = at + _sentence_end(line, b - at)
        out.append((kind, a, b))
    return out


def segment(text: str) -> Document:
    """Statements and headings of ``text`` (the source as quotes see it: the plain-text
    rendering of a Markdown file)."""
    statements, headings = [], []
    heading, heading_at = "", -1
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if is_heading(line) or is_standalone_heading(lines, i):
            lead = len(line) - len(line.lstrip())
            heading, heading_at = line.strip().lstrip("#").strip(), pos + lead
            headings.append((heading_at, heading))
        else:
            for kind, a, b in _line_statements(line, pos):
                statements.append(Statement(a, b, text[a:b], kind, heading, heading_at, pos))
        if TABLE_RULE.match(line) and statements and statements[-1].kind == "row" and "|" in line:
            statements[-1] = replace(statements[-1], kind="header")  # the row above a |---| line
        pos += len(line) + 1
    return Document(text, statements, headings)
