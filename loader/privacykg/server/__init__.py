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
  ``/api/graph?policy=IRI``: nodes and links of a policy. ``/api/prefixes``: the prefixes, the
  base of the minted IRIs and the roots the server has pages for (the results table's names and links).
  ``/api/terms``: the vocabulary's declared terms as prefixed names with labels (the editor's completion).
  ``/api/organisations?q=``: the organisations page's rows as JSON.
* ``/organisations?q=NAME``: every organisation, the policies naming it (versions grouped) and
  the role each gives it, filtered by name.
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
* ``/drafts`` (with ``drafts_dir``, ``serve --drafts DIR``): the folder's annotation files that
  are not in the store, drafts above all, each checked as ``validate`` checks it;
  ``/drafts/<name>``: one shown from memory as a policy's page under a draft banner and its
  warnings, or its problems (422) (:mod:`.drafts`).
* ``/``: the query UI (served from the package, no CDN).

Limits: each query has a time limit (``timeout``) and a result-size limit (``max_results``);
hitting one answers 503 or 413 and says which limit. Queries run in worker processes (at most
``max_concurrent`` at once) and a worker whose query passes the time limit is killed and
replaced: the engine cannot interrupt a query it evaluates in one step (an aggregate or a sort
over a huge join), a process can be. With updates enabled the store is writable and queries run
in threads of the server instead; a timed-out query then finishes in the background, holding
its query slot until it does.

The modules, one job each: :mod:`.context` (settings, the store, the app's shared state),
:mod:`.sparql` and :mod:`.protocol` (the SPARQL 1.1 Protocol), :mod:`.execution`,
:mod:`.evaluation` and :mod:`.workers` (running queries within their limits), :mod:`.media`
(content negotiation and serialisation), :mod:`.descriptions` (service description, VoID),
:mod:`.pages` (linked-data pages), :mod:`.drafts` (the pages of files not in the store),
:mod:`.api` (the query UI's API), :mod:`.app` (the app factory) and :mod:`.serving` (listening
and running it).
"""

from .app import create_app
from .context import AppContext, RemoteHandle, Settings, StoreHandle
from .errors import QueryError, timeout_message
from .evaluation import evaluate
from .media import GRAPH_FORMATS, RESULT_FORMATS
from .pages import STATIC_DIR
from .protocol import apply_using, has_dataset_clause, uses_service
from .serving import listen, serve
from .workers import DaemonExecutor, QueryProcesses

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "STATIC_DIR",
    "AppContext",
    "DaemonExecutor",
    "QueryError",
    "QueryProcesses",
    "RemoteHandle",
    "Settings",
    "StoreHandle",
    "apply_using",
    "create_app",
    "evaluate",
    "has_dataset_clause",
    "listen",
    "serve",
    "timeout_message",
    "uses_service",
]
