"""The ``/organisations`` page and its JSON form: every organisation, the policies naming it
(controller, versions) and the roles each gives it, filtered by name. Everything shown is
HTML-escaped; the rows come from :mod:`privacykg.organisations`.
"""

from __future__ import annotations

import html
from urllib.parse import quote as urlquote

from . import namespaces as ns
from . import organisations as orgs_mod
from .organisations import Found, Organisation, PolicyUse, Role, organisations
from .pages_html import href, link, page
from .versions_html import timeline_href


def _role_html(r: Role, use: PolicyUse, base: str) -> str:
    terms = ", ".join(f'<a href="{html.escape(href(t, base))}">{html.escape(ns.compact(t))}</a>' for t in r.terms)
    when = ""
    if r.versions != use.versions:  # given in some of the versions naming the organisation only
        span = r.versions[0] if len(r.versions) == 1 else f"{r.versions[0]} – {r.versions[-1]}"
        when = f" <span class=offsets>{len(r.versions)} version{'s' if len(r.versions) != 1 else ''}: {html.escape(span)}</span>"
    return f"<li><b>{html.escape(r.text)}</b> <span class=iri>({terms})</span>{when}</li>"


def _versions_html(use: PolicyUse) -> str:
    n, total = len(use.versions), use.total_versions
    of = f"{n} of {total} versions" if total > 1 else "its only version"
    return f'{html.escape(use.span)}<br><a class=offsets href="{html.escape(timeline_href(use.policy))}">{of}</a>'


def _use_row(use: PolicyUse, base: str) -> str:
    who = html.escape(use.controller) or html.escape(use.policy)
    return (
        f"<tr><td>{link(use.notice, base, use.title or use.policy)}<br><span class=iri>{who} · "
        f"{html.escape(use.policy)}</span></td><td>{_versions_html(use)}</td>"
        f"<td><ul class=roles>{''.join(_role_html(r, use, base) for r in use.roles)}</ul></td></tr>"
    )


def _organisation_html(o: Organisation, base: str) -> str:
    n = len(o.policies)
    rows = "".join(_use_row(u, base) for u in o.policies)
    table = (
        "<div class=wide><table class='facts organisations'><tr><th>policy (controller · slug)</th><th>versions naming it</th>"
        f"<th>role</th></tr>{rows}</table></div>"
        if rows
        else "<p class=reading>No stored policy version names it.</p>"
    )
    return (
        f"<section class=node><h3>{link(o.iri, base, o.name)}</h3>"
        f"<p class=iri>{html.escape(o.iri)} · named by {n} polic{'ies' if n != 1 else 'y'}</p>{table}</section>"
    )


def _form_html(q: str) -> str:
    return (
        "<form method=get action=/organisations class=actions><label>Name contains "
        f"<input name=q value='{html.escape(q, quote=True)}' placeholder='e.g. google'></label>"
        "<button>Filter</button> <a href=/organisations>all</a> · "
        f"<a href='/api/organisations?q={html.escape(urlquote(q, safe=''), quote=True)}'>JSON</a></form>"
    )


def _pages_href(path: str, q: str, offset: int) -> str:
    return f"{path}?q={urlquote(q, safe='')}&offset={offset}"


def _count_html(found: Found, q: str) -> str:
    """How many match, which are shown, and links to the pages before and after."""
    if not found.total:
        return f"<p class=note>No organisation matches “{html.escape(q)}”.</p>"
    n, shown = found.total, len(found.organisations)
    text = f"{n} organisation{'s' if n != 1 else ''}"
    text += f" whose name contains “{html.escape(q)}”" if q else " named in the graph"
    if shown < n:
        text += f"; {found.offset + 1}–{found.offset + shown} shown"
    links = []
    if found.offset > 0:
        before = max(0, found.offset - orgs_mod.PAGE_SIZE)
        links.append(f'<a rel=prev href="{html.escape(_pages_href("/organisations", q, before))}">previous</a>')
    if found.offset + shown < n:
        after = found.offset + shown
        links.append(f'<a rel=next href="{html.escape(_pages_href("/organisations", q, after))}">next</a>')
    return f"<p class=pager>{text}." + (" " + " · ".join(links) if links else "") + "</p>"


def organisations_page(found: Found, q: str, base: str) -> str:
    """The page listing one page of the organisations matching ``q``."""
    intro = (
        "<h1>Organisations and the policies that name them</h1>"
        "<p class=reading>For each organisation, the policies naming it and the role each gives it, read from "
        "the policy graphs (the property pointing at it, such as dpv:hasRecipient, or the type the policy "
        "states). A policy's versions are grouped; a role given in some of them only says in which.</p>"
    )
    orgs = "".join(_organisation_html(o, base) for o in found.organisations)
    return page("Organisations", intro + _form_html(q) + _count_html(found, q) + orgs)


def organisations_html(store, base: str, q: str = "", offset: int = 0) -> str:
    return organisations_page(organisations(store, base, q, offset), q, base)


def _organisation_json(o: Organisation, base: str) -> dict:
    return {
        "iri": o.iri,
        "page": href(o.iri, base),
        "name": o.name,
        "policies": [
            {
                "policy": u.policy,
                "controller": u.controller,
                "title": u.title,
                "newest_notice": u.notice,
                "versions": u.versions,
                "total_versions": u.total_versions,
                "roles": [{"role": r.text, "terms": r.terms, "versions": r.versions} for r in u.roles],
            }
            for u in o.policies
        ],
    }


def organisations_json(store, base: str, q: str = "", offset: int = 0) -> dict:
    """The same page as JSON-ready dicts: how many match, from where, and each organisation's
    IRI, page, name and policies; ``next`` the link to the following page (absent at the end)."""
    found = organisations(store, base, q, offset)
    out = {
        "total": found.total,
        "offset": found.offset,
        "organisations": [_organisation_json(o, base) for o in found.organisations],
    }
    if found.offset + len(found.organisations) < found.total:
        out["next"] = _pages_href("/api/organisations", q, found.offset + len(found.organisations))
    return out
