"""Carry a policy's annotation forward: start the annotation of a new version from the
previous version's, every quote re-anchored in the new text (issue 16, part 3).

:func:`carry` copies the new version's text into ``<data>/sources/`` (byte for byte) and
writes ``<data>/policies/<policy>-<version>.yaml``: the old file's text with ``version:`` and
``source:`` updated and each quote item (under ``quote``, ``quotes`` and ``condition``)
re-anchored in the new text (its plain-text rendering when it is Markdown):

* **unchanged**: found verbatim, in its old surroundings (the 32 characters before it or those
  after it are as they were);
* **moved**: found verbatim in other surroundings (neither side as it was).

  Either way, a quote found once is kept as it is, a stale ``at:`` dropped; a quote found
  several times is written ``{text, at}`` with the occurrence nearest its old place: the one
  in the old surroundings, else the one nearest its old relative position (offset / length
  of the text), flagged only when that choice is ambiguous (another occurrence as near, in
  surroundings as like the old);
* **edited**: not found verbatim, but a passage of the new text is close enough
  (:data:`THRESHOLD`; a quote of the notice's date is also compared without its numbers and
  month names, which every version changes): the passage is proposed and the item flagged;
* **gone**: nothing close enough: the old quote is kept and the item flagged for removal.

A flagged item is rewritten as a mapping with a ``carried:`` key saying what happened; the
compiler refuses every such item (rule ``carry-forward``) until a person has checked it and
deleted the key. The file is rewritten in place, span by span, so its comments and layout
stay; only the items that change are written anew (as one-line flow mappings or quoted text).

How the closest passage is found: the new text's words are scanned with a window as long as
the quote (in words) for the places sharing most words with it; around each, the quote is
aligned character by character (:class:`difflib.SequenceMatcher`), the aligned span snapped
to whole words and, where the old quote was a whole sentence (or line), widened to the whole
sentence of the new text. The similarity is ``SequenceMatcher.ratio()`` of the old quote and
the proposal (2 x matching characters / total characters).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import DataError, PrivacyKGError, Problem, UsageError
from .markdown import quoted_text
from .yamlread import decode_text

#: The keys whose values are quotes of the source (a condition is quoted in its own words).
QUOTE_KEYS = ("quote", "quotes", "condition")

#: Least similarity (``SequenceMatcher.ratio``) at which a passage of the new text is proposed
#: for a quote that is no longer there verbatim. Measured on the five seed policies (every quote
#: of 20 characters or more found once, 731 of them): with the quote's line deleted from its
#: text, the closest passage left scores 0.44 at the median, 0.63 at the 90th and 0.75 at the
#: 95th percentile (privacy notices repeat their wording, "your Personal Data", "we may
#: share", and sometimes whole sentences); with two inner words of the quote replaced (665
#: quotes of 8 words or more), the passage found scores 0.72 at the least, 0.81 at the 5th
#: percentile. At 0.7 no such edit is lost, and about one deleted quote in fifteen gets a
#: proposal, a near-copy from elsewhere in the text, which is flagged for a person either way.
#: ``PYTHONPATH=loader python tools/carry_threshold.py`` measures it again.
THRESHOLD = 0.7
#: Characters of context on each side compared to tell whether a quote moved (the compiler's
#: ``oa:TextQuoteSelector`` prefix and suffix are as long).
CONTEXT = 32
#: Two occurrences whose distances from the old relative position differ by less than this
#: (a share of the text's length) are equally near: the choice is ambiguous.
NEAR = 0.05

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
_DATE_QUOTE = re.compile(r"^notice\.(modified|issued|effective)(\[\d+\])?\.quotes?(\[\d+\])?$")
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# ---- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One quote item flagged for a person: where it is in the new file, and why."""

    line: int
    field: str
    kind: str  # "edited", "gone" or "ambiguous"
    note: str  # the carried: text written into the file
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.note}"


@dataclass
class CarryReport:
    """What :func:`carry` did: the files, the counts of quote items and facts, the flags."""

    output: Path
    source: Path
    source_copied: bool
    unchanged: int = 0
    moved: int = 0
    edited: int = 0
    gone: int = 0
    ambiguous: int = 0  # found several times, equally near the old place: flagged
    offsets: int = 0  # verbatim quotes whose at: was added, updated or dropped
    facts_clean: int = 0
    facts_flagged: int = 0
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else a person should look at

    @property
    def quotes(self) -> int:
        return self.unchanged + self.moved + self.edited + self.gone

    def text(self) -> str:
        """The report in words, one flag a line (what the command prints)."""
        copied = "copied" if self.source_copied else "already there"
        out = [
            f"carried to {self.output} (source {self.source}, {copied})",
            (
                f"quotes: {self.unchanged} unchanged, {self.moved} moved, {self.edited} edited, {self.gone} gone "
                f"(at: written anew for {self.offsets}, {self.ambiguous} of them ambiguous)"
            ),
            f"facts: {self.facts_clean} carried without a flag, {self.facts_flagged} flagged",
        ]
        if self.flags:
            out.append(
                f"{len(self.flags)} flagged quote item{'s' if len(self.flags) != 1 else ''} "
                "(validate refuses the file until each carried: key is resolved and deleted):"
            )
            out += [f"  {self.output}:{f}" for f in self.flags]
        out += [f"note: {n}" for n in self.notes]
        return "\n".join(out) + "\n"


# ---- finding a quote in the new text ------------------------------------------------------


@dataclass
class Anchor:
    """Where a quote is in the new text: ``kind`` unchanged, moved, edited or gone; the text
    and offset to write (``at`` None: none needed); ``flag`` the carried: note, if any."""

    kind: str
    text: str
    at: int | None
    flag: str | None = None
    similarity: float | None = None


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _starts_sentence(text: str, i: int) -> bool:
    if i <= 0 or text[i - 1] == "\n":
        return True
    before = text[max(0, i - 6) : i]
    return bool(re.search(r"[.!?:][\"'”’)\]]*[ \t]+$", before))


def _ends_sentence(text: str, j: int) -> bool:
    if j >= len(text) or text[j] == "\n":
        return True
    return text[j - 1] in ".!?" if j > 0 else False


class NewText:
    """The new version's text, with its words indexed for :meth:`closest`."""

    def __init__(self, text: str):
        self.text = text
        self.words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]

    def _windows(self, qwords: list[str], keep: int = 6) -> list[int]:
        """Start indexes (in words) of the windows sharing most words with the quote."""
        n, words = len(qwords), self.words
        if not words:
            return []
        want = Counter(qwords)
        have: Counter = Counter()
        shared = 0
        scores = []
        for i, (_, _, w) in enumerate(words):
            have[w] += 1
            if have[w] <= want[w]:
                shared += 1
            if i >= n:
                old = words[i - n][2]
                if have[old] <= want[old]:
                    shared -= 1
                have[old] -= 1
            if i >= n - 1 or i == len(words) - 1:
                scores.append((shared, max(0, i - n + 1)))
        scores.sort(key=lambda s: (-s[0], s[1]))
        chosen: list[int] = []
        for score, start in scores:
            if score == 0 or len(chosen) >= keep:
                break
            if all(abs(start - c) > max(1, n // 2) for c in chosen):
                chosen.append(start)
        return chosen

    def closest(self, quote: str, sentence_start: bool, sentence_end: bool) -> tuple[int, int, float] | None:
        """The passage of the text closest to ``quote``: (start, end, similarity), or None."""
        qwords = [w.lower() for w in _WORD.findall(quote)]
        if not qwords:
            return None
        words, n = self.words, len(qwords)
        best = None
        for w in self._windows(qwords):
            slack = max(3, n // 2)
            lo = words[max(0, w - slack)][0]
            hi = words[min(len(words) - 1, w + n - 1 + slack)][1]
            for lo_, hi_ in self._segments(lo, hi, "\n" in quote):
                found = self._align(quote, lo_, hi_, sentence_start, sentence_end)
                if found is not None and (best is None or found[2] > best[2]):
                    best = found
        return best

    def _segments(self, lo: int, hi: int, across_lines: bool):
        """``[lo, hi)``, or its pieces line by line when the quote is within one line."""
        if across_lines:
            yield lo, hi
            return
        text = self.text
        while lo < hi:
            end = text.find("\n", lo, hi)
            end = hi if end == -1 else end
            if end > lo:
                yield lo, end
            lo = end + 1

    def _align(self, quote, lo, hi, sentence_start, sentence_end) -> tuple[int, int, float] | None:
        text = self.text
        blocks = [
            b for b in difflib.SequenceMatcher(None, quote, text[lo:hi], autojunk=False).get_matching_blocks() if b.size
        ]
        while len(blocks) > 1 and blocks[0].size < 3:
            blocks.pop(0)
        while len(blocks) > 1 and blocks[-1].size < 3:
            blocks.pop()
        if not blocks:
            return None
        s, e = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size
        s, e = self._snap(s, e, len(quote), sentence_start, sentence_end)
        if e <= s:
            return None
        return s, e, difflib.SequenceMatcher(None, quote, text[s:e], autojunk=False).ratio()

    def _snap(self, s: int, e: int, length: int, sentence_start: bool, sentence_end: bool) -> tuple[int, int]:
        """Widen ``[s, e)`` to whole words, and to the whole sentence on a side where the
        quote was a whole sentence (not further than the quote's length)."""
        text = self.text
        while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
            s -= 1
        while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
            e += 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if sentence_start:
            i = s
            while i > 0 and s - i <= length and not _starts_sentence(text, i):
                i -= 1
            if _starts_sentence(text, i):
                s = i
        if sentence_end:
            m = _SENTENCE_END.search(text, e - 1 if e > 0 and text[e - 1] in ".!?" else e)
            line_end = text.find("\n", e)
            line_end = len(text) if line_end == -1 else line_end
            end = min(m.end() if m else len(text), line_end)
            if end - e <= length:
                e = end
        return s, e


_DATE_WORDS = re.compile(r"\d+|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)


def _undated(text: str) -> str:
    """``text`` without its numbers and month names (what a new version's date line keeps)."""
    return _DATE_WORDS.sub("", text)


def anchor(quote: str, old_at: int | None, old_text: str, new: NewText, date: bool = False) -> Anchor:
    """Where ``quote`` (at ``old_at`` in ``old_text``, when given) is in the new text. A
    ``date`` quote (of the notice's date) is compared without its numbers and month names,
    which every new version changes."""
    new_text = new.text
    old_found = _occurrences(old_text, quote)
    if old_at is not None and old_text[old_at : old_at + len(quote)] == quote:
        old_start = old_at
    else:
        old_start = old_found[0] if len(old_found) == 1 else None
    found = _occurrences(new_text, quote)
    if found:
        return _verbatim(quote, old_at, old_start, old_text, new_text, found)
    if old_start is not None:
        starts = _starts_sentence(old_text, old_start)
        ends = _ends_sentence(old_text, old_start + len(quote))
    else:
        starts = not quote[:1].islower()
        ends = quote[-1:] in ".!?"
    best = new.closest(quote, starts, ends)
    close = best is not None and best[2] >= THRESHOLD
    if best is not None and date and not close:
        close = (
            difflib.SequenceMatcher(
                None, _undated(quote), _undated(new_text[best[0] : best[1]]), autojunk=False
            ).ratio()
            >= THRESHOLD
        )
    if close:
        s, e, ratio = best
        proposed = new_text[s:e]
        at = s if len(_occurrences(new_text, proposed)) > 1 else None
        return Anchor("edited", proposed, at, f"edited (similarity {ratio:.2f}); was: {quote}", ratio)
    closest = f" (the closest passage has similarity {best[2]:.2f})" if best is not None else ""
    return Anchor(
        "gone",
        quote,
        None,
        f"gone: not found in the new text{closest}; delete the fact or quote it anew",
        best[2] if best else None,
    )


def _verbatim(quote, old_at, old_start, old_text, new_text, found) -> Anchor:
    length = len(quote)

    def context(text, at):
        return text[max(0, at - CONTEXT) : at], text[at + length : at + length + CONTEXT]

    old_ctx = context(old_text, old_start) if old_start is not None else None

    def same_sides(at):
        if old_ctx is None:
            return 0
        ctx = context(new_text, at)
        return (ctx[0] == old_ctx[0]) + (ctx[1] == old_ctx[1])

    def kind(at):  # moved: neither side of it as it was (or its old place unknown)
        return "moved" if old_ctx is None or same_sides(at) == 0 else "unchanged"

    if len(found) == 1:  # a stale offset is not needed any more: dropped
        return Anchor(kind(found[0]), quote, old_at if old_at == found[0] else None)
    # several: the one in the old surroundings, else the one nearest the old relative place
    rel_old = old_start / max(1, len(old_text)) if old_start is not None else None

    def distance(at):
        return abs(at / max(1, len(new_text)) - rel_old) if rel_old is not None else 0.0

    ranked = sorted(found, key=lambda at: (-same_sides(at), distance(at), at))
    first, second = ranked[0], ranked[1]
    ambiguous = rel_old is None or (
        same_sides(first) == same_sides(second) and distance(second) - distance(first) < NEAR
    )
    flag = None
    if ambiguous:
        where = ", ".join(map(str, sorted(found)[:6]))
        why = "its old place is not known" if rel_old is None else f"the one at {first} is nearest its old place"
        flag = f"ambiguous: found {len(found)} times (at {where}); {why}: check it is the passage meant"
    return Anchor(kind(first), quote, first, flag)


# ---- the YAML file, with the spans of its nodes --------------------------------------------


class _SpanLoader(yaml.SafeLoader):
    """Composes nodes, every scalar text, with the pure-Python reader (whose marks count
    characters, so spans index the decoded text)."""

    def resolve(self, kind, value, implicit):
        return _TAGS[kind]


_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


@dataclass
class _Item:
    """One quote item in the file: its node, text, offset, carried note, field path, fact."""

    node: yaml.Node
    text: str
    at: int | None
    carried: str | None
    path: str
    fact: int  # the start index of the mapping holding it
    text_node: yaml.ScalarNode | None = None


def _compose(text: str, filename: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_SpanLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            [
                Problem(
                    filename,
                    f"YAML syntax error: {getattr(exc, 'problem', None) or exc}",
                    line=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(root, yaml.MappingNode):
        raise DataError([Problem(filename, "the file must be a YAML mapping")])
    return root


def _pairs(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _quote_items(root: yaml.Node, filename: str) -> list[_Item]:
    """Every quote item of the file, in file order."""
    items: list[_Item] = []
    seen: set[int] = set()

    def walk(node, path):
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for i, x in enumerate(node.value):
                walk(x, f"{path}[{i}]")
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else "?"
                kpath = f"{path}.{key}" if path else key
                if key in QUOTE_KEYS:
                    seq = isinstance(v, yaml.SequenceNode)
                    for i, x in enumerate(v.value if seq else [v]):
                        item = _item(x, f"{kpath}[{i}]" if seq else kpath, node.start_mark.index, filename)
                        if item is not None:
                            items.append(item)
                else:
                    walk(v, kpath)

    walk(root, "")
    return items


def _item(node: yaml.Node, path: str, fact: int, filename: str) -> _Item | None:
    if isinstance(node, yaml.ScalarNode):
        return _Item(node, node.value, None, None, path, fact, node)
    if isinstance(node, yaml.MappingNode):
        m = _pairs(node)
        t, a, c = m.get("text"), m.get("at"), m.get("carried")
        if not isinstance(t, yaml.ScalarNode):
            return None  # not a quote the compiler would accept either: left as it is
        at = int(a.value.strip()) if isinstance(a, yaml.ScalarNode) and a.value.strip().isdigit() else None
        carried = c.value if isinstance(c, yaml.ScalarNode) else None
        return _Item(node, t.value, at, carried, path, fact, t)
    return None


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line (reads back as ``text``).

    >>> print(yaml_quoted('say "hi"\\n\u2028'))
    "say \\"hi\\"\\n\\L"
    """
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\u2028":
            out.append("\\L")
        elif ch == "\u2029":
            out.append("\\P")
        elif ch == "\u0085":
            out.append("\\N")
        elif ord(ch) < 0x20 or ch in "\x7f\ufeff" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _span(text: str, node: yaml.Node) -> tuple[int, int]:
    """The characters of the file ``node`` is written in (a block mapping up to the end of its
    last value; trailing line breaks and spaces left out, so the lines around stay)."""
    start, end = node.start_mark.index, node.end_mark.index
    anchor_ = re.match(r"&[^\s,\[\]{}]+\s+", text[start:end])
    if anchor_:  # an anchor stays, for the aliases of the node
        start += anchor_.end()
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        end = _span(text, node.value[-1][1])[1]
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end


def _text_source(text: str, item: _Item) -> str:
    """The item's quote text as written, when it can stand in a flow mapping; else quoted anew."""
    n = item.text_node
    if n is not None and n.style in ('"', "'"):
        s, e = _span(text, n)
        if "\n" not in text[s:e]:
            return text[s:e]
    return yaml_quoted(item.text)


def _render(text: str, item: _Item, quote: str, at: int | None, carried: str | None) -> str:
    body = _text_source(text, item) if quote == item.text else yaml_quoted(quote)
    if at is None and carried is None:
        return body
    parts = [f"text: {body}"]
    if at is not None:
        parts.append(f"at: {at}")
    if carried is not None:
        parts.append(f"carried: {yaml_quoted(carried)}")
    return "{" + ", ".join(parts) + "}"


def _plain(value: str) -> str:
    return value if _SAFE_PLAIN.match(value) else yaml_quoted(value)


# ---- the command ----------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return decode_text(path.read_bytes(), str(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def carry(
    old_annotation: Path | str,
    new_source: Path | str,
    version: str,
    *,
    out: Path | str | None = None,
    data_dir: Path | str | None = None,
    force: bool = False,
) -> CarryReport:
    """Start the annotation of a policy's version ``version`` from its previous version's.

    ``old_annotation``: the previous version's file; ``new_source``: the new version's text,
    copied byte for byte to ``<data>/sources/<policy>-<version>.<ext>`` (unless the same file
    is already there; a different one is never overwritten). Writes ``out`` (default
    ``<data>/policies/<policy>-<version>.yaml``; an existing file only with ``force``).
    ``data_dir`` defaults to the data folder holding ``old_annotation``. Raises
    :class:`UsageError` for bad arguments or files in the way, :class:`DataError` for an
    unreadable annotation or source.
    """
    old_path, new_src_path = Path(old_annotation), Path(new_source)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", version or ""):
        raise UsageError(f"--version must be a date YYYY-MM-DD, not '{version}'")
    try:
        _dt.date.fromisoformat(version)
    except ValueError:
        raise UsageError(f"--version {version} is not a calendar date") from None
    data = Path(data_dir) if data_dir is not None else old_path.resolve().parent.parent
    text = _read_text(old_path)
    root = _compose(text, str(old_path))
    top = _pairs(root)
    policy_node, source_node, version_node = top.get("policy"), top.get("source"), top.get("version")
    for name, node in (("policy", policy_node), ("source", source_node), ("version", version_node)):
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            raise DataError(
                [
                    Problem(
                        str(old_path),
                        f"{name}: is required to carry the file forward",
                        line=root.start_mark.line + 1,
                        field=name,
                    )
                ]
            )
    slug = policy_node.value.strip()
    old_source = data / "sources" / source_node.value.strip()
    if not old_source.is_file():
        raise UsageError(f"the previous version's source text is not found: {old_source}")
    old_text = quoted_text(old_source.read_bytes(), str(old_source))

    ext = new_src_path.suffix.lower() or ".txt"
    dest_source = data / "sources" / f"{slug}-{version}{ext}"
    try:
        new_bytes = new_src_path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {new_src_path}: {exc.strerror}") from None
    new_text = NewText(quoted_text(new_bytes, dest_source.name))
    copy = True
    if dest_source.exists():
        if dest_source.read_bytes() != new_bytes:
            raise UsageError(
                f"{dest_source} exists and differs from {new_src_path}: not overwritten "
                "(remove it, or carry onto that file)"
            )
        copy = False
    out_path = Path(out) if out is not None else data / "policies" / f"{slug}-{version}.yaml"
    if out_path.exists() and not force:
        raise UsageError(f"{out_path} exists: not overwritten (pass --force to replace it)")
    if out_path.resolve() == old_path.resolve():
        raise UsageError(f"{out_path} is the file carried forward: write the new version to another file")

    # the edits, as (start, end, replacement) spans of the old file's text
    edits: list[tuple[int, int, str]] = []
    for node, value in ((version_node, version), (source_node, dest_source.name)):
        if node.value != value:
            edits.append((*_span(text, node), _plain(value)))
    report = CarryReport(out_path, dest_source, copy)
    items = _quote_items(root, str(old_path))
    intended = []  # (text, at, carried) of every item, to check the written file against
    kinds = []
    for item in items:
        a = anchor(item.text, item.at, old_text, new_text, date=bool(_DATE_QUOTE.match(item.path)))
        kind = a.kind
        flag = a.flag
        if kind == "edited" and _DATE_QUOTE.match(item.path):
            flag += "; update the date's value: too"
        if item.carried is not None and flag is None and a.text == item.text and a.at == item.at:
            flag = item.carried  # flagged before and still unresolved: left as it is
        setattr(report, kind, getattr(report, kind) + 1)
        verbatim = kind in ("moved", "unchanged")
        report.offsets += verbatim and a.at != item.at
        report.ambiguous += verbatim and a.flag is not None
        intended.append((a.text, a.at, flag))
        kinds.append("ambiguous" if verbatim and a.flag else kind)
        if (a.text, a.at, flag) != (item.text, item.at, item.carried):
            edits.append((*_span(text, item.node), _render(text, item, a.text, a.at, flag)))
    edits.sort()
    pieces, last = [], 0
    previous = None
    for s, e, rep in edits:
        if (s, e, rep) == previous:  # the same node twice (a YAML alias): written once
            continue
        if s < last:
            raise PrivacyKGError(f"carry: overlapping rewrites in {old_path} at offset {s}; nothing written")
        previous = (s, e, rep)
        pieces += [text[last:s], rep]
        last = e
    new_yaml = "".join(pieces) + text[last:]

    # the written file must read back as intended: same items, same texts, offsets and notes
    check = _quote_items(_compose(new_yaml, str(out_path)), str(out_path))
    got = [(i.text, i.at, i.carried) for i in check]
    if got != intended:
        raise PrivacyKGError(f"carry: the rewritten file does not read back as intended ({out_path}); nothing written")
    flagged_facts = set()
    facts = set()
    for item, (quote, _, note), kind, old in zip(check, intended, kinds, items, strict=False):
        facts.add(item.fact)
        if note is not None:
            flagged_facts.add(item.fact)
            report.flags.append(Flag(item.node.start_mark.line + 1, item.path, kind, note, old.text, quote))
    for key, _ in _compose(new_yaml, str(out_path)).value:
        if isinstance(key, yaml.ScalarNode) and key.value == "origin":
            report.notes.append(
                f"{out_path}:{key.start_mark.line + 1}: origin: is the previous version's: its "
                "commit, path and attribution describe the previous text; update them for the new one"
            )
    report.facts_flagged = len(flagged_facts)
    report.facts_clean = len(facts - flagged_facts)

    if copy:
        dest_source.parent.mkdir(parents=True, exist_ok=True)
        dest_source.write_bytes(new_bytes)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(new_yaml, encoding="utf-8")
    return report
