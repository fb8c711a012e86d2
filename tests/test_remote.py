"""Any SPARQL store as the back end: build into, replace one policy in, and query a real
Oxigraph server (PyPI `oxigraph`, started here on 127.0.0.1), and compare every competency
question's answer with the embedded store's, row for row."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import privacykg
from privacykg.errors import StoreError
from privacykg.remote import Remote

from conftest import DATA, FIXTURES, ROOT, run_cli

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server (PyPI oxigraph) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, location: Path):
        self.location = location
        self.port = free_port()
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def remote(self, gsp=False, **kw) -> Remote:
        return Remote(f"{self.base}/query", None if gsp else f"{self.base}/update",
                      f"{self.base}/store" if gsp else None, **kw)

    def start(self):
        self.proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(self.location), "--bind",
                                      f"127.0.0.1:{self.port}", "--union-default-graph"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    from test_plain_tools import norm

    variables = [v.value for v in result.variables]
    return sorted(tuple(norm(sol[v]) for v in variables) for sol in result)


def test_build_rebuild_and_compare_every_question(oxigraph, corpus_store):
    remote = oxigraph.remote()
    report = privacykg.build(DATA, remote=remote)
    assert len(report.policies) == 5
    first = remote.count_quads()
    privacykg.build(DATA, remote=remote)  # a second build of the same data: same number of quads
    assert remote.count_quads() == first
    local = privacykg.open_store(corpus_store)
    assert first == len(local)
    from privacykg.queries import load_library

    lib = [q for q in load_library().values() if q.kind == "cq"]
    assert len(lib) >= 1
    for q in lib:
        ours = rows_of(privacykg.query(local, q.id))
        theirs = rows_of(privacykg.query(None, q.id, remote=remote))
        assert ours == theirs, q.id


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
        p.write_text(p.read_text().replace("hasPersonalData: [pd:Name, pd:EmailAddress]",
                                           "hasPersonalData: [pd:Name, pd:EmailAddress, pd:Age]"))
        r = run_cli("load", p, "--endpoint", f"{server.base}/query", "--update-endpoint", f"{server.base}/update")
        assert r.code == 0, r
        ask = "ASK { GRAPH <https://w3id.org/privacykg/graph/acme-uk/2019-06-01> { ?p <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv/pd#Age> } }"
        assert remote.query_json(ask)["boolean"] is True
        assert remote.count_quads() > before
        # a policy removed from the data is dropped by the next build
        remote.update("INSERT DATA { GRAPH <https://w3id.org/privacykg/graph/old/2000-01-01> { <urn:a> <urn:b> <urn:c> } }")
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


def test_export_from_remote(oxigraph, tmp_path):
    privacykg.build(DATA, remote=oxigraph.remote())
    out = tmp_path / "all.nq"
    r = run_cli("export", "-o", out, "--endpoint", f"{oxigraph.base}/query")
    assert r.code == 0, r
    import pyoxigraph as ox

    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))) == oxigraph.remote().count_quads()
