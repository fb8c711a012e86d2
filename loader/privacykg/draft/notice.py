"""Statements about the notice itself, read from the text: its dates (``modified``, ``effective``,
``issued``), how fast rights requests are answered (``responseTime``), fees (``hasFee``), the
supervisory authority a complaint may go to (``hasAuthority``), complaint routes (``complaint``),
how rights are exercised (``rightsExercise``) and whether Do Not Track signals are honoured
(``respondsToDoNotTrack``). Each is read as the encoded files of data/policies read the same
wording; the quote is ``text[start:end]`` of the source (a date's phrase, else the statement).

>>> from privacykg.draft.segment import segment
>>> doc = segment("Your rights\\nWe will respond to your request within one month.\\n"
...               "Access is free of charge. We may charge a reasonable fee if your request is excessive.\\n")
>>> [(f.field, f.value, f.modality, f.condition and f.condition[1]) for f in notice_facts(doc)]
[('responseTime', 'P1M', None, None), ('hasFee', 'dpv:FeeNotRequired', None, None), ('hasFee', 'dpv:FeeRequired', 'possible', 'if your request is excessive')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import namespaces as ns
from ..checks import MINIMUM_RE
from ..compile import check_date
from .corpus import Organisation
from .lexicon import NUMBERS, Lexicon, durations
from .segment import Document, Statement

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DATE = re.compile(
    r"\b(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\s+("
    + "|".join(MONTHS)
    + r")\s+(\d{4})|("
    + "|".join(MONTHS)
    + r")\s+(\d{1,2}),?\s+(\d{4}))\b",
    re.IGNORECASE,
)
# the phrase before a date, per field: "Effective date:", "takes effect on" (dct:valid); "Last updated"
# (dct:modified); "Issued", "first published" (dct:issued)
DATE_CUES = {
    "effective": re.compile(
        r"\b(?:effective|takes?\s+effect|comes?\s+into\s+(?:force|effect)|in\s+(?:force|effect)\s+(?:from|as\s+of))\b",
        re.IGNORECASE,
    ),
    "modified": re.compile(r"\b(?:last\s+)?(?:updated|modified|revised)\b", re.IGNORECASE),
    "issued": re.compile(r"\b(?:issued|(?:first\s+)?published|date\s+of\s+issue)\b", re.IGNORECASE),
}
NOTICE_DATE_FIELDS = tuple(DATE_CUES)
DATE_REACH = 40  # characters between the phrase and its date

# words of a rights request (not inside an address: ".../watchdog/request")
REQUEST = re.compile(r"(?<![/\w-])(?:requests?|rights?|enquir(?:y|ies)|inquir(?:y|ies))\b", re.IGNORECASE)
ANSWER = re.compile(r"\b(?:respond\w*|response|repl(?:y|ies)|answer\w*|fulfil\w*|actioned)\b", re.IGNORECASE)
# the words right before a response time: "within one month", "in 30 days" (not "in any 12-month period")
BEFORE_PERIOD = re.compile(r"\b(?:within|in|no later than|up to|at most)\s+$", re.IGNORECASE)
LONGEST = re.compile(r"\b(?:within|no later than|up to|at most)\s+$", re.IGNORECASE)
NUMBER = re.compile(r"\b(?:\d{1,3}|" + "|".join(NUMBERS) + r")\b", re.IGNORECASE)
OURS = re.compile(r"\b(?:we|us|our)\b", re.IGNORECASE)
RIGHTS_HEADING = re.compile(r"\b(?:rights?|requests?|choices|access|control|complain\w*|contact)\b", re.IGNORECASE)

NO_FEE = re.compile(
    r"\bfree of charge\b|\bno (?:fee|charge|cost)\b|\bat no (?:cost|charge)\b|\bwithout (?:any )?(?:fee|charge|cost)\b|"
    r"\b(?:not|never)\b[^.;,]{0,25}\b(?:charg(?:e|ed|ing)|pay)\b[^.;,]{0,15}\b(?:fees?|charge|anything)\b",
    re.IGNORECASE,
)
FEE = re.compile(r"\bcharg(?:e|ed|ing)\b[^.;]{0,25}\bfees?\b|\bfees?\b[^.;]{0,25}\bcharged\b", re.IGNORECASE)
FEE_CONTEXT = re.compile(r"(?<![/\w-])(?:requests?|rights?|access\w*|exercis\w*|cop(?:y|ies))\b", re.IGNORECASE)
FEE_NEGATED = re.compile(r"\b(?:not|never|no)\b[^.;,]{0,20}$", re.IGNORECASE)
POSSIBLE = re.compile(r"\b(?:may|might|can|could|reserves? the right)\b", re.IGNORECASE)
CONDITION = re.compile(r"\b(?:if|where|when|in response to|in case of|should)\b[^.;]*", re.IGNORECASE)

AUTHORITY = re.compile(
    r"\b(?:supervisory|data protection|privacy|protection)\s+(?:authorit(?:y|ies)|regulators?|agenc(?:y|ies)|"
    r"commissioner)\b|\bInformation Commissioner\b|\bData Protection Authorit(?:y|ies)\b",
    re.IGNORECASE,
)
COMPLAINT = re.compile(
    r"\bcomplain\w*|\bdispute resolution\b|\bgrievance\w*|\bunresolved\b|"
    r"\b(?:questions|privacy|any|your|data use)\s+(?:or\s+)?concerns?\b",
    re.IGNORECASE,
)
NAME_PREFIX = re.compile(r"^(?:the\s+)?(?:U\.S\.|US|UK|EU)\s+", re.IGNORECASE)
OVERSIGHT = re.compile(
    r"\bsubject to\b[^.]{0,40}\b(?:powers?|jurisdiction|authority|oversight|enforcement)\b|\bcooperat\w+ with\b"
    r"[^.]{0,120}\bdisputes?\b|\bresolv\w+ disputes?\b",
    re.IGNORECASE,
)
DIRECTED = re.compile(
    r"\b(?:contact\w*|right to|please|direct\w*|submit\w*|lodge|refer\w*|escalat\w*)\b", re.IGNORECASE
)
ROUTE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[at\]|\be-?mail\w*\b|\b(?:web|online|contact|request)\s?forms?\b|"
    r"\bcontact(?:ing)?\b(?!\s+(?:details|information|data|lists?|persons?|numbers?))|\bwrit(?:e|ing) to us\b|"
    r"\bby post\b|\bunsubscribe\b|\bopt[ -]out links?\b|\bsettings\b|\bpreference (?:cent(?:re|er)|page)\b|"
    r"\btoll[ -]free\b|\bvisit\b|\bget in touch\b|\bnotify us\b|\blet us know\b",
    re.IGNORECASE,
)
EXERCISE = re.compile(
    r"\bexercis\w+\b[^.;]{0,30}\brights?\b|\brequests?\b|\bopt[ -]?out\b|\bunsubscrib\w*|\bwithdraw\w*|"
    r"\byour rights\b|\b(?:access|correct|delete|erase|rectify|update|modify|export|manage|change|adjust)\w*\s+your\b|"
    r"\b(?:inquir|enquir)\w*|\bquestions\b",
    re.IGNORECASE,
)
DNT = re.compile(r"\b(?:do[ -]not[ -]track|DNT)\b", re.IGNORECASE)
DNT_VERB = r"(?:respond\w*|honou?r\w*|recogni[sz]\w*|support\w*|follow\w*|respect\w*)"
# read with each "Do Not Track" written DNT, so that its own "not" is no negation
DNT_NO = re.compile(
    r"\b(?:do|does|will)\s+not\b[^.]{0,40}\b" + DNT_VERB + r"|\b(?:don't|doesn't|won't|cannot|can't|unable to)\b"
    r"[^.]{0,30}\b" + DNT_VERB,
    re.IGNORECASE,
)
DNT_YES = re.compile(
    r"\b"
    + DNT_VERB
    + r"\b[^.]{0,40}\bDNT\b|\b(?:if|when)\b[^.]{0,40}\bDNT\b[^.]{0,30}\bsignals?\b[^.]*\b(?:will|we "
    + DNT_VERB
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NoticeFact:
    field: str  # a key of the format's notice: block
    value: str  # a term, a date, a duration, true/false, or (complaint, rightsExercise) the quote itself
    start: int  # the quote: text[start:end] of the source
    end: int
    quote: str  # text[start:end]
    reason: str
    band: str  # high / possible
    modality: str | None = None  # "possible" for "may charge a fee"
    condition: tuple[int, str] | None = None  # (at, verbatim words) of "if ..." on the value


def _iso(m: re.Match) -> str | None:
    g = m.groups()
    if g[0]:
        y, mo, d = g[0], g[1], g[2]
    elif g[3]:
        y, mo, d = g[5], f"{MONTHS.index(g[4].lower()) + 1:02d}", f"{int(g[3]):02d}"
    else:
        y, mo, d = g[8], f"{MONTHS.index(g[6].lower()) + 1:02d}", f"{int(g[7]):02d}"
    iso = f"{y}-{mo}-{d}"
    return iso if check_date(iso) else None


def dates(text: str) -> list[NoticeFact]:
    """Per date field, the first of its phrases followed closely by a date; the quote is the phrase
    with its date ("Effective date: May 24, 2020"). Both an effective and a last-updated date when
    both are stated."""
    out = []
    for fld, cue in DATE_CUES.items():
        for u in cue.finditer(text):
            m = DATE.search(text, u.end(), u.end() + DATE_REACH)
            if m and _iso(m):
                why = f"a date after '{u.group(0)}'"
                out.append(NoticeFact(fld, _iso(m), u.start(), m.end(), text[u.start() : m.end()], why, "high"))
                break
    return sorted(out, key=lambda f: f.start)


def _fact(st: Statement, fld: str, value: str, reason: str, band: str, **marks) -> NoticeFact:
    return NoticeFact(fld, value, st.start, st.end, st.text, reason, band, **marks)


def _in_rights(st: Statement) -> bool:
    return bool(REQUEST.search(st.text) or RIGHTS_HEADING.search(st.heading))


def response_time(st: Statement) -> list[NoticeFact]:
    """The longest time a rights request takes ("we respond to requests within one month"); never a
    minimum ("allow at least 7 working days"), which the format keeps under rightsExercise, nor an
    extension ("by an additional 45 days")."""
    if not (ANSWER.search(st.text) and _in_rights(st)):
        return []
    least = MINIMUM_RE.search(st.text)
    if least:  # the format's rule (minimum-response-time): such a sentence is kept as text
        if not NUMBER.search(st.text):
            return []
        why = f"a minimum time ('{least.group(0)}'), not a responseTime: kept as how rights are exercised"
        return [_fact(st, "rightsExercise", st.text, why, "possible")]
    for d in durations(st.text):
        before = st.text[: d.start]
        if BEFORE_PERIOD.search(before):
            sure = LONGEST.search(before) is not None and OURS.search(st.text) is not None
            why = f"a request answered in '{d.text}'" + ("" if sure else ": check it is ours, and a maximum")
            return [_fact(st, "responseTime", d.value, why, "high" if sure else "possible")]
    return []


def _condition(st: Statement, after: int) -> tuple[int, str] | None:
    m = CONDITION.search(st.text, after)
    if not m:
        return None
    words = m.group(0).rstrip(" ,")
    return st.start + m.start(), words


def fees(st: Statement) -> list[NoticeFact]:
    """``dpv:FeeNotRequired`` for "free of charge", "you will not have to pay a fee"; ``dpv:FeeRequired``
    where a fee is charged, ``modality: possible`` when it "may" be, with its "if ..." as condition."""
    # the statement itself speaks of a request or a right ("This service is provided at no cost to you",
    # of a dispute resolution service, is no fee of a rights request); "(free of charge)" of a complaint
    # route is the route's
    if not FEE_CONTEXT.search(st.text) or COMPLAINT.search(st.text):
        return []
    out = []
    free = NO_FEE.search(st.text)
    if free:
        out.append(_fact(st, "hasFee", "dpv:FeeNotRequired", f"no fee: '{free.group(0)}'", "high"))
    for m in FEE.finditer(st.text):
        if FEE_NEGATED.search(st.text[: m.start()]) or (free and free.start() <= m.start() < free.end()):
            continue
        maybe = POSSIBLE.search(st.text[: m.start()]) is not None
        why = f"a fee charged: '{m.group(0)}'" + (", only possibly ('may')" if maybe else "")
        out.append(
            _fact(
                st,
                "hasFee",
                "dpv:FeeRequired",
                why,
                "high",
                modality="possible" if maybe else None,
                condition=_condition(st, m.end()),
            )
        )
        break
    return out


def authority(st: Statement) -> list[NoticeFact]:
    """``dpv:DataProtectionAuthority`` where a statement names a supervisory authority a complaint may go to."""
    named = AUTHORITY.search(st.text)
    if not named:
        return []
    if COMPLAINT.search(st.text):
        return [_fact(st, "hasAuthority", "dpv:DataProtectionAuthority", f"a complaint to '{named.group(0)}'", "high")]
    if re.search(r"complain", st.heading, re.IGNORECASE) or re.search(r"\brights?\b", st.text, re.IGNORECASE):
        why = f"names '{named.group(0)}' in a rights or complaint context: check a complaint may go to it"
        return [_fact(st, "hasAuthority", "dpv:DataProtectionAuthority", why, "possible")]
    return []


def complaint(st: Statement) -> list[NoticeFact]:
    """A complaint route (text): the statement itself, where it speaks of complaints or concerns and
    says where they may go (an authority, an address, "contact", "the right to")."""
    m = COMPLAINT.search(st.text)
    if not m or not (AUTHORITY.search(st.text) or ROUTE.search(st.text) or DIRECTED.search(st.text)):
        return []
    band = "high" if re.match(r"complain|dispute|grievance", m.group(0), re.IGNORECASE) else "possible"
    return [_fact(st, "complaint", st.text, f"a complaint route: '{m.group(0)}'", band)]


def rights_exercise(st: Statement) -> list[NoticeFact]:
    """How rights are exercised (text): a statement naming a route (an e-mail address, a form,
    "contact us") for a request, an opt-out or a right, or one under a rights heading."""
    route = ROUTE.search(st.text)
    if not route:
        return []
    asked = EXERCISE.search(st.text)
    if asked:
        why = f"a route ('{route.group(0)}') for '{asked.group(0)}'"
        return [_fact(st, "rightsExercise", st.text, why, "high")]
    if re.search(r"\brights?\b", st.heading, re.IGNORECASE):
        return [_fact(st, "rightsExercise", st.text, f"a route ('{route.group(0)}') under '{st.heading}'", "possible")]
    return []


def do_not_track(st: Statement) -> list[NoticeFact]:
    """true or false, only where the statement clearly says Do Not Track signals are (not) responded to."""
    if not DNT.search(st.text):
        return []
    said = DNT.sub("DNT", st.text)
    if DNT_NO.search(said):
        return [_fact(st, "respondsToDoNotTrack", "false", "says Do Not Track signals are not responded to", "high")]
    if DNT_YES.search(said):
        return [_fact(st, "respondsToDoNotTrack", "true", "says Do Not Track signals are responded to", "high")]
    return []


def one_value(facts: list[NoticeFact], fld: str) -> list[NoticeFact]:
    """The facts of a one-value field (``responseTime``, ``respondsToDoNotTrack``, a date) that a
    draft writes: those stating the value of its first high-band fact (else of its first)."""
    mine = [f for f in facts if f.field == fld]
    if not mine:
        return []
    value = max(mine, key=lambda f: f.band == "high").value
    return [f for f in mine if f.value == value]


READERS = (response_time, fees, authority, complaint, rights_exercise, do_not_track)


def notice_facts(doc: Document) -> list[NoticeFact]:
    """Every notice-level suggestion of a text, dates first, then in the order of the text."""
    out = dates(doc.text)
    for st in doc.statements:
        for read in READERS:
            out += read(st)
    return out


def _authority(lex: Lexicon, org: Organisation) -> bool:
    """Whether one of the organisation's kinds is an authority (dpv:Authority and narrower)."""
    return any(lex.onto.is_a(ns.expand(k), ns.DPV + "Authority") for k in org.kinds)


def authority_names(orgs: dict[str, Organisation], lex: Lexicon) -> dict[str, Organisation]:
    """The names of the corpus's authorities, each also without its parenthesis and country prefix
    ("U.S. Federal Trade Commission (FTC)" is also "Federal Trade Commission")."""
    out = {}
    for org in orgs.values():
        if _authority(lex, org):
            for name in org.names:
                core = NAME_PREFIX.sub("", re.sub(r"\s*\([^)]*\)", "", name)).strip()
                out.update({n: org for n in (name, core) if len(n) >= 6})
    return out


def named_authorities(statements: list[Statement], names: dict[str, Organisation]) -> list[NoticeFact]:
    """A named authority of the corpus as ``hasAuthority`` (its entity key), where the statement naming
    it says the controller is subject to its powers or that complaints or disputes may go to it (as the
    encoded files read "subject to the investigatory and enforcement powers of the Federal Trade Commission")."""
    if not names:
        return []
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?![\w-])"
    )
    out = []
    for st in statements:
        said = OVERSIGHT.search(st.text) or COMPLAINT.search(st.text)
        named = {names[m.group(0)].key: names[m.group(0)] for m in pattern.finditer(st.text)} if said else {}
        for org in named.values():
            why = f"names {org.name}, an authority of the corpus (described in {org.policy}): '{said.group(0)}'"
            out.append(_fact(st, "hasAuthority", org.key, why, "high"))
    return out


def notice_statements(doc: Document, orgs: dict[str, Organisation], lex: Lexicon) -> list[NoticeFact]:
    """What a draft writes in ``notice:`` besides the rights: :func:`notice_facts`, and the authorities
    of the corpus the text names where it is subject to them or complaints may go to them."""
    return notice_facts(doc) + named_authorities(doc.statements, authority_names(orgs, lex))
