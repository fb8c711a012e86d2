"""Maintainers' tool: (re)write ontology/dpv-profile.ttl, the DPV 2.3 terms privacykg uses.

    python tools/make_profile.py --dpv PATH_TO_OFFICIAL_DPV_2.3_FILES

It states only facts about DPV terms (IRIs, types, broader / sub-class / sub-property links,
union membership, validity dates, names of countries and authorities, each term's ``sw:term_status``
and, for a sunset term whose DPV text names a successor, that successor as ``dct:isReplacedBy``), never DPV's
definitions; every label of a concept is written by us from its name. The terms are those the
annotation files use, those the loader and the query library need, and all their ancestors.
tests/test_dpv_alignment.py checks every term and link against the official files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, TIME

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "loader"))

from privacykg import namespaces as ns  # noqa: E402

DPV_FILES = ["dpv/dpv.ttl", "pd/pd.ttl", "tech/tech.ttl", "loc/loc.ttl", "legal/legal.ttl", "legal/eu/gdpr/eu-gdpr.ttl"]

# Terms the code and the query library rely on, beyond what the annotation files use.
BASE_TERMS = """
dpv:PrivacyNotice dpv:Notice dpv:Process dpv:DataController dpv:DataProcessor dpv:Organisation dpv:LegalEntity
dpv:DataProtectionOfficer dpv:Representative dpv:Recipient dpv:ThirdParty dpv:Entity dpv:HumanSubject
dpv:DataSubject dpv:Child dpv:Technology dpv:Duration dpv:TemporalDuration dpv:UntilEventDuration
dpv:IndeterminateDuration dpv:StorageCondition dpv:StorageDuration dpv:StorageDeletion
dpv:Purpose dpv:PersonalData dpv:Data dpv:Processing dpv:LegalBasis dpv:DataSource dpv:Country dpv:Location
dpv:SupraNationalUnion dpv:TechnicalMeasure dpv:OrganisationalMeasure dpv:LegalMeasure dpv:PhysicalMeasure
dpv:TechnicalOrganisationalMeasure dpv:Context dpv:Necessity dpv:AutomationLevel dpv:HumanInvolvement
dpv:ConsentStatus dpv:Right dpv:DataSubjectRight dpv:Authority dpv:DataProtectionAuthority dpv:Law
dpv:FeeRequirement dpv:FeeRequired dpv:FeeNotRequired dpv:Marketing dpv:DirectMarketing dpv:Advertising
dpv:SpecialCategoryPersonalData dpv:SensitivePersonalData dpv:SellDataToThirdParties dpv:CrossBorderTransfer
dpv:Transfer dpv:AutomatedDecisionMaking dpv:DataTransferLegalBasis dpv:ServiceProvider dpv:Consent
dpv:hasProcess dpv:hasProhibition dpv:hasPurpose dpv:hasPersonalData dpv:hasData dpv:hasProcessing
dpv:hasLegalBasis dpv:hasDataSubject dpv:hasDataController dpv:hasRecipient dpv:hasDataProcessor
dpv:hasThirdParty dpv:hasRecipientDataController dpv:hasRecipientThirdParty dpv:hasDataImporter
dpv:hasDataExporter dpv:hasDataSource dpv:hasThirdCountry dpv:hasCountry dpv:hasLocation
dpv:isOutsideOfLocation dpv:hasJurisdiction dpv:hasTechnicalMeasure dpv:hasOrganisationalMeasure
dpv:hasLegalMeasure dpv:hasPhysicalMeasure dpv:isImplementedUsingTechnology dpv:hasContext dpv:hasNecessity
dpv:hasAutomationLevel dpv:hasHumanInvolvement dpv:hasConsentStatus dpv:hasName dpv:hasAddress dpv:hasContact
dpv:hasDataProtectionOfficer dpv:hasRepresentative dpv:isSubsidiaryOf dpv:hasSubsidiary dpv:hasRight
dpv:hasAuthority dpv:hasApplicableLaw dpv:hasFee dpv:hasDuration dpv:hasStorageCondition dpv:hasEntity
dpv:NonPersonalData dpv:EndlessDuration dpv:Likelihood dpv:hasLikelihood dpv:ProcessingCondition
dpv:hasProcessingCondition dpv:Status dpv:hasStatus
tech:hasProvider tech:Cookie
pd:Financial pd:PaymentCard pd:FinancialAccount pd:Identifier pd:DeviceBased pd:IPAddress
pd:MACAddress pd:BrowsingBehaviour pd:Location pd:Contact pd:EmailAddress pd:Name pd:Age
eu-gdpr:A6-1-a eu-gdpr:A6-1-b eu-gdpr:A6-1-c eu-gdpr:A6-1-d eu-gdpr:A6-1-e eu-gdpr:A6-1-f
eu-gdpr:A7-3 eu-gdpr:A13 eu-gdpr:A14 eu-gdpr:A15 eu-gdpr:A16 eu-gdpr:A17 eu-gdpr:A18 eu-gdpr:A19 eu-gdpr:A20
eu-gdpr:A21 eu-gdpr:A22 eu-gdpr:A77 eu-gdpr:A78 eu-gdpr:A79
eu-gdpr:A45-3 eu-gdpr:AdequacyDecision eu-gdpr:A46-2-a eu-gdpr:A46-2-b eu-gdpr:A46-2-c eu-gdpr:A46-2-d
eu-gdpr:A46-2-e eu-gdpr:A46-2-f eu-gdpr:A46-3-a eu-gdpr:A46-3-b eu-gdpr:A49-1-a eu-gdpr:A49-1-b
eu-gdpr:A49-1-c eu-gdpr:A49-1-d eu-gdpr:A49-1-e eu-gdpr:A49-1-f eu-gdpr:A49-1-g eu-gdpr:A49-2
eu-gdpr:SCCByCommission eu-gdpr:BindingCorporateRules eu-gdpr:DataTransferTool
legal-eu:law-GDPR
loc:EU loc:EU27 loc:EU28 loc:EEA loc:EEA30 loc:EEA31 loc:non-EEA loc:non-EEA30 loc:non-EEA31 loc:non-EU
loc:non-EU27 loc:non-EU28
""".split()

UNIONS = ["EU", "EU27", "EU28", "EEA", "EEA30", "EEA31"]
INVERSE = ["non-EEA", "non-EEA30", "non-EEA31", "non-EU", "non-EU27", "non-EU28"]

# Our own words for the GDPR articles we cite as rights and legal bases.
OWN_LABELS = {
    "A6-1-a": "consent (GDPR Art. 6(1)(a))",
    "A6-1-b": "contract (GDPR Art. 6(1)(b))",
    "A6-1-c": "legal obligation (GDPR Art. 6(1)(c))",
    "A6-1-d": "vital interests (GDPR Art. 6(1)(d))",
    "A6-1-e": "public task (GDPR Art. 6(1)(e))",
    "A6-1-f": "legitimate interests (GDPR Art. 6(1)(f))",
    "A7-3": "right to withdraw consent (GDPR Art. 7(3))",
    "A13": "right to be informed (GDPR Art. 13)",
    "A14": "right to be informed, indirect collection (GDPR Art. 14)",
    "A15": "right of access (GDPR Art. 15)",
    "A16": "right to rectification (GDPR Art. 16)",
    "A17": "right to erasure (GDPR Art. 17)",
    "A18": "right to restriction of processing (GDPR Art. 18)",
    "A19": "right to be notified of rectification or erasure (GDPR Art. 19)",
    "A20": "right to data portability (GDPR Art. 20)",
    "A21": "right to object (GDPR Art. 21)",
    "A22": "right not to be subject to automated decisions (GDPR Art. 22)",
    "A77": "right to lodge a complaint with a supervisory authority (GDPR Art. 77)",
    "A78": "right to a judicial remedy against a supervisory authority (GDPR Art. 78)",
    "A79": "right to a judicial remedy against a controller or processor (GDPR Art. 79)",
    "A45-3": "adequacy decision (GDPR Art. 45(3))",
    "A46-2-a": "legally binding instrument (GDPR Art. 46(2)(a))",
    "A46-2-b": "binding corporate rules (GDPR Art. 46(2)(b))",
    "A46-2-c": "standard contractual clauses by the Commission (GDPR Art. 46(2)(c))",
    "A46-2-d": "standard contractual clauses by a supervisory authority (GDPR Art. 46(2)(d))",
    "A46-2-e": "code of conduct (GDPR Art. 46(2)(e))",
    "A46-2-f": "certification (GDPR Art. 46(2)(f))",
    "A46-3-a": "contractual clauses authorised by a supervisory authority (GDPR Art. 46(3)(a))",
    "A46-3-b": "administrative arrangements (GDPR Art. 46(3)(b))",
    "A49-1-a": "explicit consent to the transfer (GDPR Art. 49(1)(a))",
    "A49-1-b": "transfer necessary for a contract with the data subject (GDPR Art. 49(1)(b))",
    "A49-1-c": "transfer necessary for a contract in the data subject's interest (GDPR Art. 49(1)(c))",
    "A49-1-d": "transfer for important reasons of public interest (GDPR Art. 49(1)(d))",
    "A49-1-e": "transfer for legal claims (GDPR Art. 49(1)(e))",
    "A49-1-f": "transfer for vital interests (GDPR Art. 49(1)(f))",
    "A49-1-g": "transfer from a public register (GDPR Art. 49(1)(g))",
    "A49-2": "transfer for compelling legitimate interests (GDPR Art. 49(2))",
}


SW_STATUS = URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
_SUCCESSOR_RE = re.compile(r"\buse (?:the [\w -]+? )?((?:dpv|tech):[A-Za-z][A-Za-z0-9]*)")


def successor(dpv: Graph, s: URIRef) -> URIRef | None:
    """The term DPV's own text tells users to use instead of the sunset term ``s``, if it names one
    ("... use dpv:Process as the equivalent alternative"): only the IRI is kept, not the text."""
    for pred in (SKOS.scopeNote, SKOS.definition):
        for text in dpv.objects(s, pred):
            m = _SUCCESSOR_RE.search(str(text))
            if m:
                return URIRef(ns.expand(m.group(1)))
    return None


def words(local: str) -> str:
    """'DirectMarketing' -> 'direct marketing'; keeps acronyms ('IPAddress' -> 'IP address')."""
    local = local.replace("-", " ").replace("_", " ")
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|\d|\s)|[A-Z]?[a-z]+|\d+|[A-Z]+", local)
    out = [p if (p.isupper() and len(p) > 1) else p.lower() for p in parts]
    return " ".join(out) if out else local


def curie_iri(c: str) -> str:
    return ns.expand(c)


def used_terms(data_dir: Path) -> set[str]:
    found = set()
    pat = re.compile(r"\b(" + "|".join(re.escape(p) for p in list(ns.DPV_PREFIXES)) + r"):([A-Za-z0-9_-]+)")
    for path in (
        list((data_dir / "policies").glob("*.yaml"))
        + list((ROOT / "tests" / "fixtures").rglob("*.yaml"))
        + list((ROOT / "queries").rglob("*.rq"))
        + list((ROOT / "ontology").glob("*.ttl"))
        + list((ROOT / "ontology" / "extension").glob("*.ttl"))
        + list((ROOT / "ontology" / "shapes").glob("*.ttl"))
    ):
        if path.name == "dpv-profile.ttl":
            continue
        for m in pat.finditer(path.read_text(encoding="utf-8", errors="replace")):
            if m.group(2) in ("XX", "Name", "TermName"):
                continue  # placeholders in comments
            found.add(ns.PREFIXES[m.group(1)] + m.group(2))
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dpv", required=True, type=Path, help="folder with the official DPV 2.3 Turtle files")
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "ontology" / "dpv-profile.ttl")
    args = ap.parse_args(argv)

    dpv = Graph()
    for f in DPV_FILES:
        dpv.parse(args.dpv / f, format="turtle")
    wanted = {curie_iri(c) for c in BASE_TERMS} | used_terms(args.data)
    missing = sorted(ns.compact(t) for t in wanted if (URIRef(t), None, None) not in dpv)
    if missing:
        print("not in DPV 2.3 (fix the data):", " ".join(missing), file=sys.stderr)
        wanted -= {curie_iri(m) for m in missing}
    countries = {str(s) for s in dpv.subjects(RDF.type, URIRef(ns.DPV + "Country")) if str(s).startswith(ns.LOC)}
    adequacy = {str(s) for s in dpv.subjects(SKOS.broader, URIRef(ns.EU_GDPR + "AdequacyDecision"))}
    dpas = {
        str(s)
        for t in (ns.DPV + "DataProtectionAuthority", ns.EU_GDPR + "DataProtectionAuthority")
        for s in dpv.subjects(RDF.type, URIRef(t))
    }
    wanted |= countries | adequacy | {ns.LOC + u for u in UNIONS + INVERSE}
    wanted |= {d for d in dpas if re.search(r"/legal/(eu|bg|dk|gb|hk|us)#", d)}

    # a sunset term's successor is declared too, so the loader can name it
    for t in list(wanted):
        if str(dpv.value(URIRef(t), SW_STATUS) or "") == "sunset":
            nxt = successor(dpv, URIRef(t))
            if nxt is not None:
                wanted.add(str(nxt))

    # close upwards over types and parents
    link_preds = (SKOS.broader, RDFS.subClassOf, RDFS.subPropertyOf)
    todo, terms = list(wanted), set()
    while todo:
        t = todo.pop()
        if t in terms or not ns.is_dpv_iri(t) or (URIRef(t), None, None) not in dpv:
            continue  # (DPV 2.3 types pd:ProfessionalExperience with pd:PersonalData, which it never defines)
        terms.add(t)
        for p in link_preds:
            for o in dpv.objects(URIRef(t), p):
                if isinstance(o, URIRef) and not (t.startswith(ns.LOC) and str(o).startswith(ns.LOC)):
                    todo.append(str(o))
        for o in dpv.objects(URIRef(t), RDF.type):
            if isinstance(o, URIRef):
                todo.append(str(o))

    out = Graph()
    for prefix, iri in ns.PREFIXES.items():
        out.bind(prefix, iri, override=True)
    out.bind("time", str(TIME))
    out.bind("sw", "http://www.w3.org/2003/06/sw-vocab-status/ns#")
    onto = URIRef(ns.PKG.rstrip("#") + "/dpv-profile")
    out.add((onto, RDF.type, OWL.Ontology))
    out.add((onto, RDFS.label, Literal("privacykg's profile of DPV 2.3", lang="en")))
    out.add(
        (
            onto,
            RDFS.comment,
            Literal(
                "The DPV 2.3 terms privacykg uses, with their types, hierarchy and the location and adequacy facts the "
                "queries need, declared in our own words. Load the official DPV files for DPV's definitions.",
                lang="en",
            ),
        )
    )
    out.add((onto, OWL.versionInfo, Literal("DPV 2.3")))
    out.add((onto, DCTERMS.source, URIRef("https://w3id.org/dpv/2.3")))
    keep_types = {RDFS.Class, RDF.Property, SKOS.Concept, OWL.Class, OWL.ObjectProperty}
    for t in sorted(terms):
        s = URIRef(t)
        for o in dpv.objects(s, RDF.type):
            if isinstance(o, URIRef) and (o in keep_types or str(o) in terms):
                out.add((s, RDF.type, o))
        for p in link_preds:
            for o in dpv.objects(s, p):
                if isinstance(o, URIRef) and str(o) in terms:
                    out.add((s, p, o))
        local = ns.compact(t).partition(":")[2]
        if t.startswith(ns.EU_GDPR) and local in OWN_LABELS:
            label = OWN_LABELS[local]
        elif t in countries or t in dpas or t in adequacy or t.startswith(ns.LOC):
            label = str(dpv.value(s, SKOS.prefLabel) or words(local))  # a name, a fact
        else:
            label = words(local)
        out.add((s, RDFS.label, Literal(label, lang="en")))
        out.add((s, RDFS.isDefinedBy, URIRef(ns.PREFIXES[ns.compact(t).partition(":")[0]].rstrip("#"))))
        status = dpv.value(s, SW_STATUS)
        if status is not None:
            out.add((s, SW_STATUS, Literal(str(status))))
            if str(status) == "sunset":
                nxt = successor(dpv, s)
                if nxt is not None and str(nxt) in terms:
                    out.add((s, DCTERMS.isReplacedBy, nxt))
        if t in countries:
            out.add((s, URIRef(ns.LOC + "iso_alpha2"), Literal(local)))
        if t in dpas or t in adequacy:
            for o in dpv.objects(s, URIRef(ns.DPV + "hasJurisdiction")):
                out.add((s, URIRef(ns.DPV + "hasJurisdiction"), o))
    # union membership (one hop, both directions) and validity intervals
    for u in UNIONS + INVERSE:
        us = URIRef(ns.LOC + u)
        for c in dpv.objects(us, SKOS.narrower):
            if str(c) in countries:
                out.add((us, SKOS.narrower, c))
                if u in UNIONS:
                    out.add((c, SKOS.broader, us))
    for s in (
        [URIRef(ns.LOC + u) for u in UNIONS]
        + [URIRef(a) for a in sorted(adequacy)]
        + [URIRef(ns.LEGAL_EU + "law-GDPR")]
    ):
        for interval in dpv.objects(s, DCTERMS.temporal):
            node = BNode()
            out.add((s, DCTERMS.temporal, node))
            out.add((node, RDF.type, TIME.ProperInterval))
            for edge in (TIME.hasBeginning, TIME.hasEnd):
                for inst in dpv.objects(interval, edge):
                    for d in dpv.objects(inst, TIME.inXSDDate):
                        i = BNode()
                        out.add((node, edge, i))
                        out.add((i, TIME.inXSDDate, d))
    args.out.write_text(
        "# privacykg's profile of DPV 2.3: the terms we use, their types and hierarchy, union membership and\n"
        "# validity dates. Facts about DPV's IRIs, stated in our own words; DPV's definitions are not copied.\n"
        "# Written by tools/make_profile.py; checked against the official files by tests/test_dpv_alignment.py.\n"
        + out.serialize(format="turtle"),
        encoding="utf-8",
    )
    print(f"{args.out}: {len(terms)} terms, {len(out)} triples")


if __name__ == "__main__":
    main()
