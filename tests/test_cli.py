"""The command line, in-process: exit codes, formats, messages."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pyoxigraph as ox
import pytest

from helpers import DATA, FIXTURES, run_cli

Q_NAMES = "PREFIX dpv: <https://w3id.org/dpv#> SELECT ?name WHERE { ?n a dpv:PrivacyNotice ; dpv:hasDataController/dpv:hasName ?name } ORDER BY ?name"


@pytest.fixture
def qfile(tmp_path):
    p = tmp_path / "names.rq"
    p.write_text(Q_NAMES)
    return p


def test_help_documents_exit_codes():
    r = run_cli("--help")
    assert r.code == 0
    r = run_cli("build", "--help")
    assert "exit codes: 0 done; 1 the data is invalid" in r.out


def test_no_command_is_a_usage_error():
    assert run_cli().code == 2
    assert run_cli("frobnicate").code == 2


@pytest.mark.slow  # quick subset: more than a second
def test_build_then_query_every_format(tmp_path, qfile, seeds_dir):
    store = tmp_path / "store"
    r = run_cli("build", "--data", seeds_dir, "--store", store)
    assert r.code == 0, r
    assert "5 policies" in r.out
    table = run_cli("query", qfile, "--store", store)
    assert table.code == 0 and "Identrics Ltd." in table.out and "(5 rows)" in table.out
    rows = list(csv.DictReader(io.StringIO(run_cli("query", qfile, "--store", store, "-f", "csv").out)))
    assert {r["name"] for r in rows} >= {"Identrics Ltd.", "Impero A/S", "Impro Technologies"}
    tsv = run_cli("query", qfile, "--store", store, "-f", "tsv").out
    assert tsv.splitlines()[0] == "?name"
    data = json.loads(run_cli("query", qfile, "--store", store, "-f", "json").out)
    assert len(data["results"]["bindings"]) == 5


def test_query_without_store_is_exit_2(tmp_path, qfile):
    r = run_cli("query", qfile, "--store", tmp_path / "nothing")
    assert r.code == 2 and "run `privacykg build` first" in r.err


def test_store_from_environment(tmp_path, qfile, monkeypatch):
    store = tmp_path / "envstore"
    monkeypatch.setenv("PRIVACYKG_STORE", str(store))
    assert run_cli("build", "--data", FIXTURES / "valid", "-q").code == 0
    assert store.is_symlink()
    assert "Acme Widgets Ltd" in run_cli("query", qfile).out


def test_syntax_error_in_query_is_exit_2(tmp_path, fixture_store):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ")
    r = run_cli("query", bad, "--store", fixture_store)
    assert r.code == 2 and "SPARQL syntax error" in r.err


def test_unknown_query_id_suggests(fixture_store):
    r = run_cli("query", "cq1", "--store", fixture_store)
    assert r.code == 2 and "no query 'cq1'" in r.err


def test_bad_param_is_exit_2(fixture_store):
    r = run_cli("query", "cq01", "--param", "destination", "--store", fixture_store)
    assert r.code == 2 and "NAME=VALUE" in r.err
    r = run_cli("query", "cq01", "--param", "nope=1", "--store", fixture_store)
    assert r.code == 2 and "has no parameter nope" in r.err


@pytest.mark.parametrize(
    "fmt,parse",
    [
        ("nquads", ox.RdfFormat.N_QUADS),
        ("trig", ox.RdfFormat.TRIG),
        ("turtle", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_export_every_format(fmt, parse, tmp_path, fixture_store):
    out = tmp_path / f"all.{fmt}"
    r = run_cli("export", "--format", fmt, "-o", out, "--store", fixture_store)
    assert r.code == 0, r
    quads = list(ox.parse(path=str(out), format=parse))
    assert len(quads) > 5000
    graphs = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    if fmt in ("nquads", "trig", "jsonld"):
        assert "https://w3id.org/privacykg/graph/acme-uk/2019-06-01" in graphs
        assert "https://w3id.org/privacykg/graph/ontology" in graphs


def test_export_to_stdout(fixture_store):
    r = run_cli("export", "--store", fixture_store)
    assert r.code == 0


def test_validate_writes_nothing(tmp_path):
    r = run_cli("validate", "--data", FIXTURES / "valid")
    assert r.code == 0 and "valid: 1 policy" in r.out
    assert not (tmp_path / "build").exists()


def test_validate_paths_report_all_problems(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(
        p.read_text().replace(
            "dpv:DirectMarketing]\n    hasPersonalData: [pd:Name", "dpv:Marketting]\n    hasPersonalData: [pd:Nmae"
        )
    )
    r = run_cli("validate", p)
    assert r.code == 1
    assert "did you mean dpv:Marketing?" in r.err and "did you mean pd:Name?" in r.err
    assert "acme-uk-2019-06-01.yaml:" in r.err and "Traceback" not in r.err


@pytest.mark.slow  # quick subset: more than a second
def test_show_and_coverage(corpus_store):
    r = run_cli("show", "identrics", "--store", corpus_store)
    assert r.code == 0
    assert "Identrics Ltd." in r.out and "“" in r.out and "PROCESSING ACTIVITIES" in r.out
    # every policy version cites at least 75% of its sentences (the GitHub statements since 2022 have
    # the most uncited ones: headings, rows of their summary tables, links, translation notes)
    r = run_cli("coverage", "--min", "75")
    assert r.code == 0, r
    assert "identrics-2018-05-20" in r.out


def test_coverage_below_minimum_is_exit_1():
    r = run_cli("coverage", "identrics", "--min", "100.1")
    assert r.code == 1


def test_queries_lists_the_library():
    r = run_cli("queries")
    assert r.code == 0 and "cq01" in r.out


@pytest.mark.parametrize(
    "value", ["loc:US } ; DROP ALL ; #", "<http://x> } INSERT DATA { <a> <b> <c> } #", 'x" } UNION { ?s ?p ?o } #']
)
def test_param_injection_is_refused_or_harmless(value, corpus_store):
    """Parameters are bound as RDF terms: a value crafted to change the query's text either is
    refused (not an IRI) or is just a string that matches nothing; the data never changes."""
    import privacykg

    before = privacykg.select(corpus_store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    r = run_cli("query", "cq02", "--param", f"country={value}", "--store", corpus_store, "-f", "csv")
    assert r.code == 2 and "is not an IRI" in r.err
    r = run_cli("query", "cq11", "--param", f"policy={value}", "--store", corpus_store, "-f", "csv")
    assert r.code == 0 and r.out.strip().count("\n") == 0  # a header, no rows
    assert privacykg.select(corpus_store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


@pytest.mark.slow  # quick subset: more than a second
def test_build_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    """On a terminal the build draws a progress bar (tqdm) on stderr; in a pipe, nothing."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from helpers import ROOT

    cmd = [sys.executable, "-m", "privacykg.cli", "build", "--data", str(DATA), "--store", str(tmp_path / "s")]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the build is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    n = len(list((DATA / "policies").glob("*.yaml")))
    assert f"{n}/{n}".encode() in seen and b"policy/s" in seen, seen[-500:]
    assert b"built" in out
    piped = run_cli("build", "--data", DATA, "--store", tmp_path / "s2")
    assert piped.code == 0 and "policy/s" not in piped.err and "%|" not in piped.err
    # data/ holds 17 subprocessor lists (GitHub's and Basecamp's), each a notice granting no
    # right: a build prints ten of one rule's warnings and counts the rest; validate prints all
    no_right = [line for line in piped.err.splitlines() if "pkgsh:NoticeHasRights" in line]
    assert len(no_right) == 10 + 1, piped.err
    more = int(no_right[-1].split("and ")[1].split(" more")[0])
    assert more >= 7 and "`privacykg validate` lists them all" in no_right[-1], no_right[-1]
    every = run_cli("validate", "--data", DATA)
    assert every.code == 0
    assert sum("pkgsh:NoticeHasRights" in line for line in every.err.splitlines()) == 10 + more
