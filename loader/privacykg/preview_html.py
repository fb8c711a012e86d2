"""The pages of annotation files that are not in the store (drafts above all), for review: a
folder's list, one file's page (the store's policy page over :func:`privacykg.build.preview`'s
in-memory store, under a draft banner and its warnings) and the page of a file that fails its
checks (each problem with its file, line, field and hint). Everything shown is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote as urlquote

import pyoxigraph as ox

from .errors import Problem
from .evidence import find_notice
from .pages_html import page, policy_body
from .summary import policy_summary

if TYPE_CHECKING:
    from .build import Report

BANNER = "DRAFT — not reviewed: every statement is a suggestion to check against the text"
KEY_RE = re.compile(r"^(?P<policy>.+)-(?P<version>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Preview:
    """One file as :func:`~privacykg.build.preview` saw it: its store and report, or the problems
    that refused it (``problems`` non-empty, ``store`` and ``report`` None)."""

    name: str
    store: ox.Store | None = None
    report: Report | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def key(self) -> str | None:
        return self.report.policies[0] if self.report and self.report.policies else None

    @property
    def draft_marks(self) -> list[Problem]:
        """The ``draft`` warnings: where the file says it is a draft."""
        return [w for w in self.report.warnings if w.rule == "draft"] if self.report else []

    @property
    def warnings(self) -> list[Problem]:
        """The warnings besides the draft mark."""
        return [w for w in self.report.warnings if w.rule != "draft"] if self.report else []


def _where(p: Problem) -> str:
    return html.escape(Path(p.file).name + (f":{p.line}" if p.line else ""))


def _href(name: str) -> str:
    return "/drafts/" + urlquote(name, safe="")


def _status_cells(p: Preview) -> str:
    if p.problems:
        shown = "".join(f"<li>{_where(q)}: {html.escape(q.message)}</li>" for q in p.problems[:3])
        more = f"<li>… and {len(p.problems) - 3} more</li>" if len(p.problems) > 3 else ""
        return f"<td>?</td><td>?</td><td class=error>refused:<ul>{shown}{more}</ul></td>"
    draft = "<strong>draft</strong>" if p.draft_marks else "reviewed"
    return f"<td>{draft}</td><td>{len(p.warnings)}</td><td>valid</td>"


def drafts_index_html(previews: list[Preview]) -> str:
    """The folder's files, each with its policy and version, whether it is a draft, its count of
    warnings, or the first problems of a file its checks refuse."""
    rows = []
    for p in previews:
        m = KEY_RE.match(p.key or "")
        policy, version = (m["policy"], m["version"]) if m else ("?", "?")
        rows.append(
            f"<tr><td><a href='{html.escape(_href(p.name))}'>{html.escape(p.name)}</a></td>"
            f"<td>{html.escape(policy)}</td><td>{html.escape(version)}</td>{_status_cells(p)}</tr>"
        )
    body = (
        "<h1>Drafts</h1><p>Annotation files that are not in the store, checked as "
        "<code>privacykg validate</code> checks them and shown from memory: nothing is built.</p>"
    )
    if not rows:
        return page("Drafts", body + "<p>The folder holds no <code>*.yaml</code> file.</p>")
    head = "<tr><th>file</th><th>policy</th><th>version</th><th>draft</th><th>warnings</th><th>checks</th></tr>"
    return page("Drafts", body + f"<table>{head}{''.join(rows)}</table>")


def _warnings_html(warnings: list[Problem]) -> str:
    if not warnings:
        return ""
    items = "".join(
        f"<li><code>{_where(w)}</code>: {html.escape(w.message)}"
        + (f" <span class=hint>({html.escape(w.hint)})</span>" if w.hint else "")
        + "</li>"
        for w in warnings
    )
    return f"<section class=warnings><h2>Warnings ({len(warnings)})</h2><ul>{items}</ul></section>"


def draft_html(p: Preview, base: str) -> str | None:
    """A valid file's page: the store's policy page, under the draft banner (when it is a draft)
    and its warnings; None when its store holds no policy page."""
    s = policy_summary(p.store, find_notice(p.store, p.key))
    if s is None:
        return None
    banner = "".join(
        f"<p class=draft-banner><strong>{html.escape(BANNER)}</strong> ({_where(w)})</p>" for w in p.draft_marks
    )
    head = f"<p class=iri>file <code>{html.escape(p.name)}</code> · <a href=/drafts>all drafts</a></p>"
    return page(f"{s.title} ({p.name})", banner + head + _warnings_html(p.warnings) + policy_body(p.store, s, base))


def problems_html(p: Preview) -> str:
    """The page of a file its checks refuse: each problem with its file, line, field and hint."""
    rows = "".join(
        f"<tr><td>{html.escape(Path(q.file).name)}</td><td>{q.line or ''}</td><td>{html.escape(q.field or '')}</td>"
        f"<td>{html.escape(q.message)}</td><td>{html.escape(q.hint or '')}</td></tr>"
        for q in p.problems
    )
    return page(
        f"{p.name}: refused",
        f"<h1>{html.escape(p.name)} does not pass its checks</h1>"
        f"<p>{len(p.problems)} problem(s), as <code>privacykg validate</code> reports them · "
        f"<a href=/drafts>all drafts</a></p>"
        f"<table class=problems><tr><th>file</th><th>line</th><th>field</th><th>problem</th><th>hint</th></tr>"
        f"{rows}</table>",
    )
