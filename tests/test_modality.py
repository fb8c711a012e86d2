"""Modality (issue 15): conditions, possibilities and implied values compile to the RDF that
docs/annotation-format.md describes; the extension's hierarchy agrees with its comments; the
profile carries DPV's term status."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from helpers import DPV_DIR, FIXTURES, ROOT
from privacykg import namespaces as ns
from privacykg.compile import compile_policy

DPV = ns.DPV
PKG = ns.PKG
SW_STATUS = URIRef(ns.SW + "term_status")

BODY = (FIXTURES / "invalid" / "legal-basis-not-legal-basis.yaml").read_text(encoding="utf-8")
BODY = BODY.split("\n", 2)[2].replace("hasLegalBasis: [dpv:DirectMarketing]", "hasLegalBasis: [eu-gdpr:A6-1-a]")
# the source's last sentence: "We may share your email address with our partners if you agree."
PARTNERS = """
  partner-sharing:
    label: Sharing with partners
    quotes: ["We may share your email address with our partners if you agree."]
    modality: possible
    condition: "if you agree"
    hasPurpose: [{value: dpv:Marketing, implied: true}]
    hasPersonalData: [pd:EmailAddress]
    hasProcessing: [dpv:Share]
    hasLegalBasis: [{value: eu-gdpr:A6-1-a, condition: "if you agree", quote: "if you agree"}]
    hasRecipient: [{value: dpv:ThirdParty, modality: possible}]
"""


def compiled(tmp_path, ontology, body):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid" / "sources", data / "sources")
    (data / "policies").mkdir()
    path = data / "policies" / "acme-uk-2019-06-01.yaml"
    path.write_text(body, encoding="utf-8")
    return compile_policy(path, ontology, ns.IRIs(), data / "sources").graph


def with_partners(body: str) -> str:
    return body.replace("\nprohibitions:", PARTNERS + "\nprohibitions:")


def statement_of(g: Graph, pred: str, obj: str):
    (st,) = [
        s
        for s in g.subjects(RDF.predicate, URIRef(pred))
        if (s, RDF.object, URIRef(obj)) in g and "partner-sharing" in str(g.value(s, RDF.subject))
    ]
    return st


def test_process_possible_and_conditional(tmp_path, ontology):
    g = compiled(tmp_path, ontology, with_partners(BODY))
    (p,) = [s for s in g.subjects(RDF.type, URIRef(DPV + "Process")) if str(s).endswith("/partner-sharing")]
    assert (p, URIRef(DPV + "hasLikelihood"), URIRef(PKG + "Possible")) in g
    (cond,) = g.objects(p, URIRef(PKG + "hasStatedCondition"))
    assert (cond, RDF.type, URIRef(PKG + "StatedCondition")) in g
    assert g.value(cond, RDF.value) == Literal("if you agree")
    # the condition's words are evidence like any quote: an annotation selecting them in the source
    ann = g.value(None, URIRef(ns.OA + "hasBody"), cond)
    assert ann is not None
    exacts = {
        str(o)
        for t in g.objects(ann, URIRef(ns.OA + "hasTarget"))
        for s in g.objects(t, URIRef(ns.OA + "hasSelector"))
        for o in g.objects(s, URIRef(ns.OA + "exact"))
    }
    assert exacts == {"if you agree"}


def test_value_marks_sit_on_the_statement(tmp_path, ontology):
    g = compiled(tmp_path, ontology, with_partners(BODY))
    purpose = statement_of(g, DPV + "hasPurpose", DPV + "Marketing")  # no quote, but implied: a Statement all the same
    assert (purpose, URIRef(DPV + "hasStatus"), URIRef(PKG + "Implied")) in g
    basis = statement_of(g, DPV + "hasLegalBasis", ns.EU_GDPR + "A6-1-a")
    cond = g.value(basis, URIRef(PKG + "hasStatedCondition"))
    assert g.value(cond, RDF.value) == Literal("if you agree")
    recipient = statement_of(g, DPV + "hasRecipient", DPV + "ThirdParty")
    assert (recipient, URIRef(DPV + "hasLikelihood"), URIRef(PKG + "Possible")) in g
    # unmarked values make no statement: pd:EmailAddress has no quote and no mark here
    assert not [
        s
        for s in g.subjects(RDF.object, URIRef(ns.PD + "EmailAddress"))
        if "partner-sharing" in str(g.value(s, RDF.subject))
    ]


def test_unmarked_policy_has_no_modality(tmp_path, ontology):
    g = compiled(tmp_path, ontology, BODY)
    assert not list(g.subject_objects(URIRef(PKG + "hasStatedCondition")))
    assert not list(g.subject_objects(URIRef(DPV + "hasLikelihood")))


def test_unknown_modality_is_refused_with_a_hint(tmp_path, ontology):
    import privacykg

    body = with_partners(BODY).replace("modality: possible\n    condition", "modality: maybe\n    condition")
    with pytest.raises(privacykg.DataError) as info:
        compiled(tmp_path, ontology, body)
    (p,) = [p for p in info.value.problems if p.rule == "modality"]
    assert "unknown modality 'maybe'" in str(p) and "modality: possible" in p.hint and p.line


# ---- the extension's hierarchy against its comments ------------------------------------------
def _extension() -> Graph:
    g = Graph()
    g.parse(ROOT / "ontology" / "privacykg.ttl")
    g.parse(ROOT / "ontology" / "dpv-profile.ttl")
    return g


def _up(g: Graph, term: URIRef) -> set[URIRef]:
    seen, todo = set(), [term]
    while todo:
        for o in g.objects(todo.pop(), SKOS.broader):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


@pytest.mark.parametrize(
    "term,must,must_not",
    [
        # "... without saying it is a data protection officer designated under GDPR Art. 37."
        ("DataProtectionManager", [], [DPV + "DataProtectionOfficer"]),
        # a lawyer or law firm: ProfessionalAdviser's comment names "a lawyer"
        ("LegalAdviser", [PKG + "ProfessionalAdviser"], []),
        # an independent company authorised to resell: BusinessPartner's comment names "a reseller"
        ("AuthorisedDistributor", [PKG + "BusinessPartner"], []),
    ],
)
def test_extension_hierarchy_matches_comments(term, must, must_not):
    g = _extension()
    up = _up(g, URIRef(PKG + term))
    for m in must:
        assert URIRef(m) in up, f"pkg:{term} must be under {ns.compact(m)}"
    for m in must_not:
        assert URIRef(m) not in up, f"pkg:{term} must not be under {ns.compact(m)}"


def test_no_extension_term_is_under_a_concept_its_comment_denies():
    """A comment that says a term is *not* (or not said to be) some concept's label must not
    sit under that concept: "without saying it is a data protection officer" under
    dpv:DataProtectionOfficer would make every manager a DPO by inference."""
    import re

    g = _extension()
    wrong = []
    for s, comment in g.subject_objects(URIRef(ns.RDFS + "comment")):
        if not str(s).startswith(PKG):
            continue
        for up in _up(g, s):
            label = g.value(up, URIRef(ns.RDFS + "label"))
            if label is None:
                continue
            denied = rf"\b(?:not|without saying it is|never) (?:an? |the )?{re.escape(str(label).lower())}\b"
            if re.search(denied, str(comment).lower()):
                wrong.append((ns.compact(str(s)), ns.compact(str(up))))
    assert not wrong, f"extension terms under a concept their comment denies: {wrong}"


def test_modality_terms_hang_under_dpv():
    g = _extension()
    assert URIRef(DPV + "Likelihood") in _up(g, URIRef(PKG + "Possible"))
    assert URIRef(DPV + "Status") in _up(g, URIRef(PKG + "Implied"))
    assert URIRef(DPV + "ProcessingCondition") in _up(g, URIRef(PKG + "StatedCondition"))
    assert (
        URIRef(PKG + "hasStatedCondition"),
        URIRef(ns.RDFS + "subPropertyOf"),
        URIRef(DPV + "hasProcessingCondition"),
    ) in g


# ---- term status in the profile --------------------------------------------------------------
def test_profile_status_is_dpvs():
    if not (DPV_DIR / "dpv" / "dpv.ttl").exists():
        pytest.skip("official DPV files not present")
    profile = Graph().parse(ROOT / "ontology" / "dpv-profile.ttl")
    dpv = Graph().parse(DPV_DIR / "dpv" / "dpv.ttl")
    ours = {s: str(o) for s, o in profile.subject_objects(SW_STATUS)}
    assert ours.get(URIRef(DPV + "LegalAgreement")) == "sunset"
    wrong = [
        (ns.compact(str(s)), st, str(dpv.value(s, SW_STATUS)))
        for s, st in ours.items()
        if str(s).startswith(DPV) and str(dpv.value(s, SW_STATUS)) != st
    ]
    assert not wrong, wrong
    missing = [
        ns.compact(str(s))
        for s in set(profile.subjects(RDF.type, None))
        if str(s).startswith(DPV) and (s, SW_STATUS, None) in dpv and s not in ours
    ]
    assert not missing, f"profile terms without their DPV status: {missing[:10]}"


# ---- the same wording, the same term, in every file (issue 15, pattern 6) ---------------------------
# (a term one policy used, the sibling the others use for the same wording)
SIBLINGS = {
    "pkg:CorporateTransaction": "pkg:BusinessTransfer",  # "a corporate transaction such as a merger"
    "pkg:BusinessBuyer": "pkg:BusinessTransactionCounterparty",  # "To a buyer or a potential future buyer"
    "pkg:AgreementEnforcement": "pkg:ProtectLegalRights",  # "enforce our agreements"
}


@pytest.mark.parametrize("used,preferred", sorted(SIBLINGS.items()))
def test_policies_use_one_term_for_one_wording(used, preferred):
    import re

    files = sorted((ROOT / "data" / "policies").glob("*.yaml"))
    users = [p.name for p in files if re.search(rf"{re.escape(used)}\b", p.read_text(encoding="utf-8"))]
    assert not users, f"{users} use {used} where the other policies use {preferred} for the same wording"
    assert any(preferred in p.read_text(encoding="utf-8") for p in files)


def test_a_manager_named_as_dpo_is_not_typed_a_dpo(tmp_path, ontology):
    # the compiler types an entity named as dpo: a DPO, unless the policy calls it a data protection manager
    body = BODY.replace(
        "  acme-dpo:\n    types: [dpv:DataProtectionOfficer]", "  acme-dpo:\n    types: [pkg:DataProtectionManager]"
    )
    assert body != BODY
    g = compiled(tmp_path, ontology, body)
    (dpo,) = [s for s in g.subjects(URIRef(DPV + "hasName"), Literal("Jane Doe"))]
    assert (dpo, RDF.type, URIRef(DPV + "DataProtectionOfficer")) not in g
    assert (dpo, RDF.type, URIRef(PKG + "DataProtectionManager")) in g
    g2 = compiled(tmp_path / "b", ontology, BODY)
    (dpo,) = [s for s in g2.subjects(URIRef(DPV + "hasName"), Literal("Jane Doe"))]
    assert (dpo, RDF.type, URIRef(DPV + "DataProtectionOfficer")) in g2
