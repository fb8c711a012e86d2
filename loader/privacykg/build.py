"""Build: read every policy file, check quotes, compile to RDF, validate, then load into a
new store and swap it in. Nothing is written when anything fails.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from . import __version__
from . import namespaces as ns
from .compile import CompiledPolicy, compile_policy
from .errors import DataError, Problem, StoreError, UsageError
from .inference import PolicyInferencer, ontology_inferred
from .ontology import Ontology, load_ontology, PROJECT_ROOT
from .queries import DEFAULT_QUERIES_DIR, run as run_query
from .store import discard, new_store_dir, store_path, swap_in
from .validate import load_checks, shacl_problems, shacl_validate

DEFAULT_DATA = Path("data")
DPV_VERSION = "2.3"


@dataclass
class Report:
    """What a validation or build found and did."""

    policies: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    quads: int = 0
    store: Path | None = None
    graphs: list[str] = field(default_factory=list)


def policy_files(data_dir: Path) -> list[Path]:
    pdir = data_dir / "policies"
    if not pdir.is_dir():
        raise UsageError(f"no policies folder: {pdir} (a data folder holds policies/ and sources/)")
    files = sorted(p for p in pdir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    stray = sorted(p.name for p in pdir.iterdir() if p.is_file() and p.suffix not in (".yaml", ".yml")
                   and not p.name.startswith("."))
    if stray:
        raise UsageError(f"{pdir} holds files that are not annotation files: {', '.join(stray[:5])} "
                         "(annotation files end in .yaml)")
    return files


def _sources_dir_for(path: Path, data_dir: Path | None) -> Path:
    if data_dir is not None:
        return data_dir / "sources"
    return path.resolve().parent.parent / "sources"


@dataclass
class PolicyEntry:
    """What a build keeps of a policy once it is compiled and written out: small, so memory
    stays flat however many policies there are."""

    key: str
    slug: str
    version: str
    graph_iri: str
    notice_iri: str
    path: Path
    source_path: Path
    source_sha256: str
    triples: int


def iter_checked(paths: Iterable[Path], onto: Ontology, iris: ns.IRIs, data_dir: Path | None,
                 problems: list[Problem], warnings: list[Problem],
                 progress: Callable[[str], None] | None = None, shacl: bool = True) -> Iterable[CompiledPolicy]:
    """Compile and (with ``shacl``) SHACL-validate each file with pySHACL in turn, yielding the
    valid ones and collecting the problems of the others (each file is read once; nothing is kept)."""
    seen: dict[tuple[str, str], Path] = {}
    for path in paths:
        if progress:
            progress(str(path))
        try:
            cp = compile_policy(path, onto, iris, _sources_dir_for(path, data_dir))
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        key = (cp.slug, cp.version)
        if key in seen:
            problems.append(Problem(str(path), f"policy {cp.slug} version {cp.version} is already in {seen[key]}",
                                    field="policy", hint="one policy version = one file", rule="duplicate"))
            continue
        seen[key] = path
        if not shacl:
            yield cp
            continue
        results = shacl_problems(shacl_validate(cp.graph, onto), str(path), cp.nodes)
        bad = False
        for p in results:
            if p.severity == "Violation":
                problems.append(p)
                bad = True
            else:
                warnings.append(p)
        if not bad:
            yield cp


def validate(paths: Iterable[Path | str] | None = None, *, data_dir: Path | str | None = None,
             ontology_dir: Path | str | None = None, base: str = ns.DEFAULT_BASE) -> Report:
    """Run every check of a build on the given annotation files (or all of ``data_dir``) and
    write nothing. Raises :class:`DataError` listing every problem.
    """
    onto = load_ontology(ontology_dir)
    data = Path(data_dir) if data_dir else None
    files = [Path(p) for p in paths] if paths else policy_files(data or DEFAULT_DATA)
    for f in files:
        if not f.exists():
            raise UsageError(f"no such file: {f}")
    problems, warnings = [], []
    keys = [cp.key for cp in iter_checked(files, onto, ns.IRIs(base), data, problems, warnings)]
    if problems:
        raise DataError(problems)
    return Report(policies=keys, warnings=warnings)


def _nquads(g: Graph, graph_iri: str) -> str:
    nt = g.serialize(format="nt")
    suffix = f" <{graph_iri}> .\n"
    return "".join(line[:-2] + suffix for line in nt.splitlines() if line.endswith(" ."))


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def metadata_graph(iris: ns.IRIs, compiled: list[PolicyEntry], data_dir: Path) -> Graph:
    g = Graph()
    ds = URIRef(iris.base + "dataset")
    g.add((ds, RDF.type, URIRef(ns.VOID + "Dataset")))
    g.add((ds, RDFS.label, Literal("privacykg: privacy policies as DPV 2.3 RDF")))
    g.add((ds, DCTERMS.created, Literal(_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
                                        datatype=XSD.dateTime)))
    g.add((ds, URIRef(ns.PKG + "dpvVersion"), Literal(DPV_VERSION)))
    g.add((ds, URIRef(ns.PKG + "privacykgVersion"), Literal(__version__)))
    g.add((ds, URIRef(ns.PKG + "baseIRI"), Literal(iris.base)))
    commit = _git_commit(data_dir.resolve()) or _git_commit(PROJECT_ROOT)
    if commit:
        g.add((ds, URIRef(ns.PKG + "gitCommit"), Literal(commit)))
    for cp in compiled:
        gi = URIRef(cp.graph_iri)
        g.add((ds, URIRef(ns.VOID + "subset"), gi))
        g.add((gi, RDF.type, URIRef(ns.PKG + "PolicyGraph")))
        g.add((gi, URIRef(ns.PKG + "notice"), URIRef(cp.notice_iri)))
        g.add((gi, URIRef(ns.PKG + "annotationFile"), Literal(f"policies/{cp.path.name}")))
        g.add((gi, URIRef(ns.PKG + "sourceFile"), Literal(f"sources/{cp.source_path.name}")))
        g.add((gi, URIRef(ns.PKG + "sourceSha256"), Literal(cp.source_sha256)))
        g.add((gi, URIRef(ns.VOID + "triples"), Literal(cp.triples, datatype=XSD.integer)))
    return g


def build(data_dir: Path | str | None = None, store: Path | str | None = None, *,
          ontology_dir: Path | str | None = None, queries_dir: Path | str | None = None,
          base: str = ns.DEFAULT_BASE, progress: Callable[[str], None] | None = None,
          remote=None, shacl_engine: str = "sparql") -> Report:
    """Validate all policies of ``data_dir``, then build a new store and swap it in (or, with
    ``remote``, replace each graph of a remote SPARQL store).

    The SHACL shapes run either set-wise as SPARQL on the new store (``shacl_engine="sparql"``,
    the default: seconds for the whole corpus) or with pySHACL on each policy graph
    (``"pyshacl"``, about half a second a policy); both report the same rules.

    Raises :class:`DataError` (nothing written) when any file or check fails.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> report = build("data", out)
    >>> sorted(report.policies)[0], report.quads > 1000
    ('identrics-2018-05-20', True)
    >>> s = open_store(out)
    >>> bool(s.query("ASK { ?n a <https://w3id.org/dpv#PrivacyNotice> }", use_default_graph_as_union=True))
    True
    """
    data = Path(data_dir) if data_dir else DEFAULT_DATA
    onto = load_ontology(ontology_dir)
    iris = ns.IRIs(base)
    files = policy_files(data)
    if not files:
        raise UsageError(f"no annotation files in {data / 'policies'}")
    target = store_path(store) if remote is None else Path(tempfile.mkdtemp(prefix="privacykg-check-")) / "store"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {target.parent}: {exc.strerror}") from None
    new_dir = None
    try:
        if shacl_engine not in ("sparql", "pyshacl"):
            raise UsageError(f"unknown SHACL engine '{shacl_engine}': sparql or pyshacl")
        entries, warnings, nq_path = _write_checked(files, onto, iris, data, target.parent, progress,
                                                    shacl=shacl_engine == "pyshacl")
        try:
            new_dir = new_store_dir(target)
            st = ox.Store(str(new_dir))
            st.bulk_load(path=str(nq_path), format=ox.RdfFormat.N_QUADS)
            files_by_graph = {e.graph_iri: e.path for e in entries}
            violations = []
            if shacl_engine == "sparql":
                found = store_shacl_problems(st, onto, iris, files_by_graph, data)
                violations += [p for p in found if p.severity == "Violation"]
                warnings += [p for p in found if p.severity != "Violation"]
            violations += run_checks(st, queries_dir, {g: str(p) for g, p in files_by_graph.items()})
            if violations:
                raise DataError(violations)
            quads = len(st)
            st.flush()
            if remote is not None:
                from .remote_build import push

                push(remote, st, iris, progress)
                quads = remote.count_quads()
            del st
        finally:
            nq_path.unlink(missing_ok=True)
        if remote is None:
            swap_in(target, new_dir)
    except BaseException:
        if new_dir is not None:
            discard(new_dir)
        raise
    finally:
        if remote is not None:
            import shutil

            shutil.rmtree(target.parent, ignore_errors=True)
    return Report(policies=[e.key for e in entries], warnings=warnings, quads=quads,
                  store=target if remote is None else None, graphs=[e.graph_iri for e in entries])


def store_shacl_problems(store: ox.Store, onto: Ontology, iris: ns.IRIs, files_by_graph: dict[str, Path],
                         data: Path | None) -> list[Problem]:
    """The shapes, run set-wise on the store; problems name the file, and the line and field
    of the node (the few files with a problem are compiled again to find them)."""
    from .shacl_sparql import validate_store

    found = validate_store(store, onto.shapes, iris.base)
    nodes_of: dict[str, dict] = {}
    out = []
    for sq, graph, focus in found:
        path = files_by_graph.get(graph)
        if path is not None and graph not in nodes_of:
            try:
                nodes_of[graph] = compile_policy(path, onto, iris, _sources_dir_for(path, data)).nodes
            except DataError:
                nodes_of[graph] = {}
        line, where = nodes_of.get(graph, {}).get(focus, (None, ns.compact(focus)))
        out.append(Problem(str(path) if path else ns.compact(graph), sq.message, line=line, field=where,
                           rule=sq.shape, severity=sq.severity, hint=f"rule {sq.shape} in ontology/shapes/"))
    return out


def _remove_stale_temp_files(directory: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    from .store import _alive

    for f in directory.glob(".privacykg-build-*.nq"):
        pid = f.name.split("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            f.unlink(missing_ok=True)


def _write_checked(files, onto, iris, data, tmp_dir, progress, shacl=True):
    """Compile, validate and write every policy's quads (and its inferred graph) to one
    N-Quads file; raise :class:`DataError` with every problem if any file is invalid."""
    problems, warnings, entries = [], [], []
    inferencer = PolicyInferencer(onto)
    _remove_stale_temp_files(Path(tmp_dir))
    with tempfile.NamedTemporaryFile("w", prefix=f".privacykg-build-{os.getpid()}-", suffix=".nq", dir=tmp_dir,
                                     delete=False, encoding="utf-8") as tmp:
        nq_path = Path(tmp.name)
        try:
            tmp.write(_nquads(onto.graph, iris.ontology_graph))
            tmp.write(_nquads(ontology_inferred(onto), iris.inferred_graph))
            for cp in iter_checked(files, onto, iris, data, problems, warnings, progress, shacl=shacl):
                if problems:
                    continue  # keep checking the rest, write nothing more
                tmp.write(_nquads(cp.graph, cp.graph_iri))
                tmp.write(_nquads(inferencer.infer(cp.graph, cp.notice_iri, cp.version), inferred_graph_iri(iris, cp)))
                entries.append(PolicyEntry(cp.key, cp.slug, cp.version, cp.graph_iri, cp.notice_iri, cp.path,
                                           cp.source_path, cp.source_sha256, len(cp.graph)))
            if problems:
                raise DataError(problems)
            tmp.write(_nquads(metadata_graph(iris, entries, data), iris.metadata_graph))
        except BaseException:
            tmp.close()
            nq_path.unlink(missing_ok=True)
            raise
    return entries, warnings, nq_path


def inferred_graph_iri(iris: ns.IRIs, cp) -> str:
    return f"{iris.inferred_graph}/{cp.slug}/{cp.version}"


def run_checks(store: ox.Store, queries_dir: Path | str | None = None,
               files: dict[str, str] | None = None) -> list[Problem]:
    """Run ``queries/checks/*-violation.rq``; each row is a problem naming the check and the
    annotation file of the graph it was found in."""
    qdir = Path(queries_dir) if queries_dir else DEFAULT_QUERIES_DIR
    files = files or {}
    problems = []
    for check in load_checks(qdir / "checks"):
        result = run_query(store, check.text)
        variables = [v.value for v in result.variables]
        for sol in result:
            values = {v: sol[v] for v in variables if sol[v] is not None}
            graph = values.pop("graph", None)
            focus = ", ".join(f"{k} {ns.compact(t.value) if isinstance(t, ox.NamedNode) else t.value}"
                              for k, t in values.items())
            where = files.get(graph.value, ns.compact(graph.value)) if graph is not None else "the dataset"
            problems.append(Problem(where, f"{check.question or check.name}: {focus}", rule=check.name,
                                    hint=f"integrity check {check.path.name}"))
    return problems


from .store import open_store  # noqa: E402  (re-exported for the docstring example)


def load(policy_file: Path | str, store: Path | str | None = None, *, data_dir: Path | str | None = None,
         ontology_dir: Path | str | None = None, queries_dir: Path | str | None = None,
         base: str = ns.DEFAULT_BASE, remote=None) -> Report:
    """Replace one policy's graphs (its graph and its inferred graph) in a built store, the
    incremental path: validate the file, copy the current store (a cheap checkpoint), replace
    the graphs there, run the integrity checks, swap. With ``remote``: replace the two graphs
    and the policy's entry in the metadata graph of the remote store."""
    path = Path(policy_file)
    if not path.is_file():
        raise UsageError(f"no such annotation file: {path}")
    data = Path(data_dir) if data_dir else path.resolve().parent.parent
    onto = load_ontology(ontology_dir)
    iris = ns.IRIs(base)
    problems, warnings = [], []
    checked = list(iter_checked([path], onto, iris, data, problems, warnings))
    if problems:
        raise DataError(problems)
    (cp,) = checked
    inferred = PolicyInferencer(onto).infer(cp.graph, cp.notice_iri, cp.version)
    entry = PolicyEntry(cp.key, cp.slug, cp.version, cp.graph_iri, cp.notice_iri, cp.path, cp.source_path,
                        cp.source_sha256, len(cp.graph))
    meta = metadata_graph(iris, [entry], data)
    gi = URIRef(cp.graph_iri)
    meta_entry = Graph()
    for t in meta.triples((gi, None, None)):
        meta_entry.add(t)
    ds = URIRef(iris.base + "dataset")
    meta_entry.add((ds, URIRef(ns.VOID + "subset"), gi))
    meta_update = (f"DELETE WHERE {{ GRAPH <{iris.metadata_graph}> {{ <{cp.graph_iri}> ?p ?o }} }} ;\n"
                   f"INSERT DATA {{ GRAPH <{iris.metadata_graph}> {{\n{meta_entry.serialize(format='nt')}}} }}")
    if remote is not None:
        from .remote_build import push_graphs

        payloads = {cp.graph_iri: cp.graph, inferred_graph_iri(iris, cp): inferred}
        push_graphs(remote, list(payloads), lambda g: payloads[g].serialize(format="nt"))
        remote.update(meta_update)
        return Report(policies=[cp.key], warnings=warnings, graphs=[cp.graph_iri])
    from .store import current_target

    target = store_path(store)
    current = current_target(target)
    if current is None:
        raise UsageError(f"no store at {target}: run `privacykg build` first")
    new_dir = new_store_dir(target)
    try:
        src = ox.Store.read_only(str(current))
        import shutil

        shutil.rmtree(new_dir)  # backup() makes the directory itself
        src.backup(str(new_dir))
        del src
        (new_dir / ".incomplete").touch()
        st = ox.Store(str(new_dir))
        st.update(f"DROP SILENT GRAPH <{cp.graph_iri}> ; DROP SILENT GRAPH <{inferred_graph_iri(iris, cp)}>")
        st.load(_nquads(cp.graph, cp.graph_iri) + _nquads(inferred, inferred_graph_iri(iris, cp)),
                format=ox.RdfFormat.N_QUADS)
        st.update(meta_update)
        violations = run_checks(st, queries_dir, {cp.graph_iri: str(cp.path)})
        if violations:
            raise DataError(violations)
        quads = len(st)
        st.flush()
        del st
        swap_in(target, new_dir)
    except BaseException:
        discard(new_dir)
        raise
    return Report(policies=[cp.key], warnings=warnings, quads=quads, store=target, graphs=[cp.graph_iri])
