"""Writing a validated build into a remote SPARQL store, one named graph per operation."""

from __future__ import annotations

from typing import Callable

import pyoxigraph as ox

from . import namespaces as ns
from .errors import StoreError
from .remote import Remote


def graph_ntriples(store: ox.Store, graph: str) -> str:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)).decode("utf-8")


def push(remote: Remote, store: ox.Store, iris: ns.IRIs, policy_graphs: list[str],
         progress: Callable[[str], None] | None = None) -> list[str]:
    """Replace every graph of the checked local ``store`` in the remote store (the metadata
    graph last), then drop graphs of an earlier build that this one no longer has. Each graph
    is replaced as one operation, so a rerun after a failure completes the build."""
    graphs = sorted(g.value for g in store.named_graphs())
    ordered = [g for g in graphs if g != iris.metadata_graph] + [iris.metadata_graph]
    done: list[str] = []
    try:
        for g in ordered:
            if progress:
                progress(g)
            remote.replace_graph(g, graph_ntriples(store, g))
            done.append(g)
        stale = [g for g in remote.named_graphs(iris.base + "graph/") if g not in set(ordered)]
        for g in stale:
            remote.drop_graph(g)
    except StoreError as exc:
        left = [g for g in ordered if g not in done]
        raise StoreError(
            f"{exc}\nthe build stopped part way: {len(done)} of {len(ordered)} graphs were replaced "
            f"({', '.join(ns.compact(g) for g in done[:5])}{' ...' if len(done) > 5 else ''}); "
            f"not yet: {', '.join(left[:5])}{' ...' if len(left) > 5 else ''}. "
            "Run the same build again to complete it (each graph is replaced whole).") from None
    return done


def push_graphs(remote: Remote, graphs: list[tuple[str, str]]) -> None:
    """Replace the given (graph IRI, N-Triples) pairs, reporting what was done on failure."""
    done = []
    try:
        for g, nt in graphs:
            remote.replace_graph(g, nt)
            done.append(g)
    except StoreError as exc:
        raise StoreError(f"{exc}\nreplaced: {', '.join(done) or 'nothing'}; run the same load again") from None
