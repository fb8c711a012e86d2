"""Competency questions cq02-cq16: transfers, organisations and recipients, personal data.

Every expected answer below was written from the policy texts (data/sources/*.txt), read
sentence by sentence and put into the vocabulary's terms; the comments quote or point to the
sentences. Rows are compared as sets. Where the five policies have no case for a question,
the fictional fixtures answer it: tests/fixtures/valid (acme-uk, a UK controller in 2019
transferring to the US under the Privacy Shield) built together with
tests/fixtures/cq-transfers (globex, an Irish controller in 2016 still relying on Safe Harbor
and processing health data).
"""

from __future__ import annotations

import datetime as dt

import pytest

import privacykg
from helpers import build_fixture_store, compact_rows

IDENTRICS = "identrics/2018-05-20"
IMAGO = "imago/2020-05-24"
IMPERO_AS = "impero-as/2020-01-15"
IMPERO_GROUP = "impero-group/2021-06-04"
IMPRO = "impro/2018-05-16"
ACME = "acme-uk/2019-06-01"
GLOBEX = "globex/2016-02-01"
POLICIES = {"identrics", "imago", "impero-as", "impero-group", "impro"}


def notice(iri: str) -> str:
    """`.../policy/impro/2018-05-16` -> `impro/2018-05-16`."""
    return "/".join(iri.split("/")[-2:])


def local(iri: str) -> str:
    """The key at the end of a minted IRI (`.../entity/google` -> `google`)."""
    return iri.rsplit("/", 1)[-1]


def run(store, qid, **params):
    return privacykg.select(store, qid, params or None)


@pytest.fixture(scope="module")
def cq_fixture_store(tmp_path_factory):
    """The fictional policies: tests/fixtures/valid plus tests/fixtures/cq-transfers."""
    return build_fixture_store(tmp_path_factory, "cq-transfers")


def only(rows, *notices):
    return [r for r in rows if notice(r["notice"]) in notices]


# ---------------------------------------------------------------- cq02 transfers to a country


@pytest.mark.parametrize(
    "country, expected",
    [
        # impero-as: "We may transfer your personal data to those services providers in the United States ...
        # including putting in place written contractual agreements to meet EU-approved data protection
        # obligations" (contracts, not said to be the Commission's SCCs).
        # impero-group: "Where we use providers based in the US, we may transfer data to them if they are part
        # of the Privacy Shield".
        (
            "loc:US",
            {
                (IMPERO_AS, "loc:US", "pkg:ContractualTransferSafeguard"),
                (IMPERO_GROUP, "loc:US", "pkg:EUUSPrivacyShield"),
            },
        ),
        # impro: "Our computer systems are currently based in the Republic of South Africa ... such as standard
        # contractual clauses for the transfer of Personal Data as approved by the European Commission (Art. 46 GDPR)"
        ("loc:ZA", {(IMPRO, "loc:ZA", "eu-gdpr:A46-2-c")}),
        # Imago's headquarters are in Hong Kong, but no policy transfers data to Hong Kong or China
        ("loc:HK", set()),
        ("loc:CN", set()),
    ],
    ids=["US", "ZA", "HK", "CN"],
)
def test_cq02_transfers_to_country(corpus_store, country, expected):
    rows = run(corpus_store, "cq02", country=country)
    assert {(notice(r["notice"]),) + compact_rows([r], ["country", "safeguard"]).pop() for r in rows} == expected
    assert all(r["quote"] for r in rows)


def test_cq02_default_is_us_and_quotes_the_transfer(corpus_store):
    rows = run(corpus_store, "cq02")
    assert {r["country"] for r in rows} == {"https://w3id.org/dpv/loc#US"}
    quotes = {notice(r["notice"]): r["quote"] for r in rows}
    assert "United States" in quotes[IMPERO_AS]
    assert "Privacy Shield" in quotes[IMPERO_GROUP]


def test_cq02_recipient_established_in_the_country(cq_fixture_store):
    rows = only(run(cq_fixture_store, "cq02"), ACME, GLOBEX)
    # acme-uk: "Mailer Inc. stores your email address in the United States under the EU-US Privacy Shield."
    # globex: "hosted by CloudReg Inc., which stores your name and email address in the United States under
    # the EU-US Safe Harbor framework."
    assert {
        (notice(r["notice"]), local(r.get("recipient", "")), compact_rows([r], ["safeguard"]).pop()[0]) for r in rows
    } == {(ACME, "mailer", "pkg:EUUSPrivacyShield"), (GLOBEX, "cloudreg", "pkg:EUUSSafeHarbor")}


# ---------------------------------------------------------------- cq03 controllers outside the EEA


def test_cq03_controllers_outside_eea(corpus_store):
    rows = run(corpus_store, "cq03")
    # imago: "ImagoTechnologies’s global headquarters are located in Hong Kong" (2020)
    # impero-group: Impero Holdings Limited, "Ruddington, Nottingham, England, UK" (June 2021: after Brexit)
    # impro: "Impro Technologies 47B Gillitts Road, Surprise Farm, Pinetown, 3610, KwaZulu-Natal" (South Africa)
    # identrics (Sofia, Bulgaria) and Impero A/S (Åbyhøj, Denmark) are inside.
    assert {
        (local(r["controller"]), r["country"].rsplit("#")[-1], r["date"], r["eea"].rsplit("#")[-1]) for r in rows
    } == {
        ("imago", "HK", "2020-05-24", "EEA30"),
        ("impero-holdings", "GB", "2021-06-04", "EEA30"),
        ("impro", "ZA", "2018-05-16", "EEA31"),
    }


def test_cq03_uk_controller_in_2019_is_inside(cq_fixture_store):
    # acme-uk, London, 1 June 2019: the UK was still in the EEA (EEA31 until 31 January 2020)
    rows = run(cq_fixture_store, "cq03")
    assert only(rows, ACME, GLOBEX) == []


# ---------------------------------------------------------------- cq04 transfers without safeguard


def test_cq04_transfers_without_safeguard(corpus_store):
    rows = run(corpus_store, "cq04")
    # imago: "By registering for and using Imago Technologies services, you are accepting to the transfer of
    # data to any country in which Imago Technologies and its affiliates maintain facilities": no SCCs,
    # adequacy or derogation is named. Every other transfer outside the EEA names a safeguard; Imago's
    # service providers "outside of the US" are not said to be outside the EEA.
    assert {(notice(r["notice"]), compact_rows([r], ["destination"]).pop()[0]) for r in rows} == {(IMAGO, "loc:EEA")}
    assert "stored and/or processed in multiple locations" in rows[0]["quote"]


def test_cq04_named_safeguards_are_not_listed(cq_fixture_store):
    assert only(run(cq_fixture_store, "cq04"), ACME, GLOBEX) == []


# ---------------------------------------------------------------- cq05 invalid on the policy's date


def test_cq05_mechanism_invalid_on_policy_date(corpus_store):
    rows = run(corpus_store, "cq05")
    # impero-group, 4 June 2021, relies on the Privacy Shield, invalidated on 16 July 2020 (Schrems II).
    # impro, 16 May 2018, cites "(Art. 46 GDPR)" a few days before the GDPR applied, but the standard
    # contractual clauses it names were valid under Directive 95/46/EC since 2001: not a finding.
    assert compact_rows([dict(r, notice=notice(r["notice"])) for r in rows], ["notice", "mechanism", "problem"]) == {
        (IMPERO_GROUP, "pkg:EUUSPrivacyShield", "no longer valid"),
    }
    ps = [r for r in rows if r["mechanism"].endswith("EUUSPrivacyShield")][0]
    assert ps["validUntil"] == "2020-07-16" and "C-311/18" in ps["invalidatedBy"]


def test_cq05_safe_harbor_after_schrems_i(cq_fixture_store):
    rows = only(run(cq_fixture_store, "cq05"), ACME, GLOBEX)
    # globex (1 February 2016) still relies on Safe Harbor, invalid since 6 October 2015;
    # acme-uk's Privacy Shield (1 June 2019) was valid on its date.
    assert compact_rows([dict(r, notice=notice(r["notice"])) for r in rows], ["notice", "mechanism", "problem"]) == {
        (GLOBEX, "pkg:EUUSSafeHarbor", "no longer valid")
    }


# ---------------------------------------------------------------- cq06 invalid on a given day


@pytest.mark.parametrize(
    "on, expected",
    [
        (None, {(IMPERO_GROUP, "pkg:EUUSPrivacyShield", "no longer valid")}),
        ("2020-08-01", {(IMPERO_GROUP, "pkg:EUUSPrivacyShield", "no longer valid")}),
        ("2020-01-01", set()),
        # SCCs and adequacy decisions were bases under Directive 95/46/EC before the GDPR; the Privacy
        # Shield was in force: nothing is invalid on 1 January 2018
        ("2018-01-01", set()),
    ],
    ids=["today", "2020-08-01", "2020-01-01", "2018-01-01"],
)
def test_cq06_mechanism_invalid_on_day(corpus_store, on, expected):
    rows = run(corpus_store, "cq06", **({"on": on} if on else {}))
    assert (
        compact_rows([dict(r, notice=notice(r["notice"])) for r in rows], ["notice", "mechanism", "problem"])
        == expected
    )
    day = on or dt.datetime.now(dt.UTC).date().isoformat()
    assert all(r["day"] == day for r in rows)
    assert all(r.get("on", "") == (on or "") for r in rows)


def test_cq06_fixture_day_before_privacy_shield(cq_fixture_store):
    rows = only(run(cq_fixture_store, "cq06", on="2016-01-01"), ACME, GLOBEX)
    assert compact_rows([dict(r, notice=notice(r["notice"])) for r in rows], ["notice", "mechanism", "problem"]) == {
        (ACME, "pkg:EUUSPrivacyShield", "not yet valid"),
        (GLOBEX, "pkg:EUUSSafeHarbor", "no longer valid"),
    }


# ---------------------------------------------------------------- cq07 organisations across policies


def test_cq07_organisations_across_policies(corpus_store):
    rows = run(corpus_store, "cq07")
    got = {(local(r["organisation"]), int(r["policies"]), frozenset(r["which"].split("; "))) for r in rows}
    expected = {
        # Google Analytics (identrics, imago, impro), Google as analytics/search provider (impero-as)
        ("google", 4, frozenset({"identrics", "imago", "impero-as", "impro"})),
        # social networks: cookies (identrics), analytics and social media (imago), analytics providers
        # (impero-as: "Google, Hotjar, LinkedIn, Facebook, MailChimp and HubSpot"), widgets (impro)
        ("facebook", 4, frozenset({"identrics", "imago", "impero-as", "impro"})),
        ("linkedin", 4, frozenset({"identrics", "imago", "impero-as", "impro"})),
        ("twitter", 2, frozenset({"identrics", "impro"})),
        ("youtube", 2, frozenset({"imago", "impro"})),
        ("instagram", 1, frozenset({"imago"})),
        # "Microsoft to manage MS Teams service interoperability" / "including Microsoft, HubSpot and MailChimp"
        ("microsoft", 2, frozenset({"imago", "impero-as"})),
        # "Salesforce to manage clients and processes" / "if you use Salesforce sites or Services"
        ("salesforce", 2, frozenset({"imago", "impero-group"})),
        # Hotjar: impero-as analytics provider; impro "_hjIncludedInSample ... to let Hotjar know"
        ("hotjar", 2, frozenset({"impero-as", "impro"})),
        ("hubspot", 1, frozenset({"impero-as"})),
        ("mailchimp", 1, frozenset({"impero-as"})),
        ("zoom", 1, frozenset({"imago"})),
        ("rocketchat", 1, frozenset({"imago"})),
        ("marketo", 1, frozenset({"impro"})),
        ("usabilla", 1, frozenset({"impro"})),
        ("hid-global", 1, frozenset({"impro"})),
        ("truste", 1, frozenset({"impro"})),
        ("assa-abloy", 1, frozenset({"impro"})),
        ("a-data-pro", 1, frozenset({"identrics"})),
        # the controllers themselves
        ("identrics", 1, frozenset({"identrics"})),
        ("imago", 1, frozenset({"imago"})),
        ("impero-as", 1, frozenset({"impero-as"})),
        ("impero-holdings", 1, frozenset({"impero-group"})),
        ("impro", 1, frozenset({"impro"})),
        # "Our website includes links to other websites whose privacy practices may differ ..."
        ("impro-linked-websites", 1, frozenset({"impro"})),
        # other parties the policies name: Impero Solutions Limited ("the parent company and responsible
        # for the Websites"), the group's subsidiaries, the client organisations that are controllers,
        # Impero A/S's customers, linked third-party websites
        ("impero-solutions", 1, frozenset({"impero-group"})),
        ("impero-group-subsidiaries", 1, frozenset({"impero-group"})),
        ("impero-group-clients", 1, frozenset({"impero-group"})),
        ("third-party-websites", 1, frozenset({"impero-group"})),
        ("impero-as-customers", 1, frozenset({"impero-as"})),
    }
    assert got == expected
    # people (data protection officers) are not organisations
    assert not any(local(r["organisation"]).endswith(("-dpo", "-dpm")) for r in rows)


# ---------------------------------------------------------------- cq08 recipient categories


def test_cq08_recipient_categories(corpus_store):
    rows = run(corpus_store, "cq08")
    expected = {
        # "government agencies, including law enforcement and other public authorities"; "In the event of a
        # merger, sale, ..." (the counterparty, as in the other files); third parties to protect rights,
        # anonymised data to third parties; "Email marketing software"
        ("identrics", "dpv:GovernmentalOrganisation"),
        ("identrics", "dpv:LawEnforcementOrganisation"),
        ("identrics", "dpv:Authority"),
        ("identrics", "dpv:ThirdParty"),
        ("identrics", "dpv:ServiceProvider"),
        ("identrics", "pkg:BusinessTransactionCounterparty"),
        # affiliated partners (resellers); service providers under a data processing agreement, also the
        # facility providers hosting the PoPs; public and governmental authorities, "law enforcement";
        # "In the event of a re-organization, merger, or sale we may transfer any or all personal data we collect
        # to the relevant third party" (the counterparty); "may be shared with other users of the service at the
        # request of a presenter" (other users are recipients, pkg:OtherServiceUser: dpv:User is a data
        # subject); "integration partners or analytics and service providers"; the affiliates whose
        # facilities store the data
        ("imago", "pkg:AuthorisedDistributor"),
        ("imago", "dpv:ServiceProvider"),
        ("imago", "dpv:DataProcessor"),
        ("imago", "dpv:GovernmentalOrganisation"),
        ("imago", "dpv:LawEnforcementOrganisation"),
        ("imago", "pkg:BusinessTransactionCounterparty"),
        ("imago", "pkg:OtherServiceUser"),
        ("imago", "pkg:AnalyticsProvider"),
        ("imago", "pkg:GroupCompany"),
        # "subprocessors, service providers (for example of IT services), business partners and/or suppliers";
        # "analytics and search engine providers"; "government or other law enforcement agencies"; "public and
        # government authorities, courts or regulators"; buyer, seller or investee; legal advisers; third
        # parties (legal duty, advertising cookies); service providers outside the EEA
        ("impero-as", "dpv:DataProcessor"),
        ("impero-as", "dpv:ServiceProvider"),
        ("impero-as", "pkg:BusinessPartner"),
        ("impero-as", "pkg:Supplier"),
        ("impero-as", "pkg:AnalyticsProvider"),
        ("impero-as", "pkg:SearchEngineProvider"),
        ("impero-as", "dpv:GovernmentalOrganisation"),
        ("impero-as", "dpv:LawEnforcementOrganisation"),
        ("impero-as", "dpv:Authority"),
        ("impero-as", "dpv:JudicialOrganisation"),
        ("impero-as", "pkg:BusinessTransactionCounterparty"),
        ("impero-as", "pkg:LegalAdviser"),
        ("impero-as", "dpv:ThirdParty"),
        # third party service providers acting on Impero's behalf (processors); professional advisers;
        # analytics partners; government or regulatory authority; buyers in a sale or merger; "authorised
        # service providers or business partners" (California)
        ("impero-group", "dpv:ServiceProvider"),
        ("impero-group", "dpv:DataProcessor"),
        ("impero-group", "pkg:ProfessionalAdviser"),
        ("impero-group", "pkg:AnalyticsProvider"),
        ("impero-group", "dpv:GovernmentalOrganisation"),
        ("impero-group", "dpv:Authority"),
        ("impero-group", "dpv:ThirdParty"),
        ("impero-group", "pkg:BusinessTransactionCounterparty"),
        ("impero-group", "pkg:BusinessPartner"),
        # "our service providers may observe"; "IT service providers which host, develop or offer support";
        # ASSA ABLOY affiliates and subsidiaries (also using the cookies); authorised distributors;
        # "To a buyer or a potential future buyer of our business" (the counterparty, the term the other files
        # use: issue 15, pattern 6); law enforcement agencies; disclosure required by law; "we will respond to
        # subpoenas, warrants, or other court orders"
        ("impro", "dpv:ServiceProvider"),
        ("impro", "pkg:ITServiceProvider"),
        ("impro", "pkg:GroupCompany"),
        ("impro", "pkg:AuthorisedDistributor"),
        ("impro", "pkg:BusinessTransactionCounterparty"),
        ("impro", "dpv:LawEnforcementOrganisation"),
        ("impro", "dpv:GovernmentalOrganisation"),
        ("impro", "dpv:JudicialOrganisation"),
    }
    assert compact_rows(rows, ["policy", "category"]) == expected
    assert all(r["label"] for r in rows)


# ---------------------------------------------------------------- cq09 roles of named organisations


def test_cq09_organisation_roles(corpus_store):
    rows = run(corpus_store, "cq09")
    got = {(r["policy"], local(r["organisation"]), r["role"].rsplit("#")[-1]) for r in rows}
    C, P, T, R = "DataController", "DataProcessor", "ThirdParty", "Recipient"
    expected = {
        # identrics: the group receives data ("made available to them"); the social networks set their own
        # cookies ("Third party: These are cookies set up by Facebook/Twitter/LinkedIn")
        ("identrics", "identrics", C),
        ("identrics", "a-data-pro", R),
        ("identrics", "facebook", T),
        ("identrics", "twitter", T),
        ("identrics", "linkedin", T),
        # imago: "Imago Technologies is a processor, and Client is the controller" for Platform data;
        # data "received via a third party" (analytics providers, Google, Zoom, Microsoft); tools it uses
        # (Salesforce, FacebookChat or RocketChat)
        ("imago", "imago", C),
        ("imago", "imago", P),
        ("imago", "google", T),
        ("imago", "facebook", T),
        ("imago", "instagram", T),
        ("imago", "linkedin", T),
        ("imago", "youtube", T),
        ("imago", "zoom", T),
        ("imago", "microsoft", T),
        ("imago", "facebook", P),
        ("imago", "rocketchat", P),
        ("imago", "salesforce", P),
        # impero-as: "in the role of processor on behalf of Impero customers"; "subprocessors ... including
        # Microsoft, HubSpot and MailChimp"; analytics and search engine providers "Google, Hotjar, LinkedIn,
        # Facebook, MailChimp and HubSpot"
        ("impero-as", "impero-as", C),
        ("impero-as", "impero-as", P),
        ("impero-as", "impero-as-customers", C),
        ("impero-as", "microsoft", P),
        ("impero-as", "hubspot", P),
        ("impero-as", "mailchimp", P),
        ("impero-as", "google", R),
        ("impero-as", "hotjar", R),
        ("impero-as", "linkedin", R),
        ("impero-as", "facebook", R),
        ("impero-as", "mailchimp", R),
        ("impero-as", "hubspot", R),
        # impero-group: "We are the controller"; a client organisation "they are the controller"; the group
        # companies, one of which is the controller; Impero Solutions "responsible for the Websites"; linked
        # third-party websites. "... or if you use Salesforce sites or Services to interact with third parties" is
        # wording carried over from Salesforce's own notice (issue 15, pattern 1): Salesforce has no role here
        ("impero-group", "impero-holdings", C),
        ("impero-group", "impero-holdings", P),
        ("impero-group", "impero-group-clients", C),
        ("impero-group", "impero-group-subsidiaries", C),
        ("impero-group", "impero-solutions", C),
        ("impero-group", "third-party-websites", T),
        # impro: "we allow certain third parties to install and access third-party cookies ... Google
        # Analytics"; "we use Google Analytics, Marketo, Usabilla and Hotjar to analyze our visitors'
        # behavior"; social platforms of the widgets
        ("impro", "impro", C),
        ("impro", "google", T),
        ("impro", "marketo", R),
        ("impro", "usabilla", R),
        ("impro", "hotjar", R),
        ("impro", "facebook", T),
        ("impro", "youtube", T),
        ("impro", "twitter", T),
        ("impro", "linkedin", T),
        # "If you believe HID Global maintains your personal data in one of the services discussed in this
        # Privacy Notice, ..." (HID Global may hold the data: a recipient); "Our website includes links to
        # other websites whose privacy practices may differ from those of Impro Technologies."
        ("impro", "hid-global", R),
        ("impro", "impro-linked-websites", T),
    }
    assert got == expected


def test_cq09_roles_stay_within_their_policy(cq_fixture_store):
    rows = [r for r in run(cq_fixture_store, "cq09") if r["policy"] in ("acme-uk", "globex")]
    assert {(r["policy"], local(r["organisation"]), r["role"].rsplit("#")[-1]) for r in rows} == {
        ("acme-uk", "acme", "DataController"),
        ("acme-uk", "mailer", "DataProcessor"),
        ("globex", "globex", "DataController"),
        ("globex", "cloudreg", "DataProcessor"),
    }


# ---------------------------------------------------------------- cq10 sharing within the group


def test_cq10_group_sharing(corpus_store):
    rows = run(corpus_store, "cq10")
    got = {
        (
            notice(r["notice"]),
            local(r["process"]),
            compact_rows([r], ["recipient"]).pop()[0].rsplit("/")[-1],
            r["relation"],
        )
        for r in rows
    }
    assert got == {
        # "Within A Data Pro Group: Identrics is part of the A Data Pro Group ... personal information will
        # be made available to them"
        (IDENTRICS, "group-sharing", "a-data-pro", "parent"),
        # "Personal data collected through Imago Technologies service may be stored and processed in any
        # country in which Imago Technologies and its affiliates maintain facilities"
        (IMAGO, "global-storage-transfer", "pkg:GroupCompany", "group company (category)"),
        # "we share Personal Data among ASSA ABLOY controlled affiliates and subsidiaries"
        (IMPRO, "intra-group-sharing", "pkg:GroupCompany", "group company (category)"),
        # "cookies, beacons, tags and scripts are used by Impro Technologies and our affiliates"
        (IMPRO, "cookies-and-similar-technologies", "pkg:GroupCompany", "group company (category)"),
    }


# ---------------------------------------------------------------- cq11 personal data categories

CQ11 = {
    "identrics": {
        # forms: "your name and email address"; marketing by "email, telephone, direct mail"
        "pd:Name",
        "pd:EmailAddress",
        "pd:Contact",
        "dpv:PersonalData",
        # server & application logs: "IP address and browser type", "Unique Device Identifier (UDID), MAC
        # address, Identifier For Advertisers (IFA), and similar identifiers", "Device operating system",
        # "The city, state, and country", "Pages visited", "Information or text entered", "Links and buttons
        # clicked", "URLs visited before and after"
        "pd:IPAddress",
        "pd:UserAgent",
        "pkg:DeviceIdentifier",
        "pd:MACAddress",
        "pkg:AdvertisingIdentifier",
        "pd:Identifier",
        "pd:DeviceOperatingSystem",
        "pd:City",
        "pd:Region",
        "pd:Country",
        "pd:BrowsingBehaviour",
        "pkg:EnteredText",
        "pd:LinkClicked",
        "pd:BrowsingReferral",
        "pd:BrowserHistory",
        # cookies: user preferences; "number of visits, average duration of visit, and pages viewed";
        # "your username or ID, language preference, or the area or region you are in"; e-mail tracking
        "pd:Preference",
        "pd:ServiceConsumptionBehaviour",
        "pd:Username",
        "pd:Language",
        "pd:Location",
        "pkg:EmailEngagement",
    },
    "impro": {
        # "internet protocol (IP) addresses, browser type, internet service provider (ISP), referring/exist
        # pages, the files viewed ..., operating system, date/time stamp, and/or clickstream data"
        "pd:IPAddress",
        "pd:UserAgent",
        "pkg:ConnectionInformation",
        "pd:BrowsingReferral",
        "pd:BrowserHistory",
        "pd:DeviceOperatingSystem",
        "pd:ServiceConsumptionBehaviour",
        "pd:LinkClicked",
        "pd:BrowsingBehaviour",
        # "your name, email address, company information, street address, telephone number"
        "pd:Name",
        "pd:EmailAddress",
        "pkg:Employer",
        "pd:PhysicalAddress",
        "pd:TelephoneNumber",
        # "your activities, interactions, preferences, transactional information, and other computer and
        # connection information"; "general demographic and profile data"
        "pd:Behavioural",
        "pd:Preference",
        "pd:Transactional",
        "pd:DeviceBased",
        "pd:Demographic",
        "pd:Profile",
        # mobile apps: "operating system version, application software, peripherals and the device identifier"
        "pd:DeviceApplications",
        "pkg:DeviceIdentifier",
        # "your business contact information" (distributors); contact for notices and account communications;
        # "tailored to you and your company’s interests"; identifying users for law enforcement; content
        # posted through social widgets; unspecified personal data
        "pkg:BusinessContactInformation",
        "pd:Contact",
        "pd:Interest",
        "pd:Identifying",
        "pd:Communication",
        "dpv:PersonalData",
    },
}


@pytest.mark.parametrize("policy", sorted(CQ11))
def test_cq11_personal_data_categories(corpus_store, policy):
    rows = run(corpus_store, "cq11", policy=policy)
    assert {r["policy"] for r in rows} == {policy}
    assert compact_rows(rows, ["category"]) == {(c,) for c in CQ11[policy]}


def test_cq11_every_policy_without_parameter(corpus_store):
    rows = run(corpus_store, "cq11")
    assert {r["policy"] for r in rows} == POLICIES
    by_policy = {p: {(c,) for c in cats} for p, cats in CQ11.items()}
    for p, cats in by_policy.items():
        assert compact_rows([r for r in rows if r["policy"] == p], ["category"]) == cats
    # identrics' "non-personal, anonymized, and statistical data" is not personal data
    assert not any(r["category"].endswith("#AnonymisedData") for r in rows)


# ---------------------------------------------------------------- cq12 special categories


def test_cq12_special_categories(corpus_store):
    rows = run(corpus_store, "cq12")
    # identrics: "Identrics will never collect or process Personal Data pertaining to, directly or
    # indirectly, race, health, sexual orientation, political, philosophical, or religious views."
    identrics = {
        "dpv:SpecialCategoryPersonalData",
        "pd:Race",
        "pd:Health",
        "pd:SexualPreference",
        "pd:PoliticalOpinion",
        "pd:PhilosophicalBelief",
        "pd:ReligiousBelief",
    }
    # impero-group: "We do not collect any Special Categories of Personal Data about you (this includes
    # details about your race or ethnicity, religious or philosophical beliefs, sex life, sexual orientation,
    # political opinions, trade union membership, information about your health and genetic and biometric data)."
    impero_group = {
        "dpv:SpecialCategoryPersonalData",
        "pd:Race",
        "pd:EthnicOrigin",
        "pd:ReligiousBelief",
        "pd:PhilosophicalBelief",
        "pd:Sexual",
        "pd:SexualPreference",
        "pd:PoliticalOpinion",
        "pd:TradeUnionMembership",
        "pd:Health",
        "pd:Genetic",
        "pd:Biometric",
    }
    # no policy of the corpus says it processes special categories
    assert compact_rows(rows, ["policy", "stance", "category"]) == (
        {("identrics", "excludes", c) for c in identrics} | {("impero-group", "excludes", c) for c in impero_group}
    )
    # criminal convictions (impero-group) are Art. 10 data, not a special category
    assert not any("Criminal" in r["category"] for r in rows)


def test_cq12_processing_health_data(cq_fixture_store):
    rows = [r for r in run(cq_fixture_store, "cq12") if r["policy"] in ("acme-uk", "globex")]
    # globex: "If you tell us about a disability or another health condition, we use this information only
    # to arrange accessible seating at the venue, with your explicit consent."
    assert compact_rows(rows, ["policy", "stance", "category"]) == {("globex", "processes", "pd:Health")}
    assert local(rows[0]["node"]) == "accessible-seating" and "health condition" in rows[0]["quote"]


# ---------------------------------------------------------------- cq13 financial data


def test_cq13_financial_data(corpus_store):
    rows = run(corpus_store, "cq13")
    assert compact_rows(rows, ["policy", "category"]) == {
        # "Payment details: ... such as a credit card number and the security code associated with your
        # preferred payment method"; "payment details (if relevant)" to enable the services
        ("imago", "pd:CreditCardNumber"),
        ("imago", "pkg:PaymentCardSecurityCode"),
        ("imago", "pd:Financial"),
        # California: "Commercial information", "Financial information"
        ("impero-group", "pd:Transactional"),
        ("impero-group", "pd:Financial"),
        # "your activities, interactions, preferences, transactional information"
        ("impro", "pd:Transactional"),
    }
    assert all(r["processes"] for r in rows)


# ---------------------------------------------------------------- cq14 device and tracking data


def test_cq14_device_and_tracking_data(corpus_store):
    rows = run(corpus_store, "cq14")
    expected = {
        # server & application logs (IP, browser type, UDID, MAC, IFA, "similar identifiers", operating system,
        # pages, links clicked, URLs before and after); performance and analytics cookies (browsers, operating
        # systems, referring domain, visits and pages); functionality cookies ("username or ID"); Google
        # Analytics ("the same login at each visit"); cookies in e-mails (opens, forwards, clicks)
        "identrics": {
            "pd:IPAddress",
            "pd:UserAgent",
            "pkg:DeviceIdentifier",
            "pd:MACAddress",
            "pkg:AdvertisingIdentifier",
            "pd:Identifier",
            "pd:DeviceOperatingSystem",
            "pd:BrowsingBehaviour",
            "pd:LinkClicked",
            "pd:BrowsingReferral",
            "pd:BrowserHistory",
            "pd:ServiceConsumptionBehaviour",
            "pkg:EmailEngagement",
        },
        # "computer type (MAC or Windows), mobile device type, language, internet browser, any web pages that
        # referred you ..., and your Internet Protocol (IP) Address"; usage and navigation; apps downloaded to
        # the device; cookies "to assign an identification code to your computer"; "your internet service provider"
        "imago": {
            "pd:DeviceOperatingSystem",
            "pd:DeviceBased",
            "pd:UserAgent",
            "pd:BrowsingReferral",
            "pd:IPAddress",
            "pd:ServiceConsumptionBehaviour",
            "pd:BrowsingBehaviour",
            "pd:DeviceApplications",
            "pd:Identifier",
            "pkg:ConnectionInformation",
        },
        # "your IP address, URL clickstreams, unique device identifiers, operating system, and network and
        # browser type"; "the pages you have viewed, the duration spent, and how you navigate"
        "impero-as": {
            "pd:IPAddress",
            "pd:LinkClicked",
            "pkg:DeviceIdentifier",
            "pd:DeviceOperatingSystem",
            "pd:DeviceBased",
            "pd:UserAgent",
            "pd:BrowserHistory",
            "pd:ServiceConsumptionBehaviour",
            "pd:BrowsingBehaviour",
        },
        # Technical and Usage Data ("IP address, your login data, browser type and version, ..., browser
        # plug-in types and versions, operating system and platform ..., the pages you have visited and the
        # links you have followed"); "username or similar identifier"; cookies "to distinguish you"
        "impero-group": {
            "pd:IPAddress",
            "pd:UserAgent",
            "pd:DeviceApplications",
            "pd:DeviceOperatingSystem",
            "pd:DeviceBased",
            "pd:BrowsingBehaviour",
            "pd:LinkClicked",
            "pd:ServiceConsumptionBehaviour",
            "pd:Identifier",
        },
        # website logs (IP, browser type, ISP, referring/exit pages, files viewed, operating system,
        # clickstream); "computer and connection information"; mobile apps ("device identifier; push ID")
        "impro": {
            "pd:IPAddress",
            "pd:UserAgent",
            "pkg:ConnectionInformation",
            "pd:BrowsingReferral",
            "pd:BrowserHistory",
            "pd:DeviceOperatingSystem",
            "pd:ServiceConsumptionBehaviour",
            "pd:LinkClicked",
            "pd:BrowsingBehaviour",
            "pd:DeviceBased",
            "pd:DeviceApplications",
            "pkg:DeviceIdentifier",
        },
    }
    assert compact_rows(rows, ["policy", "category"]) == {(p, c) for p, cats in expected.items() for c in cats}
    tech = {(r["policy"], r["category"].rsplit("#")[-1]): r.get("technologies", "") for r in rows}
    assert tech[("identrics", "MACAddress")] == "server log"
    assert "_ga" in tech[("impro", "LinkClicked")].split("; ")
    assert "cookie" in tech[("impero-as", "IPAddress")].split("; ")
    assert tech[("impro", "DeviceIdentifier")] == ""  # mobile apps: no tracking technology named


# ---------------------------------------------------------------- cq15 children


def test_cq15_children(corpus_store):
    rows = run(corpus_store, "cq15")
    assert {(r["policy"], r["kind"], local(r["node"])) for r in rows} == {
        # "our Services/Solutions are generally not aimed at children"
        ("identrics", "prohibition", "not-for-children"),
        # "The Websites and our Services are not intended for use by children and, whilst our clients may ask
        # us to process data relating to children on their behalf ..., we do not knowingly collect data
        # relating to children for our own purposes."
        ("impero-group", "prohibition", "not-for-children"),
        ("impero-group", "process", "processing-on-behalf-of-clients"),
    }
    assert all("children" in r["quote"] for r in rows)


# ---------------------------------------------------------------- cq16 purposes

CQ16 = {
    "identrics": {
        # forms, policy updates, e-mail communications; support; CRM and services
        "dpv:CommunicationManagement",
        "dpv:CustomerCare",
        "dpv:CommunicationForCustomerCare",
        "dpv:CustomerRelationshipManagement",
        "dpv:ServiceProvision",
        # servers and logs: "administer, protect, and improve our Services; analyze usage; and improve users’
        # experience"
        "dpv:TechnicalServiceProvision",
        "dpv:EnforceSecurity",
        "dpv:ImproveExistingProductsAndServices",
        "dpv:ServiceUsageAnalytics",
        "dpv:OptimisationForConsumer",
        # "Marketing and events"; surveys "for marketing or market research purposes"; the group: "provision of
        # Services, sales and marketing, customer and technical support, and business and product development"
        "dpv:DirectMarketing",
        "dpv:Marketing",
        "dpv:CommercialResearch",
        "dpv:SellProducts",
        "dpv:ResearchAndDevelopment",
        # "To comply with legal obligations"; merger, sale ...; "To protect our rights, users, systems"
        "dpv:LegalCompliance",
        "pkg:BusinessTransfer",
        "pkg:ProtectLegalRights",
        # rights requests "subject to ... identity verification procedures"
        "dpv:RightsFulfilment",
        "dpv:IdentityVerification",
        # cookies: "store and manage user preferences, deliver targeted advertising, enable content, and gather
        # analytic and usage data"; performance ("improve the user-friendliness"); functionality ("more personal
        # features", text size and fonts); advertising and remarketing; "optimization and personalization"
        "dpv:ServicePersonalisation",
        "dpv:TargetedAdvertising",
        "dpv:RequestedServiceProvision",
        "dpv:ServiceOptimisation",
        "dpv:OptimiseUserInterface",
        "dpv:UserInterfacePersonalisation",
        "dpv:Advertising",
        # "Facebook, Twitter, LinkedIn, Third party: These are cookies set up by Facebook/Twitter/LinkedIn.":
        # no purpose is stated; sharing on social media is our reading (marked implied, as Impro's widgets)
        "pkg:SocialMediaSharing",
    },
    "impro": {
        # "to analyze trends in the aggregate and administer the site"; observing use; registered users' visits
        "dpv:ServiceUsageAnalytics",
        "dpv:ServiceManagement",
        "dpv:ServiceMonitoring",
        # "to access protected information ... or so we can follow up with you"; aggregate data "to better
        # understand and assist our customers"
        "dpv:RequestedServiceProvision",
        "dpv:CustomerRelationshipManagement",
        # "to operate our business and provide you the products we offer, which includes using data to improve
        # our products and personalize your experiences"; distributors' joint marketing
        "dpv:ServiceProvision",
        "dpv:ImproveExistingProductsAndServices",
        "dpv:ServicePersonalisation",
        "dpv:Marketing",
        # "informing you about your account and product information"; webinars, events, newsletters;
        # "marketing that is tailored to you and your company’s interests"
        "dpv:CommunicationForCustomerCare",
        "dpv:AccountManagement",
        "dpv:DirectMarketing",
        "dpv:Personalisation",
        # legitimate interests: fraud, security, "the effectiveness of promotional campaigns and advertising"
        "dpv:FraudPreventionAndDetection",
        "dpv:EnforceSecurity",
        "pkg:MarketingEffectivenessMeasurement",
        # distributors "to assist you in purchasing our products"; "a corporate transaction such as a merger"
        # (pkg:BusinessTransfer, the term the other files use for the same wording: issue 15, pattern 6)
        "dpv:SellProductsToDataSubject",
        "pkg:BusinessTransfer",
        # law enforcement on illegal activities; "required to do so by law ... legal liability"; "comply with
        # our legal obligations, resolve disputes, and enforce our agreements" (enforcing agreements:
        # pkg:ProtectLegalRights, as in the other files)
        "dpv:MisusePreventionAndDetection",
        "dpv:LegalCompliance",
        "dpv:OrganisationRiskManagement",
        "dpv:DisputeManagement",
        "pkg:ProtectLegalRights",
        # systems in South Africa; the site's framework cookies; notice of changes; social media widgets
        "dpv:TechnicalServiceProvision",
        "dpv:CommunicationManagement",
        "pkg:SocialMediaSharing",
    },
}


@pytest.mark.parametrize("policy", sorted(CQ16))
def test_cq16_purposes(corpus_store, policy):
    rows = run(corpus_store, "cq16", policy=policy)
    assert {r["policy"] for r in rows} == {policy}
    assert compact_rows(rows, ["purpose"]) == {(p,) for p in CQ16[policy]}


def test_cq16_every_policy_without_parameter(corpus_store):
    rows = run(corpus_store, "cq16")
    assert {r["policy"] for r in rows} == POLICIES
    for p, purposes in CQ16.items():
        assert compact_rows([r for r in rows if r["policy"] == p], ["purpose"]) == {(x,) for x in purposes}
    # "we do not sell Personal Data" (impero-group, impro) is a prohibition, not a purpose
    assert not any(r["purpose"].endswith("#SellDataToThirdParties") for r in rows)
