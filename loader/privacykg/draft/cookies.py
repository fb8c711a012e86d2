"""Named cookies from cookie tables: a table row under a header (or heading) that speaks of
cookies, whose first cell is a cookie's name (``_ga``, ``user_session``), becomes a candidate
technology with its period (``xsd:duration``, or "until the end of the session") and kinds.

>>> from .segment import segment
>>> doc = segment("Cookies we set\\n| Cookie | Purpose | Expiry |\\n|---|---|---|\\n| _ga | Google Analytics | 2 years |\\n| sid | Keeps you signed in | session |\\n")
>>> [(c.name, c.duration, c.until, c.broader) for c in cookies(doc.statements)]
[('_ga', 'P2Y', None, ('pkg:AnalyticsCookie', 'pkg:PersistentCookie')), ('sid', None, 'the end of the session', ('pkg:SessionCookie',))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import durations
from .segment import Statement

NAME = re.compile(r"^[A-Za-z0-9_.$-]{2,60}$")
KINDS = [
    (re.compile(r"\banalytic", re.IGNORECASE), "pkg:AnalyticsCookie"),
    (re.compile(r"\b(?:advertis|marketing|ads?\b)", re.IGNORECASE), "pkg:AdvertisingCookie"),
    (re.compile(r"\b(?:necessary|essential|required)\b", re.IGNORECASE), "pkg:StrictlyNecessaryCookie"),
    (re.compile(r"\bsession\b", re.IGNORECASE), "pkg:SessionCookie"),
]


@dataclass(frozen=True)
class Cookie:
    key: str
    name: str
    statement: Statement
    broader: tuple[str, ...]
    duration: str | None = None
    until: str | None = None


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _cookie(st: Statement, used: set[str]) -> Cookie | None:
    cells = _cells(st.text)
    if len(cells) < 2 or not NAME.match(cells[0]) or not re.search(r"[a-z_]", cells[0]):
        return None
    rest = " | ".join(cells[1:])
    found = durations(rest)
    session = re.search(r"\bsession\b", rest, re.IGNORECASE) is not None
    broader = [term for pattern, term in KINDS if pattern.search(rest) and term != "pkg:SessionCookie"]
    if session and not found:
        broader.append("pkg:SessionCookie")
    elif found:
        broader.append("pkg:PersistentCookie")
    key = "cookie-" + (re.sub(r"[^a-z0-9]+", "-", cells[0].lower()).strip("-") or "x")
    base, n = key, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return Cookie(
        key,
        cells[0],
        st,
        tuple(broader) or ("tech:Cookie",),
        found[0].value if len(found) == 1 else None,
        "the end of the session" if session and not found else None,
    )


def cookies(statements: list[Statement]) -> list[Cookie]:
    """The named cookies of the text's cookie tables."""
    out, used, header = [], set(), ""
    for st in statements:
        if st.kind == "header":
            header = st.text
        elif st.kind == "row" and re.search(r"cookie", header + " " + st.heading, re.IGNORECASE):
            c = _cookie(st, used)
            if c is not None:
                out.append(c)
        elif st.kind != "row":
            header = ""
    return out
