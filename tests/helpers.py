"""What several test modules share: the project's folders, the seed data, the CLI run in-process,
the SHACL rule-breaking cases, a real `privacykg serve` process, Virtuoso, and comparisons of
answers. Fixtures stay in conftest.py; test modules import these with `from helpers import ...`
(tests/ is on sys.path as conftest.py's folder)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
DPV_DIR = SHARED / "dpv"
ARTIFACTS = ROOT / "tests" / "artifacts"
DPV = "https://w3id.org/dpv#"
BASE = "https://w3id.org/privacykg/"

# The five seed policies (plain-text sources): the questions' tests read their expected rows from
# these texts. The openly licensed policies with their versions (Markdown sources) have tests of
# their own (tests/test_open_policies.py) on the whole of data/.
SEEDS = (
    "identrics-2018-05-20",
    "imago-2020-05-24",
    "impero-as-2020-01-15",
    "impero-group-2021-06-04",
    "impro-2018-05-16",
)


def seed_data(folder: Path) -> Path:
    """A data folder with the five seed policies and their sources only."""
    for sub in ("policies", "sources"):
        (folder / sub).mkdir(parents=True)
    for key in SEEDS:
        shutil.copy(DATA / "policies" / f"{key}.yaml", folder / "policies")
        shutil.copy(DATA / "sources" / f"{key}.txt", folder / "sources")
    return folder


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"CliResult(code={self.code}, out={self.out[:300]!r}, err={self.err[:600]!r})"


def run_cli(*args) -> CliResult:
    """Run `privacykg ARGS` in-process and capture its exit code and output."""
    from privacykg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            code = exc.code
    return CliResult(code, out.getvalue(), err.getvalue())


def compact_rows(rows, columns):
    from privacykg import namespaces as ns

    return {tuple(ns.compact(r.get(c, "")) for c in columns) for r in rows}


def build_fixture_store(tmp_path_factory, *folders: str) -> Path:
    """tests/fixtures/valid plus the policies of the given fixture folders, built into a store."""
    import privacykg

    data = tmp_path_factory.mktemp("fixture-data") / "data"
    shutil.copytree(FIXTURES / "valid", data)
    for folder in folders:
        for sub in ("policies", "sources"):
            for f in (FIXTURES / folder / sub).iterdir():
                shutil.copy(f, data / sub / f.name)
    store = tmp_path_factory.mktemp("fixture-store") / "store"
    privacykg.build(data, store)
    return store


# ---------------------------------------------------------------- SHACL rules and their breaking cases

PRE = """PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
PREFIX pkg: <https://w3id.org/privacykg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX loc: <https://w3id.org/dpv/loc#>
PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
N = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01>"
P = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/process/newsletter>"
T = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/process/newsletter-transfer>"
X = "<https://w3id.org/privacykg/policy/acme-uk/2019-06-01/prohibition/no-selling>"
C = "<https://w3id.org/privacykg/entity/acme>"
DPO = "<https://w3id.org/privacykg/entity/acme-dpo>"

# rule -> (severity, SPARQL update that breaks it)
BREAKS = {
    "NoticeHasController": ("Violation", f"DELETE WHERE {{ {N} dpv:hasDataController ?c }}"),
    "NoticeHasDate": ("Violation", f"DELETE WHERE {{ {N} dct:modified ?d }}"),
    "NoticeHasSource": ("Violation", f"DELETE WHERE {{ {N} pkg:sourceText ?s }}"),
    "NoticeHasProcess": ("Violation", f"DELETE WHERE {{ {N} dpv:hasProcess ?p }}"),
    "NoticeRightIsRight": ("Violation", f"INSERT DATA {{ {N} dpv:hasRight dpv:DirectMarketing }}"),
    "NoticeHasRights": ("Warning", f"DELETE WHERE {{ {N} dpv:hasRight ?r }}"),
    "ProcessHasPurpose": ("Violation", f"DELETE WHERE {{ {P} dpv:hasPurpose ?x }}"),
    "ProcessHasPersonalData": ("Violation", f"DELETE WHERE {{ {P} dpv:hasPersonalData ?x }}"),
    "ProcessHasController": ("Violation", f"DELETE WHERE {{ {P} dpv:hasDataController ?x }}"),
    "ProcessIsProcess": ("Violation", f"DELETE DATA {{ {X} a dpv:Process }}"),
    "LegalBasisIsLegalBasis": ("Violation", f"INSERT DATA {{ {P} dpv:hasLegalBasis dpv:DirectMarketing }}"),
    "PurposeIsPurpose": ("Violation", f"INSERT DATA {{ {P} dpv:hasPurpose pd:EmailAddress }}"),
    "PersonalDataIsPersonalData": ("Violation", f"INSERT DATA {{ {P} dpv:hasPersonalData dpv:DirectMarketing }}"),
    "TransferHasDestination": ("Violation", f"DELETE WHERE {{ {T} dpv:hasThirdCountry ?x }}"),
    "ProhibitionSaysWhat": ("Violation", f"DELETE WHERE {{ {X} dpv:hasPurpose ?x }}"),
    "StorageDurationIsDuration": (
        "Violation",
        f'DELETE {{ ?d rdf:value ?v }} INSERT {{ ?d rdf:value "two years" }} '
        f"WHERE {{ {P} dpv:hasStorageCondition/dpv:hasDuration ?d . ?d rdf:value ?v }}",
    ),
    "ControllerHasName": ("Violation", f"DELETE WHERE {{ {C} dpv:hasName ?x }}"),
    "ControllerHasCountry": ("Warning", f"DELETE WHERE {{ {C} dpv:hasLocation ?x }}"),
    "NamedEntityHasName": ("Violation", f"DELETE WHERE {{ {DPO} dpv:hasName ?x }}"),
    "DPOHasContact": ("Warning", f"DELETE WHERE {{ {DPO} dpv:hasContact ?x }}"),
    "AnnotationShape": (
        "Violation",
        "DELETE { ?sel oa:start ?s } WHERE { ?sel a oa:TextPositionSelector ; oa:start ?s } ",
    ),
    "QuoteLengthMatchesOffsets": (
        "Violation",
        "DELETE { ?sel oa:end ?e } INSERT { ?sel oa:end 99999 } WHERE { ?sel a oa:TextPositionSelector ; oa:end ?e }",
    ),
    "ProcessHasEvidence": ("Violation", f"DELETE WHERE {{ ?a oa:hasBody {P} ; ?p ?o }}"),
    "NoticeStatementHasEvidence": (
        "Violation",
        f"DELETE {{ ?a ?p ?o }} "
        f"WHERE {{ ?st rdf:subject {N} ; rdf:predicate dpv:hasRight . ?a oa:hasBody ?st ; ?p ?o }}",
    ),
    "DPVTermsDeclared": ("Violation", f"INSERT DATA {{ {P} dpv:hasPurpose dpv:Marketting }}"),
    "ExtensionTermsDeclared": ("Violation", f"INSERT DATA {{ {T} dpv:hasLegalBasis pkg:PrivacyShieldTypo }}"),
}


SHAPES_GRAPH = "https://w3id.org/privacykg/graph/acme-uk/2019-06-01"  # the graph of the policy BREAKS breaks


def store_for(policy, ontology) -> ox.Store:
    """A store holding the rdflib graph ``policy`` as acme-uk's 2019-06-01 version, with the ontology
    and the inferences a build adds (what the shapes' SPARQL translation runs on)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from privacykg import namespaces as ns
    from privacykg.build import _nquads
    from privacykg.inference import PolicyInferencer, ontology_inferred

    iris = ns.IRIs()
    inferred = PolicyInferencer(ontology).infer(policy, iris.policy("acme-uk", "2019-06-01"), "2019-06-01")
    meta = Graph()
    meta.add((URIRef(SHAPES_GRAPH), RDF.type, URIRef(ns.PKG + "PolicyGraph")))
    st = ox.Store()
    text = (
        _nquads(ontology.graph, iris.ontology_graph)
        + _nquads(ontology_inferred(ontology), iris.inferred_graph)
        + _nquads(policy, SHAPES_GRAPH)
        + _nquads(inferred, iris.inferred_graph + "/acme-uk/2019-06-01")
        + _nquads(meta, iris.metadata_graph)
    )
    st.load(text, format=ox.RdfFormat.N_QUADS)
    return st


# ---------------------------------------------------------------- one place: each triple stored once

ORG_COUNT = f"PREFIX dpv: <{DPV}> SELECT (COUNT(?o) AS ?n) (COUNT(DISTINCT ?o) AS ?d) WHERE {{ ?o a dpv:Organisation }}"
REPEATED_ACROSS_GRAPHS = """SELECT ?s ?p ?o WHERE { GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o }
    FILTER (STR(?g1) < STR(?g2) && STRSTARTS(STR(?g1), "https://w3id.org/privacykg/")
            && STRSTARTS(STR(?g2), "https://w3id.org/privacykg/")) } LIMIT 5"""


def assert_one_place_remote(remote, data: Path):
    """The same, as a client of a remote store sees it (built from the data folder ``data``): the
    organisations counted once both ways, no triple in two of our graphs, a DESCRIBE that repeats nothing."""
    from privacykg.remote import RemoteDataset

    ds = RemoteDataset(remote)
    (row,) = list(ds.query(ORG_COUNT))
    assert int(row["n"].value) == int(row["d"].value) == len(organisation_keys(data))
    assert list(ds.query(REPEATED_ACROSS_GRAPHS)) == []
    described = ds.query(f"DESCRIBE <{BASE}entity/linkedin>")
    assert described and len(described) == len(set(map(str, described)))


def organisations(data: Path = DATA) -> dict[str, set[str]]:
    """The entity keys the annotation files type dpv:Organisation or a narrower kind (an authority,
    a governmental organisation ...; or leave untyped: an organisation by default), each with the
    names the files give it, read from the files themselves."""
    import yaml

    from privacykg import namespaces as ns
    from privacykg.ontology import load_ontology

    onto = load_ontology()
    names: dict[str, set[str]] = {}
    for f in (data / "policies").glob("*.yaml"):
        for key, entity in (yaml.safe_load(f.read_text(encoding="utf-8")).get("entities") or {}).items():
            types = [t["value"] if isinstance(t, dict) else t for t in entity.get("types") or []]
            if not types or any(onto.is_a(ns.expand(t), DPV + "Organisation") for t in types):
                names.setdefault(key, set()).add(entity["name"])
    return names


def organisation_keys(data: Path = DATA) -> set[str]:
    return set(organisations(data))


# ---------------------------------------------------------------- real servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`privacykg serve` in its own process, on a free port of 127.0.0.1 (``store`` None: the
    arguments say where the data is, e.g. ``--endpoint URL``)."""

    def __init__(self, store, *args, env: dict | None = None, lifetime: float = 300):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVACYKG_")}
        full_env.update({"PRIVACYKG_SERVE_LIFETIME": str(lifetime), **(env or {})})
        self.log = tempfile.NamedTemporaryFile(prefix="privacykg-serve-", suffix=".log", delete=False)
        cmd = [
            sys.executable,
            "-m",
            "privacykg.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *(["--store", str(store)] if store is not None else []),
            *map(str, args),
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self, limit: float = 30):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: {self.output()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer /health within {limit} s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 100000
MaxDirtyBuffers = 60000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(d: Path):
    """Virtuoso 7 on two free ports of 127.0.0.1, its database in the folder ``d``: yields its HTTP
    base URL, and stops it on leaving."""
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http))
    proc = subprocess.Popen(
        [VIRTUOSO, "+configfile", str(d / "virtuoso.ini"), "+foreground"],
        cwd=d,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("Virtuoso did not start: " + (d / "virtuoso.log").read_text()[-2000:])
                time.sleep(0.3)
        # anonymous SPARQL may write: only ever on this loopback test instance
        subprocess.run(
            [
                ISQL,
                f"127.0.0.1:{sql}",
                "dba",
                "dba",
                "exec=GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def virtuoso_remote(base):
    """The Remote of a Virtuoso started by `virtuoso_server` (its base URL)."""
    from privacykg.remote import Remote

    return Remote(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud")


def virtuoso_rows(result, drop_durations=False):
    """A result's rows as sorted tuples of text, in the lexical forms Virtuoso and Oxigraph share
    (booleans 1/0, GROUP_CONCAT parts sorted; ``drop_durations``: xsd:duration values blanked)."""
    variables = [v.value for v in result.variables]
    out = []
    for sol in result:
        row = []
        for v in variables:
            t = sol[v]
            if drop_durations and isinstance(t, ox.Literal) and t.datatype.value.endswith("#duration"):
                t = None
            # lexical forms: Virtuoso drops the language tag of GROUP_CONCAT results (SPARQL says a
            # GROUP_CONCAT is a simple literal; Oxigraph keeps a shared tag) and types numbers its own way
            if isinstance(t, ox.Literal) and t.datatype.value.endswith("#boolean"):
                row.append({"true": "1", "false": "0"}.get(t.value, t.value))  # Virtuoso answers 1 / 0
            elif isinstance(t, ox.Literal) and " | " in t.value:  # the modality columns
                row.append(" | ".join(sorted(t.value.split(" | "))))
            elif isinstance(t, ox.Literal):
                row.append("; ".join(sorted(t.value.split("; "))))
            else:
                row.append("" if t is None else str(t))
        out.append(tuple(row))
    return sorted(out)


# ---------------------------------------------------------------- answers compared across stores


def norm(term) -> str:
    """A term as text; GROUP_CONCAT's order is undefined in SPARQL, so its parts are sorted."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and " | " in term.value:  # the modality columns (cq01, cq02, cq04, cq28)
        return " | ".join(sorted(term.value.split(" | ")))
    if isinstance(term, ox.Literal) and "; " in term.value:
        return "; ".join(sorted(term.value.split("; ")))
    return str(term)


def ask_in_policy_dataset(st, text: str, subs: dict) -> list[str]:
    """Sorted rows of a question asked in the bound policy's own graphs (what ``run`` does when
    that is the cheaper way), whatever ``run`` would choose for this store."""
    from privacykg.queries import _versions, policy_dataset

    graphs = policy_dataset(st, subs[ox.Variable("policy")], _versions(subs))
    found = st.query(
        text, use_default_graph_as_union=False, default_graph=graphs, named_graphs=graphs, substitutions=subs
    )
    return sorted(map(str, found))
