"""The query UI's API: ``/api/queries`` (the query library), ``/api/run`` (a library query with
its parameters bound by the server, never pasted into its text), ``/api/graph`` (a policy's
nodes and links) and ``/api/prefixes`` (the prefixes and base the results table shows IRIs with)."""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import namespaces as ns
from ..errors import UsageError
from ..graph_json import policy_graph_json
from ..organisations_html import organisations_json
from ..pages_html import MINTED_ROOTS
from ..queries import load_library, substitutions
from ..vocabulary_terms import vocabulary_terms
from .context import ctx_of
from .errors import QueryError, error
from .execution import execute
from .pages import organisations_params
from .protocol import IRI_RE, read_body

QUERY_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$")


async def api_queries(request: Request) -> Response:
    lib = load_library(ctx_of(request).settings.queries_dir)
    return JSONResponse(
        [
            {
                "id": q.id,
                "question": q.question,
                "kind": q.kind,
                "query": q.text,
                "columns": q.columns,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "default": p.default,
                        "description": p.description,
                        "required": p.required,
                    }
                    for p in q.params
                ],
            }
            for q in lib.values()
            if q.kind == "cq"
        ]
    )


async def api_run(request: Request) -> Response:
    """A library query by id, its parameters bound by the server (never pasted into its text)."""
    ctx = ctx_of(request)
    asked = await _run_request(request)
    if isinstance(asked, Response):
        return asked
    qid, given, fmt = asked
    lib = load_library(ctx.settings.queries_dir)
    q = lib.get(qid) or next((x for x in lib.values() if x.path and x.path.stem == qid), None)
    if q is None:
        return error(404, f"no query '{qid}' in the library (see /api/queries)")
    try:
        subs = substitutions(q, {k: v.strip() for k, v in given.items() if v.strip()})
    except UsageError as exc:
        return error(400, str(exc))
    return await execute(
        ctx,
        ctx.new_job(
            q.text,
            {"substitutions": subs},
            [fmt] if fmt else [],
            request.headers.get("accept", "") or "application/sparql-results+json",
            library=True,
        ),
    )


async def _run_request(request: Request) -> tuple[str, dict, str | None] | Response:
    """The query id, parameters and format of an ``/api/run`` request (JSON by POST, or GET's
    ``id``, ``param.NAME`` and ``format``), or the 400 response saying what is wrong."""
    if request.method == "POST":
        try:
            body = json.loads(await read_body(request))
        except QueryError as exc:
            return error(exc.status, exc.message)
        except (ValueError, UnicodeDecodeError):
            return error(400, 'send JSON: {"id": "cq01", "params": {"name": "value"}}')
        if not isinstance(body, dict):
            return error(400, 'send a JSON object: {"id": "cq01", "params": {"name": "value"}}')
        qid, given, fmt = body.get("id"), body.get("params") or {}, body.get("format")
    else:
        qp = request.query_params
        qid, fmt = qp.get("id"), qp.get("format")
        given = {k[len("param.") :]: v for k, v in qp.items() if k.startswith("param.")}
    if not isinstance(qid, str) or not QUERY_ID_RE.match(qid):
        return error(400, "give the id of a library query, e.g. cq01 (see /api/queries)")
    if not isinstance(given, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
        return error(400, "params must be an object of parameter names to string values")
    if fmt is not None and not isinstance(fmt, str):
        return error(400, "format must be a string")
    return qid, given, fmt


async def api_graph(request: Request) -> Response:
    ctx = ctx_of(request)
    iri = request.query_params.get("policy")
    if not iri:
        return error(400, "give ?policy=IRI of a privacy notice")
    if not IRI_RE.match(iri):
        return error(400, f"not an IRI: {iri}")
    data = await ctx.in_pages(policy_graph_json, ctx.handle.get(), iri, ctx.base())
    if data is None:
        return error(404, f"no privacy notice {iri}")
    return JSONResponse(data)


async def api_prefixes(request: Request) -> Response:
    """The prefixes of :mod:`privacykg.namespaces`, the base of the minted IRIs and the first path
    segments of those the server has pages for: what the browser needs to write an IRI as a
    prefixed name and link it to its page (the same rule as :func:`privacykg.pages_html.href`)."""
    return JSONResponse(
        {
            "prefixes": ns.PREFIXES,
            "base": ctx_of(request).base(),
            "vocabulary": ns.PKG,
            "minted_roots": list(MINTED_ROOTS),
        }
    )


async def api_terms(request: Request) -> Response:
    """The vocabulary's declared terms as prefixed names with their labels: what the query
    editor completes after ``dpv:``, ``pd:`` and the other prefixes."""
    return JSONResponse({"terms": await run_in_threadpool(vocabulary_terms)})  # read once, off the loop


async def api_organisations(request: Request) -> Response:
    """The organisations page's rows as JSON; ``?q=`` filters by name, ``?offset=`` pages."""
    ctx = ctx_of(request)
    asked = organisations_params(request)
    if isinstance(asked, Response):
        return asked
    return JSONResponse(await ctx.in_pages(organisations_json, ctx.handle.get(), ctx.base(), *asked))
