"""Writing a validated build into a remote SPARQL store, one named graph per operation."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from . import namespaces as ns
from .errors import StoreError
from .remote import Remote


def graph_ntriples(store: ox.Store, graph: str) -> str:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)).decode("utf-8")


def push(remote: Remote, store: ox.Store, iris: ns.IRIs, progress: Callable[[str], None] | None = None) -> list[str]:
    """Replace every graph of the checked local ``store`` in the remote store (the metadata
    graph last), then drop graphs of an earlier build that this one no longer has. Each graph
    is replaced as one operation, so a rerun after a failure completes the build."""
    graphs = sorted(g.value for g in store.named_graphs())
    ordered = [g for g in graphs if g != iris.metadata_graph] + [iris.metadata_graph]
    push_graphs(remote, ordered, lambda g: graph_ntriples(store, g), progress, what="build")
    try:
        for g in remote.named_graphs(iris.base + "graph/"):
            if g not in set(ordered):
                remote.drop_graph(g)
    except StoreError as exc:
        raise StoreError(_stopped(exc, "build", ordered, ordered)) from None
    return ordered


def push_graphs(
    remote: Remote,
    graphs: list[str],
    ntriples: Callable[[str], str],
    progress: Callable[[str], None] | None = None,
    what: str = "load",
) -> None:
    """Replace each graph whole with its N-Triples (fetched one graph at a time), saying on
    failure which graphs were replaced and which were not yet."""
    done: list[str] = []
    try:
        for g in graphs:
            if progress:
                progress(g)
            remote.replace_graph(g, ntriples(g))
            done.append(g)
    except StoreError as exc:
        raise StoreError(_stopped(exc, what, done, graphs)) from None


def _stopped(exc: Exception, what: str, done: list[str], graphs: list[str]) -> str:
    left = [g for g in graphs if g not in done]
    return (
        f"{exc}\nthe {what} stopped part way: {len(done)} of {len(graphs)} graphs were replaced "
        f"({', '.join(ns.compact(g) for g in done[:5])}{' ...' if len(done) > 5 else ''}); "
        f"not yet: {', '.join(left[:5])}{' ...' if len(left) > 5 else ''}. "
        f"Run the same {what} again to complete it (each graph is replaced whole)."
    )
