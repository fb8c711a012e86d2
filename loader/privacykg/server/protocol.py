"""The SPARQL 1.1 Protocol's requests: reading the operation and its parameters from GET, a POST
form or a POST body, the dataset clauses (``FROM``, ``USING``) and the checks on IRIs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from starlette.requests import Request

from ..sparqltext import keywords as _keywords
from ..sparqltext import tokens as _tokens
from .errors import QueryError

MAX_BODY = 1024 * 1024
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its dataset itself (``FROM`` / ``FROM NAMED``).

    >>> has_dataset_clause("ASK FROM <http://g> { ?s ?p ?o }"), has_dataset_clause("ASK { ?from ?p 'FROM' }")
    (True, False)
    """
    return any(k == "FROM" and d == 0 for k, _, d in _keywords(text))


def uses_service(text: str) -> bool:
    """Whether a query or update asks the server to call another endpoint (``SERVICE``).

    >>> uses_service("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }"), uses_service("SELECT ?service {}")
    (True, False)
    """
    return any(k == "SERVICE" for k, _, _ in _keywords(text))


def apply_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` written as
    ``USING`` / ``USING NAMED`` clauses before each operation's ``WHERE`` (SPARQL 1.1 Protocol
    2.2.3). The graph IRIs were checked; the update's own text is not changed otherwise.

    >>> apply_using("INSERT { ?s a ?t } WHERE { ?s a ?t }", ["http://g"], [])
    'INSERT { ?s a ?t } USING <http://g> WHERE { ?s a ?t }'
    """
    if not using and not using_named:
        return text
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    points = []
    prev = None
    for kind, tok, at, depth in _tokens(text):
        if depth != 0:
            continue
        word = tok.upper() if kind == "word" and ":" not in tok else None
        if word in ("USING", "WITH"):
            raise QueryError(
                400,
                f"the update has its own {word} clause: it cannot be combined with the "
                "using-graph-uri / using-named-graph-uri parameters",
            )
        if word == "WHERE":
            if prev is not None and prev[0] == "word" and prev[1].upper() == "DELETE":
                raise QueryError(
                    400,
                    "using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                    "write DELETE { ... } WHERE { ... }",
                )
            points.append(at)
        prev = (kind, tok)
    for at in reversed(points):
        text = text[:at] + clause + text[at:]
    return text


def check_iris(values: list[str], name: str) -> None:
    """Raise a QueryError 400 unless every value is an absolute IRI.

    >>> check_iris(["http://g"], "default-graph-uri")
    >>> check_iris(["g"], "default-graph-uri")
    Traceback (most recent call last):
    ...
    privacykg.server.errors.QueryError: default-graph-uri 'g' is not an absolute IRI
    """
    for v in values:
        if not IRI_RE.match(v):
            raise QueryError(400, f"{name} '{v}' is not an absolute IRI")


async def read_body(request: Request) -> bytes:
    """The request body, refused past MAX_BODY bytes (declared or streamed)."""
    length = request.headers.get("content-length") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise QueryError(413, f"request body over {MAX_BODY} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise QueryError(413, f"request body over {MAX_BODY} bytes")
    return bytes(body)


async def read_protocol(request: Request, param_name: str) -> dict:
    """The operation, its dataset parameters and ``format`` values from GET or POST, per the
    SPARQL 1.1 Protocol: the operation by GET (queries), POST form, or POST direct."""
    params = request.query_params
    out = {name: params.getlist(name) for name in DATASET_PARAMS}
    out["format"] = params.getlist("format") + params.getlist("output")
    out["has_update"] = "update" in params  # an update sent to the query operation
    if request.method == "GET":
        out["text"] = _single(params.getlist(param_name), param_name)
        return out
    raw_ctype = request.headers.get("content-type", "")
    ctype = raw_ctype.split(";")[0].strip().lower()
    charset = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", raw_ctype, re.IGNORECASE)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
        raise QueryError(415, f"charset {charset.group(1)} is not supported: send UTF-8")
    body = await read_body(request)
    expected = "application/sparql-query" if param_name == "query" else "application/sparql-update"
    if ctype == "application/x-www-form-urlencoded":
        return _read_form(body, params, param_name, out)
    if ctype == expected:
        if param_name in params:
            raise QueryError(400, f"the {param_name} is in the body: no '{param_name}' parameter as well")
        try:
            out["text"] = body.decode("utf-8")
        except UnicodeDecodeError:
            raise QueryError(400, f"the {param_name} body is not UTF-8") from None
        return out
    raise QueryError(
        415, f"unsupported Content-Type '{ctype or 'none'}': use {expected} or application/x-www-form-urlencoded"
    )


def _read_form(body: bytes, params, param_name: str, out: dict) -> dict:
    """``out`` with the operation and parameters of a POST form added before the URL's."""
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise QueryError(400, "the form body is not UTF-8") from None
    for name in DATASET_PARAMS:
        out[name] = form.get(name, []) + out[name]
    out["format"] = form.get("format", []) + form.get("output", []) + out["format"]
    out["text"] = _single(form.get(param_name, []) + params.getlist(param_name), param_name)
    out["has_update"] = out["has_update"] or "update" in form
    return out


def _single(texts: list[str], param_name: str) -> str | None:
    if len(texts) > 1:
        raise QueryError(400, f"more than one '{param_name}' parameter")
    return texts[0] if texts else None
