"""The SPARQL endpoint, linked-data pages and /api/run, each against a REAL `privacykg serve`
process on 127.0.0.1, driven by real clients: SPARQLWrapper, rdflib (federation with SERVICE),
Apache Jena's arq.rsparql and plain HTTP.

Every server is started with PRIVACYKG_SERVE_LIFETIME as a safety net and stopped in teardown.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from helpers import ROOT, ServerProcess

NOTICE = "https://w3id.org/privacykg/policy/identrics/2018-05-20"
DPV = "https://w3id.org/dpv#"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
TOKEN = "test-token-5f1c"

pytestmark = pytest.mark.server

# ---------------------------------------------------------------------------- a real server (helpers.ServerProcess)


def copy_store(store: Path, dest: Path) -> Path:
    """A plain pyoxigraph directory holding a copy of a built store."""
    src = store.resolve()
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("LOCK"))
    return dest


@pytest.fixture(scope="module")
def server(corpus_store):
    with ServerProcess(corpus_store) as s:
        yield s


@pytest.fixture
def limited_server(corpus_store):
    """Per test: the engine keeps computing a timed-out query in the background until the server stops."""
    with ServerProcess(corpus_store, "--timeout", "0.5", "--max-results", "5") as s:
        yield s


@pytest.fixture(scope="module")
def update_server(corpus_store, tmp_path_factory):
    store = copy_store(corpus_store, tmp_path_factory.mktemp("writable") / "store")
    with ServerProcess(store, env={"PRIVACYKG_UPDATE_TOKEN": TOKEN}) as s:
        yield s


@pytest.fixture(scope="module")
def store(corpus_store):
    from privacykg import open_store

    return open_store(corpus_store)


def quad_count(url: str) -> int:
    r = httpx.get(
        url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def test_server_stops_by_itself(corpus_store):
    """PRIVACYKG_SERVE_LIFETIME, the safety net of these tests, works; the query workers go too."""
    s = ServerProcess(corpus_store, lifetime=4)
    try:
        workers: set[int] = set()
        if Path("/proc").is_dir():
            end = time.monotonic() + 3
            while not workers and time.monotonic() < end:
                workers = children(s.proc.pid)
                time.sleep(0.1)
            assert workers, "the server started no query worker"
        s.proc.wait(25)
        assert s.proc.returncode == 0, s.output()
        end = time.monotonic() + 5
        while time.monotonic() < end and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.1)
        alive = [
            w
            for w in workers
            if Path(f"/proc/{w}/stat").exists()
            and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        ]
        assert not alive, alive
    finally:
        s.stop()


# ---------------------------------------------------------------------------- SPARQL Protocol

SELECT = """PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?notice ?name WHERE { ?notice a dpv:PrivacyNotice ; dpv:hasDataController/dpv:hasName ?name }
ORDER BY ?notice"""
CONSTRUCT = """PREFIX dpv: <https://w3id.org/dpv#>
CONSTRUCT { ?notice dpv:hasDataController ?c . ?c dpv:hasName ?name }
WHERE { ?notice a dpv:PrivacyNotice ; dpv:hasDataController ?c . ?c dpv:hasName ?name }"""
DESCRIBE = f"DESCRIBE <{NOTICE}>"


def expected_rows(store) -> list[tuple[str, str]]:
    return [(r["notice"].value, r["name"].value) for r in store.query(SELECT, use_default_graph_as_union=True)]


def expected_graph(store, text) -> rdflib.Graph:
    data = ox.serialize(list(store.query(text, use_default_graph_as_union=True)), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def _wrapper(url, text, fmt, method):
    from SPARQLWrapper import GET, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(text)
    sw.setReturnFormat(fmt)
    if method == "GET":
        sw.setMethod(GET)
    else:
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED if method == "POST-form" else POSTDIRECTLY)
    return sw


METHODS = ["GET", "POST-form", "POST-direct"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(server, store, fmt, method):
    result = _wrapper(server.url, SELECT, fmt, method).query()
    ctype = result.info()["content-type"]
    body = result.convert()
    expected = expected_rows(store)
    assert len(expected) == 5
    if fmt == "json":
        assert ctype.startswith("application/sparql-results+json")
        rows = [(b["notice"]["value"], b["name"]["value"]) for b in body["results"]["bindings"]]
    elif fmt == "xml":
        assert ctype.startswith("application/sparql-results+xml")
        rows = []
        for res in body.getElementsByTagName("result"):
            vals = {b.getAttribute("name"): b.firstChild.firstChild.data for b in res.getElementsByTagName("binding")}
            rows.append((vals["notice"], vals["name"]))
    elif fmt == "csv":
        assert ctype.startswith("text/csv")
        reader = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert reader[0] == ["notice", "name"]
        rows = [tuple(r) for r in reader[1:]]
    else:
        assert ctype.startswith("text/tab-separated-values")
        lines = body.decode("utf-8").splitlines()
        assert lines[0] == "?notice\t?name"
        rows = []
        for line in lines[1:]:
            n, name = line.split("\t")
            rows.append((n.strip("<>"), json.loads(name)))
    assert rows == expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_sparqlwrapper_ask(server, fmt, method):
    yes = f"ASK {{ <{NOTICE}> a <{DPV}PrivacyNotice> }}"
    no = f"ASK {{ <{NOTICE}> a <{DPV}Nothing> }}"
    for text, want in ((yes, True), (no, False)):
        body = _wrapper(server.url, text, fmt, method).query().convert()
        if fmt == "json":
            assert body["boolean"] is want
        else:
            assert body.getElementsByTagName("boolean")[0].firstChild.data == str(want).lower()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graph(server, store, form, fmt, method):
    from SPARQLWrapper import JSONLD, N3, RDFXML, TURTLE

    text = CONSTRUCT if form == "CONSTRUCT" else DESCRIBE
    sw = _wrapper(server.url, text, {"turtle": TURTLE, "ntriples": N3, "jsonld": JSONLD, "rdfxml": RDFXML}[fmt], method)
    if fmt == "ntriples":  # SPARQLWrapper has no N-Triples setting: ask by content negotiation only
        sw.setOnlyConneg(True)
        sw.addCustomHttpHeader("Accept", "application/n-triples")
    result = sw.query()
    ctype = result.info()["content-type"]
    want_type = {
        "turtle": "text/turtle",
        "ntriples": "application/n-triples",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    }[fmt]
    assert ctype.startswith(want_type)
    body = result.convert()
    if isinstance(body, rdflib.Graph):
        graph = body
    else:
        graph = rdflib.Graph().parse(data=body, format={"turtle": "turtle", "ntriples": "nt"}[fmt])
    expected = expected_graph(store, text)
    assert len(expected) > 5
    assert isomorphic(graph, expected)


def test_get_post_form_post_direct_agree(server):
    accept = {"Accept": "application/sparql-results+json"}
    got = [
        httpx.get(server.url + "/sparql", params={"query": SELECT}, headers=accept),
        httpx.post(server.url + "/sparql", data={"query": SELECT}, headers=accept),
        httpx.post(
            server.url + "/sparql",
            content=SELECT.encode(),
            headers={**accept, "Content-Type": "application/sparql-query"},
        ),
    ]
    assert [r.status_code for r in got] == [200, 200, 200]
    assert got[0].json() == got[1].json() == got[2].json()
    assert len(got[0].json()["results"]["bindings"]) == 5


def test_format_parameter_and_graph_formats(server, store):
    for fmt, ctype, parse_as in (
        ("turtle", "text/turtle", "turtle"),
        ("ntriples", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("trig", "application/trig", "trig"),
        ("nquads", "application/n-quads", "nquads"),
    ):
        r = httpx.get(server.url + "/sparql", params={"query": CONSTRUCT, "format": fmt})
        assert r.status_code == 200, (fmt, r.text)
        assert r.headers["content-type"].startswith(ctype)
        ds = rdflib.Dataset()
        ds.parse(data=r.content, format=parse_as)
        triples = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
        assert triples == set(expected_graph(store, CONSTRUCT)), fmt
    r = httpx.get(server.url + "/sparql", params={"query": SELECT, "format": "nonsense"})
    assert r.status_code == 406 and "nonsense" in r.text


def test_dataset_parameters(server):
    """default-graph-uri / named-graph-uri replace the union default graph."""
    g = "https://w3id.org/privacykg/graph/identrics/2018-05-20"
    q = "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n a <https://w3id.org/dpv#PrivacyNotice> }"
    count = lambda params: int(
        httpx.get(server.url + "/sparql", params=params, headers={"Accept": "application/json"}).json()["results"][
            "bindings"
        ][0]["c"]["value"]
    )  # noqa: E731
    assert count({"query": q}) == 5
    assert count({"query": q, "default-graph-uri": g}) == 1
    q_from = q.replace("WHERE", f"FROM <{g}> WHERE")
    assert count({"query": q_from}) == 1  # the query's own FROM is honoured, not overridden by the union
    q_named = "SELECT (COUNT(DISTINCT ?g) AS ?c) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count({"query": q_named, "named-graph-uri": g}) == 1


def test_rdflib_federation(server):
    """A local rdflib graph joined with this endpoint through SPARQL 1.1 SERVICE."""
    local = rdflib.Graph()
    ex = rdflib.Namespace("http://example.org/review#")
    local.add((rdflib.URIRef(NOTICE), ex.reviewedBy, rdflib.Literal("auditor A")))
    rows = list(
        local.query(f"""
        PREFIX dpv: <https://w3id.org/dpv#>
        PREFIX ex: <http://example.org/review#>
        SELECT ?notice ?who ?name WHERE {{
          ?notice ex:reviewedBy ?who .
          SERVICE <{server.url}/sparql> {{ ?notice dpv:hasDataController ?c . ?c dpv:hasName ?name }}
        }}""")
    )
    assert [(str(r.notice), str(r.who), str(r.name)) for r in rows] == [(NOTICE, "auditor A", "Identrics Ltd.")]


@pytest.fixture(scope="module")
def jena_classpath(tmp_path_factory) -> str:
    if not shutil.which("java"):
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    if not Path("/usr/share/java/jena-arq.jar").exists():
        pytest.skip("Apache Jena is not installed (apt-get install libapache-jena-java)")
    cache = tmp_path_factory.mktemp("jena")
    out = subprocess.run(
        ["bash", str(ROOT / "tools" / "jena-classpath.sh"), str(cache)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_jena_rsparql(server, store, jena_classpath, tmp_path):
    cp = jena_classpath
    qfile = tmp_path / "q.rq"
    qfile.write_text(SELECT, encoding="utf-8")
    out = subprocess.run(
        ["java", "-cp", cp, "arq.rsparql", "--service", server.url + "/sparql", "--query", str(qfile), "--results=CSV"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    reader = list(csv.reader(io.StringIO(out.stdout)))
    assert reader[0] == ["notice", "name"]
    assert [tuple(r) for r in reader[1:]] == expected_rows(store)


def test_jena_rsparql_construct(server, store, jena_classpath, tmp_path):
    cp = jena_classpath
    qfile = tmp_path / "q.rq"
    qfile.write_text(CONSTRUCT, encoding="utf-8")
    out = subprocess.run(
        ["java", "-cp", cp, "arq.rsparql", "--service", server.url + "/sparql", "--query", str(qfile), "--results=NT"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert isomorphic(rdflib.Graph().parse(data=out.stdout, format="nt"), expected_graph(store, CONSTRUCT))


def test_service_description(server):
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = httpx.get(server.url + "/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.content, format=fmt)
        svc = rdflib.URIRef(server.url + "/sparql")
        assert (svc, rdflib.RDF.type, SD.Service) in g
        assert (svc, SD.endpoint, svc) in g
        assert (svc, SD.feature, SD.UnionDefaultGraph) in g
        assert (svc, SD.supportedLanguage, SD.SPARQL11Query) in g
        assert (svc, SD.supportedLanguage, SD.SPARQL11Update) not in g  # read-only server
        assert (svc, SD.feature, SD.BasicFederatedQuery) not in g  # SERVICE is off
    page = httpx.get(server.url + "/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "sd:UnionDefaultGraph" in page.text


def test_void_lists_each_policy_graph(server, store):
    r = httpx.get(server.url + "/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    counts = {}
    for subset in g.objects(None, VOID.subset):
        counts[str(g.value(subset, DCT.identifier))] = int(g.value(subset, VOID.triples))
    graphs = [x.value for x in store.named_graphs()]
    policy_graphs = [
        x for x in graphs if "/graph/" in x and x.count("/") >= 6 and "/inferred" not in x and "/graph/entity/" not in x
    ]
    assert len(policy_graphs) == 5
    for name in graphs:
        assert counts[name] == sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name))), name
    dataset = rdflib.URIRef("https://w3id.org/privacykg/dataset")
    assert int(g.value(dataset, VOID.triples)) == sum(counts.values())
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef(server.url + "/sparql")) in g


def test_malformed_query_400_with_parser_message(server):
    bad = "SELECT ?s WHERE { ?s ?p }"
    try:
        ox.Store().query(bad)
        raise AssertionError("pyoxigraph accepted a malformed query")
    except SyntaxError as exc:
        line, column = str(exc).split(":")[0:2]  # "error at 1:26: expected ..."
    where = f"SPARQL syntax error at line {line.removeprefix('error at ')}, column {column}: expected"
    for r in (
        httpx.get(server.url + "/sparql", params={"query": bad}),
        httpx.post(server.url + "/sparql", data={"query": bad}),
        httpx.post(server.url + "/sparql", content=bad, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert r.status_code == 400
        assert r.text.startswith(where) and "[_]" not in r.text, r.text  # the parser's place, readable


def test_unacceptable_and_unsupported_media_types(server):
    r = httpx.get(server.url + "/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text  # says what is offered
    r = httpx.get(
        server.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 406
    r = httpx.post(server.url + "/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text
    r = httpx.get(server.url + "/policy/identrics/2018-05-20", headers={"Accept": "image/png"})
    assert r.status_code == 406


def quiet(pid: int, within: float) -> bool:
    """Whether the process and its children go (nearly) idle within ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.1:
            return True
    return False


def test_timeout_says_so(limited_server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cartesian product
    watch = Path("/proc").is_dir()
    if watch:
        assert quiet(limited_server.proc.pid, 30)  # the query workers have started
    t0 = time.monotonic()
    r = httpx.get(limited_server.url + "/sparql", params={"query": slow}, timeout=30)
    elapsed = time.monotonic() - t0
    assert r.status_code == 503, r.text
    assert "time limit" in r.text and "0.5 s" in r.text
    assert elapsed < 10
    # the query was stopped, not left running (it would take minutes): the server goes quiet
    if watch:
        assert quiet(limited_server.proc.pid, 5)
    # the server keeps answering other requests
    assert httpx.get(limited_server.url + "/health", timeout=5).status_code == 200
    ok = httpx.get(
        limited_server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"}, timeout=5
    )
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children that are still running (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def test_result_limit_says_so(limited_server):
    r = httpx.get(limited_server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"})
    assert r.status_code == 413
    assert "5 rows" in r.text and "limit" in r.text
    r = httpx.get(limited_server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50"})
    assert r.status_code == 413
    r = httpx.get(
        limited_server.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5


def test_service_is_refused(server):
    q = f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }} LIMIT 1"
    r = httpx.get(server.url + "/sparql", params={"query": q})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_anonymous_update_refused(server, update_server, corpus_store):
    before = quad_count(server.url)
    for url in (server.url, update_server.url):
        before_here = quad_count(url)
        for kwargs in (
            {"data": {"update": "DROP ALL"}},
            {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
            {"data": {"update": "DROP ALL"}, "headers": {"Authorization": "Bearer wrong"}},
        ):
            r = httpx.post(url + "/update", **kwargs)
            assert r.status_code in (401, 403), r.text
        # an update sent to the query operation is no update either
        r = httpx.post(url + "/sparql", data={"update": "DROP ALL"})
        assert r.status_code == 400
        r = httpx.get(url + "/sparql", params={"update": "DROP ALL"})
        assert r.status_code == 400
        assert quad_count(url) == before_here
    assert quad_count(server.url) == before
    from privacykg import open_store

    assert sum(1 for _ in open_store(corpus_store)) == before


def test_update_with_token(update_server):
    url = update_server.url
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = quad_count(url)
    ins = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> "v" } }'
    r = httpx.post(url + "/update", data={"update": ins}, headers=auth)
    assert r.status_code == 204, r.text
    assert quad_count(url) == before + 1
    ask = {"query": 'ASK { <http://example.org/s> <http://example.org/p> "v" }'}
    assert httpx.get(url + "/sparql", params=ask, headers={"Accept": "application/json"}).json()["boolean"] is True
    r = httpx.post(
        url + "/update",
        content="DROP GRAPH <http://example.org/g>",
        headers={**auth, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 204, r.text
    assert quad_count(url) == before
    r = httpx.post(url + "/update", content="DROP GRAFF", headers={**auth, "Content-Type": "application/sparql-update"})
    assert r.status_code == 400 and "SPARQL syntax error" in r.text
    sd = rdflib.Graph().parse(
        data=httpx.get(url + "/sparql", headers={"Accept": "text/turtle"}).content, format="turtle"
    )
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in sd


def test_cors_for_reads_only(server):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://example.org"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(
        server.url + "/sparql",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
    # the update token cannot be sent cross-origin
    pre = httpx.options(
        server.url + "/update",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert pre.status_code == 400


# ---------------------------------------------------------------------------- linked data


@pytest.mark.parametrize(
    "accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_policy_as_rdf(server, store, accept, fmt):
    r = httpx.get(server.url + "/policy/identrics/2018-05-20", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    notice = rdflib.URIRef(NOTICE)
    own = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(ox.NamedNode(NOTICE), None, None)}
    got = {(str(p), str(o)) for p, o in g.predicate_objects(notice)}
    assert own <= got and len(own) > 10
    assert (notice, rdflib.RDF.type, rdflib.URIRef(DPV + "PrivacyNotice")) in g
    controller = rdflib.URIRef("https://w3id.org/privacykg/entity/identrics")
    assert (controller, rdflib.RDFS.label, None) in g  # labels of what it links to
    # the evidence of its statements: annotation -> statement about the notice, and the quote itself
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    cited = [st for st in g.subjects(rdflib.RDF.subject, notice) if (None, oa.hasBody, st) in g]
    assert cited
    assert any(True for _ in g.triples((None, oa.exact, None)))


def test_policy_as_html(server, store):
    r = httpx.get(server.url + "/policy/identrics/2018-05-20", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "Identrics" in page
    exact = [
        x["e"].value
        for x in store.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?e WHERE {
             ?a oa:hasBody ?b ; oa:hasTarget/oa:hasSelector/oa:exact ?e .
             FILTER STRSTARTS(STR(?b), "https://w3id.org/privacykg/policy/identrics/2018-05-20/process/") }""",
            use_default_graph_as_union=True,
        )
    ]
    assert exact
    import html as html_mod

    assert sum(html_mod.escape(e, quote=False) in page for e in exact) >= len(exact) * 0.9
    assert "class=evidence" in page
    assert 'href="https://w3id.org/dpv#' in page and "DPV documentation" in page
    for heading in ("Processing activities", "Organisations and people", "What the policy says is not done"):
        assert heading in page
    # the links on the page lead to pages that exist
    entity = httpx.get(server.url + "/entity/identrics", headers={"Accept": "text/html"})
    assert entity.status_code == 200 and "Identrics Ltd." in entity.text
    process = next(
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(NOTICE), ox.NamedNode(DPV + "hasProcess"), None)
    )
    r = httpx.get(server.url + process.removeprefix("https://w3id.org/privacykg"), headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "class=evidence" in r.text  # its quotes, as quotes
    assert "oa:exact" not in r.text and "oa:hasSelector" not in r.text  # not as rows of the table
    assert 'href="/policy/identrics/2018-05-20"' in r.text  # the way back: is dpv:hasProcess of


def test_resource_for_dpv_terms(server):
    iri = DPV + "DirectMarketing"
    r = httpx.get(server.url + "/resource", params={"iri": iri}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert f"href='{iri}'" in r.text or f'href="{iri}"' in r.text
    r = httpx.get(server.url + "/resource", params={"iri": iri}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.SKOS.broader, rdflib.URIRef(DPV + "Marketing")) in g
    assert httpx.get(server.url + "/resource", params={"iri": "http://example.org/unknown"}).status_code == 404
    assert httpx.get(server.url + "/resource", params={"iri": "not an iri"}).status_code == 400


def test_vocabulary_terms_dereference(server):
    r = httpx.get(server.url + "/ns", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "id='SessionCookie'" in r.text
    r = httpx.get(server.url + "/ns", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/privacykg/ns#SessionCookie"), None, None) in g


def _raw_get(url: str, path: str) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path)  # sent exactly as written: no client-side normalisation of ../
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../pyproject.toml",
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/policy/%2e%2e/%2e%2e/etc/passwd",
        "/policy/../../../etc/passwd",
        "/entity/..%2f..%2f..%2fetc%2fpasswd",
        "/resource?iri=file:///etc/passwd",
        "/resource?iri=file%3A%2F%2F%2Fetc%2Fpasswd",
        "/static/%2fetc%2fpasswd",
        "/ns/../pyproject.toml",
    ],
)
def test_no_file_outside_the_data(server, path):
    status, body = _raw_get(server.url, path)
    text = body.decode("utf-8", "replace")
    assert "root:x:0:0" not in text
    assert "[project]" not in text and "build-backend" not in text
    assert status >= 400 or "privacykg" in text  # an error, or one of our own pages


# ---------------------------------------------------------------------------- /api/run


def test_api_run_binds_params(server, corpus_store):
    import privacykg

    r = httpx.post(server.url + "/api/run", json={"id": "cq01", "params": {"destination": "loc:US"}})
    assert r.status_code == 200, r.text
    data = r.json()
    rows = data["results"]["bindings"]
    assert rows and all(b["destination"]["value"] == "https://w3id.org/dpv/loc#US" for b in rows)
    expected = privacykg.select(corpus_store, "cq01", {"destination": "loc:US"})
    assert len(rows) == len(expected)
    everything = httpx.post(server.url + "/api/run", json={"id": "cq01"}).json()["results"]["bindings"]
    assert len(everything) > len(rows)
    assert {b["destination"]["value"] for b in everything} > {"https://w3id.org/dpv/loc#US"}
    # the same by GET, in CSV, as the UI's downloads do
    r = httpx.get(server.url + "/api/run", params={"id": "cq01", "param.destination": "loc:US", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(r.text)))) == len(rows) + 1


INJECTIONS = [
    ("cq01", "destination", "loc:US } ; DROP ALL ; #"),
    ("cq01", "destination", "loc:US> } DROP ALL { <x"),
    ("cq01", "destination", "<https://w3id.org/dpv/loc#US> } UNION { ?s ?p ?o"),
    ("cq01", "destination", 'loc:US" . ?x ?y "'),
    ("cq01", "destination", "loc:US\n} ; CLEAR ALL"),
    ("cq17", "policy", 'identrics" } ; DROP ALL ; #'),
    ("cq17", "policy", "identrics' ) } UNION { ?policy ?p ?o } #"),
    ("cq17", "policy", '""" } DROP ALL {'),
]


@pytest.mark.parametrize("qid,name,value", INJECTIONS)
def test_api_run_refuses_injection(server, corpus_store, qid, name, value):
    before = quad_count(server.url)
    r = httpx.post(server.url + "/api/run", json={"id": qid, "params": {name: value}}, timeout=30)
    assert r.status_code in (200, 400), r.text
    assert "syntax" not in r.text.lower()  # the query text was never altered
    if r.status_code == 200:
        assert r.json()["results"]["bindings"] == []  # the value is one term that matches nothing
    else:
        assert "not an IRI" in r.text
    assert quad_count(server.url) == before


def test_api_run_errors(server):
    cases = [
        ({"id": "cq01", "params": {"nope": "1"}}, 400, "has no parameter nope"),
        ({"id": "cq99"}, 404, "no query"),
        ({"id": "../../pyproject"}, 400, "library query"),
        ({"id": "Makefile"}, 404, "no query"),
        ({"id": "cq01", "params": {"destination": 7}}, 400, "string"),
    ]
    for body, status, words in cases:
        r = httpx.post(server.url + "/api/run", json=body)
        assert r.status_code == status, (body, r.text)
        assert words in r.text
        assert "[project]" not in r.text
    r = httpx.post(server.url + "/api/run", content=b"not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_api_queries_and_graph(server):
    lib = httpx.get(server.url + "/api/queries").json()
    ids = {q["id"] for q in lib}
    assert "cq01" in ids
    cq01 = next(q for q in lib if q["id"] == "cq01")
    assert cq01["params"][0]["name"] == "destination"
    g = httpx.get(server.url + "/api/graph", params={"policy": NOTICE}).json()
    kinds = {n["kind"] for n in g["nodes"]}
    assert {"notice", "controller", "process", "purpose"} <= kinds
    ids = {n["id"] for n in g["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in g["links"])
    for n in g["nodes"][:10]:
        assert httpx.get(server.url + n["href"], headers={"Accept": "text/html"}).status_code == 200, n
    assert httpx.get(server.url + "/api/graph", params={"policy": "http://example.org/x"}).status_code == 404
