"""The HTTP side: a SPARQL 1.1 Protocol endpoint, linked-data pages and the query UI, built by
an app factory over a store (no module-level state).

Routes (documented in the README):

* ``/sparql`` GET, POST (form or ``application/sparql-query``): SPARQL 1.1 Protocol. The default
  graph is the union of all graphs; ``default-graph-uri`` / ``named-graph-uri`` restrict it.
  Without a query: the W3C Service Description.
* ``/update``: SPARQL Update, refused unless the server was started with updates enabled and the
  request carries the token (``Authorization: Bearer TOKEN``).
* ``/void``: the VoID description of the dataset.
* ``/api/queries``: the query library as JSON. ``/api/graph?policy=IRI``: nodes and links of a policy.
* every IRI minted under the base (``/policy/...``, ``/entity/...``): its description, as RDF or
  HTML by content negotiation; ``/resource?iri=...`` for any other IRI.
* ``/``: the query UI (served from the package, no CDN).
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import namespaces as ns
from .errors import UsageError
from .queries import DEFAULT_QUERIES_DIR, load_library
from .store import current_target, open_store, store_path

STATIC_DIR = Path(__file__).parent / "static"

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
FORMAT_ALIASES = {**RESULT_TYPES, **GRAPH_TYPES, "nt": "application/n-triples", "ttl": "text/turtle",
                  "srj": "application/sparql-results+json", "srx": "application/sparql-results+xml"}
MAX_BODY = 1024 * 1024


@dataclass
class Settings:
    store: str | None = None
    base: str | None = None
    timeout: float = 30.0
    max_results: int = 100_000
    max_concurrent: int = 4
    allow_update: bool = False
    update_token: str | None = None
    queries_dir: Path = DEFAULT_QUERIES_DIR
    public_url: str | None = None  # where this server is reached, for the service description


class StoreHandle:
    """Opens the store read-only and follows the store link when a build swaps it."""

    def __init__(self, path: str | None, writable: bool = False):
        self.path = store_path(path)
        self.writable = writable
        self._lock = threading.Lock()
        self._target = None
        self._store = None

    def get(self) -> ox.Store:
        target = current_target(self.path) or self.path
        with self._lock:
            if self._store is None or target != self._target:
                self._store = open_store(self.path, read_only=not self.writable)
                self._target = target
            return self._store


class QueryError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _negotiate(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    if not accept.strip():
        return offered[0]
    prefs = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mt, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        prefs.append((q, -i, mt))
    for q, _, mt in sorted(prefs, reverse=True):
        if q <= 0:
            continue
        if mt in ("*/*", ""):
            return offered[0]
        if mt.endswith("/*"):
            for o in offered:
                if o.startswith(mt[:-1]):
                    return o
        if mt in offered:
            return mt
    return None


def create_app(settings: Settings | None = None, **kw) -> Starlette:
    """Build the ASGI app over a store.

    >>> app = create_app(store="build/store")
    >>> sorted(r.path for r in app.routes if hasattr(r, "path"))[:3]
    ['/', '/api/graph', '/api/queries']
    """
    settings = settings or Settings(**kw)
    handle = StoreHandle(settings.store, writable=settings.allow_update)
    pool = ThreadPoolExecutor(max_workers=settings.max_concurrent, thread_name_prefix="sparql")
    slots = threading.BoundedSemaphore(settings.max_concurrent * 4)
    state: dict = {}

    def base() -> str:
        if settings.base:
            return settings.base if settings.base.endswith("/") else settings.base + "/"
        if "base" not in state:
            try:
                r = list(handle.get().query(
                    "SELECT ?b WHERE { GRAPH ?g { ?d <https://w3id.org/privacykg/ns#baseIRI> ?b } } LIMIT 1"))
                state["base"] = r[0]["b"].value if r else ns.DEFAULT_BASE
            except Exception:
                return ns.DEFAULT_BASE
        return state["base"]

    def run_query(text: str, default_graphs: list[str], named_graphs: list[str], media: str | None,
                  accept: str) -> tuple[bytes, str]:
        store = handle.get()
        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            result = store.query(text, **kwargs)
        except SyntaxError as exc:
            raise QueryError(400, f"SPARQL syntax error: {exc}") from None
        except (ValueError, TypeError) as exc:
            raise QueryError(400, f"bad query: {exc}") from None
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            offered = list(RESULT_FORMATS)
            mt = media or _negotiate(accept, offered)
            if mt is None:
                raise QueryError(406, "cannot answer in any of the accepted media types; offered: " + ", ".join(offered))
            if mt not in RESULT_FORMATS:
                raise QueryError(406, f"{mt} is not a format for SELECT/ASK results")
            if isinstance(result, ox.QuerySolutions):
                rows = list(_limited(result, settings.max_results))
                variables = list(result.variables)
                data = _serialize_solutions(variables, rows, RESULT_FORMATS[mt])
            else:
                data = result.serialize(format=RESULT_FORMATS[mt])
            ctype = "application/sparql-results+json" if mt == "application/json" else mt
        else:
            offered = list(GRAPH_FORMATS)
            mt = media or _negotiate(accept, offered)
            if mt is None:
                raise QueryError(406, "cannot answer in any of the accepted media types; offered: " + ", ".join(offered))
            if mt not in GRAPH_FORMATS:
                raise QueryError(406, f"{mt} is not a format for CONSTRUCT/DESCRIBE results")
            triples = list(_limited(result, settings.max_results))
            fmt = GRAPH_FORMATS[mt]
            if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
                items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
            else:
                items = triples
            data = ox.serialize(items, format=fmt, prefixes=dict(ns.PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None) \
                if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else ox.serialize(items, format=fmt)
            ctype = mt
        if ctype.startswith("text/") or ctype.endswith(("json", "xml")):
            ctype += "; charset=utf-8"
        return data, ctype

    def _limited(it, limit):
        for i, x in enumerate(it):
            if i >= limit:
                raise QueryError(413, f"the result has more than {limit} rows, the server's limit; add LIMIT or "
                                      "narrow the query")
            yield x

    async def execute(text, default_graphs, named_graphs, media, accept) -> Response:
        if not slots.acquire(blocking=False):
            return _error(503, "too many queries at once; try again shortly", retry=True)
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(pool, run_query, text, default_graphs, named_graphs, media, accept)
        try:
            data, ctype = await asyncio.wait_for(asyncio.shield(fut), timeout=settings.timeout)
        except asyncio.TimeoutError:
            fut.add_done_callback(lambda f: slots.release())
            return _error(503, f"the query ran longer than the server's limit of {settings.timeout:g} s; "
                               "narrow it or add LIMIT", retry=False)
        except QueryError as exc:
            slots.release()
            return _error(exc.status, exc.message)
        except UsageError as exc:
            slots.release()
            return _error(503, str(exc))
        except Exception as exc:  # the engine failed: say so, keep serving
            slots.release()
            return _error(500, f"the query failed: {exc}")
        slots.release()
        return Response(data, media_type=ctype.split(";")[0], headers={"Content-Type": ctype})

    async def read_protocol(request: Request, param_name: str):
        """(text, default graphs, named graphs, format) from GET or POST per SPARQL 1.1 Protocol."""
        params = request.query_params
        if request.method == "GET":
            text = params.get(param_name)
            dg, ng = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
            fmt = params.get("format")
            return text, dg, ng, fmt
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BODY:
            raise QueryError(413, f"request body over {MAX_BODY} bytes")
        body = await request.body()
        if len(body) > MAX_BODY:
            raise QueryError(413, f"request body over {MAX_BODY} bytes")
        if ctype == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qs

            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise QueryError(400, "the form body is not UTF-8") from None
            texts = form.get(param_name, [])
            if len(texts) > 1:
                raise QueryError(400, f"more than one '{param_name}' parameter")
            return (texts[0] if texts else None, form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
                    form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
                    (form.get("format") or [params.get("format")])[0])
        expected = "application/sparql-query" if param_name == "query" else "application/sparql-update"
        if ctype == expected:
            try:
                return body.decode("utf-8"), params.getlist("default-graph-uri"), params.getlist("named-graph-uri"), params.get("format")
            except UnicodeDecodeError:
                raise QueryError(400, "the query body is not UTF-8") from None
        raise QueryError(415, f"unsupported Content-Type '{ctype or 'none'}': use {expected} or "
                              "application/x-www-form-urlencoded")

    async def sparql(request: Request) -> Response:
        if request.method == "GET" and not set(request.query_params) & {"query"}:
            if "update" in request.query_params:
                return _error(400, "updates go to /update by POST")
            return service_description(request)
        try:
            text, dg, ng, fmt = await read_protocol(request, "query")
        except QueryError as exc:
            return _error(exc.status, exc.message)
        if text is None:
            if request.method == "POST":
                return _error(400, "no 'query' in the request")
            return service_description(request)
        if "update" in request.query_params and request.method == "GET":
            return _error(400, "updates go to /update by POST")
        media = None
        if fmt:
            media = FORMAT_ALIASES.get(fmt.lower(), fmt if "/" in fmt else None)
            if media is None:
                return _error(400, f"unknown format '{fmt}': one of {', '.join(sorted(FORMAT_ALIASES))}")
        return await execute(text, dg, ng, media, request.headers.get("accept", ""))

    async def update(request: Request) -> Response:
        if not settings.allow_update:
            return _error(403, "this server is read-only: updates are disabled (start it with updates enabled "
                               "and a token to allow them)")
        auth = request.headers.get("authorization", "")
        if not settings.update_token or auth != f"Bearer {settings.update_token}":
            return _error(401, "an update needs the server's token: Authorization: Bearer TOKEN",
                          headers={"WWW-Authenticate": "Bearer"})
        if request.method != "POST":
            return _error(405, "updates are sent by POST")
        try:
            text, *_ = await read_protocol(request, "update")
        except QueryError as exc:
            return _error(exc.status, exc.message)
        if not text:
            return _error(400, "no 'update' in the request")
        try:
            await asyncio.get_running_loop().run_in_executor(pool, lambda: handle.get().update(text))
        except SyntaxError as exc:
            return _error(400, f"SPARQL syntax error: {exc}")
        except Exception as exc:
            return _error(500, f"the update failed: {exc}")
        return Response(status_code=204)

    def service_description(request: Request) -> Response:
        endpoint = settings.public_url or str(request.url.replace(query="", fragment=""))
        ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,
        <http://www.w3.org/ns/formats/RDF_XML>, <http://www.w3.org/ns/formats/TriG>, <http://www.w3.org/ns/formats/N-Quads> ;
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:defaultDataset [ a sd:Dataset ;
        dct:description "The default graph is the union of all named graphs; each policy version is one named graph." ;
        void:sparqlEndpoint <{endpoint}> ] ;
    dct:title "privacykg SPARQL endpoint" ;
    dct:description "Privacy policies as W3C DPV 2.3 RDF, each fact tied to its sentence. VoID at /void." .
"""
        if settings.allow_update:
            ttl = ttl.replace("sd:supportedLanguage sd:SPARQL11Query ;", "sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ;")
        return _rdf_response(request, ttl)

    async def void(request: Request) -> Response:
        def build_void():
            store = handle.get()
            b = base()
            lines = [f"@prefix void: <{ns.VOID}> .", f"@prefix dct: <{ns.DCT}> .",
                     f"<{b}dataset> a void:Dataset ;",
                     '    dct:title "privacykg" ;',
                     '    dct:license <https://www.apache.org/licenses/LICENSE-2.0> ;',
                     f"    void:sparqlEndpoint <{str(request.url_for('sparql'))}> ;",
                     f"    void:uriSpace \"{b}\" ;"]
            for v in (ns.DPV, ns.PD, ns.TECH, ns.LOC, ns.EU_GDPR, ns.LEGAL_EU, ns.PKG, ns.OA):
                lines.append(f"    void:vocabulary <{v}> ;")
            total = 0
            subsets = []
            for g in sorted(store.named_graphs(), key=lambda x: x.value):
                n = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
                total += n
                subsets.append((g.value, n))
            for gname, n in subsets:
                lines.append(f"    void:subset [ a void:Dataset ; dct:identifier <{gname}> ; void:triples {n} ] ;")
            lines.append(f"    void:triples {total} .")
            return "\n".join(lines) + "\n"

        ttl = await asyncio.get_running_loop().run_in_executor(pool, build_void)
        return _rdf_response(request, ttl)

    def _rdf_response(request: Request, ttl: str) -> Response:
        accept = request.headers.get("accept", "")
        offered = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
        mt = _negotiate(accept, offered) or "text/turtle"
        if mt == "text/turtle" or mt == "text/html":
            return Response(ttl, media_type="text/turtle; charset=utf-8" if mt == "text/turtle" else "text/turtle")
        quads = ox.parse(ttl, format=ox.RdfFormat.TURTLE)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        return Response(ox.serialize(triples, format=GRAPH_FORMATS[mt]), media_type=mt)

    async def api_queries(request: Request) -> Response:
        lib = load_library(settings.queries_dir)
        return JSONResponse([{"id": q.id, "question": q.question, "kind": q.kind, "query": q.text,
                              "columns": q.columns,
                              "params": [{"name": p.name, "type": p.type, "default": p.default,
                                          "description": p.description} for p in q.params]}
                             for q in lib.values() if q.kind in ("cq", "reports")])

    async def api_graph(request: Request) -> Response:
        from .review import policy_graph_json

        iri = request.query_params.get("policy")
        if not iri:
            return _error(400, "give ?policy=IRI of a privacy notice")
        data = await asyncio.get_running_loop().run_in_executor(pool, policy_graph_json, handle.get(), iri)
        if data is None:
            return _error(404, f"no privacy notice {iri}")
        return JSONResponse(data)

    async def resource(request: Request) -> Response:
        iri = request.query_params.get("iri")
        if not iri:
            return _error(400, "give ?iri=... of the resource to describe")
        return await describe(request, iri)

    async def minted(request: Request) -> Response:
        path = request.url.path.lstrip("/")
        iri = base() + path
        return await describe(request, iri)

    async def describe(request: Request, iri: str) -> Response:
        from .review import describe_html, describe_triples

        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", iri):
            return _error(400, f"not an IRI: {iri}")
        accept = request.headers.get("accept", "")
        fmt = request.query_params.get("format")
        offered = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
        mt = FORMAT_ALIASES.get(fmt, None) if fmt else _negotiate(accept, offered)
        if fmt == "html":
            mt = "text/html"
        if mt is None or mt not in offered:
            return _error(406, "offered: " + ", ".join(offered))
        loop = asyncio.get_running_loop()
        if mt == "text/html":
            page = await loop.run_in_executor(pool, describe_html, handle.get(), iri, base())
            if page is None:
                return HTMLResponse(_page("Not found", f"<p>Nothing is known about <code>{html.escape(iri)}</code>.</p>"),
                                    status_code=404)
            return HTMLResponse(page)
        triples = await loop.run_in_executor(pool, describe_triples, handle.get(), iri)
        if not triples:
            return _error(404, f"nothing is known about {iri}")
        data = ox.serialize(triples, format=GRAPH_FORMATS[mt],
                            **({"prefixes": dict(ns.PREFIXES)} if mt == "text/turtle" else {}))
        return Response(data, media_type=mt)

    async def index(request: Request) -> Response:
        return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))

    async def health(request: Request) -> Response:
        try:
            handle.get()
        except Exception as exc:
            return _error(503, str(exc))
        return PlainTextResponse("ok\n")

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/update", update, methods=["GET", "POST"]),
        Route("/void", void),
        Route("/health", health),
        Route("/api/queries", api_queries),
        Route("/api/graph", api_graph),
        Route("/resource", resource),
        Route("/policy/{rest:path}", minted),
        Route("/entity/{rest:path}", minted),
        Route("/source/{rest:path}", minted),
        Route("/graph/{rest:path}", minted),
        Route("/dataset", minted),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["Accept", "Content-Type"], max_age=3600)]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.settings = settings
    return app


def _serialize_solutions(variables, rows, fmt) -> bytes:
    """Serialise materialised SELECT rows (pyoxigraph serialises only live results)."""
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        def term(t):
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            d = {"type": "literal", "value": t.value}
            if t.language:
                d["xml:lang"] = t.language
            elif t.datatype and t.datatype.value != ns.XSD + "string":
                d["datatype"] = t.datatype.value
            return d
        out = {"head": {"vars": names}, "results": {"bindings": [
            {n: term(r[n]) for n in names if r[n] is not None} for r in rows]}}
        return json.dumps(out, ensure_ascii=False).encode("utf-8")
    if fmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
        lines = []
        if fmt == ox.QueryResultsFormat.CSV:
            import csv
            import io

            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(names)
            for r in rows:
                w.writerow(["" if r[n] is None else (r[n].value if not isinstance(r[n], ox.BlankNode) else "_:" + r[n].value)
                            for n in names])
            return buf.getvalue().encode("utf-8")
        lines.append("\t".join("?" + n for n in names))
        for r in rows:
            lines.append("\t".join("" if r[n] is None else str(r[n]) for n in names))
        return ("\n".join(lines) + "\n").encode("utf-8")
    # XML
    esc = html.escape
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    parts += [f'<variable name="{esc(n)}"/>' for n in names]
    parts.append("</head>\n<results>")
    for r in rows:
        parts.append("<result>")
        for n in names:
            t = r[n]
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                inner = f"<uri>{esc(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                inner = f"<bnode>{esc(t.value)}</bnode>"
            elif t.language:
                inner = f'<literal xml:lang="{esc(t.language)}">{esc(t.value)}</literal>'
            elif t.datatype and t.datatype.value != ns.XSD + "string":
                inner = f'<literal datatype="{esc(t.datatype.value)}">{esc(t.value)}</literal>'
            else:
                inner = f"<literal>{esc(t.value)}</literal>"
            parts.append(f'<binding name="{esc(n)}">{inner}</binding>')
        parts.append("</result>")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts).encode("utf-8")


def _error(status: int, message: str, retry: bool = False, headers: dict | None = None) -> Response:
    h = dict(headers or {})
    if retry:
        h["Retry-After"] = "1"
    return PlainTextResponse(message + "\n", status_code=status, headers=h)


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<link rel=stylesheet href=/static/style.css></head><body><header><a href=/>privacykg</a></header>"
            f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>")


def serve(store=None, host="127.0.0.1", port=8000, **kw) -> None:
    """Run the server until interrupted (uvicorn)."""
    import uvicorn

    open_store(store)  # fail early, with the CLI's message, when there is no store
    app = create_app(Settings(store=store, **kw))
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("PRIVACYKG_LOG_LEVEL", "warning"))
