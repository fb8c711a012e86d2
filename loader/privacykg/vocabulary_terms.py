"""The vocabulary's terms as the query editor completes them: each declared term of the ontology
(our DPV profile, our extension, the transfer-mechanism register) as a prefixed name with its
English label, read once per process.

>>> terms = vocabulary_terms()
>>> [t for t in terms if t["curie"] == "dpv:Marketing"]
[{'curie': 'dpv:Marketing', 'label': 'marketing'}]
>>> [t["curie"] for t in terms] == sorted(t["curie"] for t in terms)
True
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from . import namespaces as ns
from .ontology import load_ontology


@lru_cache(maxsize=1)
def vocabulary_terms() -> list[dict[str, str]]:
    """``{"curie", "label"}`` for every declared term with one of our prefixes, sorted by name."""
    onto = load_ontology()
    out = []
    for iri in onto.declared:
        curie = ns.compact(iri)
        if curie == iri:
            continue
        out.append({"curie": curie, "label": _label(onto.graph, URIRef(iri))})
    return sorted(out, key=lambda t: t["curie"])


def _label(graph, term: URIRef) -> str:
    """The term's English (or untagged) rdfs:label or skos:prefLabel, or ''."""
    for prop in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(term, prop):
            if isinstance(value, Literal) and value.language in (None, "en"):
                return str(value)
    return ""
