"""The cross-policy organisations view (``/organisations``, ``/api/organisations``), in-process
(Starlette's TestClient over ``create_app``): who shares data with Google, and under which
policy. Each expectation is read from the policy texts in data/sources/ (the sentence beside it).
"""

from __future__ import annotations

import html
import re

import pytest
from starlette.testclient import TestClient

from helpers import DATA


def _client(store):
    from privacykg.server import create_app
    from privacykg.server.context import Settings

    return TestClient(create_app(Settings(store=str(store), isolate_queries=False)))


@pytest.fixture(scope="module")
def client(corpus_store):
    with _client(corpus_store) as c:
        yield c


@pytest.fixture(scope="module")
def data_client(data_store):
    with _client(data_store) as c:
        yield c


def _org(answer: dict, name: str) -> dict:
    found = [o for o in answer["organisations"] if o["name"] == name]
    assert len(found) == 1, [o["name"] for o in answer["organisations"]]
    return found[0]


def _use(org: dict, policy: str) -> dict:
    found = [u for u in org["policies"] if u["policy"] == policy]
    assert len(found) == 1, [u["policy"] for u in org["policies"]]
    return found[0]


def _roles(use: dict) -> dict[str, list[str]]:
    return {r["role"]: r["terms"] for r in use["roles"]}


def _section(page: str, entity_path: str) -> str:
    """The part of the page about one organisation (its <section>)."""
    m = re.search(rf'<section class=node><h3><a href="{re.escape(entity_path)}">.*?</section>', page, re.S)
    assert m, f"no section for {entity_path}"
    return m.group(0)


def test_a_recipient_is_on_its_row_with_that_role_and_policy(client):
    # impero-as-2020-01-15.txt: "analytics and search engine providers that assist us in the
    # improvement and optimisation of our marketing activities [...] including Google, Hotjar,
    # LinkedIn, Facebook, MailChimp and HubSpot"
    google = _org(client.get("/api/organisations", params={"q": "google"}).json(), "Google")
    use = _use(google, "impero-as")
    assert use["controller"] == "Impero A/S" and use["versions"] == ["2020-01-15"]
    assert "https://w3id.org/dpv#hasRecipient" in _roles(use)["recipient"]
    page = client.get("/organisations", params={"q": "google"}).text
    section = _section(page, "/entity/google")
    assert "Impero A/S" in section and "<b>recipient</b>" in section
    assert 'href="/policy/impero-as/2020-01-15"' in section


def test_the_controller_is_named_as_one(client):
    # impero-as-2020-01-15.txt: "At Impero (in the following us / we / Impero A/S or Impero) we respect your privacy."
    impero = _org(client.get("/api/organisations", params={"q": "impero a/s"}).json(), "Impero A/S")
    roles = _roles(_use(impero, "impero-as"))
    assert "https://w3id.org/dpv#hasDataController" in roles["data controller"]


def test_q_filters_by_name_whatever_the_case(client):
    every = client.get("/api/organisations").json()
    only = client.get("/api/organisations", params={"q": "GooGLE"}).json()
    assert [o["name"] for o in only["organisations"]] == ["Google"] and only["total"] == 1
    # the same sentence names Hotjar: unfiltered, it is there too
    assert {"Google", "Hotjar"} <= {o["name"] for o in every["organisations"]} and every["total"] > 10
    page = client.get("/organisations", params={"q": "google"}).text
    assert "1 organisation whose name contains “google”" in page and "/entity/hotjar" not in page


def test_an_unknown_name_says_no_organisation_matches(client):
    r = client.get("/organisations", params={"q": "no such company"})
    assert r.status_code == 200 and "No organisation matches “no such company”" in r.text
    assert client.get("/api/organisations", params={"q": "no such company"}).json() == {
        "total": 0,
        "offset": 0,
        "organisations": [],
    }


def test_names_and_the_query_are_escaped(data_client):
    # github-2019-07-02.md names "Third-party applications ("Developer Products") and their developers"
    page = data_client.get("/organisations", params={"q": "developer products"}).text
    assert html.escape('Third-party applications ("Developer Products") and their developers') in page
    assert '("Developer Products")' not in page
    evil = "<script>alert('x')</script>"
    page = data_client.get("/organisations", params={"q": evil}).text
    assert "<script>" not in page and html.escape(evil) in page


def test_versions_of_a_policy_are_one_row_with_their_dates(data_client):
    # github-2017-01-26.md and github-2017-10-11.md: "We use Google Analytics as a third party
    # tracking service"; the 2018-05-25 version and later no longer name Google.
    google = _org(data_client.get("/api/organisations", params={"q": "google"}).json(), "Google")
    policies = [u["policy"] for u in google["policies"]]
    assert len(policies) == len(set(policies))  # one row per policy, not per version
    github = _use(google, "github")
    assert github["versions"] == ["2017-01-26", "2017-10-11"]
    assert github["total_versions"] == len(list((DATA / "policies").glob("github-2*.yaml")))
    assert "https://w3id.org/dpv#hasRecipient" in _roles(github)["recipient"]
    section = _section(data_client.get("/organisations", params={"q": "google"}).text, "/entity/google")
    assert "2017-01-26 – 2017-10-11" in section and f"2 of {github['total_versions']} versions" in section


def test_linked_from_the_home_page_and_every_page(client):
    assert 'href="/organisations"' in client.get("/").text
    assert "href=/organisations" in client.get("/organisations").text


def test_pages_of_organisations_cover_every_one_once(client, monkeypatch):
    """A big store is shown a page at a time (the mentions of that page's organisations only are
    read): the pages, followed by their "next" links, are the whole list in order."""
    import privacykg.organisations

    every = client.get("/api/organisations").json()
    names = [o["name"] for o in every["organisations"]]
    assert "next" not in every and len(names) == every["total"]
    monkeypatch.setattr(privacykg.organisations, "PAGE_SIZE", 7)
    seen, url = [], "/api/organisations"
    while url:
        answer = client.get(url).json()
        assert len(answer["organisations"]) <= 7 and answer["total"] == len(names)
        seen += [o["name"] for o in answer["organisations"]]
        url = answer.get("next")
    assert seen == names
    page = client.get("/organisations", params={"offset": 7}).text
    assert f"{len(names)} organisations named in the graph; 8–14 shown." in page
    assert (
        'href="/organisations?q=&amp;offset=0">previous' in page
        and 'href="/organisations?q=&amp;offset=14">next' in page
    )
    assert html.escape(names[7]) in page and f">{html.escape(names[0])}</a></h3>" not in page


def test_a_bad_offset_is_a_400(client):
    for bad in ("-1", "x", "²"):
        r = client.get("/organisations", params={"offset": bad})
        assert r.status_code == 400 and "offset must be a whole number" in r.text
    assert client.get("/api/organisations", params={"offset": "1.5"}).status_code == 400


def test_a_relation_another_organisation_has_to_it_is_a_role(client):
    # identrics-2018-05-20.txt: "Identrics is part of the A Data Pro Group"
    group = _org(client.get("/api/organisations", params={"q": "data pro"}).json(), "A Data Pro Group")
    roles = _roles(_use(group, "identrics"))
    assert roles["Identrics Ltd.: is subsidiary of"] == ["https://w3id.org/dpv#isSubsidiaryOf"]
