"""The plain-text rendering of a published Markdown policy, with a map back to the file.

Policies published as Markdown (GitHub's and Basecamp's, kept byte for byte in
``data/sources/``) are quoted as a reader sees them: without link targets, emphasis
marks or heading hashes. Quotes are checked against this rendering and their offsets
(``oa:TextPositionSelector``) count characters of it; :attr:`Rendering.origin` maps every
character back to its offset in the published file, so each quote still points into it.

The rendering, version ``privacykg-markdown-text/1`` (:data:`RENDERING`), is a pure
function of the file's text, applied line by line:

1. a front matter block (``---`` on the first line up to the next ``---`` line) is dropped;
2. ``#`` marks of ATX headings are dropped (``### The short version`` -> ``The short version``);
3. images ``![alt](url)`` become ``alt``, links ``[text](url)`` and ``[text][ref]`` become ``text``,
   autolinks ``<https://...>`` become the URL;
4. emphasis marks (``**``, ``__``, and a ``*`` or ``_`` that opens or closes a word) and code
   backticks are dropped, but inside a code span every character is text (`` `__Host-x` `` reads
   ``__Host-x``); a list bullet ``* `` at the start of a line is kept as it is;
5. ``<br>`` tags become a line break, other HTML tags are dropped; ``&amp;``, ``&lt;``,
   ``&gt;``, ``&quot;``, ``&#39;`` and ``&nbsp;`` become their characters; a backslash before
   punctuation is dropped.

Everything else (table pipes, list markers, blank lines) is kept, so a quote of a table
cell or a list item reads as it does in the file.

>>> r = render("---\\ntitle: X\\n---\\n\\n### Our **promise**\\nSee [our terms](/terms).\\n")
>>> r.text
'\\nOur promise\\nSee our terms.\\n'
>>> start = r.text.index("our terms"); r.origin[start]
43
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RENDERING = "privacykg-markdown-text/1"

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": "\u00a0"}

# One pattern per construct; each match is replaced by some of its groups (the rest dropped).
_IMAGE_OR_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?:\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\])"
)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))
_STRONG = re.compile(r"\*\*|__")
_EMPH = re.compile(r"(?:(?<=^)|(?<=[\s(\[\"'“‘/—–-]))[*_](?=[^\s*_])|(?<=[^\s*_\\])[*_](?=$|[\s)\].,;:!?\"'”’/—–-])")
_CODE = re.compile(r"`")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_BULLET = re.compile(r"^(\s*)\*(?=[ \t])")


@dataclass(frozen=True)
class Rendering:
    """``text``: what quotes are checked against; ``origin[i]``: the offset in the published
    file of ``text[i]`` (``origin[len(text)]`` is the file's length)."""

    text: str
    origin: list[int]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the published file that renders as ``text[start:end]``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


class _Line:
    """A line being rendered: its characters and the file offset of each."""

    def __init__(self, text: str, offset: int):
        self.chars = list(text)
        self.origin = list(range(offset, offset + len(text)))

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def sub(self, pattern: re.Pattern, keep) -> None:
        """Replace each match of ``pattern`` by ``keep(match)``: a list of (group number) to
        keep, or a string to put in its place (mapped to the match's first character)."""
        text = self.text
        chars, origin, last = [], [], 0
        for m in pattern.finditer(text):
            chars += self.chars[last : m.start()]
            origin += self.origin[last : m.start()]
            kept = keep(m)
            if isinstance(kept, str):
                chars += list(kept)
                origin += [self.origin[m.start()] if m.start() < len(self.origin) else self.origin[-1]] * len(kept)
            else:
                for group in kept:
                    chars += self.chars[m.start(group) : m.end(group)]
                    origin += self.origin[m.start(group) : m.end(group)]
            last = m.end()
        self.chars = chars + self.chars[last:]
        self.origin = origin + self.origin[last:]


# inside a code span (`__Host-user_session`) marks are text: kept aside as private-use characters
_PROTECT = {c: chr(0xE000 + i) for i, c in enumerate("*_[]()<>&\\!")}
_UNPROTECT = {v: k for k, v in _PROTECT.items()}
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _protect_code(line: _Line) -> None:
    for m in _CODE_SPAN.finditer(line.text):
        for i in range(m.start(1), m.end(1)):
            line.chars[i] = _PROTECT.get(line.chars[i], line.chars[i])


def _front_matter_end(md: str) -> int:
    """The offset just after a leading front matter block (0 when there is none)."""
    if not md.startswith("---\n"):
        return 0
    m = re.compile(r"^---[ \t]*$\n?", re.MULTILINE).search(md, 4)
    return m.end() if m else 0


def render(md: str) -> Rendering:
    """The plain-text rendering of Markdown text ``md`` (see the module's rules)."""
    chars: list[str] = []
    origin: list[int] = []
    pos = _front_matter_end(md)
    for raw in md[pos:].splitlines(keepends=True):
        body = raw.removesuffix("\n")
        line = _Line(body, pos)
        bullet = _BULLET.match(body)
        if bullet:  # protect the bullet from the emphasis rule
            line.chars[bullet.end(1)] = "\x00"
        _protect_code(line)
        line.sub(_HEADING, lambda m: "")
        line.sub(_IMAGE_OR_LINK, lambda m: [1])
        line.sub(_AUTOLINK, lambda m: [1])
        line.sub(_BR, lambda m: "\n")
        line.sub(_TAG, lambda m: "")
        line.sub(_STRONG, lambda m: "")
        line.sub(_EMPH, lambda m: "")
        line.sub(_CODE, lambda m: "")
        line.sub(_ESCAPE, lambda m: [1])
        line.sub(_ENTITY, lambda m: _ENTITIES[m.group(0)])
        if bullet:
            line.chars[line.chars.index("\x00")] = "*"
        line.chars = [_UNPROTECT.get(c, c) for c in line.chars]
        chars += line.chars
        origin += line.origin
        if raw.endswith("\n"):
            chars.append("\n")
            origin.append(pos + len(body))
        pos += len(raw)
    origin.append(len(md))
    return Rendering("".join(chars), origin)


def is_markdown(name: str) -> bool:
    return name.lower().endswith((".md", ".markdown"))


def quoted_text(data: bytes, filename: str) -> str:
    """The text quotes of the source file ``filename`` (its bytes ``data``) are checked against:
    the decoded text, rendered when the file is Markdown."""
    from .yamlread import decode_text

    text = decode_text(data, filename)
    return render(text).text if is_markdown(filename) else text
