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
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from . import sparqltext
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
    def _request(
        self, method: str, url: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
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
                raise StoreError(_http_message(exc.code, method, url, payload), status=exc.code) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                text = getattr(reason, "strerror", None) or str(reason)
                raise StoreError(f"cannot reach {url}: {text} (is the store running? check the URL)") from None

    # ---- query ----------------------------------------------------------------------------
    def query_raw(self, text: str, accept: str, params: list[tuple[str, str]] | None = None) -> tuple[bytes, str]:
        """POST a query (form-encoded, with any further protocol parameters such as
        ``default-graph-uri``); the answer's bytes and content type."""
        status, data, headers = self._request(
            "POST",
            self.query_url,
            urllib.parse.urlencode([("query", text)] + list(params or [])).encode("utf-8"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
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
        self._request("POST", self.update_url, text.encode("utf-8"), {"Content-Type": "application/sparql-update"})

    def replace_graph(self, graph: str, ntriples: str) -> None:
        """Replace one named graph with the given N-Triples: one GSP PUT when the store offers
        the Graph Store Protocol (then POSTs for the rest of a graph over the batch size), else
        ``DROP SILENT GRAPH`` + ``INSERT DATA`` in one update request, then more ``INSERT DATA``
        requests for the rest."""
        batches = list(_batches(ntriples, self.batch_bytes, self.batch_triples))
        if self.gsp_url:
            target = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
            for i, batch in enumerate(batches or [""]):
                self._request(
                    "PUT" if i == 0 else "POST",
                    target,
                    batch.encode("utf-8"),
                    {"Content-Type": "application/n-triples"},
                )
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


class RemoteDataset:
    """A remote store seen read-only through the part of pyoxigraph's ``Store`` interface that
    the server, the linked-data pages and ``show`` use: :meth:`query`, :meth:`quads_for_pattern`
    and :meth:`named_graphs`. Everything travels as SPARQL 1.1 Query over HTTP; answers come
    back as pyoxigraph objects, so the same code serves an embedded and a remote store.

    Blank nodes cannot be named in a query to another store, so a pattern that starts from a
    blank node finds nothing here (our data has blank nodes only inside the dated register of
    transfer mechanisms).
    """

    def __init__(self, remote: Remote):
        self.remote = remote

    def query(
        self,
        text: str,
        *,
        use_default_graph_as_union: bool = True,
        default_graph=None,
        named_graphs=None,
        substitutions: dict | None = None,
        base_iri: str | None = None,
    ):
        """Run a query on the store: pyoxigraph's ``QuerySolutions`` / ``QueryBoolean``, or a list
        of triples for CONSTRUCT and DESCRIBE.

        ``substitutions`` (variable -> term) travel as a ``VALUES`` block of terms serialised by
        pyoxigraph at the start of the WHERE clause, the one way SPARQL 1.1 Protocol has to bind
        a variable.
        ``default_graph`` / ``named_graphs`` become the protocol's ``default-graph-uri`` /
        ``named-graph-uri``. The default graph is the store's own (the union of all graphs when
        the store is set up so: see the README); ``use_default_graph_as_union`` cannot change it.
        """
        import pyoxigraph as ox

        text = sparqltext.bind_values(text, {v.value: str(t) for v, t in (substitutions or {}).items()})
        if base_iri and "BASE" not in [k for k, _, _ in sparqltext.keywords(text)]:
            text = f"BASE <{base_iri}>\n" + text
        params = [("default-graph-uri", g.value) for g in default_graph or [] if isinstance(g, ox.NamedNode)]
        params += [("named-graph-uri", g.value) for g in named_graphs or [] if isinstance(g, ox.NamedNode)]
        try:
            if sparqltext.form(text) in ("CONSTRUCT", "DESCRIBE"):
                data, _ = self.remote.query_raw(text, "application/n-triples", params)
                return [
                    ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                ]
            data, _ = self.remote.query_raw(text, "application/sparql-results+json", params)
        except StoreError as exc:
            if exc.status == 400:  # the store refused the query itself: the caller's mistake
                raise SyntaxError(str(exc)) from None
            raise
        try:
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.remote.query_url} did not answer with SPARQL JSON results: {exc}") from None

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph_name=None) -> list:
        """The quads of the named graphs matching a pattern (None matches anything), as
        pyoxigraph ``Quad`` objects; ``graph_name`` a ``NamedNode`` or ``DefaultGraph``."""
        import pyoxigraph as ox

        if any(isinstance(t, ox.BlankNode) for t in (subject, predicate, obj, graph_name)):
            return []
        terms = {"s": subject, "p": predicate, "o": obj}
        slot = {k: (str(t) if t is not None else f"?{k}") for k, t in terms.items()}
        pattern = f"{slot['s']} {slot['p']} {slot['o']} ."
        if isinstance(graph_name, ox.DefaultGraph):
            where = pattern
        else:
            where = f"GRAPH {str(graph_name) if graph_name is not None else '?g'} {{ {pattern} }}"
        wanted = [k for k, t in terms.items() if t is None] + (["g"] if graph_name is None else [])
        text = f"SELECT {' '.join('?' + k for k in wanted) or '*'} WHERE {{ {where} }}"
        out = []
        for row in self.query(text):
            t = {k: (row[k] if k in wanted else terms[k]) for k in ("s", "p", "o")}
            g = row["g"] if graph_name is None else graph_name
            out.append(ox.Quad(t["s"], t["p"], t["o"], g))
        return out

    def named_graphs(self) -> list:
        import pyoxigraph as ox

        return [ox.NamedNode(g) for g in self.remote.named_graphs()]

    def graph_sizes(self) -> list:
        """Each named graph and its number of triples, in one query."""
        import pyoxigraph as ox

        rows = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(
            ((r["g"], int(r["n"].value)) for r in rows if isinstance(r["g"], ox.NamedNode)), key=lambda x: x[0].value
        )


def _batches(ntriples: str, limit: int, max_triples: int = DEFAULT_BATCH_TRIPLES):
    r"""Split N-Triples into chunks under ``limit`` bytes and ``max_triples`` triples, keeping
    the triples that share blank nodes together (blank nodes in separate INSERT DATA requests
    would be different nodes).

    >>> list(_batches("<a> <p> _:b .\n_:b <q> <c> .\n<d> <p> <e> .\n", 10_000, 2))
    ['<a> <p> _:b .\n_:b <q> <c> .\n', '<d> <p> <e> .\n']
    """

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
    for i, (ln, bns) in enumerate(zip(lines, line_bnodes, strict=False)):
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


def remote_from(
    endpoint: str | None = None, update_endpoint: str | None = None, gsp_endpoint: str | None = None, **kw
) -> Remote | None:
    """A Remote from arguments, else the environment; None when no endpoint is set."""
    q = endpoint or os.environ.get("PRIVACYKG_ENDPOINT")
    if not q:
        if update_endpoint or gsp_endpoint:
            raise UsageError("--update-endpoint and --gsp-endpoint go with --endpoint (the query URL)")
        return None
    return Remote(
        q,
        update_endpoint or os.environ.get("PRIVACYKG_UPDATE_ENDPOINT"),
        gsp_endpoint or os.environ.get("PRIVACYKG_GSP_ENDPOINT"),
        **kw,
    )
