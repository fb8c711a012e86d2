"""Any SPARQL 1.1 store as the back end, over the standard protocols only: SPARQL 1.1 Query,
SPARQL 1.1 Update and, where the store offers it, the SPARQL 1.1 Graph Store Protocol.

Endpoints come from arguments or the environment (``PRIVACYKG_ENDPOINT``,
``PRIVACYKG_UPDATE_ENDPOINT``, ``PRIVACYKG_GSP_ENDPOINT``); credentials only from the
environment: ``PRIVACYKG_REMOTE_TOKEN`` (bearer) or ``PRIVACYKG_REMOTE_USER`` and
``PRIVACYKG_REMOTE_PASSWORD`` (basic), never from the command line.

>>> r = Remote("http://127.0.0.1:9/query", "http://127.0.0.1:9/update", retries=0, timeout=1)
>>> r.query_json("ASK {}")
Traceback (most recent call last):
...
privacykg.errors.StoreError: cannot reach http://127.0.0.1:9/query: Connection refused (is the store running? check the URL)
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from .errors import StoreError, UsageError

DEFAULT_BATCH_BYTES = 4 * 1024 * 1024
DEFAULT_BATCH_TRIPLES = 1000  # Virtuoso compiles INSERT DATA to SQL and refuses much larger requests
RETRY_STATUSES = {500, 502, 503, 504}


@dataclass
class Remote:
    """A SPARQL store reached over HTTP."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 0.5
    batch_bytes: int = DEFAULT_BATCH_BYTES
    batch_triples: int = DEFAULT_BATCH_TRIPLES
    headers: dict = field(default_factory=dict)

    def __post_init__(self):
        for url in (self.query_url, self.update_url, self.gsp_url):
            if url and not url.startswith(("http://", "https://")):
                raise UsageError(f"not an http(s) URL: {url}")
        if not self.headers:
            self.headers = auth_headers()

    # ---- HTTP -----------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
        h = {"User-Agent": "privacykg", **self.headers, **(headers or {})}
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=body, method=method, headers=h)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return resp.status, resp.read(), dict(resp.headers)
            except urllib.error.HTTPError as exc:
                payload = exc.read()[:2000].decode("utf-8", errors="replace").strip()
                if exc.code in RETRY_STATUSES and attempt < self.retries:
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                raise StoreError(_http_message(exc.code, method, url, payload)) from None
            except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                text = getattr(reason, "strerror", None) or str(reason)
                raise StoreError(f"cannot reach {url}: {text} (is the store running? check the URL)") from None

    # ---- query ----------------------------------------------------------------------------
    def query_raw(self, text: str, accept: str) -> tuple[bytes, str]:
        status, data, headers = self._request(
            "POST", self.query_url, urllib.parse.urlencode({"query": text}).encode("utf-8"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        return data, ctype

    def query_json(self, text: str):
        data, _ = self.query_raw(text, "application/sparql-results+json")
        try:
            return json.loads(data.decode("utf-8"))
        except ValueError as exc:
            raise StoreError(f"{self.query_url} did not answer with SPARQL JSON results: {exc}") from None

    def named_graphs(self, prefix: str = "") -> list[str]:
        res = self.query_json("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(b["g"]["value"] for b in res["results"]["bindings"] if b["g"]["value"].startswith(prefix))

    def count_quads(self) -> int:
        res = self.query_json("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res["results"]["bindings"][0]["n"]["value"])

    # ---- writing ----------------------------------------------------------------------------
    def update(self, text: str) -> None:
        if not self.update_url:
            raise UsageError("writing to a remote store needs --update-endpoint (or PRIVACYKG_UPDATE_ENDPOINT)")
        self._request("POST", self.update_url, text.encode("utf-8"),
                      {"Content-Type": "application/sparql-update"})

    def replace_graph(self, graph: str, ntriples: str) -> None:
        """Replace one named graph with the given N-Triples: one GSP PUT when the store offers
        the Graph Store Protocol (then POSTs for the rest of a graph over the batch size), else
        ``DROP SILENT GRAPH`` + ``INSERT DATA`` in one update request, then more ``INSERT DATA``
        requests for the rest."""
        batches = list(_batches(ntriples, self.batch_bytes, self.batch_triples))
        if self.gsp_url:
            target = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
            for i, batch in enumerate(batches or [""]):
                self._request("PUT" if i == 0 else "POST", target, batch.encode("utf-8"),
                              {"Content-Type": "application/n-triples"})
            return
        first, rest = (batches[0], batches[1:]) if batches else ("", [])
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{first}}} }}")
        for batch in rest:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{batch}}} }}")

    def drop_graph(self, graph: str) -> None:
        if self.gsp_url and not self.update_url:
            target = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
            try:
                self._request("DELETE", target)
            except StoreError as exc:
                if "404" not in str(exc):
                    raise
            return
        self.update(f"DROP SILENT GRAPH <{graph}>")


def _batches(ntriples: str, limit: int, max_triples: int = DEFAULT_BATCH_TRIPLES):
    r"""Split N-Triples into chunks under ``limit`` bytes and ``max_triples`` triples, keeping
    the triples that share blank nodes together (blank nodes in separate INSERT DATA requests
    would be different nodes).

    >>> list(_batches("<a> <p> _:b .\n_:b <q> <c> .\n<d> <p> <e> .\n", 10_000, 2))
    ['<a> <p> _:b .\n_:b <q> <c> .\n', '<d> <p> <e> .\n']
    """
    import re

    lines = [ln for ln in ntriples.splitlines() if ln.strip()]
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups: dict[str, list[str]] = {}
    order: list[str] = []
    line_bnodes = [re.findall(r"(?:^|\s)(_:[A-Za-z0-9_.-]+)", ln) for ln in lines]
    for bns in line_bnodes:
        for b in bns[1:]:
            parent[find(b)] = find(bns[0])
    for i, (ln, bns) in enumerate(zip(lines, line_bnodes)):
        key = find(bns[0]) if bns else f"#{i}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(ln)
    chunk, size, count = [], 0, 0
    for key in order:
        group = groups[key]
        n = sum(len(ln.encode("utf-8")) + 1 for ln in group)
        if chunk and (size + n > limit or count + len(group) > max_triples):
            yield "\n".join(chunk) + "\n"
            chunk, size, count = [], 0, 0
        chunk.extend(group)
        size += n
        count += len(group)
    if chunk:
        yield "\n".join(chunk) + "\n"


def auth_headers() -> dict:
    token = os.environ.get("PRIVACYKG_REMOTE_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("PRIVACYKG_REMOTE_USER")
    if user is not None:
        pw = os.environ.get("PRIVACYKG_REMOTE_PASSWORD", "")
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}
    return {}


def _http_message(code: int, method: str, url: str, payload: str) -> str:
    what = {
        400: "the store refused the request as malformed",
        401: "the store wants credentials: set PRIVACYKG_REMOTE_TOKEN, or PRIVACYKG_REMOTE_USER and PRIVACYKG_REMOTE_PASSWORD",
        403: "the store refused: these credentials may not do this (is the endpoint read-only?)",
        404: "no such endpoint: check the URL (Oxigraph: /query /update /store; Fuseki: /DATASET/query; Virtuoso: /sparql)",
        405: "the endpoint does not accept this method: is it the right one (query vs update vs graph store)?",
        413: "the request is larger than the store accepts: lower the batch size (--batch-bytes)",
        415: "the store does not accept this content type",
    }.get(code, "the store answered with an error")
    detail = f": {payload[:500]}" if payload else ""
    return f"{method} {url} -> HTTP {code}: {what}{detail}"


def remote_from(endpoint: str | None = None, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                **kw) -> Remote | None:
    """A Remote from arguments, else the environment; None when no endpoint is set."""
    q = endpoint or os.environ.get("PRIVACYKG_ENDPOINT")
    if not q:
        if update_endpoint or gsp_endpoint:
            raise UsageError("--update-endpoint and --gsp-endpoint go with --endpoint (the query URL)")
        return None
    return Remote(q, update_endpoint or os.environ.get("PRIVACYKG_UPDATE_ENDPOINT"),
                  gsp_endpoint or os.environ.get("PRIVACYKG_GSP_ENDPOINT"), **kw)
