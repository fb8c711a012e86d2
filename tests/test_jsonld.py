"""The JSON-LD export is compact (one @context of our prefixes and the data's base) and reads
back, with rdflib's and pyoxigraph's JSON-LD parsers, as exactly the quads of the N-Quads
export; awkward IRIs and literals are written in a form that reads back the same."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from helpers import run_cli

BASE = "https://w3id.org/privacykg/"


def rdflib_graphs(path, fmt) -> dict:
    ds = rdflib.Dataset()
    ds.parse(str(path), format=fmt)
    return {g.identifier: g for g in ds.graphs() if len(g)}


def same_graph(a, b) -> bool:
    """Equal triples; with blank nodes, equal up to their renaming."""
    if any(isinstance(t, rdflib.BNode) for triple in a for t in triple):
        return isomorphic(a, b)
    return set(a) == set(b)


def assert_same_dataset(nquads_path, jsonld_path):
    a, b = rdflib_graphs(nquads_path, "nquads"), rdflib_graphs(jsonld_path, "json-ld")
    assert set(a) == set(b)
    assert sum(map(len, a.values())) == sum(map(len, b.values()))
    differ = [str(g) for g in a if not same_graph(a[g], b[g])]
    assert not differ, differ
    qa = set(ox.parse(path=str(nquads_path), format=ox.RdfFormat.N_QUADS))
    qb = set(ox.parse(path=str(jsonld_path), format=ox.RdfFormat.JSON_LD))
    assert qa == qb  # pyoxigraph keeps the blank node labels, so here the quads are equal as they are


@pytest.fixture(scope="module")
def exports(corpus_store, tmp_path_factory):
    d = tmp_path_factory.mktemp("exports")
    for fmt in ("nquads", "jsonld"):
        r = run_cli("export", "--format", fmt, "-o", d / f"all.{fmt}", "--store", corpus_store)
        assert r.code == 0, r
    return d


def test_jsonld_export_is_compact(exports, corpus_store):
    text = (exports / "all.jsonld").read_text(encoding="utf-8")
    doc = json.loads(text)
    ctx = doc["@context"]
    assert ctx["dpv"] == "https://w3id.org/dpv#" and ctx["pkg"] == "https://w3id.org/privacykg/ns#"
    assert ctx["@base"] == BASE
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    notice = next(n for n in graphs["graph/identrics/2018-05-20"] if n["@id"] == "policy/identrics/2018-05-20")
    assert notice["@type"] == "dpv:PrivacyNotice"
    assert notice["dpv:hasDataController"] == {"@id": "entity/identrics"}
    processes = [n for g in graphs.values() for n in g if "dpv:hasPurpose" in n]
    assert processes and all(isinstance(n["dpv:hasPurpose"], (dict, list)) for n in processes)
    full = [t for t in iris_written(doc["@graph"]) if t.startswith(("https://w3id.org/dpv#", BASE))]
    assert not full, full[:5]  # keys, types and @ids: no full DPV or minted IRI
    expanded = open_expanded_size(corpus_store)
    assert len(text.encode()) < 0.6 * expanded, (len(text.encode()), expanded)


def iris_written(value):
    """Every key, @id and @type of a JSON-LD value (literal values left out)."""
    if isinstance(value, list):
        for v in value:
            yield from iris_written(v)
    elif isinstance(value, dict) and "@value" not in value:
        for k, v in value.items():
            if k in ("@id", "@type"):
                yield from ([v] if isinstance(v, str) else v)
            else:
                yield k
                yield from iris_written(v)


def open_expanded_size(store_path) -> int:
    from privacykg import open_store

    return len(open_store(store_path).dump(format=ox.RdfFormat.JSON_LD))


@pytest.mark.slow  # quick subset: more than a second
def test_jsonld_export_reads_back_as_the_nquads_export(exports):
    assert_same_dataset(exports / "all.nquads", exports / "all.jsonld")


def test_awkward_terms_read_back_the_same(tmp_path):
    """IRIs that a prefix or the base must not shorten, literals JSON must not turn into other
    literals, a blank node and the default graph."""
    from privacykg import namespaces as ns
    from privacykg.jsonld import write_dataset

    n = ox.NamedNode
    xsd = "http://www.w3.org/2001/XMLSchema#"
    subjects = [
        BASE + "policy/a",
        BASE + "a:b/c",
        BASE + "../up",
        BASE + "x/./y",
        BASE + "@foo",
        BASE + "#frag",
        BASE + "?q=1",
        BASE + "ns#firstQuote",
        BASE,
        "https://w3id.org/dpv#",
        "https://w3id.org/dpv#//x",
        "urn:x:y",
        "https://example.org/p%20q",
    ]
    objects = [
        ox.Literal("007", datatype=n(xsd + "integer")),
        ox.Literal("7", datatype=n(xsd + "integer")),
        ox.Literal("-0", datatype=n(xsd + "integer")),
        ox.Literal(str(2**60), datatype=n(xsd + "integer")),
        ox.Literal("1", datatype=n(xsd + "boolean")),
        ox.Literal("true", datatype=n(xsd + "boolean")),
        ox.Literal("1.0", datatype=n(xsd + "double")),
        ox.Literal("x", language="en-GB"),
        ox.Literal('plain "quoted" \u00e9 \n'),
        ox.Literal("2020-01-01", datatype=n(xsd + "date")),
        ox.Literal("v", datatype=n("https://example.org/dt")),
        ox.BlankNode("b1"),
        n(BASE + "entity/e"),
    ]
    st = ox.Store()
    graph = n(BASE + "graph/g")
    for s in subjects:
        for i, o in enumerate(objects):
            st.add(ox.Quad(n(s), n(f"https://w3id.org/dpv#p{i}"), o, graph))
        st.add(ox.Quad(n(s), n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(ns.DPV + "Process"), graph))
    st.add(ox.Quad(ox.BlankNode("b1"), n(BASE + "entity/p"), ox.Literal("in the default graph"), ox.DefaultGraph()))
    st.add(
        ox.Quad(
            n(BASE + "policy/a"),
            n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.BlankNode("t"),
            n(BASE + "graph/h"),
        )
    )
    st.dump(str(tmp_path / "all.nquads"), format=ox.RdfFormat.N_QUADS)
    write_dataset(st, tmp_path / "all.jsonld", ns.PREFIXES, base=BASE)
    assert_same_dataset(tmp_path / "all.nquads", tmp_path / "all.jsonld")
    buf = io.BytesIO()
    write_dataset(st, buf, ns.PREFIXES, base=BASE)  # to a stream, left open
    assert buf.getvalue() == (tmp_path / "all.jsonld").read_bytes() and not buf.closed


def test_an_iri_read_as_one_of_our_curies_is_refused():
    from privacykg import namespaces as ns
    from privacykg.errors import UsageError
    from privacykg.jsonld import write_dataset

    st = ox.Store()
    st.add(ox.Quad(ox.NamedNode("dpv:not-a-curie"), ox.NamedNode("https://w3id.org/dpv#p"), ox.Literal("x")))
    with pytest.raises(UsageError, match="its scheme is one of our prefixes"):
        write_dataset(st, io.BytesIO(), ns.PREFIXES)
