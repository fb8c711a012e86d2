"""Readable SPARQL syntax errors: the engine's message (``error at 1:30: expected one of Prefix
not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' ...``) said as the line and column, the
text there, and what was expected in words; an unknown prefix named with the ``PREFIX`` line to
add; an update sent as a query (or a query as an update) sent to the right operation.

>>> print(syntax_message("error at 1:24: expected one of Prefix not found, ['%'], [':']",
...                      "SELECT * { ?s a dpv:Foo . }"))
SPARQL syntax error at line 1, column 24: unknown prefix dpv: (in dpv:Foo); add the declaration
PREFIX dpv: <https://w3id.org/dpv#>
  SELECT * { ?s a dpv:Foo . }
                         ^
"""

from __future__ import annotations

import re

from .. import namespaces as ns
from ..sparqltext import tokens

_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
QUERY_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
MAX_EXPECTED = 12


def syntax_message(engine_message: str, text: str, operation: str = "query") -> str:
    """The 400 message for a syntax error the engine reported on ``text``, sent as ``operation``
    (``query`` or ``update``). Starts with ``SPARQL syntax error``.

    >>> syntax_message("error at 1:8: expected VERSION", "INSERT DATA { <a:b> <a:c> <a:d> }")[:71]
    'SPARQL syntax error: this is an update (INSERT), not a query: send upda'
    >>> print(syntax_message("error at 1:7: expected one of \\"(\\", [_]", "SELECT"))
    SPARQL syntax error at line 1, column 7: expected "("
      SELECT
            ^
    """
    wrong = wrong_operation(text, operation)
    if wrong:
        return f"SPARQL syntax error: {wrong}"
    m = _AT.match(str(engine_message).strip())
    if not m:
        return f"SPARQL syntax error: {engine_message}"
    line, col, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    where = f"SPARQL syntax error at line {line}, column {col}"
    missing = undeclared_prefixes(text)
    if "Prefix not found" in rest or missing:
        what = _prefix_advice(_pname_before(text, line, col), missing)
    else:
        what = expected_words(rest)
    return f"{where}: {what}\n{pointer(text, line, col)}"


def wrong_operation(text: str, operation: str) -> str | None:
    """What to say when ``text`` is an update sent as a query or a query sent as an update.

    >>> wrong_operation("PREFIX x: <http://x#> DELETE WHERE { ?s x:p ?o }", "query")[:30]
    'this is an update (DELETE), no'
    >>> wrong_operation("SELECT * {}", "update")
    'this is a query (SELECT), not an update: send queries to /sparql'
    >>> wrong_operation("SELECT * {}", "query") is None
    True
    """
    first = next(
        (
            t.upper()
            for kind, t, _, d in tokens(text)
            if kind == "word" and d == 0 and ":" not in t and t.upper() not in ("PREFIX", "BASE")
        ),
        None,
    )
    if operation == "query" and first in UPDATE_WORDS:
        return (
            f"this is an update ({first}), not a query: send updates to /update by POST (form parameter "
            "'update', or a body of Content-Type application/sparql-update)"
        )
    if operation == "update" and first in QUERY_WORDS:
        return f"this is a query ({first}), not an update: send queries to /sparql"
    return None


def undeclared_prefixes(text: str) -> list[str]:
    """The prefixes used in prefixed names without a ``PREFIX`` declaration, in order of use.

    >>> undeclared_prefixes("PREFIX dpv: <https://w3id.org/dpv#> SELECT * { ?s a dpv:X, pd:Y ; :p 'a:b' }")
    ['pd', '']
    """
    declared, used, prev = set(), [], None
    for kind, tok, _, _ in tokens(text):
        if kind == "word" and ":" in tok:
            prefix = tok.split(":", 1)[0]
            if prev == "PREFIX":
                declared.add(prefix)
            elif prefix not in used and not tok.startswith(("_:", "http:", "https:", "urn:")):
                used.append(prefix)
        prev = tok.upper() if kind == "word" else None
    return [p for p in used if p not in declared]


def _pname_before(text: str, line: int, col: int) -> str | None:
    """The prefixed name ending just before (or at) the error's position, if any."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    m = re.search(r"([^\W\d][\w.-]*)?:[\w.%-]*$", lines[line - 1][: col - 1])
    return m.group(0).rstrip(".") if m else None


def _prefix_advice(pname: str | None, missing: list[str]) -> str:
    """``unknown prefix dpv: ...`` with the declarations to add (known namespaces filled in)."""
    prefixes = [pname.split(":", 1)[0]] if pname else []
    prefixes += [p for p in missing if p not in prefixes]
    if not prefixes:
        return "unknown prefix; declare each prefix you use with PREFIX name: <namespace IRI>"
    names = ", ".join(f"{p}:" for p in prefixes)
    head = f"unknown prefix {names}" + (f" (in {pname})" if pname else "")
    decls = [
        f"PREFIX {p}: <{ns.PREFIXES[p]}>" if p in ns.PREFIXES else f"PREFIX {p}: <...namespace IRI...>"
        for p in prefixes
    ]
    return head + "; add the declaration" + ("s" if len(decls) > 1 else "") + "\n" + "\n".join(decls)


def expected_words(rest: str) -> str:
    """The engine's ``expected one of ...`` without its character classes, at most MAX_EXPECTED.

    >>> expected_words("expected one of \\",\\", \\".\\", ['-' | '0' ..= '9'], [_]")
    'expected one of ",", "."'
    >>> expected_words("expected CONSTRUCT")
    'expected CONSTRUCT'
    >>> expected_words("expected one of ['a' ..= 'z']")
    'unexpected character here'
    """
    if not rest.startswith("expected one of "):
        return rest.replace("\n", " ")
    items = [i for i in _split_items(rest[len("expected one of ") :]) if not i.startswith("[")]
    if not items:
        return "unexpected character here"
    more = f" (and {len(items) - MAX_EXPECTED} more)" if len(items) > MAX_EXPECTED else ""
    if len(items) == 1:
        return f"expected {items[0]}"
    return "expected one of " + ", ".join(items[:MAX_EXPECTED]) + more


def _split_items(listing: str) -> list[str]:
    """The comma-separated items of the engine's listing; commas inside ``[...]`` or quotes stay."""
    items, cur, depth, quote, escaped = [], "", 0, None, False
    for ch in listing.replace("\n", " "):
        if quote:
            quote = None if ch == quote and not escaped else quote
            escaped = ch == "\\" and not escaped
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
            continue
        cur += ch
    return [i for i in items + [cur.strip()] if i]


def pointer(text: str, line: int, col: int, width: int = 72) -> str:
    """The error's line (cut to ``width`` characters around the column) and a caret under it.

    >>> print(pointer("SELECT *\\nWHERE { ?s ?p }", 2, 15))
      WHERE { ?s ?p }
                    ^
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].rstrip("\r").replace("\t", " ")
    start = max(0, col - 1 - width // 2)
    shown = src[start : start + width]
    return f"  {shown}\n  {' ' * (col - 1 - start)}^"
