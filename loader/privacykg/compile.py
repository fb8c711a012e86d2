"""Compile one annotation file (``data/policies/<policy>-<version>.yaml``) into the RDF of
its named graph: the notice, its controller and entities, one ``dpv:Process`` per activity,
prohibitions, technologies, and a W3C Web Annotation for every quote, checked verbatim
against the source text.

All problems of a file are collected, each with file, line and field, before anything is
raised, so a user fixes them in one pass.

The triples are built as N-Triples text (``<iri>``, ``"literal"^^<datatype>``) in an ordered
set, not as rdflib terms in an rdflib graph: a build writes them out as N-Quads lines as they
are, and an rdflib :class:`~rdflib.Graph` is made only when asked for (pySHACL, tests).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from . import checks, modality
from . import namespaces as ns
from .errors import DataError, Problem
from .markdown import RENDERING, is_markdown, quoted_text
from .ontology import Ontology
from .origin import Origin, read_origin
from .yamlread import Mapping, Node, read_yaml_file

FORMAT = "privacykg/1"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DURATION_RE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
CONTEXT_CHARS = 32
#: Policy ids that would clash with the shared graphs (``<base>graph/entity/...`` and the others).
RESERVED_SLUGS = frozenset({"entity", "inferred", "ontology", "metadata"})

DPV = ns.DPV


def nt_iri(value: str) -> str:
    """The N-Triples term of an IRI."""
    return f"<{value}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r"}
_UNESCAPE_RE = re.compile(r"\\(.)")
# what N-Triples does not allow in an IRI (rdflib refuses the visible ones when it writes)
_BAD_IRI_RE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
XSD_LANGUAGE = "http://www.w3.org/2001/XMLSchema#language"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def literal(text: str, datatype: str | None = None) -> str:
    """The N-Triples term of a literal (a plain string without ``datatype``).

    Durations are written in the form rdflib gives them (``P2W`` becomes ``P14D``), so the
    data are the same as when the graph was built with rdflib terms.

    >>> print(literal('say "hi"'), literal("5", XSD_INTEGER))
    "say \\"hi\\"" "5"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    if datatype == XSD_DURATION:
        text = str(Literal(text, datatype=URIRef(XSD_DURATION)))
    quoted = '"' + text.translate(_ESCAPES) + '"'
    return quoted if datatype is None else f"{quoted}^^<{datatype}>"


def valid_iri(value: str) -> bool:
    """True when ``value`` can be written as an N-Triples IRI."""
    return _BAD_IRI_RE.search(value) is None


def term_value(term: str) -> str:
    """What ``str()`` of the rdflib term gives: the IRI, or the literal's lexical form."""
    if term[0] == "<":
        return term[1:-1]
    if term.startswith("_:"):
        return term[2:]
    body = term[1 : term.rindex('"')]
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group(1)], body) if "\\" in body else body


def to_rdflib(term: str):
    """The rdflib term of an N-Triples term."""
    if term[0] == "<":
        return URIRef(term[1:-1])
    if term.startswith("_:"):
        return BNode(term[2:])
    end = term.rindex('"')
    lexical = term_value(term)
    rest = term[end + 1 :]
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    return Literal(lexical)


def from_rdflib(term) -> str:
    """The N-Triples term of an rdflib term (as rdflib's N-Triples writer gives it)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    quoted = '"' + str(term).translate(_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


class Triples(dict):
    """An ordered set of triples of N-Triples terms (``(s, p, o)`` strings): what a policy
    compiles to. ``add`` as on an rdflib graph; a triple added twice is there once."""

    def add(self, triple: tuple[str, str, str]) -> None:
        self[triple] = None

    def nquads(self, graph_iri: str) -> str:
        """The triples as N-Quads lines in the named graph ``graph_iri``."""
        g = f" <{graph_iri}> .\n"
        return "".join(f"{s} {p} {o}{g}" for s, p, o in self)

    def ntriples(self) -> str:
        """The triples as N-Triples lines."""
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self)

    def graph(self) -> Graph:
        """The triples as an rdflib graph."""
        out = Graph()
        terms: dict[str, object] = {}
        for t in self:
            out.add(tuple(terms[x] if x in terms else terms.setdefault(x, to_rdflib(x)) for x in t))
        return out


D = lambda local: f"<{ns.DPV}{local}>"  # noqa: E731
OA = lambda local: f"<{ns.OA}{local}>"  # noqa: E731
PKG = lambda local: f"<{ns.PKG}{local}>"  # noqa: E731
DCT = lambda local: f"<{ns.DCT}{local}>"  # noqa: E731
A = f"<{ns.RDF}type>"
LABEL = f"<{ns.RDFS}label>"
COMMENT = f"<{ns.RDFS}comment>"
RDF_VALUE = f"<{ns.RDF}value>"
RDF_STATEMENT = f"<{ns.RDF}Statement>"
RDF_SUBJECT = f"<{ns.RDF}subject>"
RDF_PREDICATE = f"<{ns.RDF}predicate>"
RDF_OBJECT = f"<{ns.RDF}object>"
SKOS_CONCEPT = f"<{ns.SKOS}Concept>"
SKOS_BROADER = f"<{ns.SKOS}broader>"

# Process (and prohibition) fields: name -> (predicate, what a value must be a kind of,
# which keys may stand for a value: "entity", "technology" or None)
PROCESS_FIELDS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "hasPurpose": (DPV + "hasPurpose", (DPV + "Purpose",), None),
    "hasPersonalData": (DPV + "hasPersonalData", (DPV + "PersonalData", DPV + "Data"), None),
    "hasData": (DPV + "hasData", (DPV + "Data",), None),  # e.g. dpv:AnonymisedData, not personal
    "hasProcessing": (DPV + "hasProcessing", (DPV + "Processing",), None),
    "hasLegalBasis": (DPV + "hasLegalBasis", (DPV + "LegalBasis",), None),
    "hasDataSubject": (DPV + "hasDataSubject", (DPV + "HumanSubject", DPV + "DataSubject"), None),
    "hasDataController": (DPV + "hasDataController", (DPV + "DataController",), "entity"),
    "hasRecipient": (DPV + "hasRecipient", (DPV + "Entity",), "entity"),
    "hasDataProcessor": (DPV + "hasDataProcessor", (DPV + "Entity",), "entity"),
    "hasThirdParty": (DPV + "hasThirdParty", (DPV + "Entity",), "entity"),
    "hasRecipientDataController": (DPV + "hasRecipientDataController", (DPV + "Entity",), "entity"),
    "hasRecipientThirdParty": (DPV + "hasRecipientThirdParty", (DPV + "Entity",), "entity"),
    "hasDataImporter": (DPV + "hasDataImporter", (DPV + "Entity",), "entity"),
    "hasDataExporter": (DPV + "hasDataExporter", (DPV + "Entity",), "entity"),
    "hasDataSource": (DPV + "hasDataSource", (DPV + "DataSource", DPV + "Entity"), "entity"),
    "hasThirdCountry": (DPV + "hasThirdCountry", (DPV + "Country",), None),
    "hasCountry": (DPV + "hasCountry", (DPV + "Country",), None),
    "hasLocation": (DPV + "hasLocation", (DPV + "Location",), None),
    "isOutsideOfLocation": (DPV + "isOutsideOfLocation", (DPV + "Location",), None),
    "hasJurisdiction": (DPV + "hasJurisdiction", (DPV + "Location",), None),
    "hasTechnicalMeasure": (DPV + "hasTechnicalMeasure", (DPV + "TechnicalMeasure",), None),
    "hasOrganisationalMeasure": (DPV + "hasOrganisationalMeasure", (DPV + "OrganisationalMeasure",), None),
    "hasLegalMeasure": (DPV + "hasLegalMeasure", (DPV + "LegalMeasure",), None),
    "hasPhysicalMeasure": (DPV + "hasPhysicalMeasure", (DPV + "PhysicalMeasure",), None),
    "isImplementedUsingTechnology": (DPV + "isImplementedUsingTechnology", (DPV + "Technology",), "technology"),
    "hasContext": (DPV + "hasContext", (DPV + "Context",), None),
    "hasNecessity": (DPV + "hasNecessity", (DPV + "Necessity",), None),
    "hasAutomationLevel": (DPV + "hasAutomationLevel", (DPV + "AutomationLevel",), None),
    "hasHumanInvolvement": (DPV + "hasHumanInvolvement", (DPV + "HumanInvolvement",), None),
    "hasConsentStatus": (DPV + "hasConsentStatus", (DPV + "ConsentStatus",), None),
}
NODE_FIELDS = {"label", "comment", "quote", "quotes", "hasStorageCondition"} | modality.NODE_FIELDS

# Notice fields with term values
NOTICE_TERM_FIELDS = {
    "hasRight": (DPV + "hasRight", (DPV + "Right",), None),
    "hasAuthority": (DPV + "hasAuthority", (DPV + "Authority",), "entity"),
    "hasApplicableLaw": (DPV + "hasApplicableLaw", (DPV + "Law",), None),
    "hasFee": (DPV + "hasFee", (DPV + "FeeRequirement",), None),
    "hasContact": (DPV + "hasContact", (), None),
}
NOTICE_DATE_FIELDS = {"modified": DCT("modified"), "issued": DCT("issued"), "effective": DCT("valid")}
NOTICE_TEXT_FIELDS = {"rightsExercise": PKG("rightsExercise"), "complaint": PKG("complaintRoute")}
NOTICE_FIELDS = (
    set(NOTICE_TERM_FIELDS)
    | set(NOTICE_DATE_FIELDS)
    | set(NOTICE_TEXT_FIELDS)
    | {"responseTime", "respondsToDoNotTrack", "comment"}
)
TOP_FIELDS = {
    "format",
    "policy",
    "version",
    "source",
    "origin",
    "title",
    "language",
    "url",
    "controller",
    "notice",
    "entities",
    "processes",
    "prohibitions",
    "technologies",
    "comment",
    "draft",
}
ENTITY_FIELDS = {
    "types",
    "name",
    "aliases",
    "address",
    "contact",
    "location",
    "dpo",
    "representative",
    "subsidiaryOf",
    "hasSubsidiary",
    "url",
    "quote",
    "quotes",
    "comment",
}
TECH_FIELDS = {"name", "broader", "provider", "duration", "until", "description", "quote", "quotes", "comment"}
STORAGE_FIELDS = {"type", "duration", "until", "endless", "description", "quote", "quotes"}


@dataclass
class CompiledPolicy:
    """The result of compiling one annotation file."""

    path: Path
    slug: str
    version: str
    graph_iri: str
    notice_iri: str
    source_path: Path
    source_sha256: str
    triples: Triples
    quotes: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of every quote
    nodes: dict[str, tuple[int | None, str]] = field(default_factory=dict)  # IRI -> (line, field path)
    origin: Origin | None = None  # where the source text is published, under which licence
    draft: bool = False  # written by ``privacykg draft`` and not yet reviewed (``draft: true``)
    draft_line: int | None = None
    _graph: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.slug}-{self.version}"

    @property
    def graph(self) -> Graph:
        """The policy's triples as an rdflib graph (made on first use)."""
        if self._graph is None:
            self._graph = self.triples.graph()
        return self._graph


def _hash(*parts) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:10]


def _child(term: str, suffix: str) -> str:
    """The IRI term of ``term``'s IRI with ``suffix`` appended."""
    return term[:-1] + suffix + ">"


def statement_node(notice: str, s: str, p: str, o: str) -> str:
    """The IRI term of the ``rdf:Statement`` node by which the notice ``notice`` says ``s p o``."""
    return _child(notice, f"/statement/{_hash(term_value(s), term_value(p), term_value(o))}")


def _suggest_field(name: str, allowed) -> str | None:
    import difflib

    near = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else None


def check_date(text: str) -> _dt.date | None:
    if not DATE_RE.match(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


class _Compiler:
    def __init__(self, path: Path, ontology: Ontology, iris: ns.IRIs, sources_dir: Path):
        self.path = path
        self.file = str(path)
        self.onto = ontology
        self.iris = iris
        self.sources_dir = sources_dir
        self.problems: list[Problem] = []
        self.g = Triples()
        self.source_text: str | None = None
        self.entity_keys: set[str] = set()
        self.tech_keys: set[str] = set()
        self.quote_spans: list[tuple[int, int]] = []
        self.nodes: dict[str, tuple[int | None, str]] = {}
        self._is_a: dict[tuple[str, str], bool] = {}

    # ---- reporting ----------------------------------------------------------------------
    def problem(self, node_or_line, field_path: str | None, message: str, hint: str | None = None, rule="format"):
        line = node_or_line.line if isinstance(node_or_line, Node) else node_or_line
        self.problems.append(Problem(self.file, message, line=line, field=field_path, hint=hint, rule=rule))

    # ---- typed readers ------------------------------------------------------------------
    def text(self, node: Node | None, path: str, required=False) -> str | None:
        if node is None:
            if required:
                self.problem(None, path, "is required")
            return None
        if not isinstance(node.value, str):
            self.problem(node, path, "must be text, not a list or mapping")
            return None
        if required and not node.value.strip():
            self.problem(node, path, "must not be empty")
            return None
        return node.value

    def listof(self, node: Node | None, path: str) -> list[Node]:
        if node is None:
            return []
        if isinstance(node.value, list):
            return node.value
        return [node]

    def mapping(self, node: Node | None, path: str) -> Mapping | None:
        if node is None:
            return None
        if not isinstance(node.value, dict):
            self.problem(node, path, "must be a mapping (key: value lines)")
            return None
        return node.value

    def check_fields(self, m: Mapping, allowed: set[str], path: str, node: Node):
        for key in m:
            if key not in allowed:
                self.problem(
                    m.key_lines.get(key, node.line),
                    f"{path}.{key}" if path else key,
                    f"unknown field '{key}'",
                    _suggest_field(key, allowed),
                )

    # ---- terms ----------------------------------------------------------------------------
    def is_a(self, iri: str, kind: str) -> bool:
        """``Ontology.is_a``, remembered for this file (a file uses few terms, many times)."""
        key = (iri, kind)
        if key not in self._is_a:
            self._is_a[key] = self.onto.is_a(iri, kind)
        return self._is_a[key]

    def term(self, raw: str, node: Node, path: str, kinds: tuple[str, ...] = (), keys: str | None = None):
        """Resolve a CURIE or a key to an IRI, checking it is declared and of the right kind."""
        raw = raw.strip()
        if ":" in raw and not raw.startswith(("http://", "https://")):
            prefix, _, local = raw.partition(":")
            if prefix not in ns.PREFIXES:
                self.problem(
                    node,
                    path,
                    f"unknown prefix '{prefix}:' in '{raw}'",
                    f"known prefixes: {', '.join(sorted(ns.DPV_PREFIXES) + ['pkg'])}",
                    rule="unknown-term",
                )
                return None
            iri = ns.PREFIXES[prefix] + local
            if (ns.is_dpv_iri(iri) or iri.startswith(ns.PKG)) and not self.onto.is_declared(iri):
                near = self.onto.suggest(raw, within=kinds[0] if kinds else None) or self.onto.suggest(raw)
                where = "ontology/privacykg.ttl" if iri.startswith(ns.PKG) else "ontology/dpv-profile.ttl"
                hint = f"did you mean {near}?" if near else f"declare it in {where} if DPV 2.3 has it"
                self.problem(node, path, f"unknown term {raw}", hint, rule="unknown-term")
                return None
            if not checks.sunset_term(self, iri, raw, node, path):
                return None
            if kinds and not any(self.is_a(iri, k) for k in kinds):
                want = " or ".join(ns.compact(k) for k in kinds)
                if kinds[0] == DPV + "Country" and self.onto.is_a(iri, DPV + "Location"):
                    self.problem(
                        node,
                        path,
                        f"{raw} is not a kind of {want}",
                        "it is a group of countries: for transfers 'outside the EEA' write "
                        "isOutsideOfLocation: [loc:EEA]",
                        rule="wrong-kind",
                    )
                    return None
                near = self.onto.suggest(raw, within=kinds[0])
                self.problem(
                    node,
                    path,
                    f"{raw} is not a kind of {want}",
                    f"did you mean {near}?" if near and near != raw else f"use a term narrower than {want}",
                    rule="wrong-kind",
                )
                return None
            if not valid_iri(iri):
                self.problem(
                    node,
                    path,
                    f"'{raw}' is not a valid term: no spaces, quotes or brackets",
                    "write prefix:Name, e.g. dpv:Marketing",
                    rule="unknown-term",
                )
                return None
            return f"<{iri}>"
        if raw.startswith(("http://", "https://")):
            self.problem(
                node,
                path,
                f"full IRIs are not accepted as values: {raw}",
                "write a CURIE such as dpv:Marketing, or an entity key",
                rule="unknown-term",
            )
            return None
        if keys == "entity" and raw in self.entity_keys:
            return f"<{self.iris.entity(raw)}>"
        if keys == "technology" and raw in self.tech_keys:
            return f"<{self.tech_iri(raw)}>"
        if keys == "entity":
            import difflib

            near = difflib.get_close_matches(raw, sorted(self.entity_keys), n=1)
            self.problem(
                node,
                path,
                f"'{raw}' is not an entity key of this file nor a CURIE",
                f"did you mean '{near[0]}'?" if near else "add it under entities:",
                rule="unknown-term",
            )
        elif keys == "technology":
            self.problem(
                node,
                path,
                f"'{raw}' is not a technology key of this file nor a CURIE",
                "add it under technologies:, or write a term such as tech:Cookie",
                rule="unknown-term",
            )
        else:
            near = self.onto.suggest("dpv:" + raw, within=kinds[0] if kinds else None)
            self.problem(
                node,
                path,
                f"'{raw}' is not a CURIE",
                f"did you mean {near}?" if near else "write prefix:Name, e.g. dpv:Marketing",
                rule="unknown-term",
            )
        return None

    # ---- evidence -------------------------------------------------------------------------
    def quotes_of(self, m: Mapping, node: Node, path: str) -> list[tuple[int, int]]:
        spans = []
        for key in ("quote", "quotes"):
            for item in self.listof(m.get(key), f"{path}.{key}"):
                span = self.quote(item, f"{path}.{key}")
                if span:
                    spans.append(span)
        return spans

    def quote(self, item: Node, path: str) -> tuple[int, int] | None:
        at = None
        carried = None
        if isinstance(item.value, dict):
            m = item.value
            self.check_fields(m, {"text", "at", "carried"}, path, item)
            text = self.text(m.get("text"), f"{path}.text", required=True)
            if m.get("at") is not None:
                at_raw = self.text(m.get("at"), f"{path}.at")
                if at_raw is None or not at_raw.strip().isdigit():
                    self.problem(m["at"], f"{path}.at", f"offset must be a whole number, not '{at_raw}'")
                    return None
                at = int(at_raw)
            if m.get("carried") is not None:
                carried = self.text(m["carried"], f"{path}.carried") or "flagged"
                self.carried(item, path, carried, at)
        else:
            text = self.text(item, path, required=True)
        if not text or self.source_text is None:
            return None
        src = self.source_text
        if carried is not None:  # refused above: only where it is, so nothing else is reported of it
            if at is not None:
                return (at, at + len(text)) if src[at : at + len(text)] == text else None
            found = _occurrences(src, text, 2)
            return (found[0], found[0] + len(text)) if len(found) == 1 else None
        if at is not None:
            if src[at : at + len(text)] != text:
                found = [m.start() for m in re.finditer(re.escape(text), src)]
                self.problem(
                    item,
                    path,
                    f"offset {at} does not match the quote: the source reads "
                    f"'{src[at : at + min(len(text), 60)]}' there",
                    f"the quote is at offset {', '.join(map(str, found[:5]))}"
                    if found
                    else "the quote is not in the source at all",
                    rule="quote",
                )
                return None
            return at, at + len(text)
        found = []
        start = src.find(text)
        while start != -1 and len(found) < 20:
            found.append(start)
            start = src.find(text, start + 1)
        if not found:
            self.problem(
                item,
                path,
                f"quote not found verbatim in the source: '{_short(text)}'",
                _near_miss(text, src),
                rule="quote",
            )
            return None
        if len(found) > 1:
            self.problem(
                item,
                path,
                f"quote occurs {len(found)} times in the source: '{_short(text)}'",
                f"write it as {{text: ..., at: N}} with N one of {', '.join(map(str, found[:6]))}",
                rule="quote",
            )
            return None
        return found[0], found[0] + len(text)

    def carried(self, item: Node, path: str, note: str, at: int | None):
        """Refuse a quote item flagged by ``privacykg carry`` (its ``carried:`` key), saying how
        to resolve it."""
        if note.startswith("gone"):
            hint = "delete the fact or quote it anew, then delete the carried: key"
        elif note.startswith("ambiguous"):
            hint = f"check the occurrence at {at} is the passage meant (else change at:), then delete the carried: key"
        else:
            hint = "check the proposed quote against the text, then delete the carried: key"
        self.problem(
            item,
            path,
            f"quote carried forward from the previous version and flagged: {_short(note, 160)}",
            hint,
            rule="carry-forward",
        )

    def annotate(self, body, spans: list[tuple[int, int]]):
        for start, end in spans:
            self.quote_spans.append((start, end))
            ann = _child(self.notice, f"/evidence/{_hash(term_value(body), start, end)}")
            target = _child(ann, "#target")
            qsel = _child(ann, "#quote")
            psel = _child(ann, "#position")
            g, src = self.g, self.source_text
            g.add((ann, A, OA("Annotation")))
            g.add((ann, OA("motivatedBy"), OA("describing")))
            g.add((ann, OA("hasBody"), body))
            g.add((ann, OA("hasTarget"), target))
            g.add((target, A, OA("SpecificResource")))
            g.add((target, OA("hasSource"), self.source_iri))
            g.add((target, OA("hasSelector"), qsel))
            g.add((target, OA("hasSelector"), psel))
            g.add((qsel, A, OA("TextQuoteSelector")))
            g.add((qsel, OA("exact"), literal(src[start:end])))
            g.add((qsel, OA("prefix"), literal(src[max(0, start - CONTEXT_CHARS) : start])))
            g.add((qsel, OA("suffix"), literal(src[end : end + CONTEXT_CHARS])))
            g.add((psel, A, OA("TextPositionSelector")))
            g.add((psel, OA("start"), literal(str(start), XSD_INTEGER)))
            g.add((psel, OA("end"), literal(str(end), XSD_INTEGER)))

    def statement(self, s, p, o, spans):
        """Add ``s p o`` and, if the value carries its own quote or modality marks, an
        ``rdf:Statement`` of it with the quote's annotation and the marks."""
        self.g.add((s, p, o))
        marks = getattr(spans, "marks", None)
        if spans or marks:
            st = statement_node(self.notice, s, p, o)
            self.g.add((st, A, RDF_STATEMENT))
            self.g.add((st, RDF_SUBJECT, s))
            self.g.add((st, RDF_PREDICATE, p))
            self.g.add((st, RDF_OBJECT, o))
            self.annotate(st, spans)
            if marks:
                modality.mark(self, st, marks)

    def values(self, node: Node | None, path: str):
        """Yield (raw text, node, quote spans) for a list of values, plain or ``{value:, quote:}``."""
        for i, item in enumerate(self.listof(node, path)):
            ipath = f"{path}[{i}]" if node is not None and isinstance(node.value, list) else path
            if isinstance(item.value, dict):
                m = item.value
                self.check_fields(m, {"value", "quote", "quotes", "comment"} | modality.VALUE_FIELDS, ipath, item)
                raw = self.text(m.get("value"), f"{ipath}.value", required=True)
                spans = modality.value_marks(self, m, item, ipath, self.quotes_of(m, item, ipath))
                if raw is not None:
                    yield raw, m["value"], spans
            elif isinstance(item.value, list):
                self.problem(item, ipath, "a value must be text or {value: ..., quote: ...}, not a list")
            else:
                yield item.value, item, []

    # ---- IRIs -----------------------------------------------------------------------------
    def tech_iri(self, key):
        return f"{self.notice_iri}/technology/{key}"

    # ---- the file -------------------------------------------------------------------------
    def run(self) -> CompiledPolicy | None:
        root = read_yaml_file(self.path)
        top = self.mapping(root, "")
        if top is None:
            raise DataError(self.problems or [Problem(self.file, "the file must be a YAML mapping", line=root.line)])
        self.check_fields(top, TOP_FIELDS, "", root)
        fmt = self.text(top.get("format"), "format", required=True)
        if fmt is not None and fmt != FORMAT:
            self.problem(top["format"], "format", f"unsupported format '{fmt}'", f"write format: {FORMAT}")
        slug = self.text(top.get("policy"), "policy", required=True)
        version = self.text(top.get("version"), "version", required=True)
        if slug and not SLUG_RE.match(slug):
            self.problem(
                top["policy"],
                "policy",
                f"'{slug}' is not a valid policy id",
                "use lowercase letters, digits and hyphens",
            )
            slug = None
        elif slug in RESERVED_SLUGS:
            self.problem(
                top["policy"],
                "policy",
                f"'{slug}' is reserved: its graphs would clash with the shared ones",
                "name the policy after its company, e.g. acme",
            )
            slug = None
        if version and not check_date(version):
            self.problem(
                top["version"],
                "version",
                f"'{version}' is not a valid date",
                "write the version date as YYYY-MM-DD, a real calendar date",
            )
            version = None
        if slug and version and self.path.stem != f"{slug}-{version}":
            self.problem(
                top["policy"],
                "policy",
                f"the file name must be {slug}-{version}.yaml, not {self.path.name}",
                "rename the file or fix policy/version: one policy version = one file",
            )
        if not (slug and version):
            raise DataError(self.problems)
        self.slug, self.version = slug, version
        self.notice_iri = self.iris.policy(slug, version)
        self.notice = nt_iri(self.notice_iri)
        self.nodes[self.notice_iri] = (top.key_lines.get("notice", 1), "notice")
        self.source_iri = nt_iri(self.iris.source(slug, version))

        # source text
        source_name = self.text(top.get("source"), "source", required=True)
        source_path = None
        sha = ""
        if source_name:
            source_path = self.sources_dir / source_name
            if Path(source_name).name != source_name:
                self.problem(
                    top["source"],
                    "source",
                    f"'{source_name}' must be a file name in {self.sources_dir}",
                    "no directories or '..' in source",
                )
            elif not source_path.is_file():
                self.problem(
                    top["source"],
                    "source",
                    f"source text not found: {source_path}",
                    f"put the policy text in {self.sources_dir}/",
                )
            else:
                data = source_path.read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                try:
                    self.source_text = quoted_text(data, str(source_path))
                except DataError as exc:
                    self.problems.extend(exc.problems)
        if self.source_text is None:
            raise DataError(self.problems)

        g, n = self.g, self.notice
        g.add((n, A, D("PrivacyNotice")))
        g.add((n, PKG("policySlug"), literal(slug)))
        g.add((n, PKG("versionDate"), literal(version, XSD_DATE)))
        g.add((n, PKG("sourceText"), self.source_iri))
        title = self.text(top.get("title"), "title", required=True)
        if title:
            g.add((n, DCT("title"), literal(title)))
            g.add((n, LABEL, literal(title)))
        lang = self.text(top.get("language"), "language", required=True)
        if lang:
            if not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$", lang):
                self.problem(top["language"], "language", f"'{lang}' is not a language tag", "write e.g. en")
            else:
                g.add((n, DCT("language"), literal(lang, XSD_LANGUAGE)))
        url = self.text(top.get("url"), "url")
        if url:
            if not re.match(r"^https?://\S+$", url) or not valid_iri(url):
                self.problem(top["url"], "url", f"'{url}' is not an http(s) URL")
            else:
                g.add((n, nt_iri(ns.FOAF + "page"), nt_iri(url)))
        if top.get("comment") is not None:
            c = self.text(top.get("comment"), "comment")
            if c:
                g.add((n, COMMENT, literal(c)))
        g.add((self.source_iri, A, nt_iri(ns.FOAF + "Document")))
        if source_name and is_markdown(source_name):
            # the published Markdown; quotes and their offsets are those of its plain-text rendering
            g.add((self.source_iri, DCT("format"), literal("text/markdown")))
            g.add((self.source_iri, PKG("quotedRendering"), literal(RENDERING)))
        else:
            g.add((self.source_iri, DCT("format"), literal("text/plain")))
        g.add((self.source_iri, LABEL, literal(f"text of {title or slug}, version {version}")))
        g.add((self.source_iri, DCT("identifier"), literal(source_name)))
        g.add((self.source_iri, PKG("sha256"), literal(sha)))
        self.origin = read_origin(self, top.get("origin"))
        if self.origin:
            for t in self.origin.source_triples(self.source_iri):
                g.add(t)

        # keys first, so references in any order resolve
        ents = self.mapping(top.get("entities"), "entities") or Mapping()
        techs = self.mapping(top.get("technologies"), "technologies") or Mapping()
        for key in list(ents) + list(techs):
            if not KEY_RE.match(key):
                self.problem(
                    (ents.key_lines if key in ents else techs.key_lines).get(key),
                    key,
                    f"'{key}' is not a valid key",
                    "use lowercase letters, digits and hyphens",
                )
        self.entity_keys = set(ents)
        self.tech_keys = set(techs)

        ctrl = self.text(top.get("controller"), "controller", required=True)
        self.controller = None
        if ctrl:
            if ctrl not in self.entity_keys:
                self.problem(
                    top["controller"],
                    "controller",
                    f"'{ctrl}' is not a key under entities:",
                    "describe the controller under entities: and name its key here",
                    rule="controller",
                )
            else:
                self.controller = nt_iri(self.iris.entity(ctrl))
                g.add((n, D("hasDataController"), self.controller))
        for key, node in ents.items():
            self.entity(key, node)
        for key, node in techs.items():
            self.technology(key, node)
        if self.controller is not None:
            g.add((self.controller, A, D("DataController")))

        self.notice_block(top.get("notice"))

        procs = self.mapping(top.get("processes"), "processes")
        if not procs:
            self.problem(
                top.get("processes") or root,
                "processes",
                "a policy needs at least one process",
                "describe each processing activity under processes:",
                rule="process",
            )
        for key, node in (procs or {}).items():
            self.process(key, node, "processes", procs.key_lines.get(key), prohibition=False)
        prohibs = self.mapping(top.get("prohibitions"), "prohibitions") or Mapping()
        for key, node in prohibs.items():
            self.process(key, node, "prohibitions", prohibs.key_lines.get(key), prohibition=True)

        checks.type_dpos(self)
        draft = self.draft_flag(top)
        if self.problems:
            raise DataError(self.problems)
        return CompiledPolicy(
            self.path,
            slug,
            version,
            self.iris.graph(slug, version),
            self.notice_iri,
            source_path,
            sha,
            g,
            self.quote_spans,
            self.nodes,
            self.origin,
            draft=draft,
            draft_line=top.key_lines.get("draft"),
        )

    def draft_flag(self, top: Mapping) -> bool:
        """``draft: true`` (a file ``privacykg draft`` wrote, not yet reviewed) or ``false``."""
        raw = self.text(top.get("draft"), "draft")
        if raw is None:
            return False
        if raw not in ("true", "false"):
            self.problem(
                top["draft"],
                "draft",
                f"draft must be true or false, not '{raw}'",
                "delete the line once a person has reviewed the file",
            )
        return raw == "true"

    def entity(self, key: str, node: Node):
        path = f"entities.{key}"
        m = self.mapping(node, path)
        if m is None:
            return
        self.check_fields(m, ENTITY_FIELDS, path, node)
        self.nodes[self.iris.entity(key)] = (node.line, path)
        e = nt_iri(self.iris.entity(key))
        g = self.g
        types = [
            self.term(raw, vn, f"{path}.types", (DPV + "Entity",))
            for raw, vn, _ in self.values(m.get("types"), f"{path}.types")
        ]
        types = [t for t in types if t is not None] or [D("Organisation")]
        for t in types:
            g.add((e, A, t))
        name = self.text(m.get("name"), f"{path}.name", required=True)
        if name:
            g.add((e, D("hasName"), literal(name)))
            g.add((e, LABEL, literal(name)))
        for raw, _vn, spans in self.values(m.get("aliases"), f"{path}.aliases"):
            self.statement(e, f"<{ns.SKOS}altLabel>", literal(raw), spans)
        for raw, _vn, spans in self.values(m.get("address"), f"{path}.address"):
            self.statement(e, D("hasAddress"), literal(raw), spans)
        for raw, _vn, spans in self.values(m.get("contact"), f"{path}.contact"):
            self.statement(e, D("hasContact"), literal(raw), spans)
        for raw, vn, spans in self.values(m.get("url"), f"{path}.url"):
            if re.match(r"^https?://\S+$", raw) and valid_iri(raw):
                self.statement(e, nt_iri(ns.FOAF + "homepage"), nt_iri(raw), spans)
            else:
                self.problem(vn, f"{path}.url", f"'{raw}' is not an http(s) URL")
        for raw, vn, spans in self.values(m.get("location"), f"{path}.location"):
            iri = self.term(raw, vn, f"{path}.location", (DPV + "Location",))
            if iri is not None:
                self.statement(e, D("hasLocation"), iri, spans)
        for fld, pred in (
            ("dpo", "hasDataProtectionOfficer"),
            ("representative", "hasRepresentative"),
            ("subsidiaryOf", "isSubsidiaryOf"),
            ("hasSubsidiary", "hasSubsidiary"),
        ):
            for raw, vn, spans in self.values(m.get(fld), f"{path}.{fld}"):
                iri = self.term(raw, vn, f"{path}.{fld}", (), keys="entity")
                if iri is not None:
                    self.statement(e, D(pred), iri, spans)
        if m.get("comment") is not None:
            g.add((e, COMMENT, literal(self.text(m["comment"], f"{path}.comment") or "")))
        spans = self.quotes_of(m, node, path)
        if not spans:
            self.problem(
                node,
                path,
                "an entity needs at least one quote that names it",
                'add quotes: ["..."] copied from the source',
                rule="evidence",
            )
        self.annotate(e, spans)
        g.add((self.notice, PKG("mentionsEntity"), e))

    def duration_node(self, owner: str, m: Mapping, path: str, node: Node) -> str | None:
        dur_raw = self.text(m.get("duration"), f"{path}.duration")
        until = self.text(m.get("until"), f"{path}.until")
        desc = self.text(m.get("description"), f"{path}.description")
        endless = checks.endless(self, m, path)
        if dur_raw is None and until is None and desc is None and not endless:
            return None
        d = _child(owner, "/duration")
        g = self.g
        if dur_raw is not None:
            if not DURATION_RE.match(dur_raw.strip()):
                self.problem(
                    m["duration"],
                    f"{path}.duration",
                    f"'{dur_raw}' is not an ISO 8601 duration",
                    "write e.g. P2Y, P6M, P30D, PT30M",
                )
                return None
            g.add((d, A, D("TemporalDuration")))
            g.add((d, RDF_VALUE, literal(dur_raw.strip(), XSD_DURATION)))
        elif until is not None:
            g.add((d, A, D("UntilEventDuration")))
        elif endless:
            g.add((d, A, D("EndlessDuration")))
        else:
            g.add((d, A, D("IndeterminateDuration")))
        text = until or desc
        if text:
            g.add((d, DCT("description"), literal(text)))
        return d

    def technology(self, key: str, node: Node):
        path = f"technologies.{key}"
        m = self.mapping(node, path)
        if m is None:
            return
        self.check_fields(m, TECH_FIELDS, path, node)
        self.nodes[self.tech_iri(key)] = (node.line, path)
        t = nt_iri(self.tech_iri(key))
        g = self.g
        g.add((t, A, D("Technology")))
        g.add((t, A, SKOS_CONCEPT))
        name = self.text(m.get("name"), f"{path}.name", required=True)
        if name:
            g.add((t, D("hasName"), literal(name)))
            g.add((t, LABEL, literal(name)))
        broader = [
            self.term(raw, vn, f"{path}.broader", (DPV + "Technology",))
            for raw, vn, _ in self.values(m.get("broader"), f"{path}.broader")
        ]
        broader = [b for b in broader if b is not None]
        if m.get("broader") is None:
            self.problem(
                node,
                f"{path}.broader",
                "is required",
                "say what it is, e.g. broader: [tech:Cookie] or [pkg:AnalyticsCookie]",
            )
        for b in broader:
            g.add((t, SKOS_BROADER, b))
        for raw, vn, spans in self.values(m.get("provider"), f"{path}.provider"):
            iri = self.term(raw, vn, f"{path}.provider", (DPV + "Entity",), keys="entity")
            if iri is not None:
                self.statement(t, f"<{ns.TECH}hasProvider>", iri, spans)
        if m.get("duration") is not None or m.get("until") is not None:
            # with a period, the description is how the policy states it ("30 seconds to 1 year")
            d = self.duration_node(t, m, path, node)
            if d is not None:
                g.add((t, D("hasDuration"), d))
        else:
            desc = self.text(m.get("description"), f"{path}.description")
            if desc:  # no period: the description is of the technology itself
                g.add((t, DCT("description"), literal(desc)))
        if m.get("comment") is not None:
            g.add((t, COMMENT, literal(self.text(m["comment"], f"{path}.comment") or "")))
        spans = self.quotes_of(m, node, path)
        if not spans:
            self.problem(node, path, "a technology needs at least one quote", rule="evidence")
        self.annotate(t, spans)

    def notice_block(self, node: Node | None):
        path = "notice"
        m = self.mapping(node, path)
        if m is None:
            self.problem(
                None,
                path,
                "is required: the notice needs at least its date",
                "add notice: {modified: {value: YYYY-MM-DD, quote: ...}}",
                rule="notice",
            )
            return
        self.check_fields(m, NOTICE_FIELDS, path, node)
        n, g = self.notice, self.g
        dated = False
        for fld, pred in NOTICE_DATE_FIELDS.items():
            for raw, vn, spans in self.values(m.get(fld), f"{path}.{fld}"):
                if check_date(raw) is None:
                    self.problem(
                        vn, f"{path}.{fld}", f"'{raw}' is not a valid date", "write YYYY-MM-DD, a real calendar date"
                    )
                    continue
                if not spans:
                    self.problem(
                        vn, f"{path}.{fld}", "a date needs its quote", "write {value: ..., quote: ...}", rule="evidence"
                    )
                self.statement(n, pred, literal(raw, XSD_DATE), spans)
                dated = True
        if not dated:
            self.problem(
                node,
                path,
                "the notice needs a date: modified, issued or effective",
                "add modified: {value: YYYY-MM-DD, quote: ...}",
                rule="notice",
            )
        for fld, (pred, kinds, keys) in NOTICE_TERM_FIELDS.items():
            for raw, vn, spans in self.values(m.get(fld), f"{path}.{fld}"):
                if fld == "hasContact":
                    obj = literal(raw)
                else:
                    obj = self.term(raw, vn, f"{path}.{fld}", kinds, keys=keys)
                if obj is None:
                    continue
                if not spans:
                    self.problem(
                        vn,
                        f"{path}.{fld}",
                        "a notice statement needs its quote",
                        "write {value: ..., quote: ...}",
                        rule="evidence",
                    )
                self.statement(n, nt_iri(pred), obj, spans)
        for fld, pred in NOTICE_TEXT_FIELDS.items():
            for raw, vn, spans in self.values(m.get(fld), f"{path}.{fld}"):
                if not spans:
                    self.problem(vn, f"{path}.{fld}", "a notice statement needs its quote", rule="evidence")
                self.statement(n, pred, literal(raw), spans)
        for raw, vn, spans in self.values(m.get("responseTime"), f"{path}.responseTime"):
            if not DURATION_RE.match(raw.strip()):
                self.problem(
                    vn, f"{path}.responseTime", f"'{raw}' is not an ISO 8601 duration", "write e.g. P1M or P30D"
                )
                continue
            if not spans:
                self.problem(vn, f"{path}.responseTime", "a notice statement needs its quote", rule="evidence")
            if not checks.response_time_value(self, spans, vn, f"{path}.responseTime"):
                continue
            self.statement(n, PKG("rightsResponseTime"), literal(raw.strip(), XSD_DURATION), spans)
        for raw, vn, spans in self.values(m.get("respondsToDoNotTrack"), f"{path}.respondsToDoNotTrack"):
            if raw not in ("true", "false"):
                self.problem(vn, f"{path}.respondsToDoNotTrack", f"'{raw}' is not true or false")
                continue
            if not spans:
                self.problem(vn, f"{path}.respondsToDoNotTrack", "a notice statement needs its quote", rule="evidence")
            self.statement(n, PKG("respondsToDoNotTrack"), literal(raw, XSD_BOOLEAN), spans)
        if m.get("comment") is not None:
            g.add((n, COMMENT, literal(self.text(m["comment"], f"{path}.comment") or "")))

    def process(self, key: str, node: Node, section: str, key_line, prohibition: bool):
        path = f"{section}.{key}"
        if not KEY_RE.match(key):
            self.problem(key_line, path, f"'{key}' is not a valid key", "use lowercase letters, digits and hyphens")
            return
        m = self.mapping(node, path)
        if m is None:
            return
        self.check_fields(m, set(PROCESS_FIELDS) | NODE_FIELDS, path, node)
        kind = "prohibition" if prohibition else "process"
        p = _child(self.notice, f"/{kind}/{key}")
        self.nodes[p[1:-1]] = (key_line, path)
        g = self.g
        g.add((p, A, D("Process")))
        g.add((self.notice, D("hasProhibition" if prohibition else "hasProcess"), p))
        label = self.text(m.get("label"), f"{path}.label")
        g.add((p, LABEL, literal(label or key.replace("-", " "))))
        if m.get("comment") is not None:
            g.add((p, COMMENT, literal(self.text(m["comment"], f"{path}.comment") or "")))
        has_controller = False
        for fld, (pred, kinds, keys) in PROCESS_FIELDS.items():
            for raw, vn, spans in self.values(m.get(fld), f"{path}.{fld}"):
                iri = self.term(raw, vn, f"{path}.{fld}", kinds, keys=keys)
                if iri is None:
                    continue
                if fld in ("hasThirdCountry", "hasCountry") and iri[1:-1] not in self.onto.countries:
                    self.problem(
                        vn,
                        f"{path}.{fld}",
                        f"{raw} is not a country",
                        "use loc: and the ISO 3166-1 alpha-2 code, e.g. loc:US",
                        rule="unknown-term",
                    )
                    continue
                if not checks.personal_data_value(self, fld, iri, raw, vn, f"{path}.{fld}"):
                    continue
                has_controller |= fld == "hasDataController"
                self.statement(p, f"<{pred}>", iri, spans)
        if not prohibition and not has_controller and self.controller is not None:
            g.add((p, D("hasDataController"), self.controller))
        for i, item in enumerate(self.listof(m.get("hasStorageCondition"), f"{path}.hasStorageCondition")):
            spath = f"{path}.hasStorageCondition[{i}]"
            sm = self.mapping(item, spath)
            if sm is None:
                continue
            self.check_fields(sm, STORAGE_FIELDS, spath, item)
            sc = _child(p, f"/storage/{i + 1}")
            stype = D("StorageDuration")
            if sm.get("type") is not None:
                stype = (
                    self.term(
                        self.text(sm["type"], f"{spath}.type") or "",
                        sm["type"],
                        f"{spath}.type",
                        (DPV + "StorageCondition",),
                    )
                    or stype
                )
            g.add((sc, A, stype))
            d = self.duration_node(sc, sm, spath, item)
            if d is not None:
                g.add((sc, D("hasDuration"), d))
            spans = self.quotes_of(sm, item, spath)
            self.statement(p, D("hasStorageCondition"), sc, spans)
        spans = self.quotes_of(m, node, path)
        if not spans:
            self.problem(
                node,
                path,
                f"a {kind} needs at least one quote",
                'add quotes: ["..."] copied from the source',
                rule="evidence",
            )
        self.annotate(p, spans)
        modality.node_marks(self, p, m, node, path)


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u0430": "a",
    }
)


def _occurrences(src: str, text: str, limit: int) -> list[int]:
    """The offsets of ``text`` in ``src`` (at most ``limit`` of them)."""
    found, start = [], src.find(text)
    while start != -1 and len(found) < limit:
        found.append(start)
        start = src.find(text, start + 1)
    return found


def _near_miss(quote: str, src: str) -> str:
    """A hint for a quote that is not verbatim: same text with other quotes/dashes/spaces, or
    the longest prefix that is there."""
    norm = lambda s: re.sub(r"\s+", " ", s.translate(_PUNCT)).lower()  # noqa: E731
    nsrc, nq = norm(src), norm(quote)
    if nq in nsrc:
        return "the text is there with other quote marks, dashes, letters or spacing: copy it from the source"
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in src:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 10:
        at = src.find(quote[:lo])
        return f"the first {lo} characters match at offset {at}; then the source reads '{_short(src[at + lo : at + lo + 40], 40)}'"
    return "copy the sentence from the source text exactly"


def compile_policy(path: Path | str, ontology: Ontology, iris: ns.IRIs, sources_dir: Path | str) -> CompiledPolicy:
    """Compile one annotation file; raise :class:`DataError` listing every problem found."""
    return _Compiler(Path(path), ontology, iris, Path(sources_dir)).run()
