"""Who is named by which policy, and as what: the cross-policy view of organisations (the
``/organisations`` page and ``/api/organisations``).

Every organisation or person has an entity graph (``<base>graph/entity/<key>``, see
:mod:`privacykg.layout`). A policy version names it in its own graph in two ways, both read here
as the data has them, with no list of organisations or roles written down:

* a triple pointing at it (``?process dpv:hasRecipient <entity>``, ``?notice
  dpv:hasDataController <entity>``, ``?technology tech:hasProvider <entity>`` ...): its role is
  the property, read by its label ("has recipient" -> "recipient");
* a statement about it (``rdf:Statement``): a type the policy gives it (``dpv:DataProcessor``,
  ``dpv:ThirdParty`` ...), or a relation another organisation has to it (``dpv:isSubsidiaryOf``,
  ``dpv:hasDataProtectionOfficer``).

The bookkeeping links (``rdf:subject``/``rdf:object`` of statements, ``oa:hasBody`` of quotes,
``pkg:mentionsEntity``) and the inferred graphs are not roles. Versions of one policy are
grouped: each role says in which of the versions naming the organisation it is given.

Everything is read by index look-ups per organisation (the quads whose object is the entity,
then each statement's predicate and object), so the cost follows the mentions of the
organisations asked for, not the size of the store; a filter by name (``q``) is applied before
reading any mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from . import namespaces as ns
from .evidence import Graphs, Labels, is_inferred_graph

RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = ns.RDF + "subject", ns.RDF + "predicate", ns.RDF + "object"
RDF_TYPE = ns.RDF + "type"
#: links that record where a statement or a quote is, not what the policy says the entity does
BOOKKEEPING = {RDF_SUBJECT, RDF_OBJECT, ns.OA + "hasBody", ns.PKG + "mentionsEntity"}
#: types every organisation has: they say nothing of its role
GENERIC_TYPES = {ns.DPV + "Organisation", ns.DPV + "LegalEntity", ns.DPV + "Entity"}


@dataclass
class Role:
    """One role a policy gives an organisation: its words, the terms it comes from (a type and a
    property often say the same: ``dpv:DataProcessor``, ``dpv:hasDataProcessor``), the versions
    (dates) giving it."""

    text: str
    terms: list[str]
    versions: list[str] = field(default_factory=list)


@dataclass
class PolicyUse:
    """One policy naming an organisation: the policy (slug), its controller's name and title as
    its newest version naming the organisation gives them, the dates of the versions naming it,
    how many versions the policy has, and the roles."""

    policy: str
    controller: str
    title: str
    notice: str
    versions: list[str]
    total_versions: int
    roles: list[Role]

    @property
    def span(self) -> str:
        """The versions naming the organisation: "2020-05-24" or "2017-01-26 – 2024-02-01"."""
        return self.versions[0] if len(self.versions) == 1 else f"{self.versions[0]} – {self.versions[-1]}"


@dataclass
class Organisation:
    iri: str
    name: str
    policies: list[PolicyUse]


def _entity_terms(store, iris: ns.IRIs) -> list[tuple[str, str]]:
    """(entity IRI, key) of every entity graph in the store."""
    prefix = iris.entity_graph("")
    out = []
    for g in store.named_graphs():
        value = g.value if isinstance(g, ox.NamedNode) else str(g)
        if value.startswith(prefix):
            key = value[len(prefix) :]
            out.append((iris.entity(key), key))
    return sorted(out)


_NAMES = """SELECT ?g ?p ?name ?prefix WHERE {
  VALUES ?p { <https://w3id.org/dpv#hasName> <http://www.w3.org/2000/01/rdf-schema#label>
              <http://www.w3.org/2004/02/skos/core#altLabel> }
  GRAPH ?g { ?e ?p ?name } FILTER(STRSTARTS(STR(?g), ?prefix)) }"""
_NAME_ORDER = {ns.DPV + "hasName": 0, ns.RDFS + "label": 1, ns.SKOS + "altLabel": 2}


def _names(store, iris: ns.IRIs) -> dict[str, list[str]]:
    """The names and labels each entity graph gives its entity (hasName first), by entity key,
    in one query (the prefix of the entity graphs bound, not pasted)."""
    prefix = iris.entity_graph("")
    found: dict[str, list[tuple[int, str]]] = {}
    for r in store.query(_NAMES, substitutions={ox.Variable("prefix"): ox.Literal(prefix)}):
        key = r["g"].value[len(prefix) :]
        found.setdefault(key, []).append((_NAME_ORDER.get(r["p"].value, 3), r["name"].value))
    return {key: [n for _, n in sorted(pairs)] for key, pairs in found.items()}


def _matches(q: str, key: str, names: list[str]) -> bool:
    q = q.strip().casefold()
    return not q or any(q in n.casefold() for n in [key, *names])


def _role_text(label: str) -> str:
    """A property's label as the role it gives its object: "has recipient" -> "recipient"."""
    return label[4:] if label.startswith("has ") else label


def _part(store, st, graph, which: str):
    """One part (``RDF_PREDICATE``, ``RDF_SUBJECT`` or ``RDF_OBJECT``) of a statement node in ``graph``."""
    return next((q.object for q in store.quads_for_pattern(st, ox.NamedNode(which), None, graph)), None)


@dataclass(frozen=True)
class _Version:
    """A policy version as this view names it."""

    graph: str
    notice: str
    policy: str
    version: str
    title: str
    controller: str


class _Reader:
    """The look-ups one request shares: labels, which graph is which policy version, names."""

    def __init__(self, store, iris: ns.IRIs):
        self.store = store
        self.entity_prefix = iris.entity("")
        self.labels = Labels(store)
        self.graphs = Graphs(store, self.labels)
        self.versions: dict = {}
        self._counts: dict[str, int] | None = None

    def _first(self, s, p: str, g) -> str:
        return next((q.object.value for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None, g)), "")

    def version(self, graph) -> _Version | None:
        """The policy version whose graph ``graph`` is (None for any other graph), read once."""
        if graph not in self.versions:
            self.versions[graph] = self._read_version(graph)
        return self.versions[graph]

    def _read_version(self, g) -> _Version | None:
        if not isinstance(g, ox.NamedNode) or is_inferred_graph(g):
            return None
        found = self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(ns.DPV + "PrivacyNotice"), g)
        notice = next((q.subject for q in found), None)
        if notice is None:
            return None
        controller = self._first(notice, ns.DPV + "hasDataController", g)
        return _Version(
            g.value,
            notice.value,
            self._first(notice, ns.PKG + "policySlug", g) or notice.value,
            self._first(notice, ns.PKG + "versionDate", g),
            self._first(notice, ns.DCT + "title", g) or self.labels(notice.value),
            self.graphs.name(controller, g) if controller else "",
        )

    def mentions(self, iri: str) -> list[tuple[_Version, str, str]]:
        """(policy version, role words, role term) for each way a policy graph names ``iri``."""
        out = []
        for q in self.store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
            ref = self.version(q.graph_name)
            if ref is None:
                continue
            p = q.predicate.value
            if p == RDF_SUBJECT:
                role = self._stated_type(q.subject, q.graph_name)
            elif p == RDF_OBJECT:
                role = self._relation_to(q.subject, q.graph_name)
            elif p in BOOKKEEPING:
                role = None
            else:
                role = (_role_text(self.labels(p)), p)
            if role is not None:
                out.append((ref, *role))
        return out

    def _stated_type(self, st, graph) -> tuple[str, str] | None:
        p = _part(self.store, st, graph, RDF_PREDICATE)
        if p is None or p.value != RDF_TYPE:
            return None
        o = _part(self.store, st, graph, RDF_OBJECT)
        if not isinstance(o, ox.NamedNode) or o.value in GENERIC_TYPES:
            return None
        return self.labels(o.value), o.value

    def _relation_to(self, st, graph) -> tuple[str, str] | None:
        """A relation another organisation has to the entity (``X dpv:isSubsidiaryOf <entity>``),
        as "X: is subsidiary of"; None for a statement about a process (its triple is read as is)."""
        s = _part(self.store, st, graph, RDF_SUBJECT)
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(self.entity_prefix):
            return None
        p = _part(self.store, st, graph, RDF_PREDICATE)
        if p is None:
            return None
        return f"{self.graphs.name(s.value, graph)}: {self.labels(p.value)}", p.value

    def version_counts(self) -> dict[str, int]:
        """How many versions each policy (slug) has in the store."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for q in self.store.quads_for_pattern(None, ox.NamedNode(ns.PKG + "policySlug"), None, None):
                if isinstance(q.graph_name, ox.NamedNode) and not is_inferred_graph(q.graph_name):
                    counts[q.object.value] = counts.get(q.object.value, 0) + 1
            self._counts = counts
        return self._counts


def _policy_uses(reader: _Reader, mentions: list[tuple[_Version, str, str]]) -> list[PolicyUse]:
    """The mentions grouped by policy (its versions merged), each role with its versions."""
    by_policy: dict[str, dict] = {}
    for ref, text, term in mentions:
        slug = ref.policy
        use = by_policy.setdefault(slug, {"refs": {}, "roles": {}})
        use["refs"][ref.version] = ref
        role = use["roles"].setdefault(text, (set(), set()))
        role[0].add(term)
        role[1].add(ref.version)
    out = []
    counts = reader.version_counts()
    for slug, use in sorted(by_policy.items()):
        dates = sorted(use["refs"])
        newest = use["refs"][dates[-1]]
        roles = [Role(text, sorted(terms), sorted(vs)) for text, (terms, vs) in sorted(use["roles"].items())]
        out.append(
            PolicyUse(slug, newest.controller, newest.title, newest.notice, dates, counts.get(slug, len(dates)), roles)
        )
    return out


#: organisations per page: the page reads the mentions of these only, whatever the store's size
PAGE_SIZE = 100


@dataclass
class Found:
    """One page of the organisations matching a filter: ``total`` match, these are from ``offset``."""

    total: int
    offset: int
    organisations: list[Organisation]


def matching(store, iris: ns.IRIs, q: str = "") -> list[tuple[str, str]]:
    """(name, IRI) of every organisation (or person) with an entity graph whose key, name or
    label contains ``q`` (case-insensitive; all when empty), by name."""
    out = []
    names_of = _names(store, iris)
    for iri, key in _entity_terms(store, iris):
        names = names_of.get(key, [])
        if _matches(q, key, names):
            out.append((names[0] if names else key, iri))
    return sorted(out, key=lambda ni: (ni[0].casefold(), ni[1]))


def organisations(store, base: str, q: str = "", offset: int = 0, limit: int | None = None) -> Found:
    """The organisations matching ``q`` (see :func:`matching`), ``limit`` of them (default
    :data:`PAGE_SIZE`) from ``offset``, each with the policies naming it and the roles they give it."""
    limit = PAGE_SIZE if limit is None else limit
    iris = ns.IRIs(base)
    reader = _Reader(store, iris)
    found = matching(store, iris, q)
    page = found[offset : offset + limit]
    orgs = [Organisation(iri, name, _policy_uses(reader, reader.mentions(iri))) for name, iri in page]
    return Found(len(found), offset, orgs)
