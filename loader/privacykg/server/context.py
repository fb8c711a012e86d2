"""What the handlers share: the :class:`Settings`, the store (:class:`StoreHandle` or
:class:`RemoteHandle`), the query workers and pools, and the caches of one app, gathered in an
:class:`AppContext` that :func:`privacykg.server.create_app` puts at ``app.state.ctx``."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request

from .. import namespaces as ns
from ..errors import UsageError
from ..queries import DEFAULT_QUERIES_DIR
from ..store import current_target, open_store, store_path
from .execution import QuerySlots
from .workers import DaemonExecutor, QueryProcesses


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
    #: a folder of annotation files that are not in the store (drafts above all), shown for
    #: review at ``/drafts`` (none: those routes answer 404)
    drafts_dir: Path | None = None


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
        from ..remote import RemoteDataset

        self.dataset = RemoteDataset(remote)
        self.url = remote.query_url

    def target(self) -> str:
        return self.url

    def get(self):
        return self.dataset

    def check(self) -> None:
        """Raise StoreError unless the store answers."""
        self.dataset.query("ASK { }")


class AppContext:
    """One app's store, query workers, pools, query slots and caches (no module-level state).

    >>> ctx = AppContext(Settings(store="build/store", base="https://example.org/kg"))
    >>> ctx.base(), ctx.processes is not None
    ('https://example.org/kg/', True)
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        if settings.remote is not None:
            if settings.allow_update:
                raise UsageError(
                    "a front over a remote store is read-only: send updates to the store's own "
                    "update endpoint (privacykg build/load --update-endpoint)"
                )
            if settings.isolate_queries:
                raise UsageError(
                    "queries on a remote store run in the store: there is no worker process to isolate them"
                )
            # the store's own time limit is its business; ours ends the request at ours
            self.handle = RemoteHandle(dataclasses.replace(settings.remote, timeout=settings.timeout, retries=0))
            isolate = False
        else:
            self.handle = StoreHandle(settings.store, writable=settings.allow_update)
            isolate = settings.isolate_queries if settings.isolate_queries is not None else not settings.allow_update
        if isolate and settings.allow_update:
            raise UsageError("queries cannot run in worker processes over a writable store")
        self.processes = QueryProcesses(settings.max_concurrent) if isolate else None
        self.queries_pool = DaemonExecutor(settings.max_concurrent, "sparql")
        self.pages_pool = DaemonExecutor(max(2, settings.max_concurrent // 2), "pages")
        # a bounded queue behind the running queries: memory stays bounded under load
        self.slots = QuerySlots(settings.max_concurrent * 4, settings.max_concurrent * 64, settings.timeout)
        self.write_lock = threading.Lock()
        self.state: dict = {}  # caches: the base IRI, the graphs' sizes
        self.sources_dir = Path(settings.sources_dir) if settings.sources_dir else Path("data") / "sources"

    def base(self) -> str:
        """The base IRI of the minted IRIs: the settings', else the store's, else the default."""
        b = self.settings.base
        if b:
            return b if b.endswith("/") else b + "/"
        if "base" not in self.state:
            try:
                r = list(
                    self.handle.get().query(
                        "SELECT ?b WHERE { GRAPH ?g { ?d <https://w3id.org/privacykg/ns#baseIRI> ?b } } LIMIT 1"
                    )
                )
                self.state["base"] = r[0]["b"].value if r else ns.DEFAULT_BASE
            except Exception:
                return ns.DEFAULT_BASE
        return self.state["base"]

    def endpoint_url(self, request: Request, path: str = "/sparql") -> str:
        if self.settings.public_url:
            return self.settings.public_url
        return str(request.url.replace(path=path, query="", fragment=""))

    def new_job(self, text: str, kwargs: dict, formats: list[str], accept: str, library: bool = False) -> dict:
        """A query job for :func:`privacykg.server.evaluation.evaluate`, with this server's limits."""
        return {
            "text": text,
            "kwargs": kwargs,
            "formats": formats,
            "accept": accept,
            "library": library,
            "max_results": self.settings.max_results,
            "timeout": self.settings.timeout,
        }

    async def in_pages(self, fn, *args):
        """``fn(*args)`` in the pages' thread pool (reads for pages, descriptions, updates)."""
        return await asyncio.get_running_loop().run_in_executor(self.pages_pool, fn, *args)


def ctx_of(request: Request) -> AppContext:
    """The context of the app serving the request."""
    return request.app.state.ctx
