"""The official W3C SPARQL 1.1 Protocol test manifest, replayed over HTTP against a real
`privacykg serve` over a store made of the manifest's data files.

The manifest's requests use the path /sparql/ for both operations; queries go to /sparql and
updates to /update here, with the server's token (the server is started with
PRIVACYKG_UPDATE_TOKEN). Before each entry the store holds exactly the graphs its ut:graphData
names (reset through /update), so the entries do not depend on their order.
"""

from __future__ import annotations

import gc
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from helpers import ServerProcess  # the same real-server helper

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT.parent / "shared" / "w3c-sparql11" / "protocol" / "manifest.ttl"
TOKEN = "w3c-protocol-token"

if not MANIFEST.exists():
    pytest.skip(
        f"the W3C SPARQL 1.1 Protocol manifest is not at {MANIFEST} (../shared is absent)", allow_module_level=True
    )

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

pytestmark = pytest.mark.server

#: Entries that cannot pass here, each with its reason. None today: keep it that way.
XFAIL: dict[str, str] = {}


def _list(graph, node):
    return list(Collection(graph, node)) if node is not None else []


def load_manifest():
    g = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    entries = []
    for entry in _list(g, g.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        graph_data = []
        for gd in g.objects(entry, UT.graphData):
            path = Path(str(g.value(gd, UT.graph)).removeprefix("file://"))
            graph_data.append((path, str(g.value(gd, rdflib.RDFS.label))))
        requests = []
        for req in _list(g, g.value(g.value(entry, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            requests.append(
                {
                    "method": str(g.value(req, HT.methodName)),
                    "path": str(g.value(req, HT.absolutePath)),
                    "headers": {
                        str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                        for h in _list(g, g.value(req, HT.headers))
                    },
                    "body": None
                    if body is None
                    else str(g.value(body, CNT.chars)).encode(
                        str(g.value(body, CNT.characterEncoding) or "UTF-8").lower()
                    ),
                    "status": sorted(
                        str(s).rsplit("#", 1)[-1].removeprefix("StatusCode")[0]
                        for s in g.objects(resp, MF.expectedStatus)
                    ),
                    "boolean": None
                    if g.value(resp, MF.expectedBoolean) is None
                    else g.value(resp, MF.expectedBoolean).toPython(),
                    "format": None
                    if g.value(resp, MF.expectedFormat) is None
                    else str(g.value(resp, MF.expectedFormat)),
                }
            )
        entries.append(
            {
                "name": name,
                "title": str(g.value(entry, MF.name)),
                "graph_data": sorted(graph_data),
                "requests": requests,
            }
        )
    return entries


ENTRIES = load_manifest()


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """A plain pyoxigraph store of the manifest's data files, each in the graph its label names."""
    path = tmp_path_factory.mktemp("w3c") / "store"
    store = ox.Store(str(path))
    for e in ENTRIES:
        for data, label in e["graph_data"]:
            store.load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(label))
    store.flush()
    del store
    gc.collect()  # release the store's lock before the server opens it
    with ServerProcess(path, env={"PRIVACYKG_UPDATE_TOKEN": TOKEN}) as s:
        yield s


def is_update(entry_name: str, req: dict) -> bool:
    """Whether the manifest's /sparql/ request is an update (sent to /update here)."""
    query_string = urlsplit(req["path"]).query
    params = parse_qs(query_string)
    ctype = req["headers"].get("content-type", "").split(";")[0].strip()
    body = req["body"] or b""
    return (
        ctype == "application/sparql-update"
        or body.startswith(b"update=")
        or "update" in params
        or any(k.startswith("using-") for k in params)
        or entry_name.startswith("bad_update")
    )


def reset(server, graph_data):
    """The store holds exactly these graphs."""
    text = "DROP ALL"
    if graph_data:
        graphs = " ".join(f"GRAPH <{label}> {{ {data.read_text(encoding='utf-8')} }}" for data, label in graph_data)
        text += f" ; INSERT DATA {{ {graphs} }}"
    r = httpx.post(
        server.url + "/update",
        content=text.encode(),
        timeout=30,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.text


def check_format(resp: httpx.Response, expected: str) -> object:
    ctype = resp.headers.get("content-type", "").split(";")[0].strip()
    if expected in ("boolean", "tabular"):
        formats = {
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        }
        if expected == "tabular":
            formats.update(
                {"text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
            )
        assert ctype in formats, f"{ctype} is not a SPARQL results format for {expected} results"
        result = ox.parse_query_results(resp.content, format=formats[ctype])
        if expected == "boolean":
            assert isinstance(result, ox.QueryBoolean)
            return bool(result)
        assert isinstance(result, ox.QuerySolutions)
        return list(result)
    assert expected == "RDF", expected
    rdf = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }
    assert ctype in rdf, f"{ctype} is not an RDF format"
    return rdflib.Graph().parse(data=resp.content, format=rdf[ctype])


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(
            e,
            id=e["name"],
            marks=[pytest.mark.xfail(reason=XFAIL[e["name"]], strict=True)] if e["name"] in XFAIL else [],
        )
        for e in ENTRIES
    ],
)
def test_protocol(w3c_server, entry):
    reset(w3c_server, entry["graph_data"])
    with httpx.Client(base_url=w3c_server.url, timeout=30) as client:
        for i, req in enumerate(entry["requests"]):
            update = is_update(entry["name"], req)
            url = req["path"].replace("/sparql/", "/update" if update else "/sparql", 1)
            headers = dict(req["headers"])
            if update:
                headers["Authorization"] = f"Bearer {TOKEN}"
            resp = client.request(req["method"], url, content=req["body"], headers=headers)
            where = f"{entry['name']} request {i + 1} ({req['method']} {url}): {resp.status_code} {resp.text[:300]}"
            assert str(resp.status_code)[0] in req["status"], where
            if req["format"]:
                value = check_format(resp, req["format"])
                if req["boolean"] is not None:
                    assert value is req["boolean"], where


def test_manifest_read_whole():
    """The replay covers the whole manifest (34 entries), each with its requests."""
    assert len(ENTRIES) == 34
    assert all(e["requests"] for e in ENTRIES)
    assert {e["name"] for e in ENTRIES} >= {"query_post_form", "update_base_uri", "bad_update_dataset_conflict"}
