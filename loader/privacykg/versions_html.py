"""The pages of a policy's history: its timeline (``/timeline/<policy>``: the versions by date,
each with the facts added, removed and changed against the one before and a link to that diff),
a diff (``/diff/<policy>/<old>/<new>``: the facts with their quotes) and the links to both on a
policy version's page. Everything shown is HTML-escaped; the facts come from
:mod:`privacykg.versions`.
"""

from __future__ import annotations

import html
from urllib.parse import quote as urlquote

import pyoxigraph as ox

from . import namespaces as ns
from .pages_html import link, page, quote_html
from .versions import Change, Diff, diff, timeline, versions

_KIND_WORDS = {"added": "Added", "removed": "Removed", "changed": "Changed"}
_KIND_NOTES = {
    "added": "in the new version only, with its quotes from the new text",
    "removed": "in the old version only, with its quotes from the old text",
    "changed": "in both, with quotes whose words differ: before, then after",
}


def timeline_href(policy: str) -> str:
    return "/timeline/" + urlquote(policy, safe="")


def diff_href(policy: str, old: str, new: str) -> str:
    return "/diff/" + "/".join(urlquote(x, safe="") for x in (policy, old, new))


def _counts_html(counts: dict[str, int]) -> str:
    return (
        f"<span class=added>+{counts['added']}</span> · <span class=removed>−{counts['removed']}</span> · "
        f"<span class=changed>~{counts['changed']}</span>"
    )


def timeline_html(store, policy: str, base: str) -> str:
    """The timeline page of ``policy``; raises UsageError for an unknown policy."""
    entries = timeline(store, policy)
    rows = []
    for e in entries:
        v = e.version
        if e.counts is None:
            against = "<td colspan=2>the first version stored</td>"
        else:
            against = (
                f"<td>{_counts_html(e.counts)}</td>"
                f'<td><a href="{html.escape(diff_href(policy, e.previous.version, v.version))}">'
                f"changes since {html.escape(e.previous.version)}</a></td>"
            )
        rows.append(f"<tr><th>{link(v.notice, base, v.version)}</th><td>{html.escape(v.title)}</td>{against}</tr>")
    body = (
        f"<h1>{html.escape(policy)}: {len(entries)} version{'s' if len(entries) != 1 else ''}</h1>"
        "<p class=reading>Each version against the one before it: facts added (+), removed (−) and changed (~, "
        "the same fact quoted in other words).</p>"
        "<table class='facts timeline'><tr><th>version</th><th>title</th><th>against the previous</th><th></th></tr>"
        + "".join(rows)
        + "</table>"
    )
    return page(f"{policy}: versions", body)


def _term_html(text: str, iri: str, base: str, label: str = "") -> str:
    if iri:
        shown = f"{text} ({label})" if label and label != text else text
        return link(iri, base, shown)
    return html.escape(text)


def _quotes_block(c: Change, base: str) -> str:
    old_words, new_words = {e.exact for e in c.old_quotes}, {e.exact for e in c.new_quotes}
    if c.kind == "changed":
        before = [e for e in c.old_quotes if e.exact not in new_words]
        after = [e for e in c.new_quotes if e.exact not in old_words]
        return (
            "<div class=before><span class=when>before</span>"
            + "".join(quote_html(e, base) for e in before)
            + "</div><div class=after><span class=when>after</span>"
            + "".join(quote_html(e, base) for e in after)
            + "</div>"
        )
    evs = c.new_quotes if c.kind == "added" else c.old_quotes
    return "".join(quote_html(e, base) for e in evs)


def _change_row(c: Change, base: str) -> str:
    subject_iri = c.old_iri if c.kind == "removed" else c.new_iri
    return (
        f"<tr class={c.kind}><th>{_term_html(c.subject, subject_iri, base)}</th>"
        f"<td>{html.escape(c.predicate)}</td>"
        f"<td>{_term_html(c.object, c.object_iri, base, c.object_label)}{_quotes_block(c, base)}</td></tr>"
    )


def diff_page_html(d: Diff, base: str) -> str:
    n = d.counts
    head = (
        f"<h1>{html.escape(d.policy)}: {html.escape(d.old.version)} → {html.escape(d.new.version)}</h1>"
        f"<p class=iri>{link(d.old.notice, base, 'version ' + d.old.version)} · "
        f"{link(d.new.notice, base, 'version ' + d.new.version)} · "
        f'<a href="{html.escape(timeline_href(d.policy))}">all versions</a></p>'
        f"<p>{n['added']} added, {n['removed']} removed, {n['changed']} changed.</p>"
    )
    parts = [head]
    for kind in ("added", "removed", "changed"):
        items = d.of(kind)
        parts.append(
            f"<h2>{_KIND_WORDS[kind]} ({len(items)})</h2><p class=reading>{html.escape(_KIND_NOTES[kind])}</p>"
        )
        if items:
            parts.append(
                "<table class='facts diff'><tr><th>subject</th><th>predicate</th><th>object</th></tr>"
                + "".join(_change_row(c, base) for c in items)
                + "</table>"
            )
    return page(f"{d.policy}: {d.old.version} → {d.new.version}", "".join(parts))


def diff_html(store, policy: str, old: str, new: str, base: str) -> str:
    """The diff page; raises UsageError for an unknown policy or version."""
    return diff_page_html(diff(store, policy, old, new), base)


def version_links_html(store, notice: str, base: str) -> str:
    """For a policy version's page: its place among the versions of its policy, with links to
    the timeline and to the changes since the version before (empty when not a notice)."""
    slugs = [
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(notice), ox.NamedNode(ns.PKG + "policySlug"), None, None)
    ]
    if not slugs:
        return ""
    policy = slugs[0]
    found = versions(store, policy)
    at = next((i for i, v in enumerate(found) if v.notice == notice), None)
    links = [
        (
            f'<a class=timeline href="{html.escape(timeline_href(policy))}">'
            f"{len(found)} version{'s' if len(found) != 1 else ''} of {html.escape(policy)}</a>"
        )
    ]
    if at:
        prev = found[at - 1]
        links.append(
            f'<a class=diff href="{html.escape(diff_href(policy, prev.version, found[at].version))}">'
            f"changes since {html.escape(prev.version)}</a>"
        )
    if at is not None and at + 1 < len(found):
        nxt = found[at + 1]
        links.append(
            f'<a class=diff href="{html.escape(diff_href(policy, found[at].version, nxt.version))}">'
            f"changes in {html.escape(nxt.version)}</a>"
        )
    return "<p class=versions>" + " · ".join(links) + "</p>"
