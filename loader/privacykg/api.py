"""Query and export functions of the Python API."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .queries import resolve_query, run, substitutions, term_text
from .sparqltext import form
from .store import open_store

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _store(store) -> ox.Store:
    return store if isinstance(store, ox.Store) else open_store(store)


def query(store, file_or_id_or_text: str, params: dict[str, str] | None = None, *, queries_dir=None, remote=None):
    """Run a library query (by id or file) or SPARQL text on the store (or a remote SPARQL
    endpoint), with bound parameters. Returns pyoxigraph's result (solutions, boolean or triples)."""
    from .queries import parse_query_text

    text = file_or_id_or_text
    q = parse_query_text(text) if is_query_text(text) else resolve_query(text, queries_dir)
    subs = substitutions(q, params or {})
    if remote is not None:
        from .remote import RemoteDataset

        return run(RemoteDataset(remote), q.text, subs, scoped=q.path is not None)
    return run(_store(store), q.text, subs, scoped=q.path is not None)


def is_query_text(text: str) -> bool:
    """Whether ``text`` is SPARQL text rather than a library query's id, file stem or file path: it
    has a query form (SELECT, ASK, CONSTRUCT, DESCRIBE) as a keyword, and names no .rq or existing file.

    >>> is_query_text("ASK { ?s ?p ?o }"), is_query_text("cq01"), is_query_text("cookie-basket")
    (True, False, False)
    >>> is_query_text("queries/select/construct.rq")
    False
    """
    if form(text) is None:
        return False
    if "\n" not in text and text.strip().endswith(".rq"):
        return False
    try:
        return not Path(text).is_file()
    except (OSError, ValueError):  # too long a name, a NUL: not a file's
        return True


def select(store, text: str, params: dict[str, str] | None = None, **kw) -> list[dict[str, str]]:
    """Run a SELECT and return its rows as dicts of plain strings (IRIs and lexical forms).

    >>> import privacykg, tempfile, pathlib
    >>> s = pathlib.Path(tempfile.mkdtemp()) / "s"
    >>> _ = privacykg.build("data", s)
    >>> select(s, "SELECT ?x WHERE { VALUES ?x { 1 } }")
    [{'x': '1'}]
    """
    result = query(store, text, params, **kw)
    if not hasattr(result, "variables"):
        raise UsageError("select() runs SELECT queries; use query() for ASK, CONSTRUCT and DESCRIBE")
    variables = [v.value for v in result.variables]
    return [{v: term_text(sol[v]) for v in variables if sol[v] is not None} for sol in result]


def export(store, output: str | os.PathLike | IO[bytes], fmt: str = "nquads", *, remote=None) -> None:
    """Write the whole dataset, every named graph, as N-Quads, TriG, Turtle or JSON-LD.

    Turtle holds one graph only, so a Turtle export is the union of all graphs. TriG, Turtle
    and JSON-LD use our prefixes; JSON-LD is compact (``privacykg.jsonld``)."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format '{fmt}': one of {', '.join(EXPORT_FORMATS)}")
    st = _remote_dataset(remote) if remote is not None else _store(store)
    if isinstance(output, (str, os.PathLike)):
        output = str(Path(output))
    if fmt == "turtle":
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in st.quads_for_pattern(None, None, None))
        seen = set()
        uniq = [t for t in triples if not (t in seen or seen.add(t))]
        ox.serialize(uniq, output, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
        return
    if fmt == "jsonld":
        from .jsonld import write_dataset

        write_dataset(st, output, _prefixes(), base=_data_base(st))
    elif fmt == "trig":
        st.dump(output, format=EXPORT_FORMATS[fmt], prefixes=_prefixes())
    else:
        st.dump(output, format=EXPORT_FORMATS[fmt])


def _prefixes():
    return dict(ns.PREFIXES)


def _data_base(st: ox.Store) -> str | None:
    """The IRI base the data was built with (``pkg:baseIRI`` in the metadata graph), if recorded."""
    for sol in st.query(f"SELECT ?b WHERE {{ GRAPH ?g {{ ?d <{ns.PKG}baseIRI> ?b }} }} LIMIT 1"):
        return sol["b"].value
    return None


def _remote_dataset(remote) -> ox.Store:
    """Every named graph of a remote store, fetched graph by graph into memory."""
    st = ox.Store()
    for g in remote.named_graphs():
        data, _ = remote.query_raw(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", "application/n-triples"
        )
        st.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
    return st
