"""The linked-data routes: a description of every IRI minted under the base (RDF or HTML by
content negotiation), our vocabulary (``/ns``), the policies' source texts (``/source/...``),
their timelines and diffs, and the query UI's page and ``/health``."""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from .. import namespaces as ns
from .. import versions_html
from ..describe import describe_triples, vocabulary_triples
from ..errors import UsageError
from ..organisations_html import organisations_html
from ..pages_html import page, source_html, vocabulary_html
from ..resource_html import describe_html
from ..source_view import source_text
from .context import ctx_of
from .errors import QueryError, error
from .media import GRAPH_FORMATS, SOURCE_TYPES, _serialize_graph, negotiate_page
from .protocol import IRI_RE

STATIC_DIR = Path(__file__).parent.parent / "static"


def _page(title: str, body: str) -> str:
    return page(title, f"<h1>{html.escape(title)}</h1>{body}")


def _span(request: Request) -> tuple[int, int] | None:
    """The ``start`` / ``end`` character offsets of a quote in a source text's page, or None."""
    start, end = request.query_params.get("start"), request.query_params.get("end")
    if start is None and end is None:
        return None
    if start is None or end is None or not start.isdigit() or not end.isdigit() or int(start) > int(end):
        raise QueryError(400, "give both start=N and end=M, character offsets with N <= M")
    return int(start), int(end)


async def resource(request: Request) -> Response:
    iri = request.query_params.get("iri")
    if not iri:
        return error(400, "give ?iri=... of the resource to describe")
    return await describe(request, iri)


async def minted(request: Request) -> Response:
    return await describe(request, ctx_of(request).base() + request.url.path.lstrip("/"))


async def describe(request: Request, iri: str) -> Response:
    """What the store knows about ``iri``: a page, or its triples as RDF."""
    ctx = ctx_of(request)
    if not IRI_RE.match(iri):
        return error(400, f"not an IRI: {iri}")
    mt = negotiate_page(request)
    if isinstance(mt, Response):
        return mt
    if mt == "text/html":
        body = await ctx.in_pages(describe_html, ctx.handle.get(), iri, ctx.base())
        if body is None:
            return HTMLResponse(
                _page("Not found", f"<p>Nothing is known about <code>{html.escape(iri)}</code>.</p>"), status_code=404
            )
        return HTMLResponse(body, headers={"Vary": "Accept"})
    triples = await ctx.in_pages(describe_triples, ctx.handle.get(), iri)
    if not triples:
        return error(404, f"nothing is known about {iri}")
    return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt, headers={"Vary": "Accept"})


async def vocabulary(request: Request) -> Response:
    ctx = ctx_of(request)
    mt = negotiate_page(request)
    if isinstance(mt, Response):
        return mt
    if mt == "text/html":
        return HTMLResponse(await ctx.in_pages(vocabulary_html, ctx.handle.get(), ns.PKG, ctx.base()))
    triples = await ctx.in_pages(vocabulary_triples, ctx.handle.get(), ns.PKG)
    return Response(_serialize_graph(triples, GRAPH_FORMATS[mt]), media_type=mt)


async def source(request: Request) -> Response:
    """A source text: its page with a quote marked (``?start=N&end=M``, scrolled to by
    ``#quote``), the text itself (``text/plain``), or its description as RDF."""
    ctx = ctx_of(request)
    mt = negotiate_page(request, SOURCE_TYPES)
    if isinstance(mt, Response):
        return mt
    iri = ctx.base() + request.url.path.lstrip("/")
    if mt not in ("text/html", "text/plain"):
        return await describe(request, iri)
    try:
        span = _span(request)
    except QueryError as exc:
        return error(exc.status, exc.message)
    src = await ctx.in_pages(source_text, ctx.handle.get(), iri, ctx.sources_dir)
    if src is None:
        if mt == "text/plain":
            return error(404, f"the text of {iri} is not available here")
        return await describe(request, iri)
    if span is not None and span[1] > len(src.text):
        return error(400, f"end={span[1]} is past the end of the text ({len(src.text)} characters)")
    if mt == "text/plain":
        return PlainTextResponse(src.text, headers={"Vary": "Accept"})
    return HTMLResponse(source_html(src, ctx.base(), span), headers={"Vary": "Accept"})


async def history(request: Request) -> Response:
    """A policy's timeline (``/timeline/<policy>``) or a diff (``/diff/<policy>/<old>/<new>``)."""
    ctx = ctx_of(request)
    p = request.path_params
    if "old" in p:
        make, args = versions_html.diff_html, (p["policy"], p["old"], p["new"])
    else:
        make, args = versions_html.timeline_html, (p["policy"],)
    try:
        body = await ctx.in_pages(make, ctx.handle.get(), *args, ctx.base())
    except UsageError as exc:
        return HTMLResponse(_page("Not found", f"<p>{html.escape(str(exc))}</p>"), status_code=404)
    return HTMLResponse(body)


async def organisations(request: Request) -> Response:
    """Every organisation, the policies naming it and their roles; ``?q=`` filters by name,
    ``?offset=`` pages."""
    ctx = ctx_of(request)
    asked = organisations_params(request)
    if isinstance(asked, Response):
        return asked
    return HTMLResponse(await ctx.in_pages(organisations_html, ctx.handle.get(), ctx.base(), *asked))


def organisations_params(request: Request) -> tuple[str, int] | Response:
    """The organisations pages' ``q`` (a name filter, never put in a query's text) and
    ``offset`` (the first one shown), or a 400 saying what offset must be."""
    q, offset = request.query_params.get("q", ""), request.query_params.get("offset", "0")
    if not (offset.isascii() and offset.isdigit() and len(offset) < 10):
        return error(400, "offset must be a whole number (the first organisation shown, from 0)")
    return q, int(offset)


async def favicon(request: Request) -> Response:
    """The icon browsers ask for at ``/favicon.ico``: the SVG the pages link to."""
    return FileResponse(
        STATIC_DIR / "favicon.svg", media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


async def index(request: Request) -> Response:
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


async def health(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        await ctx.in_pages(ctx.handle.check)
    except Exception as exc:
        return error(503, str(exc))
    return PlainTextResponse("ok\n")
