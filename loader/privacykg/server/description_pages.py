"""The service description and VoID as HTML pages: each described resource a table of its
properties with links (IRIs served here open their pages, others their own address), VoID's
subsets one table of graphs with their triple counts, the graph names linking to their policy or
entity. Everything shown is HTML-escaped."""

from __future__ import annotations

import html

import pyoxigraph as ox

from .. import namespaces as ns
from ..pages_html import href, page

SD = "http://www.w3.org/ns/sparql-service-description#"
SUBSET = ns.VOID + "subset"
RDF_TYPE = ns.RDF + "type"
#: The subset properties shown as the columns of VoID's table of graphs (after the graph's name).
SUBSET_COLUMNS = (
    (ns.VOID + "triples", "triples"),
    (ns.DCT + "license", "licence"),
    (ns.DCT + "source", "source"),
    (ns.PKG + "attribution", "attribution"),
)


def description_html(title: str, triples: list[ox.Triple], base: str, formats_note: str) -> str:
    """The page of a description: a section per resource it describes (blank nodes shown where
    they are used), VoID's subsets as one table of graphs."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    parts = [f"<h1>{html.escape(title)}</h1><p>{formats_note}</p>"]
    for subject, props in by_subject.items():
        if isinstance(subject, ox.BlankNode):
            continue
        parts.append(
            f"<section class=node><h2 class=iri>{_iri_link(subject.value, base)}</h2>"
            + _props_table(props, by_subject, base)
            + "</section>"
        )
        subsets = [t.object for t in props if t.predicate.value == SUBSET]
        if subsets:
            parts.append(_subsets_table(subsets, by_subject, base))
    return page(title, "".join(parts))


def _props_table(props: list[ox.Triple], by_subject: dict, base: str) -> str:
    """A table of the properties (one row per predicate, its values joined); subsets left out."""
    rows: dict[str, list[str]] = {}
    for t in props:
        if t.predicate.value == SUBSET:
            continue
        rows.setdefault(t.predicate.value, []).append(_value_html(t.object, by_subject, base))
    body = "".join(f"<tr><th>{_iri_link(p, base)}</th><td>{'<br>'.join(vals)}</td></tr>" for p, vals in rows.items())
    return f"<div class=table-box><table class=facts>{body}</table></div>"


def _value_html(o, by_subject: dict, base: str) -> str:
    if isinstance(o, ox.NamedNode):
        return _iri_link(o.value, base)
    if isinstance(o, ox.BlankNode):
        return _props_table(by_subject.get(o, []), by_subject, base)
    return html.escape(o.value)


def _subsets_table(subsets: list, by_subject: dict, base: str) -> str:
    """VoID's subsets: a row per named graph, its name linking to what it holds, its counts (the
    columns no graph has a value for left out)."""
    values = [{t.predicate.value: t.object for t in by_subject.get(s, [])} for s in subsets]
    columns = [(p, label) for p, label in SUBSET_COLUMNS if any(p in v for v in values)]
    head = "".join(f"<th>{label}</th>" for _, label in columns)
    rows = []
    for vals in values:
        name = vals.get(SD + "name")
        graph = name.value if isinstance(name, ox.NamedNode) else ""
        cells = []
        for p, _ in columns:
            v = vals.get(p)
            cls = " class=num" if p == ns.VOID + "triples" else ""
            cells.append(f"<td{cls}>{_value_html(v, by_subject, base) if v is not None else ''}</td>")
        rows.append((graph, f"<tr><td>{graph_link(graph, base)}</td>{''.join(cells)}</tr>"))
    body = "".join(r for _, r in sorted(rows))
    return (
        f"<h2>Named graphs ({len(rows)})</h2><div class=table-box><table class=graphs>"
        f"<thead><tr><th>graph</th>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def graph_link(graph: str, base: str) -> str:
    """A graph's name linked to the page of what it holds: a policy version's graph to the
    policy, an entity's graph to the entity, what is inferred from either to the same page.

    >>> graph_link("https://w3id.org/privacykg/graph/acme-uk/2019-06-01", "https://w3id.org/privacykg/")
    '<a href="/policy/acme-uk/2019-06-01">graph/acme-uk/2019-06-01</a>'
    >>> graph_link("https://w3id.org/privacykg/graph/inferred/entity/acme", "https://w3id.org/privacykg/")
    '<a href="/entity/acme">graph/inferred/entity/acme</a> (inferred)'
    >>> graph_link("https://w3id.org/privacykg/graph/ontology", "https://w3id.org/privacykg/")
    '<span class=iri>graph/ontology</span>'
    """
    if not graph.startswith(base + "graph/"):
        return f"<span class=iri>{html.escape(graph)}</span>"
    shown = html.escape(graph[len(base) :])
    rest = graph[len(base + "graph/") :].split("/")
    inferred = rest[0] == "inferred"
    rest = rest[1:] if inferred else rest
    note = " (inferred)" if inferred else ""
    if len(rest) == 2 and rest[0] == "entity":
        target = f"/entity/{rest[1]}"
    elif len(rest) == 2:
        target = f"/policy/{rest[0]}/{rest[1]}"
    else:
        return f"<span class=iri>{shown}</span>{note}"
    return f'<a href="{html.escape(target)}">{shown}</a>{note}'


def _iri_link(iri: str, base: str) -> str:
    """An IRI shown compact, linking to its page when served here, else to its own address."""
    target = href(iri, base) if iri.startswith(base) else iri
    shown = "sd:" + iri[len(SD) :] if iri.startswith(SD) else ns.compact(iri)
    shown = iri if shown.endswith(":") else shown  # a namespace itself: its IRI
    return f'<a href="{html.escape(target)}" title="{html.escape(iri)}">{html.escape(shown)}</a>'
