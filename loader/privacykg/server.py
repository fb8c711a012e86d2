"""The HTTP side: a SPARQL 1.1 Protocol endpoint, linked-data pages and the query UI, built by
an app factory over a store (no module-level state).

Routes (documented in the README):

* ``/sparql`` GET, POST (form or ``application/sparql-query``): SPARQL 1.1 Protocol. The default
  graph is the union of all graphs (unless the query names its own with ``FROM``);
  ``default-graph-uri`` / ``named-graph-uri`` replace the dataset. Without a query: the W3C
  Service Description. Results by content negotiation or ``format=`` (json, xml, csv, tsv;
  turtle, ntriples, jsonld, rdfxml, trig, nquads). ``SERVICE`` (the server fetching other
  endpoints) is refused unless the server was started with ``allow_service``.
* ``/update``: SPARQL Update, refused unless the server was started with updates enabled and the
  request carries the token (``Authorization: Bearer TOKEN``). ``using-graph-uri`` /
  ``using-named-graph-uri`` are honoured.
* ``/void``: the VoID description of the dataset.
* ``/api/queries``: the query library as JSON. ``/api/run``: run a library query by id with its
  parameters bound by the server as RDF terms of their declared types, never pasted into the
  query's text: POST ``{"id": "cq01", "params": {"destination": "loc:US"}, "format": "csv"}``
  or GET ``?id=cq01&param.destination=loc:US&format=csv``; SPARQL JSON results by default, a
  bad parameter value is a 400 with the reason.
  ``/api/graph?policy=IRI``: nodes and links of a policy.
* every IRI minted under the base (``/policy/...``, ``/entity/...``): its description, as RDF or
  HTML by content negotiation; ``/ns`` our vocabulary; ``/resource?iri=...`` for any other IRI.
  A policy's page quotes only its own text; other pages group what they list by policy and fold
  inferred triples away, saying which statement each comes from.
* ``/source/<policy>/<version>``: the policy's text (``Settings.sources_dir``), as a page with a
  quote marked and scrolled to (``?start=N&end=M#quote``, the offsets of its evidence), as
  ``text/plain`` (``format=text``), or its description as RDF.
* ``/timeline/<policy>``: its versions by date with the facts added, removed and changed against
  the one before; ``/diff/<policy>/<old>/<new>``: those facts with their quotes
  (:mod:`privacykg.versions_html`).
* ``/``: the query UI (served from the package, no CDN).

Limits: each query has a time limit (``timeout``) and a result-size limit (``max_results``);
hitting one answers 503 or 413 and says which limit. Queries run in worker processes (at most
``max_concurrent`` at once) and a worker whose query passes the time limit is killed and
replaced: the engine cannot interrupt a query it evaluates in one step (an aggregate or a sort
over a huge join), a process can be. With updates enabled the store is writable and queries run
in threads of the server instead; a timed-out query then finishes in the background, holding
its query slot until it does.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import hmac
import html
import json
import logging
import os
import queue
import re
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import namespaces as ns
from .errors import PrivacyKGError, StoreError, UsageError
from .queries import DEFAULT_QUERIES_DIR, load_library, substitutions
from .queries import run as run_library_query
from .sparqltext import keywords as _keywords
from .sparqltext import tokens as _tokens
from .store import current_target, open_store, store_path

STATIC_DIR = Path(__file__).parent / "static"

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
    "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPH_ALIASES = {
    "turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "n-triples": "application/n-triples",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json", "json": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml", "trig": "application/trig", "nquads": "application/n-quads",
    "nq": "application/n-quads", "n-quads": "application/n-quads",
}
PAGE_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
#: A source text's page also offers the text itself (``format=text``).
SOURCE_TYPES = ["text/html", "text/plain", *PAGE_TYPES[1:]]
TEXT_ALIASES = {"text": "text/plain", "txt": "text/plain", "plain": "text/plain"}
MAX_BODY = 1024 * 1024
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
QUERY_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$")

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
            raise QueryError(400, f"the update has its own {word} clause: it cannot be combined with the "
                                  "using-graph-uri / using-named-graph-uri parameters")
        if word == "WHERE":
            if prev is not None and prev[0] == "word" and prev[1].upper() == "DELETE":
                raise QueryError(400, "using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                                      "write DELETE { ... } WHERE { ... }")
            points.append(at)
        prev = (kind, tok)
    for at in reversed(points):
        text = text[:at] + clause + text[at:]
    return text


@dataclass
class Settings:
    store: str | None = None
    base: str | None = None
    timeout: float = 30.0
    max_results: int = 100_000
    max_concurrent: int = 4
    allow_update: bool = False
    update_token: str | None = None
    allow_service: bool = False  # let queries use SERVICE: the server then fetches URLs users name
    #: run queries in worker processes that are killed at the time limit (default: yes unless
    #: updates are enabled; in-process, a query the engine evaluates in one step runs on after its 503)
    isolate_queries: bool | None = None
    queries_dir: Path = DEFAULT_QUERIES_DIR
    public_url: str | None = None  # where this server is reached, for the service description
    #: a :class:`privacykg.remote.Remote`: serve a read-only front (UI, linked-data pages, query
    #: library, /sparql) over that SPARQL store instead of the embedded one
    remote: object | None = None
    #: the folder of the policies' source texts, for ``/source/...`` pages (default: data/sources
    #: of the working directory, as the build's ``--data``); a text is served only when its
    #: SHA-256 is the one the store recorded
    sources_dir: Path | None = None


class StoreHandle:
    """Opens the store (read-only unless writable) and follows the store link when a build swaps it."""

    def __init__(self, path: str | None, writable: bool = False):
        self.path = store_path(path)
        self.writable = writable
        self._lock = threading.Lock()
        self._target = None
        self._store = None

    def target(self) -> Path:
        """The directory of the store now (the link's target, or the plain store directory)."""
        self.get()
        return self._target

    def check(self) -> None:
        self.get()

    def get(self) -> ox.Store:
        target = current_target(self.path) or self.path
        with self._lock:
            if self._store is None or target != self._target:
                self._store = open_store(self.path, read_only=not self.writable)
                self._target = target
            return self._store


class RemoteHandle:
    """The same role as :class:`StoreHandle` for a remote SPARQL store: every read goes to the
    store over SPARQL 1.1 Protocol (:class:`privacykg.remote.RemoteDataset`)."""

    def __init__(self, remote):
        from .remote import RemoteDataset

        self.dataset = RemoteDataset(remote)
        self.url = remote.query_url

    def target(self) -> str:
        return self.url

    def get(self):
        return self.dataset

    def check(self) -> None:
        """Raise StoreError unless the store answers."""
        self.dataset.query("ASK { }")


class DaemonExecutor(Executor):
    """A thread pool whose threads never keep the process alive: a query the engine cannot
    interrupt must not stop the server from shutting down."""

    def __init__(self, max_workers: int, name: str):
        self._max = max(1, max_workers)
        self._name = name
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        self._queue.put((fut, fn, args, kwargs))
        with self._lock:
            if len(self._threads) < self._max:
                t = threading.Thread(target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True)
                self._threads.append(t)
                t.start()
        return fut

    def _work(self):
        while True:
            fut, fn, args, kwargs = self._queue.get()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the awaiting request
                fut.set_exception(exc)
            else:
                fut.set_result(result)


class QueryError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


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
    raise QueryError(406, f"format '{values[0]}' is not offered for {kind} results; use one of "
                          + ", ".join(sorted(set(aliases))) + " (or Accept: " + ", ".join(offered) + ")")


def create_app(settings: Settings | None = None, **kw) -> Starlette:
    """Build the ASGI app over a store.

    >>> app = create_app(store="build/store")
    >>> sorted(r.path for r in app.routes if hasattr(r, "path"))[:3]
    ['/', '/api/graph', '/api/queries']
    """
    settings = settings or Settings(**kw)
    if settings.remote is not None:
        if settings.allow_update:
            raise UsageError("a front over a remote store is read-only: send updates to the store's own "
                             "update endpoint (privacykg build/load --update-endpoint)")
        if settings.isolate_queries:
            raise UsageError("queries on a remote store run in the store: there is no worker process to isolate them")
        # the store's own time limit is its business; ours ends the request at ours
        handle = RemoteHandle(dataclasses.replace(settings.remote, timeout=settings.timeout, retries=0))
        isolate = False
    else:
        handle = StoreHandle(settings.store, writable=settings.allow_update)
        isolate = settings.isolate_queries if settings.isolate_queries is not None else not settings.allow_update
    if isolate and settings.allow_update:
        raise UsageError("queries cannot run in worker processes over a writable store")
    processes = QueryProcesses(settings.max_concurrent) if isolate else None
    queries_pool = DaemonExecutor(settings.max_concurrent, "sparql")
    pages_pool = DaemonExecutor(max(2, settings.max_concurrent // 2), "pages")
    slots = threading.BoundedSemaphore(settings.max_concurrent * 4)
    waiting = {"n": 0}
    max_waiting = settings.max_concurrent * 64  # a bounded queue: memory stays bounded under load

    async def wait_for_slot() -> bool:
        """Take a query slot, waiting (up to the time limit) behind the queries already running
        instead of refusing at once; refuse only when the queue is full or the wait too long."""
        if slots.acquire(blocking=False):
            return True
        if waiting["n"] >= max_waiting:
            return False
        waiting["n"] += 1
        try:
            end = time.monotonic() + settings.timeout
            while time.monotonic() < end:
                await asyncio.sleep(0.005)
                if slots.acquire(blocking=False):
                    return True
            return False
        finally:
            waiting["n"] -= 1
    write_lock = threading.Lock()
    state: dict = {}
    sources_dir = Path(settings.sources_dir) if settings.sources_dir else Path("data") / "sources"

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

    def endpoint_url(request: Request, path: str = "/sparql") -> str:
        if settings.public_url:
            return settings.public_url
        return str(request.url.replace(path=path, query="", fragment=""))

    # ------------------------------------------------------------------ running queries

    async def execute(job: dict) -> Response:
        """Answer a query job (see :func:`evaluate`) within the time limit."""
        if not await wait_for_slot():
            return _error(503, "too many queries at once; try again shortly", retry=True)
        loop = asyncio.get_running_loop()
        try:
            if processes is not None:
                target = str(handle.target())  # the store is there (else 503 below); workers open it
                fut = loop.run_in_executor(queries_pool, processes.run, target, job, settings.timeout)
                data, ctype = await fut  # the worker is killed at the time limit
            else:
                deadline = time.monotonic() + settings.timeout
                fut = loop.run_in_executor(queries_pool, lambda: evaluate(handle.get(), job, deadline))
                try:
                    data, ctype = await asyncio.wait_for(asyncio.shield(fut), timeout=settings.timeout)
                except asyncio.TimeoutError:
                    # in-process, the engine cannot be interrupted: the slot is freed when it finishes
                    fut.add_done_callback(lambda f: (slots.release(), f.exception() if not f.cancelled() else None))
                    return _error(503, timeout_message(settings.timeout))
        except QueryError as exc:
            slots.release()
            return _error(exc.status, exc.message, retry=exc.status == 503 and "time limit" not in exc.message)
        except StoreError as exc:
            slots.release()
            if settings.remote is not None:  # the store behind this front failed or is away
                return _error(502, f"the SPARQL store behind this server failed: {exc}")
            return _error(503, str(exc))
        except PrivacyKGError as exc:  # no store, store missing
            slots.release()
            return _error(503, str(exc))
        except Exception as exc:  # the engine failed: say so, keep serving
            slots.release()
            return _error(500, f"the query failed: {exc}")
        slots.release()
        return Response(data, headers={"Content-Type": ctype, "Vary": "Accept"})

    def new_job(text: str, kwargs: dict, formats: list[str], accept: str, library: bool = False) -> dict:
        return {"text": text, "kwargs": kwargs, "formats": formats, "accept": accept, "library": library,
                "max_results": settings.max_results, "timeout": settings.timeout}

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
        out = {name: params.getlist(name) for name in
               ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")}
        out["format"] = params.getlist("format") + params.getlist("output")
        if request.method == "GET":
            texts = params.getlist(param_name)
            if len(texts) > 1:
                raise QueryError(400, f"more than one '{param_name}' parameter")
            out["text"] = texts[0] if texts else None
            return out
        raw_ctype = request.headers.get("content-type", "")
        ctype = raw_ctype.split(";")[0].strip().lower()
        charset = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", raw_ctype, re.I)
        if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
            raise QueryError(415, f"charset {charset.group(1)} is not supported: send UTF-8")
        body = await read_body(request)
        expected = "application/sparql-query" if param_name == "query" else "application/sparql-update"
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise QueryError(400, "the form body is not UTF-8") from None
            texts = form.get(param_name, []) + params.getlist(param_name)
            if len(texts) > 1:
                raise QueryError(400, f"more than one '{param_name}' parameter")
            for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
                out[name] = form.get(name, []) + out[name]
            out["format"] = form.get("format", []) + form.get("output", []) + out["format"]
            out["text"] = texts[0] if texts else None
            return out
        if ctype == expected:
            if param_name in params:
                raise QueryError(400, f"the {param_name} is in the body: no '{param_name}' parameter as well")
            try:
                out["text"] = body.decode("utf-8")
            except UnicodeDecodeError:
                raise QueryError(400, f"the {param_name} body is not UTF-8") from None
            return out
        raise QueryError(415, f"unsupported Content-Type '{ctype or 'none'}': use {expected} or "
                              "application/x-www-form-urlencoded")

    def check_iris(values: list[str], name: str):
        for v in values:
            if not IRI_RE.match(v):
                raise QueryError(400, f"{name} '{v}' is not an absolute IRI")

    async def sparql(request: Request) -> Response:
        if request.method == "GET" and "query" not in request.query_params:
            if "update" in request.query_params:
                return _error(400, "updates go to /update by POST")
            return service_description(request)
        try:
            p = await read_protocol(request, "query")
            if p["text"] is None:
                if request.method == "GET":
                    return service_description(request)
                raise QueryError(400, "no 'query' in the request" +
                                 ("; updates go to /update" if "update" in request.query_params else ""))
            text = p["text"]
            dg, ng = p["default-graph-uri"], p["named-graph-uri"]
            check_iris(dg, "default-graph-uri")
            check_iris(ng, "named-graph-uri")
            if not settings.allow_service and uses_service(text):
                raise QueryError(400, "SERVICE is disabled on this endpoint: it does not fetch other endpoints "
                                      "(federate from your side: call this endpoint with SERVICE)")
        except QueryError as exc:
            return _error(exc.status, exc.message)
        kwargs: dict = {"base_iri": endpoint_url(request)}
        if dg or ng:  # the protocol's dataset replaces the query's (SPARQL 1.1 Protocol 2.1.4)
            kwargs["default_graph"] = [ox.NamedNode(g) for g in dg]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in ng]
        elif not has_dataset_clause(text):
            kwargs["use_default_graph_as_union"] = True

        return await execute(new_job(text, kwargs, p["format"], request.headers.get("accept", "")))

    async def api_run(request: Request) -> Response:
        """A library query by id, its parameters bound by the server (never pasted into its text)."""
        if request.method == "POST":
            try:
                body = json.loads(await read_body(request))
            except QueryError as exc:
                return _error(exc.status, exc.message)
            except (ValueError, UnicodeDecodeError):
                return _error(400, 'send JSON: {"id": "cq01", "params": {"name": "value"}}')
            if not isinstance(body, dict):
                return _error(400, 'send a JSON object: {"id": "cq01", "params": {"name": "value"}}')
            qid, given, fmt = body.get("id"), body.get("params") or {}, body.get("format")
        else:
            qp = request.query_params
            qid, fmt = qp.get("id"), qp.get("format")
            given = {k[len("param."):]: v for k, v in qp.items() if k.startswith("param.")}
        if not isinstance(qid, str) or not QUERY_ID_RE.match(qid):
            return _error(400, "give the id of a library query, e.g. cq01 (see /api/queries)")
        if not isinstance(given, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
            return _error(400, "params must be an object of parameter names to string values")
        if fmt is not None and not isinstance(fmt, str):
            return _error(400, "format must be a string")
        lib = load_library(settings.queries_dir)
        q = lib.get(qid) or next((x for x in lib.values() if x.path and x.path.stem == qid), None)
        if q is None:
            return _error(404, f"no query '{qid}' in the library (see /api/queries)")
        try:
            subs = substitutions(q, {k: v.strip() for k, v in given.items() if v.strip()})
        except UsageError as exc:
            return _error(400, str(exc))

        return await execute(new_job(q.text, {"substitutions": subs}, [fmt] if fmt else [],
                                     request.headers.get("accept", "") or "application/sparql-results+json",
                                     library=True))

    async def update(request: Request) -> Response:
        if not settings.allow_update:
            return _error(403, "this server is read-only: updates are disabled (start it with updates enabled "
                               "and a token to allow them)")
        auth = request.headers.get("authorization", "")
        if not settings.update_token or not hmac.compare_digest(auth.encode(), f"Bearer {settings.update_token}".encode()):
            return _error(401, "an update needs the server's token: Authorization: Bearer TOKEN",
                          headers={"WWW-Authenticate": "Bearer"})
        if request.method != "POST":
            return _error(405, "updates are sent by POST", headers={"Allow": "POST"})
        try:
            p = await read_protocol(request, "update")
            if not p["text"]:
                raise QueryError(400, "no 'update' in the request")
            check_iris(p["using-graph-uri"], "using-graph-uri")
            check_iris(p["using-named-graph-uri"], "using-named-graph-uri")
            text = apply_using(p["text"], p["using-graph-uri"], p["using-named-graph-uri"])
        except QueryError as exc:
            return _error(exc.status, exc.message)
        base_iri = endpoint_url(request, "/update")

        def do_update():
            with write_lock:
                handle.get().update(text, base_iri=base_iri)

        try:
            await asyncio.get_running_loop().run_in_executor(pages_pool, do_update)
        except SyntaxError as exc:
            return _error(400, f"SPARQL syntax error: {exc}")
        except Exception as exc:
            return _error(500, f"the update failed: {exc}")
        return Response(status_code=204)

    # ------------------------------------------------------------------ descriptions

    def service_description(request: Request) -> Response:
        endpoint = endpoint_url(request)
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
        return _rdf_response(request, ttl, "SPARQL service description")

    def graph_sizes(store: ox.Store) -> list[tuple[ox.NamedNode, int]]:
        """Each named graph and its number of triples; cached per built store (a read-only store
        changes only by a build swapping in a new one)."""
        key = str(handle.target())
        cached = state.get("graph_sizes")
        if settings.remote is not None:  # another store: it may change at any time, cache briefly
            if cached and cached[0] == key and time.monotonic() - cached[2] < 30:
                return cached[1]
            sizes = store.graph_sizes()
            state["graph_sizes"] = (key, sizes, time.monotonic())
            return sizes
        if cached and cached[0] == key and not settings.allow_update:
            return cached[1]
        sizes = [(g, sum(1 for _ in store.quads_for_pattern(None, None, None, g)))
                 for g in sorted(store.named_graphs(), key=lambda x: x.value) if isinstance(g, ox.NamedNode)]
        state["graph_sizes"] = (key, sizes, time.monotonic())
        return sizes

    async def void(request: Request) -> Response:
        def build_void():
            store = handle.get()
            b = base()
            lines = [f"@prefix void: <{ns.VOID}> .", f"@prefix dct: <{ns.DCT}> .",
                     "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
                     f"<{b}dataset> a void:Dataset ;",
                     '    dct:title "privacykg" ;',
                     '    dct:license <https://www.apache.org/licenses/LICENSE-2.0> ;',
                     f"    void:sparqlEndpoint <{endpoint_url(request)}> ;",
                     f"    void:uriSpace \"{b}\" ;"]
            for v in (ns.DPV, ns.PD, ns.TECH, ns.LOC, ns.EU_GDPR, ns.LEGAL_EU, ns.PKG, ns.OA):
                lines.append(f"    void:vocabulary <{v}> ;")
            total = 0
            meta = ox.NamedNode(ns.IRIs(b).metadata_graph)
            for g, n in graph_sizes(store):
                total += n
                licence = "".join(f" <{p}> {q.object} ;" for p in (ns.DCT + "license", ns.DCT + "source",
                                                                               ns.PKG + "attribution")
                                  for q in store.quads_for_pattern(g, ox.NamedNode(p), None, meta))
                lines.append(f"    void:subset [ a void:Dataset ; sd:name <{g.value}> ; dct:identifier <{g.value}> ;"
                             f"{licence} void:triples {n} ] ;")
            lines.append(f"    void:triples {total} .")
            return "\n".join(lines) + "\n"

        ttl = await asyncio.get_running_loop().run_in_executor(pages_pool, build_void)
        return _rdf_response(request, ttl, "VoID description of the dataset")

    def _rdf_response(request: Request, ttl: str, title: str) -> Response:
        accept = request.headers.get("accept", "")
        offered = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
        fmt = request.query_params.get("format")
        mt = (GRAPH_ALIASES.get(fmt.lower()) if fmt else None) or _negotiate(accept, offered)
        if mt is None:
            return _error(406, "offered: " + ", ".join(offered))
        if mt == "text/html":
            from .pages_html import page

            return HTMLResponse(page(title, f"<h1>{html.escape(title)}</h1><p>Also as <a href='?format=turtle'>Turtle</a>, "
                                            f"<a href='?format=jsonld'>JSON-LD</a>.</p><pre>{html.escape(ttl)}</pre>"))
        if mt == "text/turtle":
            return Response(ttl, headers={"Content-Type": "text/turtle; charset=utf-8"})
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]
        return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt)

    async def api_queries(request: Request) -> Response:
        lib = load_library(settings.queries_dir)
        return JSONResponse([{"id": q.id, "question": q.question, "kind": q.kind, "query": q.text,
                              "columns": q.columns,
                              "params": [{"name": p.name, "type": p.type, "default": p.default,
                                          "description": p.description, "required": p.required} for p in q.params]}
                             for q in lib.values() if q.kind in ("cq", "reports")])

    async def api_graph(request: Request) -> Response:
        from .graph_json import policy_graph_json

        iri = request.query_params.get("policy")
        if not iri:
            return _error(400, "give ?policy=IRI of a privacy notice")
        if not IRI_RE.match(iri):
            return _error(400, f"not an IRI: {iri}")
        data = await asyncio.get_running_loop().run_in_executor(pages_pool, policy_graph_json, handle.get(), iri, base())
        if data is None:
            return _error(404, f"no privacy notice {iri}")
        return JSONResponse(data)

    async def resource(request: Request) -> Response:
        iri = request.query_params.get("iri")
        if not iri:
            return _error(400, "give ?iri=... of the resource to describe")
        return await describe(request, iri)

    async def minted(request: Request) -> Response:
        return await describe(request, base() + request.url.path.lstrip("/"))

    async def vocabulary(request: Request) -> Response:
        from .describe import vocabulary_triples
        from .pages_html import vocabulary_html

        mt = negotiate_page(request)
        if isinstance(mt, Response):
            return mt
        loop = asyncio.get_running_loop()
        if mt == "text/html":
            return HTMLResponse(await loop.run_in_executor(pages_pool, vocabulary_html, handle.get(), ns.PKG, base()))
        triples = await loop.run_in_executor(pages_pool, vocabulary_triples, handle.get(), ns.PKG)
        return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt)

    def negotiate_page(request: Request, offered: list[str] = PAGE_TYPES):
        fmt = request.query_params.get("format")
        if fmt:
            f = fmt.lower()
            mt = "text/html" if f == "html" else TEXT_ALIASES.get(f) or GRAPH_ALIASES.get(f, f)
        else:
            mt = _negotiate(request.headers.get("accept", ""), offered)
        if mt is None or mt not in offered:
            return _error(406, "offered: " + ", ".join(offered))
        return mt

    async def source(request: Request) -> Response:
        """A source text: its page with a quote marked (``?start=N&end=M``, scrolled to by
        ``#quote``), the text itself (``text/plain``), or its description as RDF."""
        from .pages_html import source_html
        from .source_view import source_text

        mt = negotiate_page(request, SOURCE_TYPES)
        if isinstance(mt, Response):
            return mt
        iri = base() + request.url.path.lstrip("/")
        if mt not in ("text/html", "text/plain"):
            return await describe(request, iri)
        try:
            span = _span(request)
        except QueryError as exc:
            return _error(exc.status, exc.message)
        src = await asyncio.get_running_loop().run_in_executor(pages_pool, source_text, handle.get(), iri, sources_dir)
        if src is None:
            if mt == "text/plain":
                return _error(404, f"the text of {iri} is not available here")
            return await describe(request, iri)
        if span is not None and span[1] > len(src.text):
            return _error(400, f"end={span[1]} is past the end of the text ({len(src.text)} characters)")
        if mt == "text/plain":
            return PlainTextResponse(src.text, headers={"Vary": "Accept"})
        return HTMLResponse(source_html(src, base(), span), headers={"Vary": "Accept"})

    async def describe(request: Request, iri: str) -> Response:
        from .describe import describe_triples
        from .resource_html import describe_html

        if not IRI_RE.match(iri):
            return _error(400, f"not an IRI: {iri}")
        mt = negotiate_page(request)
        if isinstance(mt, Response):
            return mt
        loop = asyncio.get_running_loop()
        if mt == "text/html":
            page = await loop.run_in_executor(pages_pool, describe_html, handle.get(), iri, base())
            if page is None:
                return HTMLResponse(_page("Not found", f"<p>Nothing is known about <code>{html.escape(iri)}</code>.</p>"),
                                    status_code=404)
            return HTMLResponse(page, headers={"Vary": "Accept"})
        triples = await loop.run_in_executor(pages_pool, describe_triples, handle.get(), iri)
        if not triples:
            return _error(404, f"nothing is known about {iri}")
        return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt,
                        headers={"Vary": "Accept"})

    async def index(request: Request) -> Response:
        return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))

    async def history(request: Request) -> Response:
        """A policy's timeline (``/timeline/<policy>``) or a diff (``/diff/<policy>/<old>/<new>``)."""
        from . import versions_html

        p = request.path_params
        if "old" in p:
            make, args = versions_html.diff_html, (p["policy"], p["old"], p["new"])
        else:
            make, args = versions_html.timeline_html, (p["policy"],)
        try:
            body = await asyncio.get_running_loop().run_in_executor(pages_pool, make, handle.get(), *args, base())
        except UsageError as exc:
            return HTMLResponse(_page("Not found", f"<p>{html.escape(str(exc))}</p>"), status_code=404)
        return HTMLResponse(body)

    async def health(request: Request) -> Response:
        try:
            await asyncio.get_running_loop().run_in_executor(pages_pool, handle.check)
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
        Route("/api/run", api_run, methods=["GET", "POST"]),
        Route("/api/graph", api_graph),
        Route("/resource", resource),
        Route("/ns", vocabulary),
        Route("/policy/{rest:path}", minted),
        Route("/entity/{rest:path}", minted),
        Route("/source/{rest:path}", source),
        Route("/graph/{rest:path}", minted),
        Route("/dataset", minted),
        Route("/timeline/{policy}", history),
        Route("/diff/{policy}/{old}/{new}", history),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    # CORS for reads: any origin may query; the update token header is not allowed cross-origin.
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["Accept", "Content-Type"], max_age=3600)]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if processes is not None:
            try:
                processes.warm(str(handle.target()), min(2, settings.max_concurrent))
            except PrivacyKGError:
                pass  # no store yet: /health says so; workers start with the first query
        yield
        if processes is not None:
            processes.close()

    async def store_failed(request: Request, exc: StoreError) -> Response:
        # a page's reads failed: the remote store is away or refused (an embedded store raises
        # this only when it is missing)
        return _error(502 if settings.remote is not None else 503, f"the store failed: {exc}")

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={StoreError: store_failed})
    app.state.settings = settings
    return app


def timeout_message(timeout: float) -> str:
    return f"the query ran longer than the server's time limit of {timeout:g} s (timeout); narrow it or add LIMIT"


def evaluate(store: ox.Store, job: dict, deadline: float) -> tuple[bytes, str]:
    """Run a query job and serialise its result in the negotiated format: ``(body, content type)``.

    A job is a dict: ``text``, ``kwargs`` for ``Store.query``, ``formats`` (the ``format=`` values),
    ``accept``, ``library`` (a library query, run with :func:`privacykg.queries.run`),
    ``max_results`` and ``timeout``. Raises :class:`QueryError` with the HTTP status.
    """
    try:
        if job.get("library"):
            result = run_library_query(store, job["text"], job["kwargs"].get("substitutions"), scoped=True)
        else:
            result = store.query(job["text"], **job["kwargs"])
    except SyntaxError as exc:
        raise QueryError(400, f"SPARQL syntax error: {exc}") from None
    except UsageError as exc:
        raise QueryError(400, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise QueryError(400, f"bad query: {exc}") from None
    formats, accept = job.get("formats") or [], job.get("accept", "")

    def limited(it):
        limit = job["max_results"]
        for i, x in enumerate(it):
            if i >= limit:
                raise QueryError(413, f"the result has more than {limit} rows, the server's limit "
                                      f"(max_results = {limit}); add LIMIT or narrow the query")
            if i % 256 == 0 and time.monotonic() > deadline:
                raise QueryError(503, timeout_message(job["timeout"]))
            yield x

    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        mt = _format_choice(formats, RESULT_ALIASES, RESULT_FORMATS, "SELECT/ASK")
        mt = mt or _negotiate(accept, list(RESULT_FORMATS))
        if mt is None:
            raise QueryError(406, "cannot answer in any of the accepted media types; SELECT/ASK results "
                                  "are offered as " + ", ".join(RESULT_FORMATS))
        if isinstance(result, ox.QuerySolutions):
            variables = list(result.variables)
            rows = list(limited(result))
            data = _serialize_solutions(variables, rows, RESULT_FORMATS[mt])
        else:
            data = result.serialize(format=RESULT_FORMATS[mt])
        ctype = "application/sparql-results+json" if mt == "application/json" else mt
    else:
        mt = _format_choice(formats, GRAPH_ALIASES, GRAPH_FORMATS, "CONSTRUCT/DESCRIBE")
        mt = mt or _negotiate(accept, list(GRAPH_FORMATS))
        if mt is None:
            raise QueryError(406, "cannot answer in any of the accepted media types; CONSTRUCT/DESCRIBE "
                                  "results are offered as " + ", ".join(GRAPH_FORMATS))
        data = _serialize_graph(list(limited(result)), GRAPH_FORMATS[mt])
        ctype = mt
    if ctype.startswith("text/") or ctype.endswith(("json", "xml")):
        ctype += "; charset=utf-8"
    return data, ctype


def _worker_main(conn, parent_pid: int, target: str | None) -> None:
    """A query worker process: open the store read-only, answer jobs until the pipe closes."""
    def watch_parent():  # a worker busy in the engine must not outlive its server
        while True:
            time.sleep(1)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    opened: tuple = (None, None)
    if target:
        try:
            opened = (target, ox.Store.read_only(target))
        except OSError:
            pass
    try:
        conn.send(("ready",))
    except OSError:
        return
    while True:
        try:
            target, job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened[0] != target:
                opened = (None, None)
                opened = (target, ox.Store.read_only(target))
            reply = ("ok", *evaluate(opened[1], job, time.monotonic() + job["timeout"]))
        except QueryError as exc:
            reply = ("err", exc.status, exc.message)
        except Exception as exc:  # the engine failed: the server says so
            reply = ("err", 500, f"the query failed: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class QueryProcesses:
    """Read-only queries in worker processes, each killed when its query passes the time limit
    (and replaced), so that a runaway query stops using the machine when its client gets the 503."""

    BOOT_LIMIT = 60.0

    def __init__(self, size: int):
        self._size = max(1, size)
        self._idle: list = []
        self._lock = threading.Lock()
        self._closed = False
        self._ctx = None

    def _spawn(self, target: str | None):
        import multiprocessing

        if self._ctx is None:
            self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded server
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, os.getpid(), target), daemon=True,
                                 name="privacykg-query")
        proc.start()
        child.close()
        # boot (imports, opening the store) does not count against any query's time limit
        try:
            ok = parent.poll(self.BOOT_LIMIT) and parent.recv() == ("ready",)
        except (EOFError, OSError):
            ok = False
        if not ok:
            self._kill((proc, parent))
            raise QueryError(503, "the query worker did not start; try again shortly")
        return proc, parent

    def warm(self, target: str, n: int) -> None:
        """Start n workers in the background, so that the first queries do not wait for them."""
        def start():
            for _ in range(n):
                try:
                    w = self._spawn(target)
                except Exception:
                    return
                with self._lock:
                    if self._closed or len(self._idle) >= self._size:
                        self._kill(w)
                        return
                    self._idle.append(w)

        threading.Thread(target=start, name="query-workers-warm", daemon=True).start()

    def run(self, target: str, job: dict, timeout: float) -> tuple[bytes, str]:
        with self._lock:
            w = self._idle.pop() if self._idle else None
        if w is None or not w[0].is_alive():
            if w is not None:
                self._kill(w)
            w = self._spawn(target)
        proc, conn = w
        try:
            conn.send((target, job))
            ready = conn.poll(timeout)
            reply = conn.recv() if ready else None
        except (EOFError, OSError):
            self._kill(w)
            raise QueryError(500, "the query worker stopped unexpectedly (out of memory?); try again") from None
        if reply is None:
            self._kill(w)
            raise QueryError(503, timeout_message(job["timeout"]))
        with self._lock:
            keep = not self._closed and len(self._idle) < self._size
            if keep:
                self._idle.append(w)
        if not keep:
            self._kill(w)
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise QueryError(reply[1], reply[2])

    @staticmethod
    def _kill(w) -> None:
        proc, conn = w
        try:
            proc.kill()
            proc.join(2)
        except Exception:
            pass
        conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            self._kill(w)


def _serialize_graph(triples: list, fmt) -> bytes:
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=fmt, prefixes=dict(ns.PREFIXES))
    return ox.serialize(triples, format=fmt)


def _serialize_solutions(variables, rows, fmt) -> bytes:
    """Serialise materialised SELECT rows (pyoxigraph serialises only live results)."""
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        def term(t):
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            if isinstance(t, ox.Triple):
                return {"type": "triple", "value": {"subject": term(t.subject), "predicate": term(t.predicate),
                                                    "object": term(t.object)}}
            d = {"type": "literal", "value": t.value}
            if t.language:
                d["xml:lang"] = t.language
            elif t.datatype and t.datatype.value != ns.XSD + "string":
                d["datatype"] = t.datatype.value
            return d
        out = {"head": {"vars": names}, "results": {"bindings": [
            {n: term(r[n]) for n in names if r[n] is not None} for r in rows]}}
        return json.dumps(out, ensure_ascii=False).encode("utf-8")
    if fmt == ox.QueryResultsFormat.CSV:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        for r in rows:
            w.writerow(["" if r[n] is None else ("_:" + r[n].value if isinstance(r[n], ox.BlankNode) else
                                                 str(r[n]) if isinstance(r[n], ox.Triple) else r[n].value)
                        for n in names])
        return buf.getvalue().encode("utf-8")
    if fmt == ox.QueryResultsFormat.TSV:
        lines = ["\t".join("?" + n for n in names)]
        for r in rows:
            lines.append("\t".join("" if r[n] is None else str(r[n]) for n in names))
        return ("\n".join(lines) + "\n").encode("utf-8")
    # XML
    esc = html.escape

    def xml_term(t):
        if isinstance(t, ox.NamedNode):
            return f"<uri>{esc(t.value)}</uri>"
        if isinstance(t, ox.BlankNode):
            return f"<bnode>{esc(t.value)}</bnode>"
        if isinstance(t, ox.Triple):
            return (f"<triple><subject>{xml_term(t.subject)}</subject><predicate>{xml_term(t.predicate)}</predicate>"
                    f"<object>{xml_term(t.object)}</object></triple>")
        if t.language:
            return f'<literal xml:lang="{esc(t.language)}">{esc(t.value)}</literal>'
        if t.datatype and t.datatype.value != ns.XSD + "string":
            return f'<literal datatype="{esc(t.datatype.value)}">{esc(t.value)}</literal>'
        return f"<literal>{esc(t.value)}</literal>"

    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    parts += [f'<variable name="{esc(n)}"/>' for n in names]
    parts.append("</head>\n<results>")
    for r in rows:
        parts.append("<result>")
        for n in names:
            if r[n] is not None:
                parts.append(f'<binding name="{esc(n)}">{xml_term(r[n])}</binding>')
        parts.append("</result>")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts).encode("utf-8")


def _error(status: int, message: str, retry: bool = False, headers: dict | None = None) -> Response:
    h = dict(headers or {})
    if retry:
        h["Retry-After"] = "1"
    return PlainTextResponse(message + "\n", status_code=status, headers=h)


def _page(title: str, body: str) -> str:
    from .pages_html import page

    return page(title, f"<h1>{html.escape(title)}</h1>{body}")


def _span(request: Request) -> tuple[int, int] | None:
    """The ``start`` / ``end`` character offsets of a quote in a source text's page, or None."""
    start, end = request.query_params.get("start"), request.query_params.get("end")
    if start is None and end is None:
        return None
    if start is None or end is None or not start.isdigit() or not end.isdigit() or int(start) > int(end):
        raise QueryError(400, "give both start=N and end=M, character offsets with N <= M")
    return int(start), int(end)


def _env_float(name: str) -> float | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"${name} must be a number of seconds, not '{raw}'") from None
    if value <= 0:
        raise UsageError(f"${name} must be positive, not '{raw}'")
    return value


def listen(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A socket listening on ``host``:``port`` (port 0: a free one), or a UsageError saying
    what to do when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use: stop the other server or choose another with "
                             f"--port N (make run PORT=N)") from None
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def serve(store=None, host="127.0.0.1", port=8000, *, sock: socket.socket | None = None, access_log: bool = False,
          ready: Callable[[str], None] | None = None, **kw) -> None:
    """Run the server until interrupted (uvicorn), over the embedded ``store`` or, given
    ``remote=`` (a :class:`privacykg.remote.Remote`), as a read-only front over that SPARQL store.

    It listens on ``sock`` if given, else on ``host``:``port`` (:func:`listen`); ``ready`` is
    called with the server's URL once the socket listens; ``access_log`` logs each request
    (uvicorn's access log, on standard output).

    Read from the environment here, when the server starts (never at import):

    * ``PRIVACYKG_UPDATE_TOKEN``: enables ``/update`` for requests carrying
      ``Authorization: Bearer <token>`` (the store is then opened writable);
    * ``PRIVACYKG_SERVE_LIFETIME``: seconds after which the server stops by itself (tests use it
      as a safety net);
    * ``PRIVACYKG_LOG_LEVEL``: uvicorn's log level (default warning).
    """
    import uvicorn

    kw = {k: v for k, v in kw.items() if v is not None}  # not given: the defaults of Settings
    remote = kw.get("remote")
    token = os.environ.get("PRIVACYKG_UPDATE_TOKEN", "").strip()
    if token and "update_token" not in kw and remote is None:
        kw["update_token"] = token
        kw.setdefault("allow_update", True)
    lifetime = _env_float("PRIVACYKG_SERVE_LIFETIME")
    if kw.get("timeout", 1) <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if kw.get("max_results", 1) < 1:
        raise UsageError("--max-results must be at least 1")
    if remote is not None:  # fail early, with the CLI's message, when the store does not answer
        if kw.get("allow_update"):
            raise UsageError("a front over a remote store is read-only: send updates to the store's own "
                             "update endpoint")
        RemoteHandle(remote).check()
    else:
        open_store(store)  # fail early, with the CLI's message, when there is no store
    sock = sock or listen(host, port)  # before the app starts its query workers
    app = create_app(Settings(store=store, **kw))
    config = uvicorn.Config(app, host=host, port=sock.getsockname()[1], access_log=access_log,
                            log_level=os.environ.get("PRIVACYKG_LOG_LEVEL", "warning"), timeout_graceful_shutdown=5)
    if access_log:
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    server = uvicorn.Server(config)
    if lifetime:
        def stop():
            server.should_exit = True

        def force():  # the graceful stop did not finish: leave anyway
            os._exit(0)

        for delay, fn in ((lifetime, stop), (lifetime + 15, force)):
            t = threading.Timer(delay, fn)
            t.daemon = True
            t.start()
    if ready is not None:
        addr, bound_port = sock.getsockname()[:2]
        ready(f"http://{f'[{addr}]' if ':' in addr else addr}:{bound_port}")
    with sock:
        server.run(sockets=[sock])
