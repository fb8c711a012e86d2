"""The fast build path gives what the rdflib path gave: policies compiled straight to
N-Triples terms hold the same triples as their rdflib graph, the inference on those terms is
the inference on the graph, the per-policy validation (in this process or in a child
process) reports what the set-wise SPARQL on a store reports, and the streaming bulk load
fails cleanly."""

from __future__ import annotations

import re
import shutil

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from helpers import BREAKS, FIXTURES, PRE, store_for
from privacykg import namespaces as ns

GRAPH = "https://w3id.org/privacykg/graph/acme-uk/2019-06-01"
INFERRED = "https://w3id.org/privacykg/graph/inferred/acme-uk/2019-06-01"
TERM_RULES = {"DPVTermsDeclared", "ExtensionTermsDeclared"}  # compile refuses these terms first


@pytest.fixture(scope="module")
def compiled(ontology):
    from privacykg.compile import compile_policy

    return compile_policy(
        FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml", ontology, ns.IRIs(), FIXTURES / "valid/sources"
    )


def oxigraph_triples(nquads: str) -> set:
    return {(q.subject, q.predicate, q.object) for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}


def test_nquads_are_the_rdflib_graph(compiled):
    """The N-Quads text parses (oxigraph) to the triples rdflib writes for the same graph."""
    from privacykg.build import _nquads

    assert len(compiled.triples) == len(compiled.graph) > 100
    assert oxigraph_triples(compiled.triples.nquads(GRAPH)) == oxigraph_triples(_nquads(compiled.graph, GRAPH))


@pytest.mark.parametrize(
    "text", ['say "hi"', "back\\slash", "two\nlines\r\n", "tab\tand \u00e9 \U0001f600", "\x01control", ""]
)
def test_literals_round_trip(text):
    from privacykg.compile import literal, term_value, to_rdflib

    term = literal(text)
    (q,) = ox.parse(f"<http://e/s> <http://e/p> {term} .\n".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert q.object.value == text == term_value(term) == str(to_rdflib(term))


@pytest.mark.parametrize("value", ["P2Y", "P2W", "PT90M", "PT0S", "P1DT12H"])
def test_durations_are_written_as_rdflib_writes_them(value):
    from privacykg.compile import XSD_DURATION, literal, term_value

    assert term_value(literal(value, XSD_DURATION)) == str(Literal(value, datatype=URIRef(XSD_DURATION)))


def test_invalid_iri_in_a_term_is_a_problem(tmp_path):
    import privacykg

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(p.read_text().replace("dpo: acme-dpo", 'dpo: "foaf:a b"'))
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    assert any("is not a valid term" in str(x) for x in info.value.problems)


def test_inference_on_terms_is_the_inference_on_the_graph(compiled, ontology):
    from privacykg.compile import to_rdflib
    from privacykg.inference import PolicyInferencer

    inf = PolicyInferencer(ontology)
    on_terms = inf.infer_triples(compiled.triples, compiled.notice_iri, compiled.version)
    on_graph = inf.infer(compiled.graph, compiled.notice_iri, compiled.version)
    assert {tuple(to_rdflib(x) for x in t) for t in on_terms} == set(on_graph)
    assert not set(on_terms) & set(compiled.triples)


def _policy_text(g: Graph, ontology) -> str:
    from privacykg.build import _nquads
    from privacykg.inference import PolicyInferencer

    inferred = PolicyInferencer(ontology).infer(g, ns.IRIs().policy("acme-uk", "2019-06-01"), "2019-06-01")
    return _nquads(g, GRAPH) + _nquads(inferred, INFERRED)


def _validator(ontology, checks=()):
    from privacykg.build import _ontology_nquads
    from privacykg.shacl_sparql import translate
    from privacykg.validate import PolicyValidator

    iris = ns.IRIs()
    return PolicyValidator(
        _ontology_nquads(ontology, iris), iris.metadata_graph, list(checks), translate(ontology.shapes)
    )


@pytest.mark.parametrize("rule", sorted(set(BREAKS) - TERM_RULES))
def test_per_policy_shapes_report_what_the_store_reports(rule, compiled, ontology):
    """One policy validated on its own (what build and load do) gives the shapes and focus
    nodes the set-wise queries give on a store of that policy."""
    from privacykg.shacl_sparql import validate_store

    g = Graph()
    for t in compiled.graph:
        g.add(t)
    g.update(PRE + BREAKS[rule][1])
    found, _ = _validator(ontology).run(_policy_text(g, ontology), GRAPH, [GRAPH, INFERRED])
    ours = {(sq.shape, focus) for sq, _g, focus in found}
    reference = {(sq.shape, focus) for sq, _g, focus in validate_store(store_for(g, ontology), ontology.shapes)}
    assert ours == reference
    assert f"pkgsh:{rule}" in {shape for shape, _ in ours}


def test_per_policy_checks_report_what_the_store_reports(compiled, ontology):
    from privacykg.build import run_checks
    from privacykg.queries import DEFAULT_QUERIES_DIR
    from privacykg.validate import check_problems, load_checks

    g = Graph()
    for t in compiled.graph:
        g.add(t)
    g.update(PRE + BREAKS["ProcessHasPurpose"][1] + " ; " + BREAKS["ProcessHasEvidence"][1])
    g.add((URIRef(ns.DPV + "Marketting"), URIRef(ns.RDFS + "comment"), Literal("x")))  # an undeclared term
    g.add(
        (URIRef(ns.IRIs().policy("acme-uk", "2019-06-01")), URIRef(ns.DPV + "hasRight"), URIRef(ns.DPV + "Marketting"))
    )
    checks = load_checks(DEFAULT_QUERIES_DIR / "checks")
    _, rows = _validator(ontology, checks).run(_policy_text(g, ontology), GRAPH, [GRAPH, INFERRED])
    ours = sorted(str(p) for p in check_problems(rows))
    reference = sorted(str(p) for p in run_checks(store_for(g, ontology)))
    assert ours == reference
    assert {"process-without-purpose-violation", "fact-without-evidence-violation", "undeclared-term-violation"} <= {
        r[0].name for r in rows
    }


def test_validator_process_gives_what_the_validator_gives(compiled, ontology):
    from privacykg.build import _ontology_nquads
    from privacykg.queries import DEFAULT_QUERIES_DIR
    from privacykg.shacl_sparql import translate
    from privacykg.validate import PolicyValidator, ValidatorProcess, load_checks

    g = Graph()
    for t in compiled.graph:
        g.add(t)
    g.update(PRE + BREAKS["ProcessHasPurpose"][1])
    iris = ns.IRIs()
    args = (
        _ontology_nquads(ontology, iris),
        iris.metadata_graph,
        load_checks(DEFAULT_QUERIES_DIR / "checks"),
        translate(ontology.shapes),
    )
    text = _policy_text(g, ontology).encode()
    results = []
    for cls in (PolicyValidator, ValidatorProcess):
        with cls(*args) as v:
            v.submit(text, GRAPH, [GRAPH, INFERRED])
            v.submit(_policy_text(compiled.graph, ontology), GRAPH, [GRAPH, INFERRED])
            found, rows = v.results()
        results.append(
            ({(sq.shape, gr, focus) for sq, gr, focus in found}, sorted((c.name, sorted(r.items())) for c, r in rows))
        )
    assert results[0] == results[1]
    assert (
        "pkgsh:ProcessHasPurpose",
        GRAPH,
        ns.IRIs().policy("acme-uk", "2019-06-01") + "/process/newsletter",
    ) in results[0][0]


def test_validator_process_raises_the_childs_error(ontology, tmp_path):
    from privacykg.errors import UsageError
    from privacykg.validate import Check, ValidatorProcess

    bad = Check(tmp_path / "bad-violation.rq", "bad-violation", "SELECT WHERE {")
    with ValidatorProcess("", ns.IRIs().metadata_graph, [bad], []) as v:
        v.submit("", GRAPH, [GRAPH])
        with pytest.raises(UsageError, match="SPARQL syntax error"):
            v.results()


@pytest.mark.slow  # quick subset: more than a second
def test_build_with_a_validating_process_is_the_same(tmp_path, monkeypatch):
    """The child-process path of a build (used from 50 policies) builds the same store."""
    import importlib

    import privacykg

    build_module = importlib.import_module("privacykg.build")
    original = build_module._write_checked
    stores = []
    for process_from in (10**9, 1):
        monkeypatch.setattr(
            build_module,
            "_write_checked",
            lambda *args, _pf=process_from, **kw: original(*args, process_from=_pf, **kw),
        )
        out = tmp_path / f"store-{process_from}"
        report = privacykg.build(FIXTURES / "valid", out)
        st = privacykg.open_store(out)
        stores.append(
            (
                report.quads,
                report.warnings,
                sorted(
                    re.sub(r"_:\w+", "_:b", str(q))
                    for q in st.quads_for_pattern(None, None, None)
                    if "created" not in str(q.predicate)
                ),
            )
        )
    assert stores[0] == stores[1]


def test_bulk_writer_reports_bad_input(tmp_path):
    from privacykg.errors import StoreError
    from privacykg.store import BulkWriter

    st = ox.Store(str(tmp_path / "s"))
    with pytest.raises(StoreError, match="could not load"):
        with BulkWriter(st, tmp_path) as out:
            for _ in range(2000):  # more than the pipe holds, so the writer sees the loader stop
                out.write("<http://e/s> <http://e/p> this is not N-Quads .\n" * 100)
    assert not list(tmp_path.glob("*.fifo"))


def test_bulk_writer_loads_what_is_written(tmp_path):
    from privacykg.store import BulkWriter

    st = ox.Store(str(tmp_path / "s"))
    with BulkWriter(st, tmp_path) as out:
        out.write('<http://e/s> <http://e/p> "1" <http://e/g> .\n')
        out.write(b'<http://e/s> <http://e/p> "2" <http://e/g> .\n')
    assert len(st) == 2 and not list(tmp_path.glob("*.fifo"))


@pytest.mark.slow  # quick subset: more than a second
def test_build_warns_as_validate_does_for_shared_entities(tmp_path):
    """Shapes read each policy with its own graphs: an entity's location stated in another
    policy does not make up for one this policy leaves out (pySHACL, `validate`, agrees)."""
    import privacykg

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    shutil.copy(data / "sources" / "acme-uk-2019-06-01.txt", data / "sources" / "acme-uk-2020-01-01.txt")
    text = (data / "policies" / "acme-uk-2019-06-01.yaml").read_text()
    text = (
        text.replace("version: 2019-06-01", "version: 2020-01-01")
        .replace("source: acme-uk-2019-06-01.txt", "source: acme-uk-2020-01-01.txt")
        .replace("    location: loc:GB\n", "")
    )
    (data / "policies" / "acme-uk-2020-01-01.yaml").write_text(text)
    built = privacykg.build(data, tmp_path / "store").warnings
    validated = privacykg.validate(data_dir=data).warnings
    assert {(p.file, p.rule) for p in built} == {(p.file, p.rule) for p in validated}
    assert any(p.rule == "pkgsh:ControllerHasCountry" and p.file.endswith("2020-01-01.yaml") for p in built)


@pytest.mark.slow  # quick subset: more than a second
def test_load_failing_a_check_changes_nothing(tmp_path):
    import os

    import privacykg
    from helpers import ROOT

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    store = tmp_path / "store"
    privacykg.build(data, store)
    target = os.readlink(store)
    queries = tmp_path / "queries"
    shutil.copytree(ROOT / "queries" / "checks", queries / "checks")
    (queries / "checks" / "always-violation.rq").write_text(
        "# question: Always\nSELECT ?graph ?notice WHERE { GRAPH ?graph { ?notice a <https://w3id.org/dpv#PrivacyNotice> } }\n"
    )
    from privacykg.build import load

    with pytest.raises(privacykg.DataError) as info:
        load(data / "policies" / "acme-uk-2019-06-01.yaml", store, queries_dir=queries)
    assert any(p.rule == "always-violation" for p in info.value.problems)
    assert os.readlink(store) == target
    assert sorted(p.name for p in (tmp_path / "store.d").iterdir()) == [os.path.basename(target)]
