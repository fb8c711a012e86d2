"""``draft()``: read a policy text, suggest, write the draft annotation file (and copy the
text into the data folder's sources/, where ``validate`` looks for it)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import RDFS

from .. import namespaces as ns
from ..compile import SLUG_RE, check_date
from ..errors import DataError, UsageError
from ..markdown import quoted_text
from .cookies import cookies
from .corpus import Corpus, organisations, read_annotations
from .lexicon import Lexicon
from .notice import NOTICE_DATE_FIELDS, notice_statements
from .segment import Document, segment
from .suggest import Gazetteer, Suggestion, suggest
from .write import Header, draft_yaml

SUFFIX = r"(?:Ltd|Limited|Inc|LLC|GmbH|A/S|ApS|AB|AG|plc|S\.A|B\.V|Corp|Corporation|EOOD|OOD|AD)"
ORG = re.compile(rf"\b((?:[A-Z][\w&'.-]*\s){{0,4}}?[A-Z][\w&'-]*,?\s{SUFFIX}\b\.?)")


DPO = re.compile(r"\b(?:data protection officer|DPO)\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DPO_REACH = 300  # characters after the DPO's statement where its e-mail address may stand


def dpo(doc: Document) -> tuple[tuple[int, str], list[str]] | None:
    """The first statement naming a data protection officer with an e-mail address in it (or
    within the lines after it: "You can contact our data protection officer at any time:" followed
    by an address block), and those addresses; else the first statement naming one."""
    named = [st for st in doc.statements if DPO.search(st.text)]
    for st in named:
        mails = EMAIL.findall(st.text) or EMAIL.findall(doc.text[st.end : st.end + DPO_REACH])[:1]
        if mails:
            return (st.start, st.text), [m.rstrip(".") for m in mails]
    return ((named[0].start, named[0].text), []) if named else None


ESTABLISHED = re.compile(
    r"\b(?:registered|incorporated|established|headquartered|head office|based|located|offices?|address)\b",
    re.IGNORECASE,
)
ESTABLISHED_REACH = 300  # characters after the controller's name where its country may stand


def _established(between: str) -> bool:
    """Whether the text between the controller's name and a country says it is established there:
    establishment wording in the name's own sentence ("GmbH is registered in ..."), an "Address:"
    line naming the country, or an address block (short lines, no sentence end) leading to it."""
    end = max(between.rfind(". "), between.rfind(".\n"))
    if end < 0 and ESTABLISHED.search(between):
        return True
    if re.search(r"\baddress\s*:", between[between.rfind("\n") + 1 :], re.IGNORECASE):
        return True
    return end < 0 and "\n" in between and all(len(line) <= 60 for line in between.split("\n"))


def controller_country(text: str, name: str, lex: Lexicon) -> str | None:
    """The country the controller is established in: the first country named within a few lines
    its name (or its name without "Inc.", "GmbH" ...) where the text says it is established there
    ("incorporated in Ontario, Canada", an address block ending "Germany"); a country
    in an organisation's name ("Northwind Ledger Ireland Limited") does not count."""
    short = re.sub(rf",?\s+{SUFFIX}\.?$", "", name)
    for m in re.finditer("|".join(dict.fromkeys(map(re.escape, (name, short)))), text):
        window = text[m.end() : m.end() + ESTABLISHED_REACH]
        for hit in lex.match(window):
            in_a_name = re.match(rf"(?:\s+[A-Z][\w&'-]*){{0,2}},?\s+{SUFFIX}\b", window[hit.end :])
            if hit.family == "country" and not in_a_name and _established(window[: hit.start]):
                return hit.term
    return None


@dataclass
class DraftReport:
    path: Path
    source_path: Path
    statements: int
    suggestions: int
    high: int
    seconds: float

    def text(self) -> str:
        return (
            f"wrote {self.path} (a draft: review it, then delete `draft: true`): {self.statements} statements, "
            f"{self.suggestions} suggestions ({self.high} high), in {self.seconds:.1f} s\n"
            f"source text: {self.source_path}\n"
        )


def controller(
    doc: Document, policy: str, countries: list[Suggestion]
) -> tuple[str, tuple[int, str], str | None, list[str]]:
    """The controller's name, the statement naming it, its country if that statement names one, notes."""
    for st in doc.statements:
        m = ORG.search(st.text)
        if m:
            loc = next((s.term for s in countries if s.statement == st), None)
            return (
                m.group(1).strip(),
                (st.start, st.text),
                loc,
                ["check the controller's name, address, country and DPO"],
            )
    st = doc.statements[0]
    return policy, (st.start, st.text), None, ["name the controller (none found): its name, address, country, DPO"]


HTML = re.compile(rb"\A\s*(?:<!doctype html|<html[\s>])", re.IGNORECASE)


def _source_target(text_file: Path, data: bytes, sources: Path, policy: str, version: str, force: bool) -> Path:
    """Where the text's copy goes (``sources/POLICY-VERSION.md`` or ``.txt``); refuses to replace
    another text there unless ``force``. Writes nothing."""
    ext = ".md" if text_file.suffix.lower() in (".md", ".markdown") else ".txt"
    target = sources / f"{policy}-{version}{ext}"
    if target.exists() and target.read_bytes() != data and not force:
        raise UsageError(f"{target} exists with other text; remove it or pass --force")
    return target


def _read_text(text_file: Path, target: Path, data: bytes) -> str:
    """The text quotes will be checked against, read as the copy at ``target`` will be (Markdown
    rendered); errors name the user's file. HTML is refused: quotes must be the published text."""
    if HTML.match(data):
        raise UsageError(
            f"{text_file} is an HTML page; save the policy as plain text or Markdown "
            "(e.g. the browser's 'save as text', or pandoc -t gfm) and draft that"
        )
    try:
        return quoted_text(data, target.name)
    except DataError as err:
        raise DataError([replace(p, file=str(text_file)) for p in err.problems]) from None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def draft(
    text_file: Path | str,
    policy: str,
    version: str,
    *,
    out: Path | str | None = None,
    data_dir: Path | str = "data",
    force: bool = False,
    corpus_exclude=None,
) -> DraftReport:
    """Write a draft annotation of ``text_file`` (plain text or published Markdown).

    The corpus is ``data_dir/policies`` (less any file for which ``corpus_exclude(key, doc)`` is
    true, and never this very policy version). Raises :class:`UsageError` on bad arguments."""
    began = time.perf_counter()
    text_file, data = Path(text_file), Path(data_dir)
    if not SLUG_RE.match(policy) or not check_date(version):
        raise UsageError(
            f"--policy must be a slug such as acme and --version a date YYYY-MM-DD, not {policy} {version}"
        )
    if not text_file.is_file():
        raise UsageError(f"no such file: {text_file}")
    out = Path(out) if out else data / "policies" / f"{policy}-{version}.yaml"
    if out.exists() and not force:
        raise UsageError(f"{out} exists; pass --force to replace it")
    raw = text_file.read_bytes()
    source = _source_target(text_file, raw, out.resolve().parent.parent / "sources", policy, version, force)
    text = _read_text(text_file, source, raw)
    doc = segment(text)
    if not doc.statements:
        raise UsageError(f"{text_file} holds no sentences to draft from")
    lex = Lexicon.load()
    key = f"{policy}-{version}"
    skip = corpus_exclude or (lambda k, d: False)
    docs = read_annotations(data) if (data / "policies").is_dir() else {}
    corpus = Corpus.from_annotations(lex.onto, docs, lambda k, d: k == key or skip(k, d))
    orgs = organisations(lex.onto, docs, lambda k, d: k == key or skip(k, d))
    found = suggest(doc.statements, lex, corpus, Gazetteer(orgs))
    name, quote, loc, notes = controller(doc, policy, [s for s in found if s.family == "country"])
    loc = (controller_country(text, name, lex) if name != policy else None) or loc
    found = [
        s
        for s in found
        if not (s.family == "country" and s.start == quote[0])  # where it is, not a transfer
        and not (s.family == "organisation" and (s.term == policy or orgs[s.term].name == name))
    ]
    named_cookies = cookies(doc.statements)
    found += [
        Suggestion(
            "cookie",
            c.key,
            c.statement.start,
            c.statement.end,
            f"a row of a cookie table naming the cookie '{c.name}'",
            "high",
            c.statement,
        )
        for c in named_cookies
    ]
    found.sort(key=lambda s: s.start)
    headings = [h for _, h in doc.headings]
    stated = notice_statements(doc, orgs, lex)
    if not any(f.field in NOTICE_DATE_FIELDS for f in stated):
        # a date cannot be read into a text that states none: validate will ask for it
        notes = [
            *notes,
            "the text states no date (last updated, effective): add notice: {modified: "
            "{value: YYYY-MM-DD, quote: ...}} from the published page; validate refuses a notice without one",
        ]
    header = Header(
        policy,
        version,
        source.name,
        headings[0] if headings else f"{policy} privacy policy",
        policy,
        name,
        quote,
        loc,
        stated,
        notes,
        orgs,
        named_cookies,
        dpo(doc),
    )
    labels = {ns.compact(str(s)): str(o) for s, o in lex.onto.graph.subject_objects(RDFS.label)}
    drafted = draft_yaml(header, found, labels).encode("utf-8")
    # nothing is written until the draft is complete: the text's copy first, the draft last
    if source.resolve() != text_file.resolve():
        _write_atomically(source, raw)
    _write_atomically(out, drafted)
    return DraftReport(
        out,
        source,
        len(doc.statements),
        len(found) + len(stated),
        sum(s.band == "high" for s in [*found, *stated]),
        time.perf_counter() - began,
    )
