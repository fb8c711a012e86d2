"""The descriptions of the service and of the dataset: the SPARQL Service Description (``/sparql``
without a query) and VoID (``/void``), as RDF or an HTML page by content negotiation."""

from __future__ import annotations

import time

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .. import namespaces as ns
from .context import AppContext, ctx_of
from .description_pages import description_html
from .errors import error
from .media import GRAPH_ALIASES, GRAPH_FORMATS, _negotiate, _serialize_graph


def service_description(request: Request) -> Response:
    settings = ctx_of(request).settings
    endpoint = ctx_of(request).endpoint_url(request)
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if settings.allow_update else "sd:SPARQL11Query"
    features = "sd:UnionDefaultGraph, sd:BasicFederatedQuery" if settings.allow_service else "sd:UnionDefaultGraph"
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,
        <http://www.w3.org/ns/formats/RDF_XML>, <http://www.w3.org/ns/formats/TriG>, <http://www.w3.org/ns/formats/N-Quads> ;
    sd:feature {features} ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:defaultDataset [ a sd:Dataset ;
        dct:description "The default graph is the union of all named graphs; each policy version is one named graph." ;
        void:sparqlEndpoint <{endpoint}> ] ;
    dct:title "privacykg SPARQL endpoint" ;
    dct:description "Privacy policies as W3C DPV 2.3 RDF, each fact tied to its sentence. VoID at /void." .
"""
    return rdf_response(request, ttl, "SPARQL service description")


async def void(request: Request) -> Response:
    ctx = ctx_of(request)
    ttl = await ctx.in_pages(void_turtle, ctx, ctx.endpoint_url(request))
    return rdf_response(request, ttl, "VoID description of the dataset")


def void_turtle(ctx: AppContext, endpoint: str) -> str:
    """The VoID description of the store, in Turtle: the dataset and a subset per named graph."""
    store = ctx.handle.get()
    b = ctx.base()
    lines = [
        f"@prefix void: <{ns.VOID}> .",
        f"@prefix dct: <{ns.DCT}> .",
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        f"<{b}dataset> a void:Dataset ;",
        '    dct:title "privacykg" ;',
        "    dct:license <https://www.apache.org/licenses/LICENSE-2.0> ;",
        f"    void:sparqlEndpoint <{endpoint}> ;",
        f'    void:uriSpace "{b}" ;',
    ]
    for v in (ns.DPV, ns.PD, ns.TECH, ns.LOC, ns.EU_GDPR, ns.LEGAL_EU, ns.PKG, ns.OA):
        lines.append(f"    void:vocabulary <{v}> ;")
    total = 0
    meta = ox.NamedNode(ns.IRIs(b).metadata_graph)
    for g, n in graph_sizes(ctx, store):
        total += n
        licence = "".join(
            f" <{p}> {q.object} ;"
            for p in (ns.DCT + "license", ns.DCT + "source", ns.PKG + "attribution")
            for q in store.quads_for_pattern(g, ox.NamedNode(p), None, meta)
        )
        lines.append(
            f"    void:subset [ a void:Dataset ; sd:name <{g.value}> ; dct:identifier <{g.value}> ;"
            f"{licence} void:triples {n} ] ;"
        )
    lines.append(f"    void:triples {total} .")
    return "\n".join(lines) + "\n"


def graph_sizes(ctx: AppContext, store: ox.Store) -> list[tuple[ox.NamedNode, int]]:
    """Each named graph and its number of triples; cached per built store (a read-only store
    changes only by a build swapping in a new one)."""
    key = str(ctx.handle.target())
    cached = ctx.state.get("graph_sizes")
    if ctx.settings.remote is not None:  # another store: it may change at any time, cache briefly
        if cached and cached[0] == key and time.monotonic() - cached[2] < 30:
            return cached[1]
        sizes = store.graph_sizes()
        ctx.state["graph_sizes"] = (key, sizes, time.monotonic())
        return sizes
    if cached and cached[0] == key and not ctx.settings.allow_update:
        return cached[1]
    sizes = [
        (g, sum(1 for _ in store.quads_for_pattern(None, None, None, g)))
        for g in sorted(store.named_graphs(), key=lambda x: x.value)
        if isinstance(g, ox.NamedNode)
    ]
    ctx.state["graph_sizes"] = (key, sizes, time.monotonic())
    return sizes


def rdf_response(request: Request, ttl: str, title: str) -> Response:
    """A description given in Turtle, in the negotiated format (an HTML page showing the Turtle)."""
    accept = request.headers.get("accept", "")
    offered = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
    fmt = request.query_params.get("format")
    mt = (GRAPH_ALIASES.get(fmt.lower()) if fmt else None) or _negotiate(accept, offered)
    if mt is None:
        return error(406, "offered: " + ", ".join(offered))
    if mt == "text/turtle":
        return Response(ttl, headers={"Content-Type": "text/turtle; charset=utf-8", "Vary": "Accept"})
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]
    if mt == "text/html":
        note = (
            "Also as <a href='?format=turtle'>Turtle</a>, <a href='?format=jsonld'>JSON-LD</a>, "
            "<a href='?format=rdfxml'>RDF/XML</a>, <a href='?format=ntriples'>N-Triples</a> "
            "(or ask for them with an Accept header)."
        )
        return HTMLResponse(description_html(title, triples, ctx_of(request).base(), note), headers={"Vary": "Accept"})
    return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt)
