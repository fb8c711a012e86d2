"""A policy version's nodes and links for the UI's graph view."""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .pages_html import href
from .summary import policy_summary


def policy_graph_json(store: ox.Store, notice: str, base: str = ns.DEFAULT_BASE) -> dict | None:
    """Nodes and links of a policy for the UI's graph view; each node's ``href`` is its page."""
    s = policy_summary(store, notice)
    if s is None:
        return None
    nodes: dict[str, dict] = {}
    links = []

    def node(iri, label, kind):
        nodes.setdefault(iri, {"id": iri, "label": label, "kind": kind, "href": href(iri, base)})

    def link(a, b, label):
        links.append({"source": a, "target": b, "label": label})

    node(notice, s.title, "notice")
    for what, iri, text, _ in s.facts:
        if what == "controller" and iri:
            node(iri, text, "controller")
            link(notice, iri, "controller")
    kinds = {
        "purpose": "purpose",
        "personal data": "data",
        "recipients": "recipient",
        "to countries": "country",
        "where": "country",
        "legal basis": "basis",
    }
    for p in s.processes:
        node(p.iri, p.label, "process")
        link(notice, p.iri, "process")
        for name, vals in p.groups:
            if name in kinds:
                for i, t in vals:
                    if i:
                        node(i, t, kinds[name])
                        link(p.iri, i, name)
    return {"nodes": list(nodes.values()), "links": links}
