"""The SPARQL 1.1 Protocol's routes: ``/sparql`` (queries; without one, the service
description) and ``/update`` (updates, refused unless enabled and authorised)."""

from __future__ import annotations

import hmac

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .context import ctx_of
from .descriptions import service_description
from .errors import QueryError, error
from .execution import execute
from .messages import syntax_message
from .protocol import (
    apply_using,
    check_iris,
    has_dataset_clause,
    read_protocol,
    uses_service,
)

SEND_UPDATES = (
    "this is the query endpoint: send updates to /update by POST (form parameter 'update', "
    "or a body of Content-Type application/sparql-update)"
)


async def sparql(request: Request) -> Response:
    ctx = ctx_of(request)
    if request.method == "GET" and "query" not in request.query_params:
        if "update" in request.query_params:
            return error(400, SEND_UPDATES)
        return service_description(request)
    try:
        p = await read_protocol(request, "query")
        if p["text"] is None:
            if request.method == "GET":
                return service_description(request)
            raise QueryError(400, SEND_UPDATES if p["has_update"] else "no 'query' in the request")
        text = p["text"]
        dg, ng = p["default-graph-uri"], p["named-graph-uri"]
        check_iris(dg, "default-graph-uri")
        check_iris(ng, "named-graph-uri")
        if not ctx.settings.allow_service and uses_service(text):
            raise QueryError(
                400,
                "SERVICE is disabled on this endpoint: it does not fetch other endpoints "
                "(federate from your side: call this endpoint with SERVICE)",
            )
    except QueryError as exc:
        return error(exc.status, exc.message)
    kwargs: dict = {"base_iri": ctx.endpoint_url(request)}
    if dg or ng:  # the protocol's dataset replaces the query's (SPARQL 1.1 Protocol 2.1.4)
        kwargs["default_graph"] = [ox.NamedNode(g) for g in dg]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in ng]
    elif not has_dataset_clause(text):
        kwargs["use_default_graph_as_union"] = True
    return await execute(ctx, ctx.new_job(text, kwargs, p["format"], request.headers.get("accept", "")))


async def update(request: Request) -> Response:
    ctx = ctx_of(request)
    settings = ctx.settings
    if not settings.allow_update:
        return error(
            403,
            "this server is read-only: updates are disabled (start it with updates enabled and a token to allow them)",
        )
    auth = request.headers.get("authorization", "")
    if not settings.update_token or not hmac.compare_digest(auth.encode(), f"Bearer {settings.update_token}".encode()):
        return error(
            401,
            "an update needs the server's token: Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method != "POST":
        return error(405, "updates are sent by POST", headers={"Allow": "POST"})
    try:
        p = await read_protocol(request, "update")
        if not p["text"]:
            raise QueryError(400, "no 'update' in the request")
        check_iris(p["using-graph-uri"], "using-graph-uri")
        check_iris(p["using-named-graph-uri"], "using-named-graph-uri")
        text = apply_using(p["text"], p["using-graph-uri"], p["using-named-graph-uri"])
    except QueryError as exc:
        return error(exc.status, exc.message)
    base_iri = ctx.endpoint_url(request, "/update")

    def do_update():
        with ctx.write_lock:
            ctx.handle.get().update(text, base_iri=base_iri)

    try:
        await ctx.in_pages(do_update)
    except SyntaxError as exc:
        return error(400, syntax_message(str(exc), text, "update"))
    except Exception as exc:
        return error(500, f"the update failed: {exc}")
    return Response(status_code=204)
