"""Media types: content negotiation (``Accept`` and ``format=``) and the serialisation of query
results and graphs in the negotiated format."""

from __future__ import annotations

import csv
import html
import io
import json

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import namespaces as ns
from ..errors import UsageError
from ..jsonld import Compactor, context, nodes
from .errors import QueryError, error

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
#: ``format=`` values for SELECT/ASK results and for CONSTRUCT/DESCRIBE graphs. The same word can
#: mean either (``xml``, ``json``): the kind of result decides, as SPARQLWrapper expects.
RESULT_ALIASES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "n-quads": "application/n-quads",
}
PAGE_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
#: A source text's page also offers the text itself (``format=text``).
SOURCE_TYPES = ["text/html", "text/plain", *PAGE_TYPES[1:]]
TEXT_ALIASES = {"text": "text/plain", "txt": "text/plain", "plain": "text/plain"}


def _negotiate(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None.

    >>> _negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> _negotiate("image/png", ["text/turtle"]) is None
    True
    """
    if not accept.strip():
        return offered[0]
    prefs = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mt, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.replace(" ", "").startswith("q="):
                try:
                    q = float(b.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        # a more specific range wins over a wider one at the same q
        specificity = 0 if mt in ("*/*", "*", "") else 1 if mt.endswith("/*") else 2
        prefs.append((q, specificity, -i, mt))
    for q, _, _, mt in sorted(prefs, reverse=True):
        if q <= 0:
            continue
        if mt in ("*/*", "*", ""):
            return offered[0]
        if mt.endswith("/*"):
            for o in offered:
                if o.startswith(mt[:-1]):
                    return o
        if mt in offered:
            return mt
    return None


def _format_choice(formats: list[str], aliases: dict[str, str], offered: dict, kind: str) -> str | None:
    """The media type ``format=`` asks for (the first value that names one), None when absent."""
    values = [f.strip() for f in formats if f and f.strip()]
    if not values:
        return None
    for v in values:
        mt = aliases.get(v.lower()) or (v.lower().split(";")[0].strip() if "/" in v else None)
        if mt in offered:
            return mt
    raise QueryError(
        406,
        f"format '{values[0]}' is not offered for {kind} results; use one of "
        + ", ".join(sorted(set(aliases)))
        + " (or Accept: "
        + ", ".join(offered)
        + ")",
    )


def negotiate_page(request: Request, offered: list[str] = PAGE_TYPES) -> str | Response:
    """The media type of a page (``format=`` or Accept), or the 406 response saying what is offered."""
    fmt = request.query_params.get("format")
    if fmt:
        f = fmt.lower()
        mt = "text/html" if f == "html" else TEXT_ALIASES.get(f) or GRAPH_ALIASES.get(f, f)
    else:
        mt = _negotiate(request.headers.get("accept", ""), offered)
    if mt is None or mt not in offered:
        return error(406, "offered: " + ", ".join(offered))
    return mt


def _serialize_graph(triples: list, fmt) -> bytes:
    if fmt == ox.RdfFormat.JSON_LD:
        return _compact_jsonld(triples)
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=fmt, prefixes=dict(ns.PREFIXES))
    return ox.serialize(triples, format=fmt)


def _compact_jsonld(triples: list) -> bytes:
    """Compact JSON-LD (:mod:`privacykg.jsonld`): one ``@context`` with our prefixes, keys and
    types as CURIEs, one node object per subject, single values not wrapped in arrays. Expanded
    (pyoxigraph's) when a term cannot be written so (an RDF 1.2 triple term, an IRI whose scheme
    is one of our prefixes).

    >>> t = ox.Triple(ox.NamedNode("https://example.org/p"), ox.NamedNode(ns.DPV + "hasPurpose"), ox.NamedNode(ns.DPV + "Marketing"))
    >>> json.loads(_compact_jsonld([t]))["@graph"]
    [{'@id': 'https://example.org/p', 'dpv:hasPurpose': {'@id': 'dpv:Marketing'}}]
    """
    prefixes = dict(ns.PREFIXES)
    try:
        graph = list(nodes(sorted(triples, key=lambda t: str(t.subject)), Compactor(prefixes)))
    except UsageError:
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
    return json.dumps({"@context": context(prefixes), "@graph": graph}, ensure_ascii=False).encode("utf-8")


def _serialize_solutions(variables, rows, fmt) -> bytes:
    """Serialise materialised SELECT rows (pyoxigraph serialises only live results).

    >>> x = ox.Variable("x")
    >>> rows = [{"x": ox.Literal("a")}, {"x": None}]
    >>> _serialize_solutions([x], rows, ox.QueryResultsFormat.TSV)
    b'?x\\n"a"\\n\\n'
    """
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        return _solutions_json(names, rows)
    if fmt == ox.QueryResultsFormat.CSV:
        return _solutions_csv(names, rows)
    if fmt == ox.QueryResultsFormat.TSV:
        lines = ["\t".join("?" + n for n in names)]
        for r in rows:
            lines.append("\t".join("" if r[n] is None else str(r[n]) for n in names))
        return ("\n".join(lines) + "\n").encode("utf-8")
    return _solutions_xml(names, rows)


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(t.subject),
                "predicate": _json_term(t.predicate),
                "object": _json_term(t.object),
            },
        }
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != ns.XSD + "string":
        d["datatype"] = t.datatype.value
    return d


def _solutions_json(names: list[str], rows) -> bytes:
    out = {
        "head": {"vars": names},
        "results": {"bindings": [{n: _json_term(r[n]) for n in names if r[n] is not None} for r in rows]},
    }
    return json.dumps(out, ensure_ascii=False).encode("utf-8")


def _solutions_csv(names: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for r in rows:
        w.writerow(
            [
                ""
                if r[n] is None
                else (
                    "_:" + r[n].value
                    if isinstance(r[n], ox.BlankNode)
                    else str(r[n])
                    if isinstance(r[n], ox.Triple)
                    else r[n].value
                )
                for n in names
            ]
        )
    return buf.getvalue().encode("utf-8")


def _xml_term(t) -> str:
    esc = html.escape
    if isinstance(t, ox.NamedNode):
        return f"<uri>{esc(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{esc(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>"
        )
    if t.language:
        return f'<literal xml:lang="{esc(t.language)}">{esc(t.value)}</literal>'
    if t.datatype and t.datatype.value != ns.XSD + "string":
        return f'<literal datatype="{esc(t.datatype.value)}">{esc(t.value)}</literal>'
    return f"<literal>{esc(t.value)}</literal>"


def _solutions_xml(names: list[str], rows) -> bytes:
    esc = html.escape
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    parts += [f'<variable name="{esc(n)}"/>' for n in names]
    parts.append("</head>\n<results>")
    for r in rows:
        parts.append("<result>")
        for n in names:
            if r[n] is not None:
                parts.append(f'<binding name="{esc(n)}">{_xml_term(r[n])}</binding>')
        parts.append("</result>")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts).encode("utf-8")
