"""A resource's page (``resource_html``: its description, what each policy says of it with its
quotes, the inferred triples folded) and ``describe_html``, the page of any IRI: a policy
version's page or a resource's.
"""

from __future__ import annotations

import html

import pyoxigraph as ox

from . import namespaces as ns
from .evidence import Labels, PolicyRef
from .pages_html import link, page, policy_html, quotes_html
from .resource_view import PolicySection, ResourceView, Row, policy_of, resource_view
from .summary import policy_summary


def _value_html(o, base: str, labels: Labels) -> str:
    if isinstance(o, ox.NamedNode):
        return link(o.value, base, labels(o.value))
    return html.escape(o.value)


def _pred_html(p: str, base: str, incoming: bool) -> str:
    a = link(p, base, ns.compact(p))
    return f"is {a} of" if incoming else a


def _policy_link(ref: PolicyRef, base: str) -> str:
    return link(ref.notice, base, ref.heading)


def _description_html(view: ResourceView, base: str) -> str:
    """The resource's asserted triples, each with the policies stating it (said once above the
    table when every row has the same ones)."""
    ref_sets = {tuple(refs) for _, _, refs in view.description}
    common = next(iter(ref_sets)) if len(ref_sets) == 1 else ()
    lead = f"<p class=stated-by>As stated in {'; '.join(_policy_link(r, base) for r in common)}.</p>" if common else ""
    rows = []
    for p, o, refs in view.description:
        who = ""
        if refs and not common:
            who = " <span class=stated-by>stated in " + "; ".join(_policy_link(r, base) for r in refs) + "</span>"
        rows.append(f"<tr><th>{_pred_html(p, base, False)}</th><td>{_value_html(o, base, view.labels)}{who}</td></tr>")
    for r in view.related:
        rows.append(
            f"<tr><th>{_pred_html(r.predicate, base, True)}</th><td>{_value_html(r.other, base, view.labels)}</td></tr>"
        )
    return lead + (f"<table class=facts>{''.join(rows)}</table>" if rows else "")


def _row_html(r: Row, base: str, labels: Labels) -> str:
    quotes = quotes_html(r.quotes, base)
    if r.context:
        quotes += (
            f"<details class=context><summary>its quotes ({len(r.context)})</summary>"
            f"{quotes_html(r.context, base)}</details>"
        )
    return f"<tr><th>{_pred_html(r.predicate, base, r.incoming)}</th><td>{_value_html(r.other, base, labels)}{quotes}</td></tr>"


def _section_html(sec: PolicySection, base: str, labels: Labels) -> str:
    ref = sec.policy
    rows = "".join(_row_html(r, base, labels) for r in sec.rows)
    return (
        f"<section class=policy data-graph='{html.escape(ref.graph, quote=True)}' "
        f"data-source='{html.escape(ref.source, quote=True)}'>"
        f"<h3>{_policy_link(ref, base)}</h3>"
        + (f"<table class=facts>{rows}</table>" if rows else "")
        + quotes_html(sec.quotes, base)
        + "</section>"
    )


def _by_policy(sections: list[PolicySection]) -> list[list[PolicySection]]:
    """The sections of each policy (every version of it, :func:`policy_of`), in the order the policies come."""
    groups: dict[str, list[PolicySection]] = {}
    for sec in sections:
        groups.setdefault(policy_of(sec), []).append(sec)
    return list(groups.values())


def _earlier_html(sec: PolicySection, base: str, labels: Labels) -> str:
    """An earlier version, folded: what it says that its next version no longer says (with its
    quotes), the rest counted."""
    newer = html.escape(sec.newer.version)  # set by resource_view for every version but the newest
    n = len(sec.rows) + sec.unchanged
    return (
        f"<details class=earlier-version><summary>version {html.escape(sec.policy.version)}: {n} statements, "
        f"{len(sec.rows)} of them no longer in version {newer}</summary>{_section_html(sec, base, labels)}"
        f"<p class=unchanged>{sec.unchanged} statements of this version are made by version {newer} too "
        "(this version's quotes for them: its page).</p></details>"
    )


def _versions_html(group: list[PolicySection], base: str, labels: Labels) -> str:
    """One policy's sections: a single version as it is; of several, the newest open and each
    earlier one folded, showing what its next version no longer says (a long history stays readable)."""
    if len(group) == 1:
        return _section_html(group[0], base, labels)
    newest = sorted(group, key=lambda s: s.policy.version, reverse=True)
    versions = [s.policy.version for s in newest]
    folded = "".join(_earlier_html(s, base, labels) for s in newest[1:])
    return (
        f"<div class=policy-versions><h3 class=versions>{html.escape(newest[0].policy.name)}: "
        f"{len(group)} versions, {html.escape(versions[-1])} to {html.escape(versions[0])}</h3>"
        f"{_section_html(newest[0], base, labels)}{folded}</div>"
    )


def _inferred_html(view: ResourceView, base: str) -> str:
    if not view.inferred:
        return ""
    n = sum(len(rows) for _, rows in view.inferred)
    parts = [
        f"<details class=inferred><summary>Inferred ({n}): entailed by the vocabulary, not stated as such</summary>",
        (
            "<p class=reading>The build materialises what DPV's hierarchy entails (super-properties, "
            "super-classes, closures) so that queries need no reasoner. These triples are true in "
            "DPV's terms but are not what any policy says: each row gives the statement it comes from.</p>"
        ),
    ]
    for whose, rows in view.inferred:
        body = "".join(
            f"<tr><th>{_pred_html(r.predicate, base, r.incoming)}</th>"
            f"<td>{_value_html(r.other, base, view.labels)}"
            f"<span class=reason>{html.escape(r.reason)}</span></td></tr>"
            for r in rows
        )
        parts.append(f"<h3>{html.escape(whose)}</h3><table class=facts>{body}</table>")
    return "".join(parts) + "</details>"


def resource_html(view: ResourceView, base: str) -> str:
    """A resource's page: its description, then what each policy says of it (with its quotes,
    each linked to its place in the text), then the inferred triples, folded."""
    iri = view.iri
    dpv_note = (
        f"<p>A DPV term: <a class=ext href='{html.escape(iri)}'>its DPV documentation</a>.</p>"
        if ns.is_dpv_iri(iri)
        else ""
    )
    parts = [
        f"<h1>{html.escape(view.title)}</h1><p class=iri>{html.escape(iri)}</p>{dpv_note}",
        _description_html(view, base),
    ]
    if view.sections:
        groups, n = _by_policy(view.sections), len(view.sections) + view.more_sections
        count = f"{len(groups)} policies, {n} versions" if len(groups) < len(view.sections) else str(n)
        parts.append(f"<h2>What each policy says ({count})</h2>")
        parts.extend(_versions_html(g, base, view.labels) for g in groups)
    if view.more_sections:
        parts.append(f"<p class=note>… and {view.more_sections} more policies: ask the SPARQL endpoint.</p>")
    parts.append(_inferred_html(view, base))
    return page(view.title, "".join(parts))


# ---------------------------------------------------------------------------- source texts


def describe_html(store: ox.Store, iri: str, base: str) -> str | None:
    """The HTML page of an IRI: a policy version's page, or a resource's page grouped by policy."""
    s = policy_summary(store, iri)
    if s is not None:
        return policy_html(store, s, base)
    view = resource_view(store, iri)
    return resource_html(view, base) if view is not None else None
