"""Any SPARQL store as the back end: build into, replace one policy in, and query a real
Oxigraph server (PyPI `oxigraph`, started here on 127.0.0.1), and compare every competency
question's answer with the embedded store's, row for row."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

import privacykg
from helpers import BASE, FIXTURES, ServerProcess, assert_one_place_remote, free_port, norm, run_cli, seed_data
from privacykg.errors import StoreError
from privacykg.remote import Remote

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
pytestmark = [
    pytest.mark.server,  # starts Oxigraph servers and ours
    pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server (PyPI oxigraph) is not installed"),
]


class OxigraphServer:
    def __init__(self, location: Path):
        self.location = location
        self.port = free_port()
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def remote(self, gsp=False, **kw) -> Remote:
        return Remote(
            f"{self.base}/query", None if gsp else f"{self.base}/update", f"{self.base}/store" if gsp else None, **kw
        )

    def start(self):
        self.proc = subprocess.Popen(
            [
                OXIGRAPH,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    yield server
    server.stop()


def rows_of(result):
    variables = [v.value for v in result.variables]
    return sorted(tuple(norm(sol[v]) for v in variables) for sol in result)


def test_build_rebuild_and_compare_every_question(oxigraph, corpus_store, seeds_dir):
    remote = oxigraph.remote()
    report = privacykg.build(seeds_dir, remote=remote)
    assert len(report.policies) == 5
    first = remote.count_quads()
    privacykg.build(seeds_dir, remote=remote)  # a second build of the same data: same number of quads
    assert remote.count_quads() == first
    local = privacykg.open_store(corpus_store)
    assert first == len(local)
    assert_one_place_remote(remote, seeds_dir)
    from privacykg.queries import load_library

    lib = [q for q in load_library().values() if q.kind == "cq"]
    assert len(lib) >= 1
    for q in lib:
        ours = rows_of(privacykg.query(local, q.id))
        theirs = rows_of(privacykg.query(None, q.id, remote=remote))
        assert ours == theirs, q.id
    # a question about one policy, as the library asks it, and asked in that policy's dataset
    # there (its graphs as default-graph-uri / named-graph-uri): the same rows as here
    from privacykg.queries import policy_dataset, substitutions
    from privacykg.remote import RemoteDataset

    there = RemoteDataset(remote)
    graphs = policy_dataset(there, ox.Literal("impro"))
    assert BASE + "graph/impro/2018-05-16" in {g.value for g in graphs}
    for q in lib:
        if "policy" in {p.name for p in q.params}:
            ours = rows_of(privacykg.query(local, q.id, {"policy": "impro"}))
            theirs = rows_of(privacykg.query(None, q.id, {"policy": "impro"}, remote=remote))
            assert ours == theirs, q.id
            subs = substitutions(q, {"policy": "impro"})
            in_dataset = there.query(q.text, default_graph=graphs, named_graphs=graphs, substitutions=subs)
            assert rows_of(in_dataset) == ours, q.id


def test_load_and_remove_keep_one_place_remotely(oxigraph, tmp_path):
    remote = oxigraph.remote()
    data = seed_data(tmp_path / "data")
    privacykg.build(data, remote=remote)
    f = data / "policies" / "impro-2018-05-16.yaml"
    f.write_text(
        f.read_text(encoding="utf-8").replace("\n  google:\n", "\n  google:\n    comment: again\n", 1), encoding="utf-8"
    )
    privacykg.load(f, remote=remote)
    assert_one_place_remote(remote, data)
    expected = tmp_path / "expected" / "store"
    privacykg.build(data, expected)
    assert remote.count_quads() == len(privacykg.open_store(expected))
    privacykg.remove("impro", "2018-05-16", remote=remote)
    f.unlink()
    privacykg.build(data, expected)
    assert remote.count_quads() == len(privacykg.open_store(expected))
    assert not bool(privacykg.query(None, "ASK { <https://w3id.org/privacykg/entity/marketo> ?p ?o }", remote=remote))


def test_graph_store_protocol_path(tmp_path):
    server = OxigraphServer(tmp_path / "db").start()
    try:
        remote = server.remote(gsp=True)
        privacykg.build(FIXTURES / "valid", remote=remote)
        graphs = remote.named_graphs("https://w3id.org/privacykg/graph/")
        assert "https://w3id.org/privacykg/graph/acme-uk/2019-06-01" in graphs
        assert "https://w3id.org/privacykg/graph/metadata" in graphs
    finally:
        server.stop()


def test_load_replaces_one_policy_and_drops_stale_graphs(tmp_path):
    server = OxigraphServer(tmp_path / "db").start()
    try:
        remote = server.remote(batch_bytes=20_000)  # small batches: several INSERT DATA per graph
        data = tmp_path / "data"
        shutil.copytree(FIXTURES / "valid", data)
        privacykg.build(data, remote=remote)
        before = remote.count_quads()
        p = data / "policies" / "acme-uk-2019-06-01.yaml"
        p.write_text(
            p.read_text().replace(
                "hasPersonalData: [pd:Name, pd:EmailAddress]", "hasPersonalData: [pd:Name, pd:EmailAddress, pd:Age]"
            )
        )
        r = run_cli("load", p, "--endpoint", f"{server.base}/query", "--update-endpoint", f"{server.base}/update")
        assert r.code == 0, r
        ask = "ASK { GRAPH <https://w3id.org/privacykg/graph/acme-uk/2019-06-01> { ?p <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv/pd#Age> } }"
        assert remote.query_json(ask)["boolean"] is True
        assert remote.count_quads() > before
        # a policy removed from the data is dropped by the next build
        remote.update(
            "INSERT DATA { GRAPH <https://w3id.org/privacykg/graph/old/2000-01-01> { <urn:a> <urn:b> <urn:c> } }"
        )
        privacykg.build(data, remote=remote)
        assert "https://w3id.org/privacykg/graph/old/2000-01-01" not in remote.named_graphs()
    finally:
        server.stop()


def test_store_going_away_midway_reports_and_rerun_completes(tmp_path):
    server = OxigraphServer(tmp_path / "db").start()
    remote = server.remote(retries=0, timeout=5)
    calls = {"n": 0}
    real = remote.replace_graph

    def flaky(graph, nt):
        calls["n"] += 1
        if calls["n"] == 3:
            server.stop()  # the store goes away part way
        return real(graph, nt)

    remote.replace_graph = flaky
    with pytest.raises(StoreError) as info:
        privacykg.build(FIXTURES / "valid", remote=remote)
    msg = str(info.value)
    assert "stopped part way: 2 of" in msg and "Run the same build again" in msg
    server.proc = None
    server2 = OxigraphServer(tmp_path / "db")
    server2.port = server.port
    server2.start()
    try:
        privacykg.build(FIXTURES / "valid", remote=server2.remote())
        assert "https://w3id.org/privacykg/graph/metadata" in server2.remote().named_graphs()
    finally:
        server2.stop()


def test_clear_messages_for_http_errors(oxigraph):
    r = run_cli("query", "cq01", "--endpoint", f"{oxigraph.base}/nope")
    assert r.code == 2 and "HTTP 404" in r.err and "no such endpoint" in r.err
    r = run_cli("query", "cq01", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--remote-timeout", "2")
    assert r.code == 2 and "cannot reach" in r.err


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PRIVACYKG_REMOTE_TOKEN", "s3cret")
    assert Remote("http://127.0.0.1:1/q").headers == {"Authorization": "Bearer s3cret"}
    monkeypatch.delenv("PRIVACYKG_REMOTE_TOKEN")
    monkeypatch.setenv("PRIVACYKG_REMOTE_USER", "u")
    monkeypatch.setenv("PRIVACYKG_REMOTE_PASSWORD", "p")
    assert Remote("http://127.0.0.1:1/q").headers == {"Authorization": "Basic dTpw"}
    r = run_cli("build", "--help")
    assert "--password" not in r.out and "--token" not in r.out


def test_export_from_remote(oxigraph, tmp_path, seeds_dir):
    privacykg.build(seeds_dir, remote=oxigraph.remote())
    out = tmp_path / "all.nq"
    r = run_cli("export", "-o", out, "--endpoint", f"{oxigraph.base}/query")
    assert r.code == 0, r
    import pyoxigraph as ox

    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))) == oxigraph.remote().count_quads()


# ---------------------------------------------------------------------------------------------
# `privacykg serve --endpoint URL`: a read-only front (UI, linked-data pages, query library,
# SPARQL endpoint) over a remote store, answering as the same server over the embedded store.


def _parts_sorted(value: str) -> str:
    """A GROUP_CONCAT's parts sorted (their order is undefined in SPARQL)."""
    for sep in (" | ", "; "):
        if sep in value:
            return sep.join(sorted(value.split(sep)))
    return value


def _bindings(data: dict) -> list:
    """SPARQL JSON results as sorted rows, blank node labels blanked."""
    out = []
    for b in data["results"]["bindings"]:
        out.append(
            tuple(
                sorted(
                    (
                        k,
                        v["type"],
                        "_" if v["type"] == "bnode" else _parts_sorted(v["value"]),
                        v.get("datatype", ""),
                        v.get("xml:lang", ""),
                    )
                    for k, v in b.items()
                )
            )
        )
    return sorted(out)


@pytest.fixture(scope="module")
def servers(oxigraph, corpus_store, seeds_dir):
    """The same data (the five seeds) served twice: embedded, and by a front over the Oxigraph server."""

    privacykg.build(seeds_dir, remote=oxigraph.remote())
    with ServerProcess(corpus_store) as local, ServerProcess(None, "--endpoint", f"{oxigraph.base}/query") as front:
        yield local, front


def _same_page(local, front, path: str, **kw):
    import httpx

    a = httpx.get(local.url + path, timeout=60, **kw)
    b = httpx.get(front.url + path, timeout=60, **kw)
    assert a.status_code == b.status_code == 200, (path, a.status_code, b.status_code, b.text[:300])
    return a, b


def test_serve_front_answers_every_question_like_the_embedded_store(servers):
    from privacykg.queries import load_library

    local, front = servers
    ids = [q.id for q in load_library().values() if q.kind == "cq"]
    assert len(ids) >= 30
    for qid in ids:
        a, b = _same_page(local, front, f"/api/run?id={qid}")
        assert _bindings(a.json()) == _bindings(b.json()), qid


@pytest.mark.parametrize(
    "qid, params",
    [
        ("cq06", {"on": "2020-08-01"}),  # bound before the BIND that defaults ?day to today
        ("cq02", {"country": "loc:US"}),
        ("cq11", {"policy": "identrics"}),
        ("cq29", {"on": "2021-06-04", "policy": "impro"}),
        ("cq01", {"destination": "loc:US"}),
    ],
)
def test_serve_front_binds_parameters_as_the_embedded_store_does(servers, corpus_store, qid, params):
    local, front = servers
    query = "&".join(f"param.{k}={v}" for k, v in params.items())
    a, b = _same_page(local, front, f"/api/run?id={qid}&{query}")
    assert _bindings(a.json()) == _bindings(b.json())
    assert a.json()["results"]["bindings"], "a question whose answer is empty proves nothing here"
    if qid == "cq06":
        assert {r["day"]["value"] for r in b.json()["results"]["bindings"]} == {"2020-08-01"}
    # and the CLI over the remote store agrees with the CLI over the embedded one
    args = [x for k, v in params.items() for x in ("--param", f"{k}={v}")]
    ours = run_cli("query", qid, *args, "--store", corpus_store)
    assert ours.code == 0 and ours.out, ours
    assert run_cli("query", qid, *args, "--endpoint", f"{front.url}/sparql").out == ours.out


def test_serve_front_pages_are_the_embedded_pages(servers):
    import rdflib
    from rdflib.compare import isomorphic

    local, front = servers
    for path in (
        "/policy/identrics/2018-05-20",
        "/policy/impro/2018-05-16",
        "/ns",
        "/resource?iri=https%3A%2F%2Fw3id.org%2Fdpv%23Marketing",
        "/api/graph?policy=https%3A%2F%2Fw3id.org%2Fprivacykg%2Fpolicy%2Fimago%2F2020-05-24",
    ):
        a, b = _same_page(local, front, path)
        assert a.text == b.text, path
    for path in ("/policy/impero-as/2020-01-15", "/entity/impero-as", "/ns"):
        a, b = _same_page(local, front, path, headers={"Accept": "text/turtle"})
        assert isomorphic(
            rdflib.Graph().parse(data=a.text, format="turtle"), rdflib.Graph().parse(data=b.text, format="turtle")
        ), path
    # VoID: the same graphs with the same sizes
    sizes = []
    for r in _same_page(local, front, "/void", headers={"Accept": "text/turtle"}):
        g = rdflib.Graph().parse(data=r.text, format="turtle")
        sizes.append(
            sorted(
                g.query(
                    "PREFIX void: <http://rdfs.org/ns/void#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
                    "SELECT ?g ?n { ?d void:subset [ sd:name ?g ; void:triples ?n ] }"
                )
            )
        )
    assert sizes[0] == sizes[1] and len(sizes[0]) >= 5


def test_serve_front_speaks_the_protocol(servers, oxigraph):
    import httpx
    from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

    local, front = servers
    sw = SPARQLWrapper(front.url + "/sparql")
    sw.setQuery("PREFIX dpv: <https://w3id.org/dpv#> SELECT (COUNT(DISTINCT ?n) AS ?c) { ?n a dpv:PrivacyNotice }")
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["results"]["bindings"][0]["c"]["value"] == "5"
    sw.setQuery("ASK { ?s ?p ?o }")
    assert sw.queryAndConvert()["boolean"] is True
    sw.setQuery("CONSTRUCT { ?n ?p ?o } WHERE { ?n a <https://w3id.org/dpv#PrivacyNotice> ; ?p ?o } LIMIT 5")
    sw.setReturnFormat(TURTLE)
    assert len(sw.queryAndConvert()) > 0
    sw.setQuery("SELECT ?n { ?n a <https://w3id.org/dpv#PrivacyNotice> }")
    sw.setReturnFormat(CSV)
    assert sw.queryAndConvert().decode().splitlines()[0] == "n"
    # the protocol's dataset: one graph as the default graph
    graph = "https://w3id.org/privacykg/graph/identrics/2018-05-20"
    q = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": graph}
    counts = [
        httpx.get(s.url + "/sparql", params=q, headers={"Accept": "application/sparql-results+json"}).json()["results"][
            "bindings"
        ][0]["n"]["value"]
        for s in (local, front)
    ]
    assert counts[0] == counts[1] and int(counts[0]) > 100
    # mistakes and refusals, as from the embedded server
    r = httpx.get(front.url + "/sparql", params={"query": "SELEKT * { ?s ?p ?o }"})
    assert r.status_code == 400 and "refused" in r.text
    r = httpx.get(
        front.url + "/sparql", params={"query": f"SELECT * {{ SERVICE <{oxigraph.base}/query> {{ ?s ?p ?o }} }}"}
    )
    assert r.status_code == 400 and "SERVICE" in r.text
    r = httpx.post(front.url + "/update", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403
    assert oxigraph.remote().count_quads() > 0


def test_show_over_a_remote_store(servers, oxigraph, corpus_store):
    ours = run_cli("show", "impero-as", "--store", corpus_store)
    theirs = run_cli("show", "impero-as", "--endpoint", f"{oxigraph.base}/query")
    assert theirs.code == 0 and theirs.out == ours.out and "Impero A/S" in ours.out


def test_serve_front_when_the_store_goes_away(tmp_path):
    import httpx

    down = f"http://127.0.0.1:{free_port()}/query"
    r = run_cli("serve", "--endpoint", down, "--remote-timeout", "2")
    assert r.code == 2 and "cannot reach" in r.err
    store = OxigraphServer(tmp_path / "db").start()
    try:
        privacykg.build(FIXTURES / "valid", remote=store.remote())
        with ServerProcess(None, "--endpoint", f"{store.base}/query") as front:
            assert httpx.get(front.url + "/api/run?id=cq03").status_code == 200
            store.stop()
            r = httpx.get(front.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
            assert r.status_code == 502 and "cannot reach" in r.text
            r = httpx.get(front.url + "/policy/acme-uk/2019-06-01", timeout=30)
            assert r.status_code == 502 and "cannot reach" in r.text
            assert httpx.get(front.url + "/health", timeout=30).status_code == 503
            store.start()  # back again: the front answers again, nothing to restart
            assert httpx.get(front.url + "/api/run?id=cq03", timeout=30).status_code == 200
    finally:
        store.stop()
