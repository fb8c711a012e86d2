"""The app factory: :func:`create_app` puts an :class:`~privacykg.server.context.AppContext` at
``app.state.ctx`` and assembles the routes, the CORS middleware, the lifespan (query workers
warmed at start, stopped at the end) and the exception handlers."""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import PrivacyKGError, StoreError
from .api import api_graph, api_organisations, api_prefixes, api_queries, api_run, api_terms
from .context import AppContext, Settings, ctx_of
from .descriptions import void
from .drafts import draft_page, drafts_index
from .errors import error
from .pages import (
    STATIC_DIR,
    favicon,
    health,
    history,
    index,
    minted,
    organisations,
    resource,
    source,
    vocabulary,
)
from .sparql import sparql, update


def _routes() -> list:
    """The routes (documented in :mod:`privacykg.server`), each handler a module-level function
    reading the app's context from ``request.app.state.ctx``."""
    return [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/update", update, methods=["GET", "POST"]),
        Route("/void", void),
        Route("/health", health),
        Route("/favicon.ico", favicon),
        Route("/api/queries", api_queries),
        Route("/api/run", api_run, methods=["GET", "POST"]),
        Route("/api/graph", api_graph),
        Route("/api/prefixes", api_prefixes),
        Route("/api/terms", api_terms),
        Route("/api/organisations", api_organisations),
        Route("/organisations", organisations),
        Route("/resource", resource),
        Route("/ns", vocabulary),
        Route("/policy/{rest:path}", minted),
        Route("/entity/{rest:path}", minted),
        Route("/source/{rest:path}", source),
        Route("/graph/{rest:path}", minted),
        Route("/dataset", minted),
        Route("/timeline/{policy}", history),
        Route("/diff/{policy}/{old}/{new}", history),
        Route("/drafts", drafts_index),
        Route("/drafts/{name:path}", draft_page),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def create_app(settings: Settings | None = None, **kw) -> Starlette:
    """Build the ASGI app over a store.

    >>> app = create_app(store="build/store")
    >>> sorted(r.path for r in app.routes if hasattr(r, "path"))[:3]
    ['/', '/api/graph', '/api/organisations']
    """
    settings = settings or Settings(**kw)
    ctx = AppContext(settings)
    # CORS for reads: any origin may query; the update token header is not allowed cross-origin.
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            max_age=3600,
        )
    ]
    app = Starlette(
        routes=_routes(), middleware=middleware, lifespan=_lifespan, exception_handlers={StoreError: _store_failed}
    )
    app.state.settings = settings
    app.state.ctx = ctx
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette):
    ctx: AppContext = app.state.ctx
    if ctx.processes is not None:
        try:
            ctx.processes.warm(str(ctx.handle.target()), min(2, ctx.settings.max_concurrent))
        except PrivacyKGError:
            pass  # no store yet: /health says so; workers start with the first query
    yield
    if ctx.processes is not None:
        ctx.processes.close()


async def _store_failed(request: Request, exc: StoreError) -> Response:
    # a page's reads failed: the remote store is away or refused (an embedded store raises
    # this only when it is missing)
    return error(502 if ctx_of(request).settings.remote is not None else 503, f"the store failed: {exc}")
