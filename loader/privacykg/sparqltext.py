"""Just enough of SPARQL's lexical structure to find keywords outside strings, IRIs and
comments, with the depth of ``{ }`` nesting: whether a query names its own dataset, uses
SERVICE, where its WHERE clause opens, where an update's operations take their WHERE clause.
"""

from __future__ import annotations

import re

# A SPARQL lexer just good enough to find keywords outside strings, IRIs and comments, with the
# depth of { } nesting: to tell whether a query names its own dataset (FROM), uses SERVICE, and
# where an update's operations take their WHERE clause (for the protocol's using-graph-uri).
_LEX = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s{}()\[\],;.]*)
  | (?P<word>[^\W\d][\w-]*(?::[^\s{}()\[\],;]*)?|:[^\s{}()\[\],;]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
""",
    re.X | re.S,
)


def tokens(text: str):
    """(kind, text, offset, depth) of the significant tokens; braces carry the outer depth."""
    depth = 0
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "open":
            yield kind, "{", m.start(), depth
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
            yield kind, "}", m.start(), depth
        else:
            yield kind, m.group(), m.start(), depth


def keywords(text: str) -> list[tuple[str, int, int]]:
    """Bare words (keywords, not prefixed names) as (UPPER, offset, depth).

    >>> [k for k, _, d in keywords('SELECT ?from FROM <x> WHERE { ?s ex:from "FROM" # FROM\\n }')]
    ['SELECT', 'FROM', 'WHERE']
    """
    return [(t.upper(), at, d) for kind, t, at, d in tokens(text) if kind == "word" and ":" not in t]


def form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query (None if none is found).

    >>> form("PREFIX dpv: <https://w3id.org/dpv#> # ASK\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for k, _, d in keywords(text):
        if d == 0 and k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return k
    return None


def where_start(text: str) -> int | None:
    """The offset just inside the ``{`` that opens the query's WHERE clause (the outermost group
    pattern), or None when the query has none (a DESCRIBE of IRIs).

    >>> q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    >>> q[where_start(q):]
    ' ?s ?p ?o }'
    >>> q = "SELECT * { ?s ?p 'WHERE {' }"
    >>> q[where_start(q):]
    " ?s ?p 'WHERE {' }"
    """
    kind = form(text)
    seen_where = False
    template_done = kind != "CONSTRUCT"
    for tkind, tok, at, depth in tokens(text):
        if depth != 0:
            continue
        if tkind == "word" and tok.upper() == "WHERE":
            seen_where = True
        elif tkind == "open":
            if seen_where or template_done:
                return at + 1
            template_done = True  # CONSTRUCT's template; a short CONSTRUCT WHERE { } has WHERE first
    return None


def bind_values(text: str, bindings: dict[str, str]) -> str:
    """The query with variables bound by a ``VALUES`` block at the start of its WHERE clause:
    each variable name -> an RDF term in SPARQL syntax (serialised by pyoxigraph, never a user's
    text). At the start, the values are in scope for the FILTERs and BINDs of that group, as
    pyoxigraph's ``substitutions`` would be.

    >>> bind_values("SELECT ?on ?d WHERE { BIND(COALESCE(?on, 0) AS ?d) }", {"on": '"1"'})
    'SELECT ?on ?d WHERE { VALUES (?on) { ("1") } BIND(COALESCE(?on, 0) AS ?d) }'
    """
    if not bindings:
        return text
    names = list(bindings)
    block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(bindings[n] for n in names) + ") }"
    at = where_start(text)
    if at is None:
        return text.rstrip() + "\n" + block.strip() + "\n"
    return text[:at] + block + text[at:]
