"""The ontology side: our DPV profile, our extension, the transfer-mechanism register and
the SHACL shapes, loaded from ``ontology/`` into one index the loader checks terms against.

>>> onto = load_ontology()
>>> onto.is_declared("https://w3id.org/dpv#Marketing")
True
>>> onto.suggest("dpv:Marketting")
'dpv:Marketing'
>>> onto.is_a("https://w3id.org/dpv#DirectMarketing", "https://w3id.org/dpv#Purpose")
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import namespaces as ns
from .errors import UsageError
from .resources import ONTOLOGY_DIR as DEFAULT_ONTOLOGY_DIR

#: The files of ``ontology/`` that make the vocabulary (shapes are loaded apart).
VOCABULARY_FILES = ("dpv-profile.ttl", "privacykg.ttl", "transfer-mechanisms.ttl")


def vocabulary_paths(directory: Path) -> list[Path]:
    """The vocabulary files: the profile, the extension, the register, and any
    ``extension/*.ttl`` contributions."""
    paths = [directory / name for name in VOCABULARY_FILES if (directory / name).exists()]
    paths += sorted((directory / "extension").glob("*.ttl")) if (directory / "extension").is_dir() else []
    return paths


@dataclass
class Ontology:
    """The vocabulary graph, the shapes graph and indexes over them."""

    graph: Graph
    shapes: Graph
    directory: Path
    _ancestors: dict = field(default_factory=dict, repr=False)

    # ---- term look-up -------------------------------------------------------------
    @cached_property
    def declared(self) -> frozenset[str]:
        """Every IRI the vocabulary declares (has a type or a label)."""
        out = set()
        for s in self.graph.subjects(RDF.type, None):
            if isinstance(s, URIRef):
                out.add(str(s))
        for s in self.graph.subjects(RDFS.label, None):
            if isinstance(s, URIRef):
                out.add(str(s))
        return frozenset(out)

    def is_declared(self, iri: str) -> bool:
        return iri in self.declared

    @cached_property
    def _by_prefix(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for iri in self.declared:
            curie = ns.compact(iri)
            if curie != iri:
                prefix, _, local = curie.partition(":")
                index.setdefault(prefix, []).append(local)
        return index

    def suggest(self, curie: str, within: str | None = None) -> str | None:
        """The nearest declared term to a misspelt or misplaced CURIE, if any is near.

        ``within`` restricts suggestions to terms that are a kind of that IRI.
        """
        prefix, _, local = curie.partition(":")
        candidates: list[tuple[float, str]] = []
        for p, locals_ in self._by_prefix.items():
            for loc in locals_:
                if within and not self.is_a(ns.PREFIXES[p] + loc, within):
                    continue
                a, b = local.lower(), loc.lower()
                score = difflib.SequenceMatcher(None, a, b).ratio()
                if len(a) >= 4 and len(b) > len(a):  # a misspelt start of a longer name: pd:Emial
                    score = max(score, difflib.SequenceMatcher(None, a, b[: len(a)]).ratio() - 0.05)
                if p == prefix:
                    score += 0.05
                if score >= 0.75:
                    candidates.append((score, f"{p}:{loc}"))
        if not candidates:
            return None
        return max(candidates, key=lambda c: (round(c[0], 3), -len(c[1])))[1]

    # ---- term status ----------------------------------------------------------------
    def status(self, iri: str) -> str | None:
        """DPV's ``sw:term_status`` of a term as the profile carries it ("accepted", "modified",
        "sunset"), or None.

        >>> load_ontology().status("https://w3id.org/dpv#LegalAgreement")
        'sunset'
        """
        value = self.graph.value(URIRef(iri), URIRef(ns.SW + "term_status"))
        return None if value is None else str(value)

    def replacement(self, iri: str) -> str | None:
        """The term DPV names as the successor of a sunset term (``dct:isReplacedBy``), or None."""
        value = self.graph.value(URIRef(iri), URIRef(ns.DCT + "isReplacedBy"))
        return None if value is None else str(value)

    # ---- hierarchy ----------------------------------------------------------------
    @cached_property
    def _parents(self) -> dict[str, set[str]]:
        """Direct parents: skos:broader, rdfs:subClassOf, rdfs:subPropertyOf (no location
        membership: a country's union is not its kind)."""
        parents: dict[str, set[str]] = {}
        for pred in (SKOS.broader, RDFS.subClassOf, RDFS.subPropertyOf):
            for s, o in self.graph.subject_objects(pred):
                if not isinstance(o, URIRef):
                    continue
                s, o = str(s), str(o)
                if s.startswith(ns.LOC) and o.startswith(ns.LOC):
                    continue  # union membership, never a kind-of link
                parents.setdefault(s, set()).add(o)
        return parents

    @cached_property
    def _types(self) -> dict[str, set[str]]:
        types: dict[str, set[str]] = {}
        for s, o in self.graph.subject_objects(RDF.type):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                types.setdefault(str(s), set()).add(str(o))
        return types

    def ancestors(self, iri: str) -> frozenset[str]:
        """Everything above ``iri`` by broader / subClassOf / subPropertyOf (transitively)."""
        if iri in self._ancestors:
            return self._ancestors[iri]
        seen: set[str] = set()
        stack = list(self._parents.get(iri, ()))
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            stack.extend(self._parents.get(cur, ()))
        self._ancestors[iri] = frozenset(seen)
        return self._ancestors[iri]

    def kinds(self, iri: str) -> set[str]:
        """The term itself, its ancestors, their types and the ancestors of those."""
        up = {iri} | self.ancestors(iri)
        out = set(up)
        for t in list(up):
            for ty in self._types.get(t, ()):
                out.add(ty)
                out |= self.ancestors(ty)
        return out

    def is_a(self, iri: str, kind: str) -> bool:
        """True when ``iri`` is ``kind`` or narrower, or typed with it (or narrower)."""
        return kind in self.kinds(iri)

    @cached_property
    def countries(self) -> frozenset[str]:
        """Every country the profile declares (``loc:XX a dpv:Country``)."""
        return frozenset(
            str(s) for s in self.graph.subjects(RDF.type, URIRef(ns.DPV + "Country")) if str(s).startswith(ns.LOC)
        )


def context_graph(onto: Ontology, data: Graph) -> Graph:
    """The part of the vocabulary that validating ``data`` needs: for every IRI ``data`` uses,
    its declaration (``rdfs:isDefinedBy``, label), types and all its ancestors, so that shapes
    can test kinds with short paths without carrying the whole vocabulary along."""
    out = Graph()
    terms = set()
    for _s, p, o in data:
        terms.add(p)
        if isinstance(o, URIRef):
            terms.add(o)
    used_dpv, used_ext = URIRef(ns.PKG + "UsedDPVTerm"), URIRef(ns.PKG + "UsedExtensionTerm")
    for t in terms:
        if ns.is_dpv_iri(str(t)):
            out.add((t, RDF.type, used_dpv))
        elif str(t).startswith(ns.PKG):
            out.add((t, RDF.type, used_ext))
    g = onto.graph
    done = set()
    for t in terms:
        todo = [str(t)]
        while todo:
            x = todo.pop()
            if x in done:
                continue
            done.add(x)
            xr = URIRef(x)
            for pred in (RDFS.isDefinedBy, RDFS.label):
                for o in g.objects(xr, pred):
                    out.add((xr, pred, o))
                    if pred == RDFS.label and x.startswith(ns.PKG):
                        out.add((xr, RDFS.isDefinedBy, URIRef(ns.PKG)))
                    break
            for ty in onto._types.get(x, ()):
                out.add((xr, RDF.type, URIRef(ty)))
                todo.append(ty)
            for par in onto._parents.get(x, ()):
                out.add((xr, SKOS.broader, URIRef(par)))
                todo.append(par)
    return out


def load_ontology(directory: Path | str | None = None) -> Ontology:
    """Read the vocabulary and shapes from ``directory`` (default: the project's ``ontology/``)."""
    directory = Path(directory) if directory else DEFAULT_ONTOLOGY_DIR
    if not directory.is_dir():
        raise UsageError(f"ontology directory not found: {directory}")
    graph = Graph()
    for path in vocabulary_paths(directory):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types on bad Turtle
            raise UsageError(f"{path}: cannot parse the ontology file: {exc}") from exc
    shapes = Graph()
    for path in sorted((directory / "shapes").glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:
            raise UsageError(f"{path}: cannot parse the shapes file: {exc}") from exc
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return Ontology(graph=graph, shapes=shapes, directory=directory)
