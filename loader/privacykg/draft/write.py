"""The draft annotation file: our format, marked ``draft: true``, the suggestions grouped by
heading into candidate processes (a heading's group cut where a paragraph brings a new purpose),
every value with its quote as ``{text, at}`` and a comment giving its band and reason, and a
checklist at the top."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..carry import yaml_quoted
from .cookies import Cookie
from .corpus import Organisation
from .notice import NOTICE_DATE_FIELDS, NoticeFact, one_value
from .suggest import Suggestion

PROCESS_FIELD = {
    "purpose": "hasPurpose",
    "personal-data": "hasPersonalData",
    "data-subject": "hasDataSubject",
    "recipient": "hasRecipient",
    "organisation": "hasRecipient",
    "legal-basis": "hasLegalBasis",
    "transfer": "hasLegalBasis",
    "country": "hasThirdCountry",
    "outside": "isOutsideOfLocation",
    "technology": "isImplementedUsingTechnology",
    "cookie": "isImplementedUsingTechnology",
}
FIELD_ORDER = [
    "hasPurpose",
    "hasPersonalData",
    "hasDataSubject",
    "hasRecipient",
    "hasLegalBasis",
    "hasThirdCountry",
    "isOutsideOfLocation",
    "isImplementedUsingTechnology",
]
PLACEHOLDER = {"hasPurpose": "dpv:Purpose", "hasPersonalData": "dpv:PersonalData"}


@dataclass
class Header:
    policy: str
    version: str
    source: str
    title: str
    controller_key: str
    controller_name: str
    controller_quote: tuple[int, str]  # (at, text)
    controller_location: str | None = None
    notice: list[NoticeFact] = field(default_factory=list)  # dates and the notice's other statements
    notes: list[str] = field(default_factory=list)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    cookies: list[Cookie] = field(default_factory=list)
    dpo: tuple[tuple[int, str], list[str]] | None = None  # (at, statement), e-mail addresses


def quote(at: int, text: str) -> str:
    return "{text: " + yaml_quoted(text) + f", at: {at}}}"


def _comment(s: Suggestion) -> str:
    return f"  # {s.band}: {s.reason}".replace("\n", " ")


def _values(name: str, items: list[Suggestion], indent: str) -> list[str]:
    """One list item per term, with every statement quoting it."""
    lines = [f"{indent}{name}:"]
    by_term: dict[str, list[Suggestion]] = {}
    for s in items:
        by_term.setdefault(s.term, []).append(s)
    for term, ss in by_term.items():
        best = max(ss, key=lambda s: s.band == "high")
        spans = list(dict.fromkeys((s.start, s.statement.text) for s in ss))
        quotes = ", ".join(quote(a, t) for a, t in spans)
        lines.append(f"{indent}  - {{value: {term}, quotes: [{quotes}]}}" + _comment(best))
    return lines


def _storage(items: list[Suggestion], indent: str) -> list[str]:
    lines = [f"{indent}hasStorageCondition:"]
    for s in items:
        lines.append(
            f"{indent}  - {{duration: {s.term}, description: {yaml_quoted(s.description or s.term)}, "
            f"quote: {quote(s.start, s.statement.text)}}}" + _comment(s)
        )
    return lines


def process_lines(key: str, label: str, items: list[Suggestion]) -> list[str]:
    lines = [f"  {key}:", f"    label: {yaml_quoted(label)}"]
    spans = sorted({(s.start, s.statement.text) for s in items if not s.shared})
    lines.append("    quotes:")
    lines += [f"      - {quote(a, t)}" for a, t in spans]
    for fld in FIELD_ORDER:
        mine = [s for s in items if PROCESS_FIELD.get(s.family) == fld]
        if mine:
            lines += _values(fld, mine, "    ")
        elif fld in PLACEHOLDER:
            lines += [
                (
                    f"    {fld}: [{PLACEHOLDER[fld]}]  # placeholder: nothing suggested in its statements; "
                    "name it, or merge this candidate into another"
                )
            ]
    retention = [s for s in items if s.family == "retention"]
    if retention:
        lines += _storage(retention, "    ")
    return lines


NOTICE_ONE = ("responseTime", "respondsToDoNotTrack")  # one value, written as a mapping
NOTICE_LISTS = ("hasAuthority", "hasFee", "rightsExercise", "complaint")  # text: the quote is the value


def _notice_value(value: str, facts: list[NoticeFact]) -> str:
    """``{value, [modality, condition,] quotes}`` of the facts stating one value, with its band and reason."""
    f = max(facts, key=lambda f: f.band == "high")
    shown = yaml_quoted(value) if f.field in ("rightsExercise", "complaint") else value
    marks = f", modality: {f.modality}" if f.modality else ""
    if f.condition:
        marks += f", condition: {quote(*f.condition)}"
    quotes = ", ".join(quote(a, t) for a, t in dict.fromkeys((g.start, g.quote) for g in facts))
    return f"{{value: {shown}{marks}, quotes: [{quotes}]}}  # {f.band}: {f.reason}".replace("\n", " ")


def notice_lines(facts: list[NoticeFact], rights: list[Suggestion]) -> list[str]:
    """The ``notice:`` block: its dates, the rights, then the notice's other statements."""
    lines = []
    for fld in NOTICE_DATE_FIELDS:
        f = next((f for f in facts if f.field == fld), None)
        if f:
            lines.append(f"  {fld}: {{value: {f.value}, quote: {quote(f.start, f.quote)}}}  # {f.band}: {f.reason}")
    if rights:
        lines += _values("hasRight", rights, "  ")
    for fld in NOTICE_ONE:
        mine = one_value(facts, fld)
        if mine:
            lines.append(f"  {fld}: " + _notice_value(mine[0].value, mine))
    for fld in NOTICE_LISTS:
        groups: dict[tuple, list[NoticeFact]] = {}
        for f in facts:
            if f.field == fld:
                groups.setdefault((f.value, f.modality, f.condition), []).append(f)
        if groups:
            lines.append(f"  {fld}:")
            lines += [f"    - {_notice_value(key[0], ss)}" for key, ss in groups.items()]
    return ["notice:", *lines, ""] if lines else []


def candidate_groups(suggestions: list[Suggestion]) -> list[list[Suggestion]]:
    """The candidate processes: the suggestions (rights and prohibitions aside) grouped by the
    heading their statement sits under, each heading's group split into its activities
    (:func:`activities`), each part naming no data subject given those its heading's other parts
    name (:func:`shared_subjects`); a group suggesting only ``dpv:PersonalData`` says nothing about
    a process and is dropped, unless no group says more (then the last one is kept)."""
    groups: dict[int, list[Suggestion]] = {}
    for s in suggestions:
        if s.family != "right" and not s.prohibited:
            groups.setdefault(s.statement.heading_at, []).append(s)
    parts = [part for g in groups.values() for part in shared_subjects(activities(g))]
    kept = [g for g in parts if any(s.term != "dpv:PersonalData" for s in g)]
    return kept or parts[-1:]


def activities(items: list[Suggestion]) -> list[list[Suggestion]]:
    """One heading's suggestions (in the order of the text) cut where a paragraph, list item or
    table row suggests a purpose the part before it does not: one part per processing activity,
    as far as the purposes tell (those read in the heading aside). A paragraph is never cut, and
    one suggesting no new purpose (the data, the recipients of the activity before it) goes with
    the part before it; what comes before the heading's first purpose goes with the first part."""
    lines: dict[int, list[Suggestion]] = {}
    for s in items:
        lines.setdefault(s.statement.line_at, []).append(s)
    parts: list[list[Suggestion]] = []
    purposes: set[str] = set()  # the current part's
    for line in lines.values():
        own = {s.term for s in line if s.family == "purpose" and not s.from_heading}
        if not parts or (purposes and own - purposes):
            parts.append([])
            purposes = set()
        parts[-1] += line
        purposes |= own
    return parts


def shared_subjects(parts: list[list[Suggestion]]) -> list[list[Suggestion]]:
    """The parts of one heading, each naming no data subject given those the others name (a
    section says once whose data it is about: "If you visit our website ..."), marked ``shared``:
    values quoting the statement that names them, not statements of the part."""
    out = []
    for i, part in enumerate(parts):
        if len(parts) > 1 and not any(s.family == "data-subject" for s in part):
            said = [s for j, other in enumerate(parts) if j != i for s in other if s.family == "data-subject"]
            why = "named by another candidate of the heading; "
            part = part + [replace(s, reason=why + s.reason, shared=True) for s in said]
        out.append(part)
    return out


def candidate_labels(groups: list[list[Suggestion]], labels: dict[str, str]) -> list[tuple[str, str]]:
    """Each candidate's label and what tells it from the other candidates of its heading: the
    heading alone where it has one candidate; else the heading and the label of the first purpose
    the candidate before it does not have (of the high band, if any), numbered (2), (3) ... where
    that repeats."""
    per_heading = Counter(g[0].statement.heading_at for g in groups)
    out, seen = [], Counter()
    for i, g in enumerate(groups):
        heading = g[0].statement.heading or "Candidate process (before the first heading)"
        purposes = [s for s in g if s.family == "purpose"]
        if i and groups[i - 1][0].statement.heading_at == g[0].statement.heading_at:
            before = {s.term for s in groups[i - 1] if s.family == "purpose"}
            purposes = [s for s in purposes if s.term not in before] or purposes
        if per_heading[g[0].statement.heading_at] == 1:
            out.append((heading, ""))
            continue
        first = min(purposes, key=lambda s: s.band != "high", default=None)  # the first of the high band
        said = labels.get(first.term, first.term) if first else ""
        label = f"{heading}: {said[:1].upper()}{said[1:]}" if said else heading
        seen[label] += 1
        out.append((label if seen[label] == 1 else f"{label} ({seen[label]})", said))
    return out


def placeholder_process_lines(h: Header) -> list[str]:
    """The process a draft holds when the text suggested none: placeholders, quoting the
    statement that names the controller, for the reviewer to describe or replace."""
    lines = [
        "  to-describe:  # placeholder: no processing activity was suggested; describe one from the text",
        "    label: " + yaml_quoted("Processing activity to describe"),
        f"    quotes: [{quote(*h.controller_quote)}]",
    ]
    return lines + [f"    {fld}: [{term}]  # placeholder" for fld, term in PLACEHOLDER.items()]


def prohibition_lines(key: str, items: list[Suggestion]) -> list[str]:
    st = items[0].statement
    lines = [
        f"  {key}:",
        f"    label: {yaml_quoted('Not done: ' + (st.text if len(st.text) <= 60 else st.text[:59] + '…'))}",
        f"    quotes: [{quote(st.start, st.text)}]",
    ]
    for fld in FIELD_ORDER:
        mine = [s for s in items if PROCESS_FIELD.get(s.family) == fld]
        if mine:
            lines += _values(fld, mine, "    ")
    return lines


def entity_lines(org: Organisation, quoted: list[tuple[int, str]]) -> list[str]:
    """An organisation the corpus knows, as the corpus describes it (one key, one identity), quoted
    where this text names it (``quoted``: (at, text) of the statements)."""
    spans = list(dict.fromkeys(quoted))[:3]
    lines = [
        f"  {org.key}:  # as described in {org.policy}: check it is the organisation meant",
        f"    types: [{', '.join(org.kinds or ('dpv:Organisation',))}]",
        f"    name: {yaml_quoted(org.name)}",
    ]
    if len(org.names) > 1:
        lines.append(f"    aliases: [{', '.join(yaml_quoted(n) for n in org.names[1:])}]")
    if org.location:
        lines.append(f"    location: {org.location}")
    return lines + [f"    quotes: [{', '.join(quote(a, t) for a, t in spans)}]"]


def technology_lines(cookies: list[Cookie]) -> list[str]:
    lines = ["", "technologies:  # named cookies, from the rows of cookie tables"]
    for c in cookies:
        lines += [f"  {c.key}:", f"    name: {yaml_quoted(c.name)}", f"    broader: [{', '.join(c.broader)}]"]
        if c.duration:
            lines.append(f"    duration: {c.duration}")
        elif c.until:
            lines.append(f"    until: {yaml_quoted(c.until)}")
        lines.append(f"    quotes: [{quote(c.statement.start, c.statement.text)}]")
    return lines


def _slug(text: str, size: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:size].strip("-")


def _key(heading: str, used: set[str], suffix: str = "") -> str:
    """A key not in ``used`` (and now in it): the slug of ``heading``, with ``suffix``'s after it
    (each cut to 20 characters), numbered -2, -3 ... where that is taken."""
    end = _slug(suffix, 20)
    base = "-".join(x for x in (_slug(heading, 20 if end else 40), end) if x) or "process"
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


def checklist(suggestions: list[Suggestion], labels: dict[str, str], notice: list[NoticeFact] = ()) -> list[str]:
    """What the policy appears to say, one line a family, for the reviewer to see its shape at once."""

    def terms(*families):
        seen = dict.fromkeys(s.term for s in suggestions if s.family in families and s.band == "high")
        return ", ".join(f"{labels.get(t, t)} ({t})" for t in seen) or "none found"

    def stated(fld):
        seen = dict.fromkeys(_marked(f, labels) for f in notice if f.field == fld and f.band == "high")
        return ", ".join(seen) or "none found"

    return [
        f"appears to grant: {terms('right')}",
        f"rights requests answered within: {stated('responseTime')}; fee: {stated('hasFee')}; "
        f"complaints to: {stated('hasAuthority')}; responds to Do Not Track: {stated('respondsToDoNotTrack')}",
        f"transfers to: {terms('country', 'outside')}; under: {terms('transfer')}",
        f"legal bases: {terms('legal-basis')}",
        f"retention periods: {terms('retention')}",
        f"cookies and technologies: {terms('technology')}",
    ]


def _marked(f: NoticeFact, labels: dict[str, str]) -> str:
    """A notice statement's value for the checklist, with its "may" and its condition kept."""
    text = f"{labels.get(f.value, f.value)} ({f.value})" if ":" in f.value else f.value
    if f.modality == "possible":
        text += " (may)"
    if f.condition:
        text += f" ({f.condition[1]})"
    return text


def draft_yaml(header: Header, suggestions: list[Suggestion], labels: dict[str, str]) -> str:
    h = header
    lines = [
        "# DRAFT written by `privacykg draft`: every value below is a suggestion, not a reading.",
        "# Each value's comment gives its band (high / possible) and why it was suggested; its quotes",
        "# are the statements of the text it came from. Review each against the text (keep, correct,",
        "# delete; merge or split the candidate processes), then delete the line `draft: true`.",
        "#",
        "# Checklist (high band only):",
    ]
    lines += [f"#   {line}" for line in checklist(suggestions, labels, h.notice)]
    lines += [f"#   to do: {note}" for note in h.notes]
    lines += [
        "",
        "format: privacykg/1",
        "draft: true",
        f"policy: {h.policy}",
        f"version: {h.version}",
        f"source: {h.source}",
        f"title: {yaml_quoted(h.title)}",
        "language: en",
        f"controller: {h.controller_key}",
        "",
    ]
    lines += notice_lines(h.notice, [s for s in suggestions if s.family == "right"])
    lines += [
        "entities:",
        f"  {h.controller_key}:",
        "    types: [dpv:DataController, dpv:Organisation]",
        f"    name: {yaml_quoted(h.controller_name)}",
    ]
    if h.controller_location:
        lines.append(f"    location: {h.controller_location}")
    if h.dpo:
        lines.append(f"    dpo: {h.controller_key}-dpo")
    lines.append(f"    quotes: [{quote(*h.controller_quote)}]")
    if h.dpo:
        lines += [
            f"  {h.controller_key}-dpo:",
            "    types: [dpv:DataProtectionOfficer]",
            "    name: Data Protection Officer",
        ]
        if h.dpo[1]:
            lines.append(f"    contact: [{', '.join(yaml_quoted(e) for e in dict.fromkeys(h.dpo[1]))}]")
        lines.append(f"    quotes: [{quote(*h.dpo[0])}]")
    named: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if s.family == "organisation":
            named.setdefault(s.term, []).append(s)
    for f in h.notice:  # an authority of the corpus the notice names (hasAuthority: its key)
        if f.field == "hasAuthority" and f.value in h.organisations and f.value not in named:
            named[f.value] = []
    for key, items in named.items():
        quoted = [(s.start, s.statement.text) for s in items]
        quoted += [(f.start, f.quote) for f in h.notice if f.field == "hasAuthority" and f.value == key]
        lines += entity_lines(h.organisations[key], quoted)
    lines += ["", "processes:"]
    used: set[str] = set()
    groups = candidate_groups(suggestions)
    for items, (label, purpose) in zip(groups, candidate_labels(groups, labels), strict=True):
        lines += process_lines(_key(items[0].statement.heading, used, purpose), label, items)
    if not used:  # a file needs a process: one to fill in, on the controller's statement
        lines += placeholder_process_lines(h)
    if h.cookies:
        lines += technology_lines(h.cookies)
    negated: dict[int, list[Suggestion]] = {}
    for s in suggestions:
        if s.prohibited:
            negated.setdefault(s.start, []).append(s)
    if negated:
        lines += ["", "prohibitions:  # statements saying what is not done"]
        for items in negated.values():
            words = re.findall(r"[A-Za-z0-9]+", items[0].statement.text)
            lines += prohibition_lines(_key("not " + " ".join(words[:6]), used), items)
    return "\n".join(lines) + "\n"
