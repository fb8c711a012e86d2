"""Evaluating one query job against a store, within its limits, into the negotiated format. The
same function runs in a query worker process and, in-process, in a thread of the server."""

from __future__ import annotations

import time

import pyoxigraph as ox

from ..errors import UsageError
from ..queries import run as run_library_query
from .errors import QueryError, timeout_message
from .media import (
    GRAPH_ALIASES,
    GRAPH_FORMATS,
    RESULT_ALIASES,
    RESULT_FORMATS,
    _format_choice,
    _negotiate,
    _serialize_graph,
    _serialize_solutions,
)
from .messages import syntax_message


def evaluate(store: ox.Store, job: dict, deadline: float) -> tuple[bytes, str]:
    """Run a query job and serialise its result in the negotiated format: ``(body, content type)``.

    A job is a dict: ``text``, ``kwargs`` for ``Store.query``, ``formats`` (the ``format=`` values),
    ``accept``, ``library`` (a library query, run with :func:`privacykg.queries.run`),
    ``max_results`` and ``timeout``. Raises :class:`QueryError` with the HTTP status.

    >>> job = {"text": "ASK {}", "kwargs": {}, "formats": ["csv"], "accept": "", "max_results": 10, "timeout": 5}
    >>> evaluate(ox.Store(), job, time.monotonic() + 5)
    (b'true', 'text/csv; charset=utf-8')
    """
    result = _run(store, job)
    formats, accept = job.get("formats") or [], job.get("accept", "")
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        mt = _media_type(formats, accept, RESULT_ALIASES, RESULT_FORMATS, "SELECT/ASK")
        if isinstance(result, ox.QuerySolutions):
            variables = list(result.variables)
            rows = list(_limited(result, job, deadline))
            data = _serialize_solutions(variables, rows, RESULT_FORMATS[mt])
        else:
            data = result.serialize(format=RESULT_FORMATS[mt])
        ctype = "application/sparql-results+json" if mt == "application/json" else mt
    else:
        mt = _media_type(formats, accept, GRAPH_ALIASES, GRAPH_FORMATS, "CONSTRUCT/DESCRIBE")
        data = _serialize_graph(list(_limited(result, job, deadline)), GRAPH_FORMATS[mt])
        ctype = mt
    if ctype.startswith("text/") or ctype.endswith(("json", "xml")):
        ctype += "; charset=utf-8"
    return data, ctype


def _run(store: ox.Store, job: dict):
    """The live result of the job's query, or a QueryError 400 saying what is wrong with it."""
    try:
        if job.get("library"):
            return run_library_query(store, job["text"], job["kwargs"].get("substitutions"), scoped=True)
        return store.query(job["text"], **job["kwargs"])
    except SyntaxError as exc:
        raise QueryError(400, syntax_message(str(exc), job["text"])) from None
    except UsageError as exc:
        raise QueryError(400, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise QueryError(400, f"bad query: {exc}") from None


def _limited(it, job: dict, deadline: float):
    """The results, refused past the job's ``max_results`` or its deadline."""
    limit = job["max_results"]
    for i, x in enumerate(it):
        if i >= limit:
            raise QueryError(
                413,
                f"the result has more than {limit} rows, the server's limit "
                f"(max_results = {limit}); add LIMIT or narrow the query",
            )
        if i % 256 == 0 and time.monotonic() > deadline:
            raise QueryError(503, timeout_message(job["timeout"]))
        yield x


def _media_type(formats: list[str], accept: str, aliases: dict, offered: dict, kind: str) -> str:
    """The media type to answer a ``kind`` query in: a requested format, else the Accept header's
    choice among ``offered``; 406 when neither names one offered."""
    mt = _format_choice(formats, aliases, offered, kind) or _negotiate(accept, list(offered))
    if mt is None:
        raise QueryError(
            406,
            f"cannot answer in any of the accepted media types; {kind} results are offered as " + ", ".join(offered),
        )
    return mt
