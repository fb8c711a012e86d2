"""Impro, Impero Group, Impero A/S and Imago: their key facts come out of SPARQL as their texts say.
Every expected value is written from data/sources/<policy>.txt (the sentence is quoted beside it),
not from the graph."""

from __future__ import annotations

import privacykg

PRE = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
PREFIX loc: <https://w3id.org/dpv/loc#> PREFIX pkg: <https://w3id.org/privacykg/ns#>
PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX tech: <https://w3id.org/dpv/tech#>
"""
BASE = "https://w3id.org/privacykg/"
IMPRO, GROUP, IMPERO_AS, IMAGO = (
    "impro/2018-05-16",
    "impero-group/2021-06-04",
    "impero-as/2020-01-15",
    "imago/2020-05-24",
)
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"


def local(iri):
    return iri.rpartition("#")[2]


def ask(store, q):
    return bool(privacykg.query(store, PRE + q))


def select(store, q):
    return privacykg.select(store, PRE + q)


def said_of(store, pol, who):
    """What the policy itself says (its rdf:Statement nodes, in its own graph) of the entities
    ``who`` (a graph pattern binding ?c): {entity: {predicate local name: {values}}}."""
    rows = select(
        store,
        f"""SELECT ?c ?p ?o WHERE {{ GRAPH <{BASE}graph/{pol}> {{ {who}
        ?st rdf:subject ?c ; rdf:predicate ?p ; rdf:object ?o }} }}""",
    )
    out = {}
    for r in rows:
        out.setdefault(r["c"], {}).setdefault(local(r["p"]), set()).add(r["o"])
    return out


def controller(store, pol):
    """Name, countries, contacts and addresses of the notice's controller, as the policy says them."""
    (said,) = said_of(store, pol, f"<{BASE}policy/{pol}> dpv:hasDataController ?c .").values()
    return (
        said.get("hasName", set()),
        {local(c) for c in said.get("hasLocation", ())},
        said.get("hasContact", set()),
        said.get("hasAddress", set()),
    )


def dpo(store, pol):
    said = said_of(
        store,
        pol,
        f"""<{BASE}policy/{pol}> dpv:hasDataController ?ctrl .
        ?s0 rdf:subject ?ctrl ; rdf:predicate dpv:hasDataProtectionOfficer ; rdf:object ?c .""",
    )
    return {
        (name, contact)
        for d in said.values()
        for name in d.get("hasName", {None})
        for contact in d.get("hasContact", {None})
    }


def gdpr_rights(store, pol):
    rows = select(store, f"SELECT ?r WHERE {{ <{BASE}policy/{pol}> dpv:hasRight ?r }}")
    return {local(r["r"]) for r in rows if r["r"].startswith(GDPR)}


def cited(pol, fragment):
    """Graph pattern: ?p is a process of the notice that cites a sentence containing `fragment`."""
    return f"""<{BASE}policy/{pol}> dpv:hasProcess ?p .
        ?a oa:hasBody ?p ; oa:hasTarget/oa:hasSelector/oa:exact ?q . FILTER CONTAINS(?q, "{fragment}")"""


def legal_bases(store, pol, fragment):
    rows = select(store, f"SELECT DISTINCT ?b WHERE {{ {cited(pol, fragment)} ?p dpv:hasLegalBasis ?b }}")
    return {local(r["b"]) for r in rows}


def transfer(store, pol, fragment):
    """(third countries, outside-of locations, safeguards) of the transfer processes citing `fragment`."""
    rows = select(
        store,
        f"""SELECT ?tc ?out ?s WHERE {{ {cited(pol, fragment)}
        ?p dpv:hasProcessing dpv:CrossBorderTransfer .
        OPTIONAL {{ ?p dpv:hasThirdCountry ?tc }} OPTIONAL {{ ?p dpv:isOutsideOfLocation ?out }}
        OPTIONAL {{ ?p dpv:hasLegalBasis ?s . ?s skos:broaderTransitive dpv:DataTransferLegalBasis }} }}""",
    )
    assert rows, f"no transfer process cites {fragment!r}"
    return tuple({local(r[k]) for r in rows if k in r} for k in ("tc", "out", "s"))


def named(store, pol, path="dpv:hasRecipient|dpv:hasDataProcessor|dpv:hasThirdParty"):
    """Names of the organisations linked to the notice's processes by `path`, the controller left out."""
    rows = select(
        store,
        f"""SELECT DISTINCT ?name WHERE {{ <{BASE}policy/{pol}> dpv:hasProcess ?p ;
        dpv:hasDataController ?c . ?p {path} ?e . ?e dpv:hasName ?name FILTER(?e != ?c) }}""",
    )
    return {r["name"] for r in rows}


def prohibits(store, pol, pattern):
    return ask(store, f"ASK {{ <{BASE}policy/{pol}> dpv:hasProhibition ?x . {pattern} }}")


SPECIAL = "?x dpv:hasPersonalData ?d . ?d skos:broaderTransitive dpv:SpecialCategoryPersonalData"


# ------------------------------------------------------------------ Impro Technologies (2018-05-16)


def test_impro_controller(corpus_store):
    names, countries, contacts, addresses = controller(corpus_store, IMPRO)
    assert names == {"Impro Technologies"}  # "Contact Us\n\nImpro Technologies"
    # "Pinetown, 3610, KwaZulu-Natal"; "Our computer systems are currently based in the Republic of South Africa"
    assert countries == {"ZA"}
    assert "info@impro.net" in contacts  # "Contact Us ... info@impro.net"
    assert any("47B Gillitts Road" in a for a in addresses)  # "47B Gillitts Road, Surprise Farm,"
    # "Impro Technologies, an ASSA ABLOY group company"
    assert ask(
        corpus_store,
        f"""ASK {{ <{BASE}policy/{IMPRO}> dpv:hasDataController/dpv:isSubsidiaryOf/dpv:hasName "ASSA ABLOY" }}""",
    )
    # the text names no DPO; inquiries go to "privacy@hidglobal.com"
    assert dpo(corpus_store, IMPRO) == set()
    # "This Privacy Policy was last updated: May 16, 2018"
    assert ask(corpus_store, f"""ASK {{ <{BASE}policy/{IMPRO}> dct:modified ?d FILTER(STR(?d) = "2018-05-16") }}""")


def test_impro_transfer_to_south_africa_under_sccs(corpus_store):
    # "Our computer systems are currently based in the Republic of South Africa, so your Personal Data may be
    # processed by us in the South Africa" ... "transferred to countries outside the EEA, such as standard
    # contractual clauses for the transfer of Personal Data as approved by the European Commission (Art. 46 GDPR)"
    tc, out, safeguards = transfer(corpus_store, IMPRO, "standard contractual clauses for the transfer")
    assert "ZA" in tc and "EEA" in out
    assert safeguards == {"A46-2-c"}


def test_impro_rights(corpus_store):
    # A15 "Upon request, Impro Technologies will provide you with information about whether we hold any of your Personal Data."
    # A21 "You may object to this processing if you wish." / "If you would like to opt-out of receiving sales and marketing communications"
    # A7-3 (cookie consent) "You will be able to change these settings on subsequent visits."
    # A77 "you have the right to lodge a complaint with the competent supervisory authority."
    assert gdpr_rights(corpus_store, IMPRO) == {"A15", "A21", "A7-3", "A77"}


def test_impro_legal_bases(corpus_store):
    # "We process Personal Data for certain Legitimate Interests, which include ...: - to identify and prevent fraud"
    assert legal_bases(corpus_store, IMPRO, "to identify and prevent fraud") == {"A6-1-f"}
    # "... - to better understand how people interact with our websites"
    assert legal_bases(corpus_store, IMPRO, "to better understand how people interact with our websites") == {"A6-1-f"}
    # "Certain countries, including members of the European Union, require your consent to the use of cookies"
    assert "A6-1-a" in legal_bases(corpus_store, IMPRO, "require your consent to the use of cookies")
    # "We share your Personal Data with your consent or as necessary to complete any transaction"
    assert "A6-1-a" in legal_bases(corpus_store, IMPRO, "We share your Personal Data with your consent")


def test_impro_named_recipients(corpus_store):
    # "we use Google Analytics, Marketo, Usabilla and Hotjar to analyze our visitors' behavior"
    # "various social platforms (Facebook, YouTube, Twitter, LinkedIn, etc.)"
    # "If you believe HID Global maintains your personal data in one of the services discussed in this Privacy
    # Notice, ..." (issue 15, pattern 7: HID Global holding Impro's customers' data, as a possibility)
    assert named(corpus_store, IMPRO) == {
        "Google",
        "Marketo",
        "Usabilla",
        "Hotjar",
        "Facebook",
        "YouTube",
        "Twitter",
        "LinkedIn",
        "HID Global",
    }


def impro_cookies(store):
    rows = select(
        store,
        f"""SELECT ?name WHERE {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t a dpv:Technology ; dpv:hasName ?name }}
        ?t skos:broaderTransitive tech:Cookie }}""",
    )
    return {r["name"] for r in rows}


def cookie_lasts(store, name, duration):
    return ask(
        store,
        f"""ASK {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t dpv:hasName "{name}" ; dpv:hasDuration ?d .
        ?d a dpv:TemporalDuration ; rdf:value ?v }} FILTER(?v = "{duration}"^^xsd:duration) }}""",
    )


def cookie_is_session(store, name):
    return ask(
        store,
        f"""ASK {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t dpv:hasName "{name}" ; dpv:hasDuration ?d .
        ?d a dpv:UntilEventDuration }} }}""",
    )


def test_impro_named_cookies(corpus_store):
    # "Cookies we use specifically in this site are ...: has_js ... _mkto_trk ... STYXKEY_useractive ... trwv.uid
    # ... _hjIncludedInSample"; Google Analytics: "__utma _utmz _utmc _utmb _utmt _ga _gid _gat AMP_TOKEN _gac"
    assert impro_cookies(corpus_store) == {
        "has_js",
        "_mkto_trk",
        "STYXKEY_useractive",
        "trwv.uid",
        "_hjIncludedInSample",
        "__utma",
        "_utmz",
        "_utmc",
        "_utmb",
        "_utmt",
        "_ga",
        "_gid",
        "_gat",
        "AMP_TOKEN",
        "_gac",
    }


def test_impro_cookie_durations(corpus_store):
    assert cookie_lasts(corpus_store, "__utma", "P2Y")  # "__utma (2 years)"
    assert cookie_lasts(corpus_store, "_utmz", "P6M")  # "_utmz (6 months)"
    assert cookie_lasts(corpus_store, "_utmb", "PT30M")  # "_utmb (30 minutes)"
    assert cookie_lasts(corpus_store, "_utmt", "PT10M")  # "_utmt (10 minutes)"
    assert cookie_lasts(corpus_store, "_ga", "P2Y")  # "_ga (2 years)"
    assert cookie_lasts(corpus_store, "_gid", "PT24H")  # "_gid (24 hours)"
    assert cookie_lasts(corpus_store, "_gat", "PT1M")  # "_gat (1 minute)"
    assert cookie_lasts(corpus_store, "_gac", "P90D")  # "_gac (90 days)"
    assert not cookie_lasts(corpus_store, "_ga", "P1Y")
    # "AMP_TOKEN (30 seconds to 1 year)": a range, kept as stated
    assert ask(
        corpus_store,
        """ASK { ?t dpv:hasName "AMP_TOKEN" ; dpv:hasDuration/dct:description "30 seconds to 1 year" }""",
    )
    # "has_js (session)", "_utmc (session)", "_hjIncludedInSample (session)", "STYXKEY_useractive (session)"
    for name in ("has_js", "_utmc", "_hjIncludedInSample", "STYXKEY_useractive"):
        assert cookie_is_session(corpus_store, name), name
    # "_mkto_trk - Marketo's Munchkin JavaScript ..." : no storage time in parentheses
    assert not ask(
        corpus_store, f"""ASK {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t dpv:hasName "_mkto_trk" ; dpv:hasDuration ?d }} }}"""
    )
    # "The following cookies are installed by our web statistics tool Google Analytics"
    assert ask(
        corpus_store,
        f"""ASK {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t dpv:hasName "_gid" ; tech:hasProvider ?p }} ?p dpv:hasName "Google" }}""",
    )
    # "trwv.uid - A Marketo cookie"
    assert ask(
        corpus_store,
        f"""ASK {{ GRAPH <{BASE}graph/{IMPRO}> {{ ?t dpv:hasName "trwv.uid" ; tech:hasProvider ?p }} ?p dpv:hasName "Marketo" }}""",
    )


def test_impro_prohibitions(corpus_store):
    # "Impro Technologies does not sell your Personal Data to third parties."
    assert prohibits(corpus_store, IMPRO, "?x dpv:hasPurpose dpv:SellDataToThirdParties")
    # the text says nothing about children or special categories
    assert not prohibits(corpus_store, IMPRO, "?x dpv:hasDataSubject dpv:Child")
    assert not prohibits(corpus_store, IMPRO, SPECIAL)


# ------------------------------------------------------------------ Impero Group (2021-06-04)


def test_impero_group_controller_and_dpo(corpus_store):
    names, countries, contacts, addresses = controller(corpus_store, GROUP)
    assert names == {"Impero Holdings Limited"}  # "Full name of legal entity: Impero Holdings Limited"
    # "Postal address: Impero Software, Oak House, Mere Way, Ruddington Fields Business Park, Ruddington, Nottingham, England, UK, NG11 6JS."
    assert countries == {"GB"}
    assert any("NG11 6JS" in a for a in addresses)
    # "Data Protection Officer: James Inman" / "Email address: dpo@imperosoftware.com"
    assert dpo(corpus_store, GROUP) == {("James Inman", "dpo@imperosoftware.com")}
    # "This version was last updated on 4 June 2021."
    assert ask(corpus_store, f"""ASK {{ <{BASE}policy/{GROUP}> dct:modified ?d FILTER(STR(?d) = "2021-06-04") }}""")


def test_impero_group_transfers(corpus_store):
    # "We will only transfer your personal data to countries that have been deemed to provide an adequate level of
    # protection" / "we may use specific contracts approved by the European Commission" (transfers "out of the EEA")
    tc, out, safeguards = transfer(corpus_store, GROUP, "deemed to provide an adequate level of protection")
    assert out == {"EEA"} and tc == set()
    assert safeguards == {"A45-3", "A46-2-c"}
    # "Where we use providers based in the US, we may transfer data to them if they are part of the Privacy Shield"
    tc, out, safeguards = transfer(corpus_store, GROUP, "if they are part of the Privacy Shield")
    assert tc == {"US"}
    assert safeguards == {"EUUSPrivacyShield"}


def test_impero_group_rights(corpus_store):
    # "Request access" A15, "Request correction" A16, "Request erasure" A17, "Object to processing" A21,
    # "Request restriction of processing" A18, "Request the transfer of your personal data" A20,
    # "Withdraw consent at any time" A7-3, "You have the right to make a complaint at any time to the supervisory authority" A77
    assert gdpr_rights(corpus_store, GROUP) == {"A15", "A16", "A17", "A18", "A20", "A21", "A7-3", "A77"}


def test_impero_group_legal_bases(corpus_store):
    # "To register you as a new user ... | Necessary for our legitimate interests (to be able to provide our Services to you ...)"
    assert legal_bases(corpus_store, GROUP, "To register you as a new user") == {"A6-1-f"}
    # "To administer and protect our Websites and Services ... (a) Necessary for our legitimate interests ...
    # (b) Necessary to comply with a legal obligation"
    assert legal_bases(corpus_store, GROUP, "To administer and protect our Websites") == {"A6-1-f", "A6-1-c"}
    # "To use data analytics to improve our Websites ... Necessary for our legitimate interests"
    assert legal_bases(corpus_store, GROUP, "To use data analytics to improve") == {"A6-1-f"}
    # "Generally we do not rely on consent as a legal basis" / marketing "if ... we otherwise feel it is in our legitimate interests"
    assert legal_bases(corpus_store, GROUP, "we otherwise feel it is in our legitimate interests") == {"A6-1-f"}


def test_impero_group_named_recipients(corpus_store):
    # recipients are categories ("IT service providers", "Professional advisers", ...); "... or if you use
    # Salesforce sites or Services to interact with third parties" is wording carried over from Salesforce's own
    # notice (issue 15, pattern 1), so Salesforce is not an Impero recipient
    assert {n for n in named(corpus_store, GROUP) if not n.startswith("Impero")} == set()


def test_impero_group_prohibitions(corpus_store):
    # "The Websites and our Services are not intended for use by children ... we do not knowingly collect data relating to children"
    assert prohibits(corpus_store, GROUP, "?x dpv:hasDataSubject dpv:Child")
    # "We do not collect any Special Categories of Personal Data about you (this includes details about your race or
    # ethnicity, religious or philosophical beliefs, sex life, sexual orientation, political opinions, trade union
    # membership, information about your health and genetic and biometric data)."
    rows = select(
        corpus_store, f"SELECT ?d WHERE {{ <{BASE}policy/{GROUP}> dpv:hasProhibition ?x . ?x dpv:hasPersonalData ?d }}"
    )
    data = {local(r["d"]) for r in rows}
    assert {
        "Race",
        "EthnicOrigin",
        "ReligiousBelief",
        "PhilosophicalBelief",
        "Sexual",
        "SexualPreference",
        "PoliticalOpinion",
        "TradeUnionMembership",
        "Health",
        "Genetic",
        "Biometric",
    } <= data
    # "Nor do we collect any information about criminal convictions and offences."
    assert {"CriminalConviction", "CriminalOffence"} <= data
    # "As a business covered by the CCPA, we do not sell Personal Data."
    assert prohibits(corpus_store, GROUP, "?x dpv:hasPurpose dpv:SellDataToThirdParties")


# ------------------------------------------------------------------ Impero A/S (2020-01-15)


def test_impero_as_controller_and_dpm(corpus_store):
    names, countries, contacts, addresses = controller(corpus_store, IMPERO_AS)
    assert names == {"Impero A/S"}  # "At Impero (in the following us / we / Impero A/S or Impero)"
    assert countries == {"DK"}  # "Klamsagervej 27, 2\nDK-8230 Åbyhøj"; "8230 Åbyhøj, Denmark"
    assert {"mail@impero.com", "(+45) 70 22 53 64"} <= contacts
    # "Data Protection Manager (DPM) is Morten Christensen." / "You can contact our DPM by emailing mc@impero.com"
    assert dpo(corpus_store, IMPERO_AS) == {("Morten Christensen", "mc@impero.com")}
    # "It was last updated 15 January 2020."
    assert ask(corpus_store, f"""ASK {{ <{BASE}policy/{IMPERO_AS}> dct:modified ?d FILTER(STR(?d) = "2020-01-15") }}""")


def test_impero_as_transfers(corpus_store):
    # "some of our service providers ... are based outside the European Economic Area (“EEA”), predominantly in the
    # United States." ... "including putting in place written contractual agreements to meet EU-approved data
    # protection obligations" (contracts, not said to be the Commission's standard clauses)
    tc, out, safeguards = transfer(corpus_store, IMPERO_AS, "predominantly in the United States")
    assert "US" in tc and "EEA" in out
    assert safeguards == {"ContractualTransferSafeguard"}
    # "All of the data in the Impero platform, that our customers submit, is hosted within the EU."
    assert ask(corpus_store, f"""ASK {{ {cited(IMPERO_AS, "is hosted within the EU")} ?p dpv:hasLocation loc:EU }}""")


def test_impero_as_rights(corpus_store):
    # "Access." A15, "Right to object to processing." A21, "Rectification." A16, "Erasure." A17,
    # "Request to restriction of processing." A18, "Portability." A20, "Automated processing." A22,
    # "you have the right to make a complaint at any time to the relevant supervisory authority" A77;
    # withdrawal of consent is named only as a ground for erasure, not granted as a right of its own
    assert gdpr_rights(corpus_store, IMPERO_AS) == {"A15", "A16", "A17", "A18", "A20", "A21", "A22", "A77"}


def test_impero_as_legal_bases(corpus_store):
    # "Providing necessary functionality. We process your personal data to perform our contract with you ...; where we
    # have not entered into a contract with you, we base the processing ... on our legitimate interest"
    assert legal_bases(corpus_store, IMPERO_AS, "We process your personal data to perform our contract with you") == {
        "A6-1-b",
        "A6-1-f",
    }
    # "Registering visitors to our offices. ... if we deem it necessary for our legitimate interest"
    assert legal_bases(corpus_store, IMPERO_AS, "register visitors to our offices") == {"A6-1-f"}
    # "... as necessary for our legitimate interest in conducting direct marketing or, alternatively, to the extent you
    # have provided your prior consent"
    assert legal_bases(corpus_store, IMPERO_AS, "legitimate interest in conducting direct marketing") == {
        "A6-1-f",
        "A6-1-a",
    }


def test_impero_as_named_recipients(corpus_store):
    # "... including Microsoft, HubSpot and MailChimp, who provide marketing, referrals and CRM management ..."
    # "analytics and search engine providers ... including Google, Hotjar, LinkedIn, Facebook, MailChimp and HubSpot"
    got = {n for n in named(corpus_store, IMPERO_AS) if not n.startswith("Impero")}
    assert got == {"Microsoft", "HubSpot", "MailChimp", "Google", "Hotjar", "LinkedIn", "Facebook"}
    # "subprocessors, service providers ... including Microsoft, HubSpot and MailChimp"
    assert {"Microsoft", "HubSpot", "MailChimp"} <= named(corpus_store, IMPERO_AS, "dpv:hasDataProcessor")
    # "from third party services such as LinkedIn"
    assert "LinkedIn" in named(corpus_store, IMPERO_AS, "dpv:hasDataSource")


def test_impero_as_prohibitions(corpus_store):
    # "We do not allow our third party service providers to use your personal data for their own purposes"
    assert prohibits(corpus_store, IMPERO_AS, "?x dpv:hasRecipient dpv:ServiceProvider ; dpv:hasProcessing dpv:Use")
    # "Except as explained above, we will not disclose your personal data to any third parties for any other purpose"
    assert prohibits(corpus_store, IMPERO_AS, "?x dpv:hasProcessing dpv:Disclose ; dpv:hasRecipient dpv:ThirdParty")
    # "Please note that cookies cannot see personal information about you such as name or specific location."
    assert prohibits(
        corpus_store, IMPERO_AS, "?x dpv:hasPersonalData pd:Name ; dpv:isImplementedUsingTechnology tech:Cookie"
    )
    # the text says nothing about selling, children or special categories
    assert not prohibits(corpus_store, IMPERO_AS, "?x dpv:hasPurpose dpv:SellDataToThirdParties")
    assert not prohibits(corpus_store, IMPERO_AS, "?x dpv:hasDataSubject dpv:Child")
    assert not prohibits(corpus_store, IMPERO_AS, SPECIAL)


# ------------------------------------------------------------------ Imago Technologies (2020-05-24)


def test_imago_controller(corpus_store):
    names, countries, contacts, _ = controller(corpus_store, IMAGO)
    # "how Imago Technologies, Holdings., its subsidiaries, and its controlled affiliates (“Imago”, “we”, or “us”)"
    assert names == {"Imago Technologies, Holdings"}
    # "Since ImagoTechnologies’s global headquarters are located in Hong Kong"
    assert countries == {"HK"}
    # "please submit your request via email to support@Imagotechs.com"
    assert "support@imagotechs.com" in {c.lower() for c in contacts}
    assert dpo(corpus_store, IMAGO) == set()  # the text names no DPO
    # "Effective Date: May 24, 2020"
    assert ask(corpus_store, f"""ASK {{ <{BASE}policy/{IMAGO}> dct:valid ?d FILTER(STR(?d) = "2020-05-24") }}""")


def test_imago_transfers_name_no_safeguard(corpus_store):
    # "- Some of these companies operate and store data outside of the US."
    tc, out, safeguards = transfer(
        corpus_store, IMAGO, "Some of these companies operate and store data outside of the US"
    )
    assert "US" in out and tc == set()
    assert safeguards == set()  # only "a data processing agreement", not a transfer mechanism
    # "By registering for and using Imago Technologies services, you are accepting to the transfer of data to any
    # country in which Imago Technologies and its affiliates maintain facilities": no country named, no safeguard
    tc, out, safeguards = transfer(corpus_store, IMAGO, "you are accepting to the transfer of data to any country")
    assert tc == set()
    assert safeguards == set()


def test_imago_rights(corpus_store):
    # "You have the right to access the information we have about you at any time, as well as request the personal
    # data we store about you is deleted, modified, or exported for portability reasons." A15 A17 A16 A20
    # "If the processing is based on your consent, you may also withdraw your consent at any time" A7-3
    # "You’re able to opt out from our mailing list by using the unsubscribe link" A21 (direct marketing)
    # "If you experience anything you think is a violation of the regulations, you may submit a written request to
    # the Data Protection Directive’s postal address" A77
    assert gdpr_rights(corpus_store, IMAGO) == {"A15", "A16", "A17", "A20", "A7-3", "A21", "A77"}


def test_imago_legal_bases(corpus_store):
    # "To enable you to use our services: ... Such processing is based on the contract entered into when subscribing"
    assert legal_bases(corpus_store, IMAGO, "To enable you to use our services") == {"A6-1-b"}
    # "Delivery of services: ... Imago Technologies processes such personal data based on our legitimate interest in delivering"
    assert legal_bases(corpus_store, IMAGO, "based on our legitimate interest in delivering") == {"A6-1-f"}
    # "Recruitment: ... The legal basis for such processing is that it is necessary in order to fulfill the contract with the candidate"
    assert legal_bases(corpus_store, IMAGO, "necessary in order to fulfill the contract with the candidate") == {
        "A6-1-b"
    }
    # "Ensure compliance ...: ... in order to comply with statutory obligations ..., and to safeguard own or third parties legitimate interests"
    assert legal_bases(corpus_store, IMAGO, "in order to comply with statutory obligations") == {"A6-1-c", "A6-1-f"}


def test_imago_named_sources_and_providers(corpus_store):
    # "Your personal data may be received via a third party as follows: - Via analytics through providers such as
    # Google Analytics, Facebook, Instagram or LinkedIn ... - Google to manage Google Meet ... - Zoom to manage Zoom
    # ... - Microsoft to manage MS Teams ... YouTube to store your live recording link ... From service providers ...:
    # - Salesforce to manage clients and processes - FacebookChat or RocketChat to communicate with you"
    assert named(corpus_store, IMAGO, "dpv:hasDataSource") == {
        "Google",
        "Facebook",
        "Instagram",
        "LinkedIn",
        "Zoom",
        "Microsoft",
        "YouTube",
        "Salesforce",
        "RocketChat",
    }
    # "third party tools we use to manage day to day business operations, including ... Salesforce ... RocketChat"
    assert {"Salesforce", "RocketChat"} <= named(corpus_store, IMAGO)


def test_imago_prohibitions(corpus_store):
    # "We will never, ever provide or sell personal data to organizations not recognized as an affiliated
    # ImagoTechnologies partner"
    assert prohibits(corpus_store, IMAGO, "?x dpv:hasPurpose dpv:SellDataToThirdParties")
    # "- Personal data will not be shared with affiliated partners for general marketing purposes"
    assert prohibits(corpus_store, IMAGO, "?x dpv:hasPurpose dpv:Marketing ; dpv:hasProcessing dpv:Share")
    # the text says nothing about children or special categories
    assert not prohibits(corpus_store, IMAGO, "?x dpv:hasDataSubject dpv:Child")
    assert not prohibits(corpus_store, IMAGO, SPECIAL)
