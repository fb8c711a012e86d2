"""Competency questions cq17-cq34: legal bases, rights, retention, security, cookies, contacts,
selling, dates, a feature matrix, policy differences, Do Not Track and automated decisions,
complaint routes and data sources.

Every expected answer below was written from the policy texts (data/sources/*.txt), read
sentence by sentence and put into the vocabulary's terms (and, for processes, into the keys of
the annotation files, which name the passages of the text); the comments quote the sentences.
Rows are compared as sets. Where the five policies have no case for a question, the fictional
policies answer it: tests/fixtures/valid (acme-uk) built together with
tests/fixtures/rights-features (nordlys-dk: no Do Not Track, an automated decision, a sale of
personal data, a fixed retention period, a named Danish authority).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

import privacykg
from helpers import DATA, FIXTURES, build_fixture_store
from privacykg import namespaces as ns

POLICIES = ("identrics", "imago", "impero-as", "impero-group", "impro")
SOURCES = {p: next((DATA / "sources").glob(f"{p}-2*.txt")).read_text(encoding="utf-8") for p in POLICIES}
FIXTURE_SOURCES = {
    "acme-uk": (FIXTURES / "valid" / "sources" / "acme-uk-2019-06-01.txt").read_text(encoding="utf-8"),
    "nordlys-dk": (FIXTURES / "rights-features" / "sources" / "nordlys-dk-2022-03-01.txt").read_text(encoding="utf-8"),
}
Q = 50  # long quotes are compared on their first Q characters


def run(store, qid, **params):
    return privacykg.select(store, qid, params or None)


def short(value: str) -> str:
    """A value as the expected rows write it: CURIEs for vocabulary terms, the key for minted
    IRIs (`.../process/marketing` -> `marketing`, `.../entity/google` -> `google`), text as is."""
    if value.startswith(ns.DEFAULT_BASE) and not value.startswith(ns.PKG):
        return value.rstrip("/").rsplit("/", 1)[-1]
    return ns.compact(value)


def proj(rows, *columns, cut=()):
    """Rows as a set of tuples of the given columns; columns in `cut` keep their first Q characters."""
    return {tuple(short(r.get(c, ""))[:Q] if c in cut else short(r.get(c, "")) for c in columns) for r in rows}


def q(text: str) -> str:
    return text[:Q]


def assert_quotes_in_source(rows, column="quote", sources=SOURCES):
    for r in rows:
        if r.get(column):
            assert r[column] in sources[r["policy"]], (r["policy"], r[column])


@pytest.fixture(scope="module")
def rights_store(tmp_path_factory):
    """The fictional policies: tests/fixtures/valid plus tests/fixtures/rights-features."""
    return build_fixture_store(tmp_path_factory, "rights-features")


def test_expected_quotes_are_verbatim():
    """The sentences the expectations below quote are in the texts (guards typos in this file)."""
    for policy, quotes in QUOTED.items():
        for text in quotes:
            assert text[:Q] in (SOURCES | FIXTURE_SOURCES)[policy], (policy, text)


# ---------------------------------------------------------------- cq17 legal basis per purpose

A, B, C, F = "eu-gdpr:A6-1-a", "eu-gdpr:A6-1-b", "eu-gdpr:A6-1-c", "eu-gdpr:A6-1-f"


def test_cq17_legal_basis_per_purpose(corpus_store):
    rows = run(corpus_store, "cq17")
    assert_quotes_in_source(rows)
    assert all(r.get("quote") for r in rows)
    assert proj(rows, "policy", "basis") == {
        # identrics: surveys "after your explicit consent"; sharing "To comply with legal obligations"
        ("identrics", A),
        ("identrics", C),
        # imago: the list "We have the following purposes and legal basis ...": contract (enable services,
        # recruitment, notifications), legitimate interest (delivery, support, contracts, inquiries, ...),
        # "comply with statutory obligations", consent (location services, promotional e-mails, ...)
        ("imago", A),
        ("imago", B),
        ("imago", C),
        ("imago", F),
        # impero-as: "to perform our contract", "legitimate interest", "valid consent", "legal obligations"
        ("impero-as", A),
        ("impero-as", B),
        ("impero-as", C),
        ("impero-as", F),
        # impero-group: the purposes table gives only legitimate interests and legal obligations
        # ("Generally we do not rely on consent as a legal basis"); but cookies: "A cookie is a small file of
        # letters and numbers that we store on your browser ... if you agree." (the same wording is consent in
        # Impro's and Impero A/S's files: issue 15, pattern 6)
        ("impero-group", A),
        ("impero-group", C),
        ("impero-group", F),
        # impro: the listed "Legitimate Interests"; "We share your Personal Data with your consent or as
        # necessary to complete any transaction"; "required to do so by law"; cookie consent
        ("impro", A),
        ("impro", B),
        ("impro", C),
        ("impro", F),
    }
    # the basis of direct marketing, policy by policy
    assert proj([r for r in rows if r["purpose"].endswith("#DirectMarketing")], "policy", "basis") == {
        # "If you have previously consented to receive promotional email communications from us"
        ("imago", A),
        # "as necessary for our legitimate interest in conducting direct marketing or, alternatively, to
        # the extent you have provided your prior consent"
        ("impero-as", F),
        ("impero-as", A),
        # "we otherwise feel it is in our legitimate interests to send it to you"; suggestions table row
        ("impero-group", F),
        # "we have an interest in making sure our marketing is relevant for you"
        ("impro", F),
    }  # identrics states no basis for its marketing communications


def test_cq17_impero_group_purposes_table(corpus_store):
    """The six rows of the purposes table and the marketing section, with their bases, and the bases stated
    elsewhere (disclosure required by law, cookies)."""
    rows = run(corpus_store, "cq17", policy="impero-group")
    assert {r["policy"] for r in rows} == {"impero-group"}
    assert proj(rows, "process", "basis") == {
        ("register-and-provide-services", F),  # "Necessary for our legitimate interests (to be able ..."
        ("manage-relationship", F),
        ("manage-relationship", C),  # "(a) ... (b) Necessary to comply ..."
        ("administer-and-protect", F),
        ("administer-and-protect", C),
        ("data-analytics", F),
        ("suggestions-and-recommendations", F),
        ("surveys", F),
        ("marketing-communications", F),  # "... in our legitimate interests to send it to you"
        # outside the table (issue 15, pattern 6: the same wording read as in the other four files):
        # "- Third parties if we are required to do so by law, ..."
        ("disclosure-legal-requirements", C),
        # "A cookie is a small file of letters and numbers that we store on your browser ... if you agree."
        ("cookies", A),
        ("cookies-functionality", A),
        ("cookies-analytical-performance", A),
    }


# ---------------------------------------------------------------- cq18 legitimate interests

LEGITIMATE_INTERESTS = (
    {
        # imago: "Imago Technologies processes such personal data based on our legitimate interest(s) ..."
        ("imago", p)
        for p in (
            "service-delivery",
            "customer-support",
            "contract-management",
            "respond-inquiries",
            "service-notifications",
            "improve-products",
            "security-and-safety",
            "compliance",
        )
    }
    | {
        # impero-as: every item of "How we use your personal data" that names "our legitimate interest"
        ("impero-as", p)
        for p in (
            "website-services",
            "security-monitoring",
            "necessary-functionality",
            "contact-support",
            "develop-improve",
            "user-experience",
            "customer-opportunities",
            "office-visitors",
            "personalised-ads",
            "marketing-communications",
            "legal-obligations",
        )
    }
    | {
        # impero-group: all six rows of the purposes table, and "Marketing"
        ("impero-group", p)
        for p in (
            "register-and-provide-services",
            "manage-relationship",
            "administer-and-protect",
            "data-analytics",
            "suggestions-and-recommendations",
            "surveys",
            "marketing-communications",
        )
    }
    | {
        # impro: "We process Personal Data for certain Legitimate Interests, which include ..." (five items),
        # the tailored-marketing example and the balancing statement
        ("impro", p)
        for p in (
            "li-service-improvement",
            "li-fraud-prevention",
            "li-network-security",
            "li-website-analytics",
            "li-campaign-effectiveness",
            "tailored-marketing",
            "legitimate-interest-balancing",
        )
    }
)  # identrics names no legitimate interest


def test_cq18_legitimate_interests(corpus_store):
    rows = run(corpus_store, "cq18")
    assert_quotes_in_source(rows)
    assert proj(rows, "policy", "process") == LEGITIMATE_INTERESTS
    assert {r["basis"] for r in rows} == {ns.expand(F)}
    assert all(r.get("purposes") and r.get("quote") for r in rows)
    # the quote speaks of the legitimate interest wherever the process cites such a sentence
    by_key = {short(r["process"]): r["quote"] for r in rows if r["policy"] == "imago"}
    assert (
        by_key["improve-products"]
        == "Such processing is based on our legitimate interest in improving our services, our website etc."
    )
    impro = run(corpus_store, "cq18", policy="impro")
    assert proj(impro, "policy", "process") == {x for x in LEGITIMATE_INTERESTS if x[0] == "impro"}


# ---------------------------------------------------------------- cq19 consent


def test_cq19_consent(corpus_store):
    rows = run(corpus_store, "cq19")
    assert_quotes_in_source(rows)
    assert proj(rows, "policy", "process", "basis") == {
        # "we take this, and your continued use of our website, to mean that you are fine with this"
        ("identrics", "cookies", "dpv:ImpliedConsent"),
        # "may be used for marketing or market research purposes after your explicit consent"
        ("identrics", "surveys", A),
        ("identrics", "surveys", "dpv:ExplicitlyExpressedConsent"),
        # "so that Client can also obtain consent to the collection and use of such information"
        ("imago", "platform-client-processing", A),
        # "If, where applicable, you have requested or consented to location services"
        ("imago", "app-location-services", A),
        # "If you have previously consented to receive promotional email communications from us"
        ("imago", "marketing-communications", A),
        # "Applications will normally be stored for [1] year ... unless you consent to further storage."
        ("imago", "applicant-data-further-storage", A),
        # "By registering for and using Imago Technologies services, you are accepting to the transfer"
        ("imago", "global-storage-transfer", "dpv:ImpliedConsent"),
        # impero-as: "or where we seek your valid consent" / "to the extent you have provided your prior consent"
        ("impero-as", "develop-improve", A),
        ("impero-as", "user-experience", A),
        ("impero-as", "personalised-ads", A),
        ("impero-as", "marketing-communications", A),
        # "the applicants shall be requested to sign a consent statement"
        ("impero-as", "applicant-data-retention", A),
        # "you confirm that you have their consent to disclose this to us"
        ("impero-as", "third-party-data-provided", A),
        # "If you make your choice in our banner on which cookies to accept, the cookies are set according to your choice."
        ("impero-as", "cookies-analytics", A),
        ("impero-as", "cookies-advertising", A),
        # "We share your Personal Data with your consent"
        ("impro", "sharing-requested", A),
        # "Certain countries, including members of the European Union, require your consent to the use of cookies"
        ("impro", "cookies-and-similar-technologies", A),
        ("impro", "web-analytics", A),
        # "... we will not use your Personal Data for activities where our interests are overridden by the
        # impact on you (unless we have your consent)."
        ("impro", "legitimate-interest-balancing", A),
        # impero-group: "Generally we do not rely on consent as a legal basis for processing your personal data",
        # except cookies: "... that we store on your browser or the hard drive of your computer if you agree."
        ("impero-group", "cookies", A),
        ("impero-group", "cookies-functionality", A),
        ("impero-group", "cookies-analytical-performance", A),
    }


def test_cq19_consent_fixture(rights_store):
    rows = run(rights_store, "cq19")
    # "We sell your name and email address to selected partner companies ..., with your consent."
    # acme-uk: "We use your name and email address to send you our newsletter, with your consent."
    assert proj(rows, "policy", "process", "basis") == {("nordlys-dk", "data-sale", A), ("acme-uk", "newsletter", A)}


# ---------------------------------------------------------------- cq20 marketing and opting out


def test_cq20_marketing_and_opt_out(corpus_store):
    rows = run(corpus_store, "cq20")
    assert all(r.get("purposeLabel") for r in rows)
    assert proj(rows, "policy", "process") == {
        # identrics: "Marketing and events", surveys "for marketing or market research purposes", the group
        # ("sales and marketing"), cookies ("deliver targeted advertising", "Make our marketing more
        # efficient"), advertising and remarketing cookies, "Email marketing software", Google Analytics
        # ("the marketing performance indicators")
        ("identrics", "marketing"),
        ("identrics", "surveys"),
        ("identrics", "group-sharing"),
        ("identrics", "cookies"),
        ("identrics", "cookies-advertising"),
        ("identrics", "cookies-email"),
        ("identrics", "cookies-google-analytics"),
        # imago: "Relevant sales and marketing communications", promotional events, social media "for
        # collaboration and advertising purposes"
        ("imago", "marketing-communications"),
        ("imago", "offline-collection"),
        ("imago", "social-media"),
        # impero-as: marketing and sales communications, personalised ads, advertising cookies, customer
        # opportunities and lead generation, sharing "in the course of undertaking marketing activities",
        # analytics providers for "our marketing activities", transfers "to undertake marketing, sales and
        # support activities", partners' information (marketing)
        ("impero-as", "marketing-communications"),
        ("impero-as", "personalised-ads"),
        ("impero-as", "cookies-advertising"),
        ("impero-as", "customer-opportunities"),
        ("impero-as", "other-sources"),
        ("impero-as", "partner-sources"),
        ("impero-as", "share-service-providers"),
        ("impero-as", "share-analytics-providers"),
        ("impero-as", "international-transfers"),
        # "... the improvement and optimisation of our marketing activities and the analysis of data supplied via
        # the platform for contact enrichment and lead generation purposes" (Impero A/S using data it processes
        # for customers for its own lead generation: issue 15, pattern 7)
        ("impero-as", "platform-data-lead-generation"),
        # impero-group: "Marketing", suggestions and recommendations, "request marketing material to be sent to
        # you", California disclosures "to service providers that assist us with ... marketing our products"
        ("impero-group", "marketing-communications"),
        ("impero-group", "suggestions-and-recommendations"),
        ("impero-group", "collection-direct-interactions"),
        ("impero-group", "ccpa-business-purpose-disclosures"),
        # impro: e-mails and calls about webinars, events, newsletters; tailored marketing; "to determine the
        # effectiveness of promotional campaigns and advertising"; distributors "for the purpose of marketing
        # our products"; distributors "with which we ... engage in joint marketing activities"
        ("impro", "marketing-communications"),
        ("impro", "tailored-marketing"),
        ("impro", "li-campaign-effectiveness"),
        ("impro", "distributors"),
        ("impro", "third-party-sources"),
    }
    opt_out = {(r["policy"], part[:Q]) for r in rows for part in r.get("optOut", "").split("; ") if part}
    assert opt_out == {(p, q(s)) for p, sentences in OPT_OUT.items() for s in sentences}


OPT_OUT = {
    "identrics": [
        "Marketing preferences: To opt out of email marketing, you can use the unsubscribe link found in the email communication you receive from us or visit the applicable email preference centre.",
        "For other marketing preferences, you can use the “Contact Us” option within our webpage.",
        "To update your email marketing preferences if you ever happen to receive such form of communication from us",
    ],
    "imago": [
        "You’re able to opt out from our mailing list by using the unsubscribe link at the bottom of such emails.",
        "If you have previously consented to receive promotional email communications from us, you can use the unsubscribe function",
    ],
    "impero-as": [
        "Right to object to processing.\u00a0 You can object to processing of your personal data where that processing",
        "If we process your personal data for the purpose of sending you marketing communications, you may manage",
    ],
    "impero-group": [
        "Object to processing of your personal data where we are relying on a legitimate interest",
        "You have the right to opt out of receiving marketing at any time by [contacting us](#).",
        "You can ask us or third parties to stop sending you marketing messages at any time",
    ],
    "impro": [
        "You may object to this processing if you wish.",
        "If you would like to opt-out of receiving sales and marketing communications from us",
    ],
}


# ---------------------------------------------------------------- cq21 / cq22 rights

GRANTED = {
    # identrics: access, "correct or amend", "request deletion", opting out of e-mail marketing, "the right
    # to make a complaint to a data protection regulator"
    "identrics": {"A15", "A16", "A17", "A21", "A77"},
    # imago: "access ... deleted, modified, or exported for portability reasons", "withdraw your consent",
    # "opt out from our mailing list", "submit a written request to the Data Protection Directive"
    "imago": {"A15", "A16", "A17", "A20", "A7-3", "A21", "A77"},
    # impero-as: Access, Right to object, Rectification, Erasure, Restriction, Portability, Automated
    # processing, complaint "to the relevant supervisory authority"
    "impero-as": {"A15", "A16", "A17", "A18", "A20", "A21", "A22", "A77"},
    # impero-group: "Your legal rights" (access, correction, erasure, object, restriction, transfer,
    # withdraw consent) and "the right to make a complaint at any time to the supervisory authority"
    "impero-group": {"A15", "A16", "A17", "A18", "A20", "A21", "A7-3", "A77"},
    # impro: "Upon request, Impro Technologies will provide you with information about whether we hold
    # any of your Personal Data", "You may object", marketing opt-out, cookie settings can be changed,
    # "the right to lodge a complaint with the competent supervisory authority"
    "impro": {"A15", "A21", "A7-3", "A77"},
}
CHECKED = {"A15", "A16", "A17", "A18", "A20", "A21", "A22", "A7-3", "A77"}


def test_cq21_gdpr_rights_granted(corpus_store):
    rows = run(corpus_store, "cq21")
    assert_quotes_in_source(rows)
    assert all(r.get("quote") and r.get("rightLabel") for r in rows)
    assert proj(rows, "policy", "right") == {(p, "eu-gdpr:" + r) for p, rights in GRANTED.items() for r in rights}
    # the CCPA rights of impero-group are not GDPR rights
    assert not any("CCPA" in r["right"] for r in rows)
    # impro's right to object is read from two sentences
    assert proj([r for r in rows if r["policy"] == "impro" and r["right"].endswith("A21")], "quote") == {
        ("You may object to this processing if you wish.",),
        (
            "If you would like to opt-out of receiving sales and marketing communications from us, you may "
            "[update your communication preferences here](#).",
        ),
    }


def test_cq22_gdpr_rights_omitted(corpus_store, rights_store):
    rows = run(corpus_store, "cq22")
    assert proj(rows, "policy", "right") == {
        (p, "eu-gdpr:" + r) for p, rights in GRANTED.items() for r in CHECKED - rights
    }
    assert proj(run(corpus_store, "cq22", policy="impro"), "right") == {
        ("eu-gdpr:A16",),
        ("eu-gdpr:A17",),
        ("eu-gdpr:A18",),
        ("eu-gdpr:A20",),
        ("eu-gdpr:A22",),
    }
    # acme-uk: "You have the right to access your personal data and to ask us to delete it." "You may
    # complain to the Information Commissioner's Office."; nordlys-dk: access, automated decisions,
    # withdrawing consent, complaint
    fixture = run(rights_store, "cq22")
    assert proj(fixture, "policy", "right") == (
        {("acme-uk", "eu-gdpr:" + r) for r in CHECKED - {"A15", "A17", "A77"}}
        | {("nordlys-dk", "eu-gdpr:" + r) for r in CHECKED - {"A15", "A22", "A7-3", "A77"}}
    )


# ---------------------------------------------------------------- cq23 response time and fees


def test_cq23_rights_response_time_and_fees(corpus_store, rights_store):
    rows = run(corpus_store, "cq23")
    assert_quotes_in_source(rows)
    assert proj(rows, "policy", "statement", "value", "quote", cut=("quote",)) == {
        # identrics and imago state neither a time nor a fee
        ("identrics", "", "", ""),
        ("imago", "", "", ""),
        # "Please allow at least 7 working days for your request to be actioned." is a minimum in working days,
        # not the longest time (issue 15, pattern 2): no response time
        (
            "impero-as",
            "dpv:hasFee",
            "dpv:FeeNotRequired",
            q("You will not have to pay a fee to access your personal data (or to exercise any of the other rights)"),
        ),
        (
            "impero-as",
            "dpv:hasFee",
            "dpv:FeeRequired",
            q(
                "However, we may charge a reasonable fee if your request for access is manifestly unfounded or excessive."
            ),
        ),
        (
            "impero-as",
            "dpv:hasFee",
            "dpv:FeeRequired",
            q("We reserve the right to charge a reasonable fee in response to unreasonable or repetitive requests"),
        ),
        (
            "impero-group",
            "pkg:rightsResponseTime",
            "P1M",
            q("We try to respond to all legitimate requests within one month."),
        ),
        (
            "impero-group",
            "dpv:hasFee",
            "dpv:FeeNotRequired",
            q("You will not have to pay a fee to access your personal data (or to exercise any of the other rights)."),
        ),
        (
            "impero-group",
            "dpv:hasFee",
            "dpv:FeeRequired",
            q("However, we may charge a reasonable fee if your request is clearly unfounded, repetitive or excessive."),
        ),
        # "free of charge" is said of the dispute resolution provider, not of rights requests; "HID Global will
        # respond within 45 days." is HID Global's time, not Impro's (issue 15, pattern 1): neither stated
        ("impro", "", "", ""),
    }
    # "We answer requests within 30 days and charge no fee."
    fixture = run(rights_store, "cq23", policy="nordlys-dk")
    assert proj(fixture, "statement", "value") == {
        ("pkg:rightsResponseTime", "P30D"),
        ("dpv:hasFee", "dpv:FeeNotRequired"),
    }


# ---------------------------------------------------------------- cq24 retention


def test_cq24_retention_periods(corpus_store, rights_store):
    rows = run(corpus_store, "cq24")
    assert_quotes_in_source(rows)
    U, T, IND = "dpv:UntilEventDuration", "dpv:TemporalDuration", "dpv:IndeterminateDuration"
    E = "dpv:EndlessDuration"  # "indefinitely": open ended, not an undetermined period (issue 15, pattern 3)
    assert proj(rows, "policy", "durationType", "duration", "quote", cut=("quote",)) == {
        (
            "identrics",
            U,
            "",
            q("We retain personal information for as long as we reasonably require it for legal or business purposes."),
        ),
        (
            "imago",
            U,
            "",
            q(
                "We will only retain your personal data for as long as necessary to fulfill the purposes we collected it for"
            ),
        ),
        (
            "imago",
            U,
            "",
            q(
                "For personal data related to your specific use of our products and services, for example your call history"
            ),
        ),
        (
            "imago",
            T,
            "P1Y",
            q("Applications will normally be stored for [1] year after the completion of the application process"),
        ),
        ("imago", E, "", q("Anonymized data – i.e. data that can no longer be associated with you as an individual")),
        ("impero-as", U, "", q("We will not store your personal data for longer than is reasonably necessary")),
        (
            "impero-as",
            U,
            "",
            q("We will retain your personal data for a period consistent with the original purpose of collection"),
        ),
        (
            "impero-as",
            IND,
            "",
            q("We determine the appropriate retention period for personal data on the basis of the amount"),
        ),
        ("impero-as", U, "", q("All data regarding applicants is deleted after ended recruitment processes.")),
        (
            "impero-as",
            E,
            "",
            q(
                "To avoid doubt: Aggregated and anonymised data and information other than personal data can be stored indefinitely."
            ),
        ),
        (
            "impero-group",
            U,
            "",
            q(
                "We will only retain your personal data for as long as necessary to fulfil the purposes we collected it for"
            ),
        ),
        (
            "impero-group",
            IND,
            "",
            q("To determine the appropriate retention period for personal data, we consider the amount"),
        ),
        (
            "impero-group",
            E,
            "",
            q(
                "In some circumstances we may anonymise your personal data (so that it can no longer be associated with you)"
            ),
        ),
        (
            "impro",
            U,
            "",
            q(
                "We will retain your information for as long as your account is active or as needed to provide you our products and services."
            ),
        ),
        (
            "impro",
            U,
            "",
            q(
                "Additionally, we will retain and use your information as necessary to comply with our legal obligations"
            ),
        ),
    }
    assert all(r.get("description") for r in rows)
    # "We keep payment records for 5 years." / "We keep newsletter subscriber data for 2 years after you unsubscribe."
    fixture = run(rights_store, "cq24")
    assert proj(fixture, "policy", "durationType", "duration") == {("nordlys-dk", T, "P5Y"), ("acme-uk", T, "P2Y")}


# ---------------------------------------------------------------- cq25 security measures


def test_cq25_security_measures(corpus_store):
    rows = run(corpus_store, "cq25")
    assert_quotes_in_source(rows)
    TM, OM, LM, PM = (
        "dpv:hasTechnicalMeasure",
        "dpv:hasOrganisationalMeasure",
        "dpv:hasLegalMeasure",
        "dpv:hasPhysicalMeasure",
    )
    assert proj(rows, "policy", "kind", "measure") == {
        # identrics: "we use appropriate technologies and procedures", "restrictions on access", "monitoring and
        # physical measures", policies "closely aligned with widely accepted international standards and are
        # reviewed regularly", "privacy, information security, and other applicable training", "any
        # applicable contractual conditions"
        ("identrics", TM, "dpv:SecurityMethod"),
        ("identrics", TM, "dpv:AccessControlMethod"),
        ("identrics", TM, "dpv:ActivityMonitoring"),
        ("identrics", PM, "dpv:PhysicalMeasure"),
        ("identrics", OM, "dpv:InformationSecurityPolicy"),
        ("identrics", OM, "dpv:DataSecurityManagement"),
        ("identrics", OM, "dpv:StandardsConformance"),
        ("identrics", OM, "dpv:ReviewProcedure"),
        ("identrics", OM, "dpv:StaffTraining"),
        ("identrics", OM, "dpv:DataProtectionTraining"),
        ("identrics", OM, "dpv:SecurityKnowledgeTraining"),
        ("identrics", LM, "dpv:DataHandlingClause"),
        # ^ "any applicable contractual conditions" (dpv:LegalAgreement, used before, is sunset in DPV 2.3)
        # imago: "administrative, technical, and physical measures", "SSL encryption"
        ("imago", TM, "dpv:TechnicalMeasure"),
        ("imago", TM, "dpv:EncryptionInTransfer"),
        ("imago", TM, "dpv:WebSecurityProtocols"),
        ("imago", OM, "dpv:OrganisationalMeasure"),
        ("imago", PM, "dpv:PhysicalMeasure"),
        # impero-as: "appropriate technical and organizational measures", "strict procedures", "two factor
        # authentication and end-to-end encryption", providers must "take appropriate and stringent security measures"
        ("impero-as", TM, "dpv:TechnicalMeasure"),
        ("impero-as", TM, "dpv:MultiFactorAuthentication"),
        ("impero-as", TM, "dpv:EndToEndEncryption"),
        ("impero-as", OM, "dpv:OrganisationalMeasure"),
        ("impero-as", OM, "dpv:SecurityProcedure"),
        ("impero-as", OM, "dpv:ThirdPartySecurityProcedures"),
        # impero-group: "appropriate security measures", "we limit access", "only process your personal data
        # on our instructions", "a duty of confidentiality", "procedures to deal with any suspected personal
        # data breach and will notify you and any applicable regulator"
        ("impero-group", TM, "dpv:SecurityMethod"),
        ("impero-group", TM, "dpv:AccessControlMethod"),
        ("impero-group", OM, "dpv:ThirdPartySecurityProcedures"),
        ("impero-group", OM, "dpv:IncidentManagementProcedures"),
        ("impero-group", OM, "dpv:DataBreachNotification"),
        ("impero-group", LM, "dpv:ConfidentialityAgreement"),
        # impro: "We train employees on our Information Security Policies", "confidentiality agreements",
        # companies protecting the systems "must abide by our data privacy and security requirements and
        # agree to any data protection agreements"
        ("impro", OM, "dpv:StaffTraining"),
        ("impro", OM, "dpv:InformationSecurityPolicy"),
        ("impro", OM, "dpv:DataSecurityManagement"),
        ("impro", LM, "dpv:ConfidentialityAgreement"),
        ("impro", LM, "dpv:DataProcessingAgreement"),
        ("impro", OM, "dpv:ThirdPartySecurityProcedures"),
    }


# ---------------------------------------------------------------- cq26 cookies


def seconds(duration: str) -> int | None:
    """An xsd:duration in seconds (a year 365 days, a month 30), so that PT24H equals P1D."""
    if not duration:
        return None
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", duration)
    y, mo, d, h, mi, s = (int(x or 0) for x in m.groups())
    return ((y * 365 + mo * 30 + d) * 24 + h) * 3600 + mi * 60 + s


def test_cq26_cookies(corpus_store):
    rows = run(corpus_store, "cq26")
    named = {
        (r["policy"], r["name"], r.get("providerName", ""), seconds(r.get("duration", "")), r.get("durationText", ""))
        for r in rows
        if r["kind"] == "named cookie"
    }
    assert named == {
        # identrics: the "remarketing cookie"; "Performance, analysis and search on Identrics: These are
        # cookies set up by www.identrics.ai"; "Google Analytics"; "These are cookies set up by
        # Facebook/Twitter/LinkedIn" -- no storage times
        ("identrics", "remarketing cookie", "", None, ""),
        ("identrics", "Performance, analysis and search on Identrics", "Identrics Ltd.", None, ""),
        ("identrics", "Google Analytics", "Google", None, ""),
        ("identrics", "Facebook cookies", "Facebook", None, ""),
        ("identrics", "Twitter cookies", "Twitter", None, ""),
        ("identrics", "LinkedIn cookies", "LinkedIn", None, ""),
        # impro: "the cookie storage time is in parentheses after its name"
        ("impro", "has_js", "", None, "end of session"),
        ("impro", "_mkto_trk", "Marketo", None, ""),
        ("impro", "STYXKEY_useractive", "", None, "end of session"),
        ("impro", "trwv.uid", "Marketo", None, ""),
        ("impro", "_hjIncludedInSample", "Hotjar", None, "end of session"),
        ("impro", "__utma", "Google", seconds("P2Y"), ""),
        ("impro", "_utmz", "Google", seconds("P6M"), ""),
        ("impro", "_utmc", "Google", None, "end of session"),
        ("impro", "_utmb", "Google", seconds("PT30M"), ""),
        ("impro", "_utmt", "Google", seconds("PT10M"), ""),
        ("impro", "_ga", "Google", seconds("P2Y"), ""),
        ("impro", "_gid", "Google", seconds("PT24H"), ""),
        ("impro", "_gat", "Google", seconds("PT1M"), ""),
        ("impro", "AMP_TOKEN", "Google", seconds("P1Y"), "30 seconds to 1 year"),
        ("impro", "_gac", "Google", seconds("P90D"), ""),
    }
    ga = {r["categories"] for r in rows if r["name"] == "_ga"}
    assert {frozenset(c.split("; ")) for c in ga} == {
        frozenset({"analytics cookie", "third-party cookie", "persistent cookie"})
    }
    categories = proj([r for r in rows if r["kind"] == "cookie category"], "policy", "cookie")
    kinds = lambda *names: {"pkg:" + n + "Cookie" for n in names}  # noqa: E731
    assert categories == {
        (p, c)
        for p, cs in {
            # "Absolutely necessary", "Performance", "Functionality", "Our own cookies", "Anonymous Visitor
            # Statistics", "Advertising", "Remarketing", "Facebook, Twitter, LinkedIn, Third party"
            "identrics": kinds(
                "StrictlyNecessary",
                "Performance",
                "Functional",
                "Analytics",
                "FirstParty",
                "Advertising",
                "SocialMedia",
                "ThirdParty",
            )
            | {"tech:Cookie"},
            # "identifying a registered user", "enabling certain customized features", "aggregated user
            # information ... to improve"; "Cookies, beacons, tags and scripts"
            "imago": kinds("StrictlyNecessary", "Functional", "Performance") | {"tech:Cookie", "pkg:WebBeacon"},
            # "necessary to enable certain functions ... and to increase user friendliness", traffic statistics,
            # advertising, "first party cookies", "third party cookies"
            "impero-as": kinds(
                "StrictlyNecessary", "Functional", "Analytics", "Advertising", "FirstParty", "ThirdParty"
            )
            | {"tech:Cookie"},
            # "Strictly Necessary Cookies", "Functionality Cookies", "Analytical/Performance Cookies"
            "impero-group": kinds("StrictlyNecessary", "Functional", "Analytics", "Performance") | {"tech:Cookie"},
            # "persistent" or "session" cookies, "strictly necessary", "third-party cookies", social media
            # widgets, Google Analytics statistics, the site's framework cookies; "beacons, tags and scripts"
            "impro": kinds(
                "Session",
                "Persistent",
                "StrictlyNecessary",
                "ThirdParty",
                "Analytics",
                "SocialMedia",
                "FirstParty",
                "Functional",
            )
            | {"tech:Cookie", "pkg:WebBeacon"},
        }.items()
        for c in cs
    }


# ---------------------------------------------------------------- cq27 DPO and contacts


def test_cq27_dpo_and_contacts(corpus_store, rights_store):
    rows = run(corpus_store, "cq27")
    C_, D_ = "dpv:hasDataController", "dpv:hasDataProtectionOfficer"
    assert proj(rows, "policy", "role", "name", "detail") == {
        # "Email: privacy@identrics.net / Attn: Data Protection Officer / Address: Identrics Ltd., 64 Kiril i Metodiy St., ..."
        ("identrics", C_, "Identrics Ltd.", "64 Kiril i Metodiy St., Sofia 1202, Bulgaria"),
        ("identrics", C_, "Identrics Ltd.", "privacy@identrics.net"),
        ("identrics", D_, "Data Protection Officer", "privacy@identrics.net"),
        ("identrics", D_, "Data Protection Officer", "Identrics Ltd., 64 Kiril i Metodiy St., Sofia 1202, Bulgaria"),
        # imago names no DPO and no postal address: "support@ImagoTechs.com, sales@ImagoTechs.com"
        ("imago", C_, "Imago Technologies, Holdings", "support@ImagoTechs.com"),
        ("imago", C_, "Imago Technologies, Holdings", "sales@ImagoTechs.com"),
        # "Klamsagervej 27, 2 / DK-8230 Åbyhøj / mail@impero.com / (+45) 70 22 53 64 / Data Protection
        # Manager (DPM) is Morten Christensen." "You can contact our DPM by emailing mc@impero.com or writing
        # to us at: Impero Data Protection Manager, Klamsagervej 27, 2., 8230 Åbyhøj, Denmark."
        ("impero-as", C_, "Impero A/S", "Klamsagervej 27, 2., 8230 Åbyhøj, Denmark"),
        ("impero-as", C_, "Impero A/S", "mail@impero.com"),
        ("impero-as", C_, "Impero A/S", "(+45) 70 22 53 64"),
        ("impero-as", D_, "Morten Christensen", "mc@impero.com"),
        (
            "impero-as",
            D_,
            "Morten Christensen",
            "Impero Data Protection Manager, Klamsagervej 27, 2., 8230 Åbyhøj, Denmark",
        ),
        # "Full name of legal entity: Impero Holdings Limited / Data Protection Officer: James Inman / Email
        # address: dpo@imperosoftware.com / Postal address: Impero Software, Oak House, ..."
        ("impero-group", C_, "Impero Holdings Limited", "dpo@imperosoftware.com"),
        ("impero-group", C_, "Impero Holdings Limited", OAK_HOUSE),
        ("impero-group", D_, "James Inman", "dpo@imperosoftware.com"),
        ("impero-group", D_, "James Inman", OAK_HOUSE),
        # impro names no DPO: "Contact Us / Impro Technologies / 47B Gillitts Road, ... / info@impro.net";
        # "If you believe HID Global maintains your personal data ..., you may direct inquiries or complaints to
        # privacy@hidglobal.com": HID Global's address, not Impro's (issue 15, pattern 1)
        ("impro", C_, "Impro Technologies", "47B Gillitts Road, Surprise Farm, Pinetown, 3610, KwaZulu-Natal"),
        ("impro", C_, "Impro Technologies", "info@impro.net"),
    }
    # a data protection manager is the equivalent of a DPO, not said to be one
    assert proj([r for r in rows if r["role"].endswith("hasDataProtectionOfficer")], "policy", "dpoType") == {
        ("identrics", "dpv:DataProtectionOfficer"),
        ("impero-as", "pkg:DataProtectionManager"),
        ("impero-group", "dpv:DataProtectionOfficer"),
    }
    assert proj(rows, "policy", "country") == {
        ("identrics", "loc:BG"),
        ("imago", "loc:HK"),
        ("impero-as", "loc:DK"),
        ("impero-group", "loc:GB"),
        ("impro", "loc:ZA"),
    }
    fixture = run(rights_store, "cq27", policy="nordlys-dk")
    # "You can reach our data protection officer, Lars Holm, at dpo@nordlys.example."
    assert proj(fixture, "role", "name", "detail") == {
        (C_, "Nordlys ApS", "Vestergade 1, 8000 Aarhus C, Denmark"),
        (D_, "Lars Holm", "dpo@nordlys.example"),
    }


OAK_HOUSE = "Impero Software, Oak House, Mere Way, Ruddington Fields Business Park, Ruddington, Nottingham, England, UK, NG11 6JS"


# ---------------------------------------------------------------- cq28 selling


def test_cq28_selling_personal_data(corpus_store, rights_store):
    rows = run(corpus_store, "cq28")
    assert_quotes_in_source(rows)
    assert (
        proj(rows, "policy", "sells", "quote", cut=("quote",))
        == {
            # a limited promise: not to organisations other than affiliated partners and service providers
            (
                "imago",
                "false",
                q(
                    "We will never, ever provide or sell personal data to organizations not recognized as an affiliated ImagoTechnologies partner"
                ),
            ),
            ("impero-group", "false", q("As a business covered by the CCPA, we do not sell Personal Data.")),
            (
                "impero-group",
                "false",
                q(
                    "The California Consumer Privacy Act requires businesses to disclose whether they sell Personal Data."
                ),
            ),
            ("impro", "false", q("Impro Technologies does not sell your Personal Data to third parties.")),
        }
    )  # identrics and impero-as say nothing about selling personal data ("if we sell or buy any business assets" is not)
    fixture = run(rights_store, "cq28")
    assert proj(fixture, "policy", "sells", "quote", cut=("quote",)) == {
        (
            "nordlys-dk",
            "true",
            q(
                "We sell your name and email address to selected partner companies for their own marketing, with your consent."
            ),
        ),
        ("acme-uk", "false", q("We never sell your personal data.")),
    }


# ---------------------------------------------------------------- cq29 dates and age

DATES = {  # as stated in each text
    "identrics": ("2018-05-20", "modified"),  # "Last Updated: 20 May 2018"
    "imago": ("2020-05-24", "effective"),  # "Effective Date: May 24, 2020"
    "impero-as": ("2020-01-15", "modified"),  # "It was last updated 15 January 2020."
    "impero-group": ("2021-06-04", "modified"),  # "This version was last updated on 4 June 2021."
    "impro": ("2018-05-16", "modified"),  # "This Privacy Policy was last updated: May 16, 2018"
}


def test_cq29_policy_dates_and_age(corpus_store):
    on = dt.date(2021, 6, 4)
    rows = run(corpus_store, "cq29", on=on.isoformat())
    assert proj(rows, "policy", "version", "modified", "issued", "effective", "on", "ageDays") == {
        (
            p,
            d,
            d if kind == "modified" else "",
            "",
            d if kind == "effective" else "",
            on.isoformat(),
            str((on - dt.date.fromisoformat(d)).days),
        )
        for p, (d, kind) in DATES.items()
    }
    # on the day impero-group's version was last updated it is 0 days old; identrics 1111
    assert {r["policy"]: int(r["ageDays"]) for r in rows}["impero-group"] == 0
    # a day before a version counts negative
    before = run(corpus_store, "cq29", on="2018-05-19", policy="identrics")
    assert [(r["policy"], r["ageDays"]) for r in before] == [("identrics", "-1")]
    # no day given: today
    today = dt.datetime.now(dt.UTC).date()
    for r in run(corpus_store, "cq29"):
        expected = (today - dt.date.fromisoformat(DATES[r["policy"]][0])).days
        assert abs(int(r["ageDays"]) - expected) <= 1 and "on" not in r


# ---------------------------------------------------------------- cq30 features matrix


def process_count(path) -> int:
    return len(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["processes"])


def test_cq30_policy_features_matrix(corpus_store, rights_store):
    rows = run(corpus_store, "cq30")
    columns = (
        "policy",
        "transfersOutsideEEA",
        "namedSafeguard",
        "dpoNamed",
        "childrenStatement",
        "specialCategoriesStatement",
        "sellingStatement",
        "cookiesNamed",
        "retentionPeriodGiven",
        "rights",
    )
    T, F_ = "true", "false"
    assert proj(rows, *columns) == {
        # identrics: everything "processed and stored in the Union"; a DPO; "not aimed at children"; "will
        # never collect ... race, health ..."; named cookie groups; retention only "as long as we reasonably
        # require it"; five rights
        ("identrics", F_, F_, T, T, T, F_, T, F_, "5"),
        # imago: "any country in which Imago Technologies and its affiliates maintain facilities" with no
        # safeguard but acceptance; no DPO; "We will never, ever provide or sell"; "[1] year"; seven rights
        ("imago", T, F_, F_, F_, F_, T, F_, T, "7"),
        # impero-as: US and other countries outside the EEA under "written contractual agreements"; a DPM;
        # eight rights
        ("impero-as", T, T, T, F_, F_, F_, F_, F_, "8"),
        # impero-group: adequacy, model contracts, Privacy Shield; DPO James Inman; "not intended for use by
        # children"; "We do not collect any Special Categories"; "we do not sell Personal Data"; eight GDPR
        # rights and three CCPA rights
        ("impero-group", T, T, T, T, T, T, F_, F_, "11"),
        # impro: South Africa under standard contractual clauses; no DPO; "does not sell"; named cookies
        # with storage times (cookies are not processes' retention); four rights
        ("impro", T, T, F_, F_, F_, T, T, F_, "4"),
    }
    assert {(r["policy"], int(r["processes"])) for r in rows} == {
        (p, process_count(next((DATA / "policies").glob(f"{p}-2*.yaml")))) for p in POLICIES
    }
    fixture = run(rights_store, "cq30", policy="nordlys-dk")
    assert proj(fixture, *columns, "processes") == {("nordlys-dk", F_, F_, T, F_, F_, T, F_, T, "4", "2")}


# ---------------------------------------------------------------- cq31 difference of two policies


def test_cq31_policy_difference(corpus_store):
    rows = run(corpus_store, "cq31")  # a = impero-as, b = impero-group
    assert {(r["a"], r["b"]) for r in rows} == {("impero-as", "impero-group")}
    rights = proj([r for r in rows if r["aspect"].endswith("hasRight")], "side", "item")
    # impero-as lists "Automated processing" (A22); impero-group lists "Withdraw consent at any time" and
    # the California rights
    assert rights == {
        ("impero-as", "eu-gdpr:A22"),
        ("impero-group", "eu-gdpr:A7-3"),
        ("impero-group", "pkg:CCPARightToKnow"),
        ("impero-group", "pkg:CCPARightToDelete"),
        ("impero-group", "pkg:CCPARightToNonDiscrimination"),
    }
    named = proj([r for r in rows if r["aspect"].endswith("hasRecipient") and "/entity/" in r["item"]], "side", "item")
    # impero-as names its recipients: "including Microsoft, HubSpot and MailChimp", "including Google, Hotjar,
    # LinkedIn, Facebook, MailChimp and HubSpot", and processes as processor for its customers; impero-group
    # names none (only its own processing for client organisations)
    assert named == {
        ("impero-as", k)
        for k in ("microsoft", "hubspot", "mailchimp", "google", "hotjar", "linkedin", "facebook", "impero-as")
    } | {("impero-group", "impero-holdings")}
    data = proj([r for r in rows if r["aspect"].endswith("hasPersonalData")], "side", "item")
    # "company email address and company telephone number", "time and date of arrival", "seniority, years
    # of experience and employment history" only in impero-as; "username and password", "title", "time zone
    # setting", "feedback and survey responses", "Education information" only in impero-group
    assert {
        ("impero-as", "pd:EmailAddressWork"),
        ("impero-as", "pkg:WorkTelephoneNumber"),
        ("impero-as", "pkg:VisitArrivalTime"),
        ("impero-as", "pkg:Seniority"),
        ("impero-as", "pd:EmploymentHistory"),
    } <= data
    assert {
        ("impero-group", "pd:Password"),
        ("impero-group", "pkg:Honorific"),
        ("impero-group", "pkg:TimeZone"),
        ("impero-group", "pkg:SurveyResponse"),
        ("impero-group", "pkg:Feedback"),
        ("impero-group", "pd:Education"),
    } <= data
    # both name, e-mail address, telephone number and IP address
    assert not {item for _, item in data} & {"pd:Name", "pd:EmailAddress", "pd:TelephoneNumber", "pd:IPAddress"}
    # the other way round, the sides swap
    swapped = run(corpus_store, "cq31", a="impero-group", b="impero-as")
    assert proj(swapped, "side", "aspect", "item") == proj(rows, "side", "aspect", "item")
    # impro grants no rectification or erasure, identrics no withdrawal of consent
    other = run(corpus_store, "cq31", a="impro", b="identrics")
    assert proj([r for r in other if r["aspect"].endswith("hasRight")], "side", "item") == {
        ("identrics", "eu-gdpr:A16"),
        ("identrics", "eu-gdpr:A17"),
        ("impro", "eu-gdpr:A7-3"),
    }


# ---------------------------------------------------------------- cq32 Do Not Track, automated decisions


def test_cq32_do_not_track_and_automated_decisions(corpus_store, rights_store):
    rows = run(corpus_store, "cq32")
    assert_quotes_in_source(rows)
    assert proj(rows, "policy", "topic", "value", "quote", cut=("quote",)) == {
        (
            "impero-as",
            "eu-gdpr:A22",
            "eu-gdpr:A22",
            q(
                "Automated processing. Not to be subject to a decision which produces legal effects based solely on automated processing"
            ),
        ),
        ("impro", "pkg:respondsToDoNotTrack", "true", q("Our websites follow browser do-not-track signals.")),
    }  # no policy of the corpus says it makes automated decisions, and none that it ignores Do Not Track
    fixture = run(rights_store, "cq32")
    assert proj(fixture, "policy", "topic", "value") == {
        ("nordlys-dk", "pkg:respondsToDoNotTrack", "false"),  # "Our website does not respond to Do Not Track signals."
        (
            "nordlys-dk",
            "dpv:AutomatedDecisionMaking",
            "invoice-decision",
        ),  # "to decide automatically whether to offer you payment by invoice"
        ("nordlys-dk", "eu-gdpr:A22", "eu-gdpr:A22"),
    }


# ---------------------------------------------------------------- cq33 complaint routes


def test_cq33_complaint_routes(corpus_store, rights_store):
    rows = run(corpus_store, "cq33")
    assert_quotes_in_source(rows)
    AUTH, ROUTE, DPA = "dpv:hasAuthority", "pkg:complaintRoute", "dpv:DataProtectionAuthority"
    assert proj(rows, "policy", "route", "authority", "named", "toAuthority", "quote", cut=("quote",)) == {
        # identrics: "a data protection regulator" from a list of national authorities; "may wish to file a complaint" with the DPO
        ("identrics", AUTH, DPA, "false", "", q("A list of National Data Protection Authorities can be found here")),
        ("identrics", ROUTE, "", "", "true", q("A list of National Data Protection Authorities can be found here")),
        (
            "identrics",
            ROUTE,
            "",
            "",
            "false",
            q("We understand that you may have questions or concerns about this Privacy Policy"),
        ),
        # imago: "submit a written request to the Data Protection Directive’s postal address: 32/F Central
        # Plaza, 18 Harbour Road, WanChai, Hong Kong" -- the Hong Kong regulator's address
        (
            "imago",
            AUTH,
            "legal-hk:DPA-HK",
            "true",
            "",
            q("If you experience anything you think is a violation of the regulations"),
        ),
        ("imago", ROUTE, "", "", "true", q("If you experience anything you think is a violation of the regulations")),
        # impero-as: "the relevant supervisory authority in your country"; "We are committed to resolving any privacy concerns you have."
        ("impero-as", AUTH, DPA, "false", "", q("However, if you feel we have not addressed your specific concern")),
        ("impero-as", ROUTE, "", "", "true", q("However, if you feel we have not addressed your specific concern")),
        ("impero-as", ROUTE, "", "", "false", q("We are committed to resolving any privacy concerns you have.")),
        # impero-group: "the supervisory authority for data protection issues"; "please contact us in the first instance"
        (
            "impero-group",
            AUTH,
            DPA,
            "false",
            "",
            q("You have the right to make a complaint at any time to the supervisory authority"),
        ),
        (
            "impero-group",
            ROUTE,
            "",
            "",
            "true",
            q("You have the right to make a complaint at any time to the supervisory authority"),
        ),
        (
            "impero-group",
            ROUTE,
            "",
            "",
            "false",
            q("We would, however, appreciate the chance to deal with your concerns"),
        ),
        # impro: HID Global, then the "U.S.-based third party dispute resolution provider", then "the
        # competent supervisory authority"
        (
            "impro",
            AUTH,
            DPA,
            "false",
            "",
            q("If neither HID Global nor our dispute resolution provider resolves your complaint"),
        ),
        (
            "impro",
            ROUTE,
            "",
            "",
            "true",
            q("If neither HID Global nor our dispute resolution provider resolves your complaint"),
        ),
        (
            "impro",
            ROUTE,
            "",
            "",
            "false",
            q("If you believe HID Global maintains your personal data in one of the services"),
        ),
        # the same route, with "HID Global will respond within 45 days." (HID Global's time, kept with its route)
        ("impro", ROUTE, "", "", "false", q("HID Global will respond within 45 days.")),
        (
            "impro",
            ROUTE,
            "",
            "",
            "false",
            q("If you have an unresolved privacy or data use concern that we have not addressed"),
        ),
    }
    fixture = run(rights_store, "cq33")
    # "You may complain to the Information Commissioner's Office." / "You may complain to Datatilsynet, the Danish data protection authority."
    assert proj([r for r in fixture if r["route"].endswith("hasAuthority")], "policy", "authority", "named") == {
        ("acme-uk", "legal-gb:DPA-GB", "true"),
        ("nordlys-dk", "legal-dk:DPA-DK", "true"),
    }


# ---------------------------------------------------------------- cq34 data sources


def test_cq34_data_sources(corpus_store):
    rows = run(corpus_store, "cq34")
    assert_quotes_in_source(rows)
    S, T3, P, CTRL = (
        "dpv:DataSubjectDataSource",
        "dpv:ThirdPartyDataSource",
        "dpv:PublicDataSource",
        "dpv:DataControllerDataSource",
    )
    assert proj(rows, "policy", "source", "named") == {
        # "We collect personal information from you"; "Not all of the personal information Identrics holds
        # about you will always come directly from you."
        ("identrics", S, "false"),
        ("identrics", T3, "false"),
        # "We may receive your personal data directly when you ..."; "Your personal data may be received via a
        # third party as follows: Via analytics through providers such as Google Analytics, Facebook, Instagram
        # or LinkedIn / Via a ImagoTechnologies authorized partner ... / Google ... Zoom ... Microsoft ...
        # YouTube"; "From service providers ...: Salesforce ..., FacebookChat or RocketChat ..."
        ("imago", S, "false"),
        ("imago", T3, "false"),
        ("imago", "pkg:AuthorisedDistributor", "false"),
        *{
            ("imago", k, "true")
            for k in (
                "google",
                "facebook",
                "instagram",
                "linkedin",
                "zoom",
                "microsoft",
                "youtube",
                "salesforce",
                "rocketchat",
            )
        },
        # "Information you give us"; "publicly available, ... from third party services such as LinkedIn or from
        # providers who provide contact enrichment"; "business partners, subcontractors and analytics
        # providers"; customer data "submitted through the Impero platform"
        ("impero-as", S, "false"),
        ("impero-as", P, "false"),
        ("impero-as", T3, "false"),
        ("impero-as", CTRL, "false"),
        ("impero-as", "linkedin", "true"),
        # "... the analysis of data supplied via the platform for contact enrichment and lead generation
        # purposes": data Impero's customers submit, reused for Impero's own leads (issue 15, pattern 7)
        ("impero-as", "impero-as-customers", "true"),
        # "Direct interactions"; "We may receive Technical and Usage Data from third party analytics
        # providers"; data "uploaded onto our systems by a client organisation"
        ("impero-group", S, "false"),
        ("impero-group", T3, "false"),
        ("impero-group", "pkg:AnalyticsProvider", "false"),
        ("impero-group", CTRL, "false"),
        # "You may choose to provide us"; "publicly available information related to the organization from
        # which you work"; "We may also obtain data from third parties, such as authorized distributors"
        ("impro", S, "false"),
        ("impro", P, "false"),
        ("impro", T3, "false"),
        ("impro", "pkg:AuthorisedDistributor", "false"),
    }
    assert {r["sourceLabel"] for r in rows if r["named"] == "true" and r["policy"] == "impero-as"} == {
        "LinkedIn",
        "Impero customers (controllers of the data submitted to the Impero platform)",
    }


# ---------------------------------------------------------------- the sentences quoted above

QUOTED = {
    "identrics": [
        "We retain personal information for as long as we reasonably require it for legal or business purposes.",
        "A list of National Data Protection Authorities can be found here",
        "We understand that you may have questions or concerns about this Privacy Policy",
        *OPT_OUT["identrics"],
    ],
    "imago": [
        "We will only retain your personal data for as long as necessary to fulfill the purposes we collected it for",
        "For personal data related to your specific use of our products and services, for example your call history",
        "Applications will normally be stored for [1] year after the completion of the application process",
        "Anonymized data – i.e. data that can no longer be associated with you as an individual",
        "We will never, ever provide or sell personal data to organizations not recognized as an affiliated ImagoTechnologies partner",
        "If you experience anything you think is a violation of the regulations",
        "Such processing is based on our legitimate interest in improving our services, our website etc.",
        *OPT_OUT["imago"],
    ],
    "impero-as": [
        "Please allow at least 7 working days for your request to be actioned.",
        "You will not have to pay a fee to access your personal data (or to exercise any of the other rights)",
        "However, we may charge a reasonable fee if your request for access is manifestly unfounded or excessive.",
        "We reserve the right to charge a reasonable fee in response to unreasonable or repetitive requests",
        "We will not store your personal data for longer than is reasonably necessary",
        "We will retain your personal data for a period consistent with the original purpose of collection",
        "We determine the appropriate retention period for personal data on the basis of the amount",
        "All data regarding applicants is deleted after ended recruitment processes.",
        "To avoid doubt: Aggregated and anonymised data and information other than personal data can be stored indefinitely.",
        "Automated processing. Not to be subject to a decision which produces legal effects based solely on automated processing",
        "However, if you feel we have not addressed your specific concern",
        "We are committed to resolving any privacy concerns you have.",
        *OPT_OUT["impero-as"],
    ],
    "impero-group": [
        "We try to respond to all legitimate requests within one month.",
        "You will not have to pay a fee to access your personal data (or to exercise any of the other rights).",
        "However, we may charge a reasonable fee if your request is clearly unfounded, repetitive or excessive.",
        "We will only retain your personal data for as long as necessary to fulfil the purposes we collected it for",
        "To determine the appropriate retention period for personal data, we consider the amount",
        "In some circumstances we may anonymise your personal data (so that it can no longer be associated with you)",
        "As a business covered by the CCPA, we do not sell Personal Data.",
        "The California Consumer Privacy Act requires businesses to disclose whether they sell Personal Data.",
        "You have the right to make a complaint at any time to the supervisory authority",
        "We would, however, appreciate the chance to deal with your concerns",
        OAK_HOUSE,
        *OPT_OUT["impero-group"],
    ],
    "impro": [
        "HID Global will respond within 45 days.",
        "We will retain your information for as long as your account is active or as needed to provide you our products and services.",
        "Additionally, we will retain and use your information as necessary to comply with our legal obligations",
        "Impro Technologies does not sell your Personal Data to third parties.",
        "Our websites follow browser do-not-track signals.",
        "If neither HID Global nor our dispute resolution provider resolves your complaint",
        "If you believe HID Global maintains your personal data in one of the services",
        "If you have an unresolved privacy or data use concern that we have not addressed",
        "47B Gillitts Road, Surprise Farm,",
        *OPT_OUT["impro"],
    ],
    "nordlys-dk": [
        "We sell your name and email address to selected partner companies for their own marketing, with your consent.",
        "Our website does not respond to Do Not Track signals.",
    ],
    "acme-uk": ["We never sell your personal data."],
}
