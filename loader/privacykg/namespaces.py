"""The namespaces privacykg uses: one table feeding parsing, serialisation, the
endpoint's prefixes and the lint test of the query library.

>>> expand("dpv:Marketing")
'https://w3id.org/dpv#Marketing'
>>> compact("https://w3id.org/dpv/pd#EmailAddress")
'pd:EmailAddress'
>>> IRIs("https://example.org/kg/").policy("identrics", "2018-05-20")
'https://example.org/kg/policy/identrics/2018-05-20'
"""

from __future__ import annotations

from dataclasses import dataclass

DPV = "https://w3id.org/dpv#"
PD = "https://w3id.org/dpv/pd#"
TECH = "https://w3id.org/dpv/tech#"
LOC = "https://w3id.org/dpv/loc#"
LEGAL = "https://w3id.org/dpv/legal#"
LEGAL_EU = "https://w3id.org/dpv/legal/eu#"
EU_GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
PKG = "https://w3id.org/privacykg/ns#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
TIME = "http://www.w3.org/2006/time#"
SW = "http://www.w3.org/2003/06/sw-vocab-status/ns#"

#: The default base of the IRIs privacykg mints for policies, entities and evidence.
#: Change it with ``--base`` / ``PRIVACYKG_BASE`` to serve the data under your own domain.
DEFAULT_BASE = "https://w3id.org/privacykg/"

#: Prefixes DPV 2.3 defines (the namespaces whose terms must be declared in the profile).
DPV_PREFIXES = {
    "dpv": DPV,
    "pd": PD,
    "tech": TECH,
    "loc": LOC,
    "legal": LEGAL,
    "legal-eu": LEGAL_EU,
    "eu-gdpr": EU_GDPR,
    "legal-bg": "https://w3id.org/dpv/legal/bg#",
    "legal-dk": "https://w3id.org/dpv/legal/dk#",
    "legal-gb": "https://w3id.org/dpv/legal/gb#",
    "legal-hk": "https://w3id.org/dpv/legal/hk#",
    "legal-us": "https://w3id.org/dpv/legal/us#",
    "legal-de": "https://w3id.org/dpv/legal/de#",
    "legal-ie": "https://w3id.org/dpv/legal/ie#",
}

#: Every prefix privacykg knows, in the order they are written out.
PREFIXES = {
    **DPV_PREFIXES,
    "pkg": PKG,
    "oa": OA,
    "dct": DCT,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "prov": PROV,
    "foaf": FOAF,
    "sh": SH,
    "void": VOID,
    "time": TIME,
}


def expand(curie: str) -> str:
    """Expand a CURIE with a known prefix; raise KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def compact(iri: str) -> str:
    """The CURIE of ``iri`` with the longest matching known namespace, or the IRI itself."""
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def is_dpv_iri(iri: str) -> bool:
    """True for IRIs in one of DPV's namespaces (``https://w3id.org/dpv...``)."""
    return iri.startswith("https://w3id.org/dpv")


@dataclass(frozen=True)
class IRIs:
    """The IRIs minted under one base: readable, stable, derived from the file names."""

    base: str = DEFAULT_BASE

    def __post_init__(self):
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def policy(self, slug: str, version: str) -> str:
        return f"{self.base}policy/{slug}/{version}"

    def graph(self, slug: str, version: str) -> str:
        return f"{self.base}graph/{slug}/{version}"

    def source(self, slug: str, version: str) -> str:
        return f"{self.base}source/{slug}/{version}"

    def entity(self, key: str) -> str:
        return f"{self.base}entity/{key}"

    def inferred(self, slug: str, version: str) -> str:
        """The graph of what is inferred from a policy version."""
        return f"{self.base}graph/inferred/{slug}/{version}"

    def entity_graph(self, key: str) -> str:
        """The graph of an entity's shared description (see ``privacykg.layout``)."""
        return f"{self.base}graph/entity/{key}"

    def entity_inferred_graph(self, key: str) -> str:
        """The graph of what is inferred from an entity's description."""
        return f"{self.base}graph/inferred/entity/{key}"

    @property
    def ontology_graph(self) -> str:
        return f"{self.base}graph/ontology"

    @property
    def inferred_graph(self) -> str:
        return f"{self.base}graph/inferred"

    @property
    def metadata_graph(self) -> str:
        return f"{self.base}graph/metadata"
