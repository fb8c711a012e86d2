"""The endpoint's HTML: the page frame, links to the pages of IRIs, quotes linked to their place
in the text, and the pages of a policy version, a source text and the vocabulary. Everything
shown is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import quote as urlquote

import pyoxigraph as ox

from . import namespaces as ns
from .describe import vocabulary_triples
from .evidence import RDF_TYPE, Evidence, Labels, first_asserted
from .summary import NodeSummary, PolicySummary, notice_graph

if TYPE_CHECKING:
    from .source_view import SourceText


def href(iri: str, base: str) -> str:
    """Where a page about the IRI is served: its own path for IRIs minted under the base, the
    vocabulary page's anchor for our extension's terms, else ``/resource?iri=``."""
    if iri.startswith(ns.PKG) and base + "ns#" == ns.PKG:
        return "/ns#" + urlquote(iri[len(ns.PKG) :], safe="")
    rest = iri[len(base) :] if iri.startswith(base) else None
    if rest and "#" not in rest and "?" not in rest and rest.split("/")[0] in MINTED_ROOTS:
        return "/" + urlquote(rest, safe="/-._~!$&'()*+,;=:@%")
    return "/resource?iri=" + urlquote(iri, safe="")


#: The first path segments of the IRIs minted under the base that the server routes.
MINTED_ROOTS = ("policy", "entity", "source", "graph", "dataset")


def link(iri: str, base: str, label: str | None = None) -> str:
    text = html.escape(label or ns.compact(iri))
    target = href(iri, base)
    extra = ""
    if ns.is_dpv_iri(iri):
        extra = f' <a class=ext href="{html.escape(iri)}" title="DPV documentation">[DPV]</a>'
    return f'<a href="{html.escape(target)}">{text}</a>{extra}'


def _source_href(e: Evidence, base: str) -> str:
    """The quote's place in its source text: the text's page with the span marked (``#quote``)."""
    page_href = href(e.source, base)
    sep = "&" if "?" in page_href else "?"
    return f"{page_href}{sep}start={e.start}&end={e.end}#quote"


def quote_html(e: Evidence, base: str = ns.DEFAULT_BASE) -> str:
    where = f"[{e.start}–{e.end}]"
    if e.source:
        where = f'<a href="{html.escape(_source_href(e, base))}" title="this quote in the source text">{where} in the text</a>'
    return (
        f"<blockquote class=evidence>…{html.escape(e.prefix)}<mark>{html.escape(e.exact)}</mark>"
        f"{html.escape(e.suffix)}… <span class=offsets>{where}</span></blockquote>"
    )


def quotes_html(evs: list[Evidence], base: str) -> str:
    return "".join(quote_html(e, base) for e in evs)


def node_html(n: NodeSummary, base: str) -> str:
    rows = []
    for name, vals in n.groups:
        cells = ", ".join(link(i, base, t) if i else html.escape(t) for i, t in vals)
        rows.append(f"<tr><th>{html.escape(name)}</th><td>{cells}</td></tr>")
    if n.marks:
        rows.insert(0, f"<tr><th>holds</th><td class=modality>{html.escape('; '.join(n.marks))}</td></tr>")
    comment = f"<p class=reading>Reading: {html.escape(n.comment)}</p>" if n.comment else ""
    return (
        f"<section class=node><h3>{link(n.iri, base, n.label)}</h3><table>{''.join(rows)}</table>{comment}"
        + quotes_html(n.evidence, base)
        + "</section>"
    )


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)} · privacykg</title><link rel=icon href=/static/favicon.svg type='image/svg+xml'>"
        f"<link rel=stylesheet href=/static/style.css></head>"
        f"<body><header><a href=/>privacykg</a> · <a href=/sparql>SPARQL</a> · <a href=/void>VoID</a> · <a href=/organisations>Organisations</a></header>"
        f"<main>{body}</main></body></html>"
    )


def policy_html(store: ox.Store, s: PolicySummary, base: str) -> str:
    """A policy version's page: its statements grouped, each with its quotes from its own text."""
    return page(s.title, policy_body(store, s, base))


def policy_body(store: ox.Store, s: PolicySummary, base: str) -> str:
    """The inside of :func:`policy_html`'s page (what a draft's page puts under its banner)."""
    iri = s.notice
    parts = [
        (
            f"<h1>{html.escape(s.title)}</h1><p class=iri>{html.escape(iri)} · "
            f"<a href='/?policy={urlquote(iri, safe='')}#graph'>graph view</a> · "
            f"<a href='/resource?iri={urlquote(iri, safe='')}&format=turtle'>Turtle</a>"
            + (f" · {link(s.source, base, 'source text')}" if s.source else "")
            + "</p>"
            + (origin_html(store, s.source) if s.source else "")
        ),
        "<h2>The document and its controller</h2><table class=facts>",
    ]
    from .versions_html import version_links_html

    parts.insert(1, version_links_html(store, iri, base))  # the timeline and the diffs of its policy
    labels = Labels(store)
    graph = notice_graph(store, iri)
    types = sorted(
        {
            q.object.value
            for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, graph)
            if isinstance(q.object, ox.NamedNode)
        }
    )
    if types:
        parts.append("<tr><th>type</th><td>" + ", ".join(link(t, base, labels(t)) for t in types) + "</td></tr>")
    for what, fi, text, evs in s.facts:
        val = link(fi, base, text) if fi else html.escape(text)
        parts.append(f"<tr><th>{html.escape(what)}</th><td>{val}{quotes_html(evs, base)}</td></tr>")
    parts.append("</table>")
    for title, items in (
        ("Organisations and people", s.entities),
        ("Processing activities", s.processes),
        ("What the policy says is not done", s.prohibitions),
        ("Cookies and other technologies", s.technologies),
    ):
        parts.append(f"<h2>{title} ({len(items)})</h2>")
        parts.extend(node_html(n, base) for n in items)
    return "".join(parts)


def origin_html(store: ox.Store, source: str) -> str:
    """The licence, attribution and published file of a source text (from its ``origin:``), as a
    paragraph; empty when the annotation gives none."""
    node = ox.NamedNode(source)
    licence = first_asserted(store, node, ns.DCT + "license")
    if not licence:
        return ""
    published = first_asserted(store, node, ns.DCT + "source")
    attribution = first_asserted(store, node, ns.PKG + "attribution")
    rendered = first_asserted(store, node, ns.PKG + "quotedRendering")
    parts = [
        f"Text: {html.escape(attribution)}" if attribution else "Text",
        f"licence <a href='{html.escape(licence)}' rel=license>{html.escape(licence)}</a>",
    ]
    if published:
        parts.append(f"published at <a href='{html.escape(published)}'>{html.escape(published)}</a>")
    if rendered:
        parts.append(f"quoted in its plain-text rendering ({html.escape(rendered)})")
    return "<p class=licence>" + " · ".join(parts) + "</p>"


def source_html(src: SourceText, base: str, span: tuple[int, int] | None = None) -> str:
    """The source text as a page, the quoted span (character offsets, as the evidence's
    ``oa:TextPositionSelector``) marked as ``#quote`` so that links scroll to it."""
    text = src.text
    links = [link(src.notice, base, "the policy's page")] if src.notice else []
    links += ["<a href='?format=text'>raw text</a>", "<a href='?format=turtle'>Turtle</a>"]
    head = (
        f"<h1>{html.escape(src.label)}</h1><p class=iri>{html.escape(src.iri)} · {' · '.join(links)}</p>"
        + src.origin_html
    )
    if span is None:
        return page(src.label, f"{head}<pre class=source-text>{html.escape(text)}</pre>")
    start, end = span
    marked = f"{html.escape(text[:start])}<mark id=quote>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"
    note = f"<p class=note>Characters {start}–{end} marked: <a href='#quote'>go to the quote</a>.</p>"
    return page(src.label, f"{head}{note}<pre class=source-text>{marked}</pre>")


def vocabulary_html(store: ox.Store, namespace: str, base: str) -> str:
    """One page for a hash namespace: a section per term, anchored by its local name, so that
    ``<namespace>Term`` dereferences to ``/ns#Term``."""
    labels = Labels(store)
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for t in vocabulary_triples(store, namespace):
        by_subject[t.subject.value].append(t)
    parts = [
        (
            f"<h1>The privacykg vocabulary</h1><p class=iri>{html.escape(namespace)}</p>"
            f"<p>Terms privacykg adds where DPV 2.3 has none, each under the nearest DPV concept "
            f"({len(by_subject)} terms and resources).</p>"
        )
    ]
    for iri in sorted(by_subject, key=lambda i: i.lower()):
        local = iri[len(namespace) :]
        rows = []
        for t in sorted(by_subject[iri], key=lambda t: (t.predicate.value, str(t.object))):
            o = t.object
            val = link(o.value, base, labels(o.value)) if isinstance(o, ox.NamedNode) else html.escape(o.value)
            rows.append(
                f"<tr><th>{link(t.predicate.value, base, ns.compact(t.predicate.value))}</th><td>{val}</td></tr>"
            )
        title = labels(iri)
        parts.append(
            f"<section class=node id='{html.escape(local, quote=True)}'><h3>{html.escape(title)}</h3>"
            f"<p class=iri>{html.escape(iri)}</p><table>{''.join(rows)}</table></section>"
        )
    return page("privacykg vocabulary", "".join(parts))
