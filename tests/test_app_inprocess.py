"""The HTTP app in-process: Starlette's TestClient over ``create_app`` on the fixture store, with
queries evaluated in threads of the test (``isolate_queries=False``), so no server or worker
process is started. The real-server tests (tests/test_endpoint.py, tests/test_w3c_protocol.py)
drive the same routes over sockets and real clients; these cover each route's answer quickly."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

POLICY = "https://w3id.org/privacykg/policy/acme-uk/2019-06-01"
DPV = "https://w3id.org/dpv#"
SELECT = f"""PREFIX dpv: <{DPV}>
SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g"""
CONSTRUCT = f"CONSTRUCT {{ <{POLICY}> ?p ?o }} WHERE {{ <{POLICY}> ?p ?o }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def store(fixture_store):
    from privacykg import open_store

    return open_store(fixture_store)


@pytest.fixture(scope="module")
def client(fixture_store):
    from privacykg.server import Settings, create_app

    app = create_app(Settings(store=str(fixture_store), isolate_queries=False))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def graph_counts(store) -> dict[str, int]:
    """What SELECT answers, read from the store directly."""
    return {
        g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode)
    }


def test_select_by_get_in_json(client, graph_counts):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert "Accept" in r.headers["vary"]
    body = r.json()
    assert body["head"]["vars"] == ["g", "n"]
    assert {b["g"]["value"]: int(b["n"]["value"]) for b in body["results"]["bindings"]} == graph_counts


def test_select_by_post_form_in_csv(client, graph_counts):
    r = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["g", "n"]
    assert {g: int(n) for g, n in rows[1:]} == graph_counts


def test_select_by_post_direct_in_xml(client, graph_counts):
    r = client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"
    root = ET.fromstring(r.content)
    assert [v.get("name") for v in root.iter(SRX + "variable")] == ["g", "n"]
    got = {}
    for result in root.iter(SRX + "result"):
        b = {x.get("name"): x[0].text for x in result.iter(SRX + "binding")}
        got[b["g"]] = int(b["n"])
    assert got == graph_counts


def test_select_in_tsv_by_format_over_accept(client, graph_counts):
    r = client.get("/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/tab-separated-values")
    lines = r.text.rstrip("\n").split("\n")
    assert lines[0] == "?g\t?n"
    assert {
        g.strip("<>"): int(n.split("^^")[0].strip('"')) for g, n in (x.split("\t") for x in lines[1:])
    } == graph_counts


def test_ask(client):
    yes = client.get(
        "/sparql",
        params={"query": f"ASK {{ <{POLICY}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    no = client.get(
        "/sparql",
        params={"query": "ASK { <urn:nothing> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert yes.status_code == no.status_code == 200
    assert yes.json()["boolean"] is True and no.json()["boolean"] is False


def test_construct_in_turtle(client, store):
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/turtle; charset=utf-8"
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    expected = {
        (q.subject, q.predicate, q.object) for q in store.quads_for_pattern(ox.NamedNode(POLICY), None, None, None)
    }
    assert got == expected and len(got) > 3


def test_malformed_query_is_a_400_saying_why(client):
    for r in (
        client.get("/sparql", params={"query": "SELECT WHERE {"}),
        client.post("/sparql", data={"query": "SELECT WHERE {"}),
    ):
        assert r.status_code == 400
        assert r.text.startswith("SPARQL syntax error")


def test_update_refused_on_a_read_only_server(client, store):
    before = len(store)
    r = client.post("/update", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 403 and "read-only" in r.text
    assert (
        client.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}, headers={"Accept": "application/json"}).json()[
            "boolean"
        ]
        is False
    )
    assert len(store) == before


def test_service_description_without_query(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("http://testserver/sparql")
    triples = {(t.subject, t.predicate, t.object) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    assert (
        endpoint,
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(sd + "Service"),
    ) in triples
    assert (endpoint, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")) in triples
    assert (endpoint, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Update")) not in triples
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "SPARQL service description" in page.text


def test_void(client, graph_counts):
    r = client.get("/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    void = "http://rdfs.org/ns/void#"
    triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    dataset = ox.NamedNode("https://w3id.org/privacykg/dataset")
    total = [t.object.value for t in triples if t.subject == dataset and t.predicate.value == void + "triples"]
    assert total == [str(sum(graph_counts.values()))]
    names = {
        t.object.value for t in triples if t.predicate.value == "http://www.w3.org/ns/sparql-service-description#name"
    }
    assert names == set(graph_counts)


def test_linked_data_page_by_accept(client, store):
    path = POLICY.removeprefix("https://w3id.org/privacykg")
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text.lower() and "acme" in page.text.lower()
    ttl = client.get(path, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    subjects = {t.subject for t in ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)}
    assert ox.NamedNode(POLICY) in subjects


def test_unknown_resource_is_a_404(client):
    for accept in ("text/html", "text/turtle"):
        r = client.get("/policy/no-such-company/2000-01-01", headers={"Accept": accept})
        assert r.status_code == 404, accept
    assert "nothing is known" in r.text


def test_api_queries(client):
    r = client.get("/api/queries")
    assert r.status_code == 200
    lib = r.json()
    assert lib and {q["kind"] for q in lib} <= {"cq", "reports"}
    assert "cq01" in {q["id"] for q in lib}
    assert all(set(q) == {"id", "question", "kind", "query", "columns", "params"} for q in lib)
    assert json.dumps(lib)  # plain JSON all the way down


def test_api_prefixes_are_the_namespaces_module_s(client):
    from privacykg import namespaces as ns

    r = client.get("/api/prefixes")
    assert r.status_code == 200
    got = r.json()
    assert got["prefixes"] == ns.PREFIXES
    assert got["prefixes"]["dpv"] == DPV
    assert got["base"] == ns.DEFAULT_BASE  # the fixture store is built under the default base
    assert got["vocabulary"] == ns.PKG
    assert "policy" in got["minted_roots"] and "entity" in got["minted_roots"]
    # the roots the browser links under are served: a minted policy IRI's path is its page
    assert client.get(POLICY[len(got["base"]) - 1 :], headers={"Accept": "text/html"}).status_code == 200


def test_api_terms_are_the_ontology_s_declared_terms(client):
    from privacykg import namespaces as ns
    from privacykg.ontology import load_ontology

    r = client.get("/api/terms")
    assert r.status_code == 200
    terms = r.json()["terms"]
    curies = [t["curie"] for t in terms]
    assert len(curies) == len(set(curies)) and curies == sorted(curies)
    declared = load_ontology().declared
    assert set(curies) == {ns.compact(i) for i in declared} - set(declared)  # those with a prefix
    assert {"curie": "dpv:hasPurpose", "label": "has purpose"} in terms
    assert all(t["curie"].split(":")[0] in ns.PREFIXES for t in terms)
    # the static assets the editor needs are served with the page
    for path in (
        "/static/vendor/codemirror/codemirror.js",
        "/static/vendor/codemirror/sparql.js",
        "/static/vendor/codemirror/LICENSE",
        "/static/editor.js",
    ):
        assert client.get(path).status_code == 200, path


def _triples(content: bytes, fmt) -> set:
    return {(t.subject, t.predicate, t.object) for t in ox.parse(content, format=fmt)}


def test_construct_in_compact_jsonld_reads_as_the_same_triples(client):
    turtle = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json; charset=utf-8"
    doc = r.json()
    assert doc["@context"]["dpv"] == DPV
    assert [n["@id"] for n in doc["@graph"]] == [POLICY]  # one node object for the one subject
    assert any(k.startswith("dpv:") for k in doc["@graph"][0])  # keys as CURIEs
    assert _triples(r.content, ox.RdfFormat.JSON_LD) == _triples(turtle.content, ox.RdfFormat.TURTLE)
    page = client.get(POLICY.removeprefix("https://w3id.org/privacykg"), headers={"Accept": "application/ld+json"})
    ttl = client.get(POLICY.removeprefix("https://w3id.org/privacykg"), headers={"Accept": "text/turtle"})
    assert "@context" in page.json()
    assert _triples(page.content, ox.RdfFormat.JSON_LD) == _triples(ttl.content, ox.RdfFormat.TURTLE)


def test_jsonld_falls_back_to_expanded_when_an_iri_would_read_as_a_curie(client):
    q = "CONSTRUCT { <dpv:odd> <urn:p> 1 } WHERE {}"  # the scheme 'dpv' is one of our prefixes
    r = client.get("/sparql", params={"query": q, "format": "jsonld"})
    assert r.status_code == 200 and "@context" not in r.json()
    assert _triples(r.content, ox.RdfFormat.JSON_LD) == {
        (
            ox.NamedNode("dpv:odd"),
            ox.NamedNode("urn:p"),
            ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
    }


def test_missing_prefix_names_it_and_the_declaration_to_add(client):
    r = client.get("/sparql", params={"query": "SELECT ?p WHERE {\n  ?p a dpv:PrivacyNotice }"})
    assert r.status_code == 400
    assert r.text.startswith("SPARQL syntax error at line 2, column 25")
    assert "unknown prefix dpv:" in r.text and "PREFIX dpv: <https://w3id.org/dpv#>" in r.text
    assert "\\u{" not in r.text and "..=" not in r.text  # no dump of character ranges


def test_other_syntax_errors_say_what_was_expected_without_character_ranges(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o "})
    assert r.status_code == 400 and r.text.startswith("SPARQL syntax error at line 1, column 27")
    assert 'expected one of "."' in r.text or 'expected one of ","' in r.text
    assert "[_]" not in r.text and "\\u{" not in r.text


def test_an_update_sent_to_sparql_is_sent_to_update(client):
    for r in (
        client.post("/sparql", data={"update": "DROP ALL"}),
        client.get("/sparql", params={"update": "DROP ALL"}),
        client.post("/sparql", data={"query": f"PREFIX dpv: <{DPV}> DELETE WHERE {{ ?s a dpv:X }}"}),
    ):
        assert r.status_code == 400 and "send updates to /update" in r.text, r.text


def test_void_as_an_html_page_with_links(client, graph_counts):
    r = client.get("/void", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<pre" not in r.text and "rel=icon" in r.text
    assert f'<a href="{POLICY.removeprefix("https://w3id.org/privacykg")}">graph/acme-uk/2019-06-01</a>' in r.text
    graph = POLICY.replace("/policy/", "/graph/")
    assert f"<td class=num>{graph_counts[graph]}</td>" in r.text
    assert "href='?format=turtle'" in r.text


def test_void_and_service_description_stay_rdf_without_an_html_preference(client):
    for path in ("/void", "/sparql"):
        for headers in ({}, {"Accept": "text/turtle"}, {"Accept": "*/*"}):
            r = client.get(path, headers=headers)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), (path, headers)
            assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) > 5
        r = client.get(path, params={"format": "turtle"}, headers={"Accept": "text/html"})
        assert r.headers["content-type"].startswith("text/turtle")


def test_service_description_as_an_html_page(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert ">sd:UnionDefaultGraph</a>" in r.text and "<pre" not in r.text


def test_favicon_served_and_linked(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<svg")
    home = client.get("/").text
    assert 'rel="icon" href="/static/favicon.svg"' in home and "width=device-width" in home
    assert client.get("/static/favicon.svg").status_code == 200
