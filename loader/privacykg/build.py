"""Build: read every policy file, check quotes, compile to RDF, validate, then load into a
new store and swap it in. Nothing is written when anything fails.

How a build spends its time, and why it is laid out so:

* each policy is compiled straight to N-Triples terms (no rdflib graph), inferred, checked
  and written out as N-Quads lines at once; nothing of it is kept but a small entry, so
  memory stays flat however many policies there are;
* the lines go through a pipe to pyoxigraph's bulk loader, which builds the new store in a
  thread of its own (on the other core) while the next policies are compiled;
* the SHACL shapes (translated to SPARQL) and the integrity checks run on each policy as
  it goes by, on a small in-memory store holding the ontology and that policy's graphs, in a
  child process (the other core) when there are many policies: a policy is validated with
  its vocabulary, as pySHACL validates it, and nothing needs the whole store; the store is
  only swapped in when every policy passed.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import __version__
from . import namespaces as ns
from .compile import (
    XSD_INTEGER,
    CompiledPolicy,
    Triples,
    compile_policy,
    literal,
    nt_iri,
)
from .errors import DataError, Problem, StoreError, UsageError
from .identity import Identity, IdentityRegister, conflict_problem
from .inference import PolicyInferencer, ontology_inferred
from .layout import (
    EntityGraphs,
    annotation_file,
    entity_graphs_after,
    entity_key,
    own_inferred,
    split,
)
from .ontology import Ontology, load_ontology
from .origin import Origin
from .queries import DEFAULT_QUERIES_DIR
from .resources import PROJECT_ROOT
from .store import BulkWriter, discard, new_store_dir, store_path, swap_in
from .validate import (
    PolicyValidator,
    ValidatorProcess,
    check_problems,
    check_rows,
    load_checks,
    shacl_problems,
    shacl_validate,
)

DEFAULT_DATA = Path("data")
DPV_VERSION = "2.3"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


@dataclass
class Report:
    """What a validation or build found and did (``quads``: the quads in the store after a
    build; after a load, the quads written for the policy)."""

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
    stray = sorted(
        p.name
        for p in pdir.iterdir()
        if p.is_file() and p.suffix not in (".yaml", ".yml") and not p.name.startswith(".")
    )
    if stray:
        raise UsageError(
            f"{pdir} holds files that are not annotation files: {', '.join(stray[:5])} (annotation files end in .yaml)"
        )
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
    origin: Origin | None = None

    @classmethod
    def of(cls, cp: CompiledPolicy, triples: int) -> PolicyEntry:
        """The entry of a compiled policy whose own graph holds ``triples`` triples."""
        return cls(
            cp.key,
            cp.slug,
            cp.version,
            cp.graph_iri,
            cp.notice_iri,
            cp.path,
            cp.source_path,
            cp.source_sha256,
            triples,
            cp.origin,
        )


def iter_checked(
    paths: Iterable[Path],
    onto: Ontology,
    iris: ns.IRIs,
    data_dir: Path | None,
    problems: list[Problem],
    warnings: list[Problem],
    progress: Callable[[str], None] | None = None,
    shacl: bool = True,
    drafts: bool = False,
) -> Iterable[CompiledPolicy]:
    """Compile and (with ``shacl``) SHACL-validate each file with pySHACL in turn, yielding the
    valid ones and collecting the problems of the others (each file is read once; nothing is kept).
    A draft (``draft: true``) is a warning with ``drafts`` (validate), else a problem (build, load)."""
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
            problems.append(
                Problem(
                    str(path),
                    f"policy {cp.slug} version {cp.version} is already in {seen[key]}",
                    field="policy",
                    hint="one policy version = one file",
                    rule="duplicate",
                )
            )
            continue
        seen[key] = path
        if cp.draft:
            (warnings if drafts else problems).append(draft_problem(cp, refused=not drafts))
            if not drafts:
                continue
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


def draft_problem(cp: CompiledPolicy, refused: bool) -> Problem:
    """What a build says of a draft (refused), and what validate says (a warning)."""
    if refused:
        return Problem(
            str(cp.path),
            "this file is a draft written by privacykg draft and not yet reviewed: it cannot be built or loaded",
            line=cp.draft_line,
            field="draft",
            hint="review every suggestion against the text (keep, correct or delete it), "
            "then remove the line draft: true",
            rule="draft",
        )
    return Problem(
        str(cp.path),
        "a draft: valid as a file, but build and load refuse it until it is reviewed",
        line=cp.draft_line,
        field="draft",
        hint="review every suggestion, then remove the line draft: true",
        rule="draft",
        severity="Warning",
    )


def validate(
    paths: Iterable[Path | str] | None = None,
    *,
    data_dir: Path | str | None = None,
    ontology_dir: Path | str | None = None,
    queries_dir: Path | str | None = None,
    base: str = ns.DEFAULT_BASE,
) -> Report:
    """Run every check of a build on the given annotation files (or all of ``data_dir``) and
    write nothing: each file, its SHACL shapes, the integrity checks (``queries/checks``) and one
    identity per entity key across the files. Raises :class:`DataError` listing every problem.
    A draft is a warning here (build and load refuse it).
    """
    return _checked(paths, data_dir, ontology_dir, queries_dir, base, lambda _text: None)


def preview(
    path: Path | str,
    *,
    data_dir: Path | str | None = None,
    ontology_dir: Path | str | None = None,
    queries_dir: Path | str | None = None,
    base: str = ns.DEFAULT_BASE,
) -> tuple[ox.Store, Report]:
    """One annotation file (a draft too) checked as :func:`validate` checks it and laid out as a
    build would store it, in an in-memory store: what ``privacykg show FILE`` reads, so that a
    draft can be reviewed before anything is built. Raises :class:`DataError` as validate does."""
    store = ox.Store()
    report = _checked(
        [path], data_dir, ontology_dir, queries_dir, base, lambda text: store.load(text, format=ox.RdfFormat.N_QUADS)
    )
    return store, report


def _checked(paths, data_dir, ontology_dir, queries_dir, base: str, write) -> Report:
    """Every check of a build on ``paths`` (or all of ``data_dir``), drafts allowed, what a build
    writes given to ``write``; raises :class:`DataError` with every violation."""
    onto = load_ontology(ontology_dir)
    data = Path(data_dir) if data_dir else None
    files = [Path(p) for p in paths] if paths else policy_files(data or DEFAULT_DATA)
    for f in files:
        if not f.exists():
            raise UsageError(f"no such file: {f}")
    iris = ns.IRIs(base)
    checks = load_checks(Path(queries_dir) / "checks" if queries_dir else DEFAULT_QUERIES_DIR / "checks")
    run = _write_checked(files, onto, iris, data, write, None, checks, drafts=True)
    violations = _run_problems(run, onto, iris, data)
    if violations:
        raise DataError(violations)
    return Report(policies=[e.key for e in run.entries], warnings=run.warnings)


def _run_problems(run: _Run, onto: Ontology, iris: ns.IRIs, data: Path | None) -> list[Problem]:
    """The violations of a checked run (its shapes' and checks' results, each naming its file);
    its warnings join ``run.warnings``."""
    files_by_graph = {e.graph_iri: e.path for e in run.entries}
    order = {name: i for i, name in enumerate(run.shape_order)}
    found = sorted(run.shape_results, key=lambda r: order.get(r[0].shape, len(order)))
    problems = shacl_store_problems(found, onto, iris, files_by_graph, data)
    run.warnings += [p for p in problems if p.severity != "Violation"]
    violations = [p for p in problems if p.severity == "Violation"]
    return violations + check_problems(run.check_rows, {g: str(p) for g, p in files_by_graph.items()})


def _nquads(g: Graph, graph_iri: str) -> str:
    """An rdflib graph as N-Quads lines in the named graph ``graph_iri``."""
    nt = g.serialize(format="nt")
    suffix = f" <{graph_iri}> .\n"
    return "".join(line[:-2] + suffix for line in nt.splitlines() if line.endswith(" ."))


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _dataset_triples(iris: ns.IRIs, data_dir: Path) -> Triples:
    """The description of the dataset in the metadata graph."""
    g = Triples()
    ds = nt_iri(iris.base + "dataset")
    created = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    g.add((ds, nt_iri(ns.RDF + "type"), nt_iri(ns.VOID + "Dataset")))
    g.add((ds, nt_iri(ns.RDFS + "label"), literal("privacykg: privacy policies as DPV 2.3 RDF")))
    g.add((ds, nt_iri(ns.DCT + "created"), literal(created, XSD_DATETIME)))
    g.add((ds, nt_iri(ns.PKG + "dpvVersion"), literal(DPV_VERSION)))
    g.add((ds, nt_iri(ns.PKG + "privacykgVersion"), literal(__version__)))
    g.add((ds, nt_iri(ns.PKG + "baseIRI"), literal(iris.base)))
    commit = _git_commit(data_dir.resolve()) or _git_commit(PROJECT_ROOT)
    if commit:
        g.add((ds, nt_iri(ns.PKG + "gitCommit"), literal(commit)))
    return g


def _entry_triples(iris: ns.IRIs, cp: PolicyEntry) -> Triples:
    """A policy's entry in the metadata graph (with the dataset's ``void:subset`` link to it)."""
    g = Triples()
    gi = nt_iri(cp.graph_iri)
    g.add((nt_iri(iris.base + "dataset"), nt_iri(ns.VOID + "subset"), gi))
    g.add((gi, nt_iri(ns.RDF + "type"), nt_iri(ns.PKG + "PolicyGraph")))
    g.add((gi, nt_iri(ns.PKG + "notice"), nt_iri(cp.notice_iri)))
    g.add((gi, nt_iri(ns.PKG + "annotationFile"), literal(f"policies/{cp.path.name}")))
    g.add((gi, nt_iri(ns.PKG + "sourceFile"), literal(f"sources/{cp.source_path.name}")))
    g.add((gi, nt_iri(ns.PKG + "sourceSha256"), literal(cp.source_sha256)))
    g.add((gi, nt_iri(ns.VOID + "triples"), literal(str(cp.triples), XSD_INTEGER)))
    for t in cp.origin.entry_triples(gi) if cp.origin else ():
        g.add(t)
    return g


def build(
    data_dir: Path | str | None = None,
    store: Path | str | None = None,
    *,
    ontology_dir: Path | str | None = None,
    queries_dir: Path | str | None = None,
    base: str = ns.DEFAULT_BASE,
    progress: Callable[[str], None] | None = None,
    remote=None,
    shacl_engine: str = "sparql",
) -> Report:
    """Validate all policies of ``data_dir``, then build a new store and swap it in (or, with
    ``remote``, replace each graph of a remote SPARQL store).

    The SHACL shapes run either as SPARQL (``shacl_engine="sparql"``, the default: a few
    milliseconds a policy, on each policy's graphs with the ontology's) or with pySHACL on
    each policy graph (``"pyshacl"``, about half a second a policy); both report the same
    rules.

    Raises :class:`DataError` (nothing written) when any file or check fails.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> report = build("data", out)
    >>> 'identrics-2018-05-20' in report.policies, report.quads > 1000
    (True, True)
    >>> from privacykg import open_store
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
    if shacl_engine not in ("sparql", "pyshacl"):
        raise UsageError(f"unknown SHACL engine '{shacl_engine}': sparql or pyshacl")
    checks = load_checks(Path(queries_dir) / "checks" if queries_dir else DEFAULT_QUERIES_DIR / "checks")
    target = store_path(store) if remote is None else Path(tempfile.mkdtemp(prefix="privacykg-check-")) / "store"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {target.parent}: {exc.strerror}") from None
    new_dir = None
    try:
        _remove_stale_temp_files(target.parent)
        new_dir = new_store_dir(target)
        st = ox.Store(str(new_dir))
        with BulkWriter(st, target.parent) as out:
            run = _write_checked(files, onto, iris, data, out.write, progress, checks, shacl_engine)
        violations = _run_problems(run, onto, iris, data)
        if violations:
            raise DataError(violations)
        quads = len(st)
        st.flush()
        if remote is None:
            st.optimize()  # compacts what the bulk load wrote: whole-store questions about 2x faster
        else:
            from .remote_build import push

            push(remote, st, iris, progress)
            quads = remote.count_quads()
        del st
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
    return Report(
        policies=[e.key for e in run.entries],
        warnings=run.warnings,
        quads=quads,
        store=target if remote is None else None,
        graphs=[e.graph_iri for e in run.entries],
    )


def shacl_store_problems(
    found: list[tuple], onto: Ontology, iris: ns.IRIs, files_by_graph: dict[str, Path], data: Path | None
) -> list[Problem]:
    """Problems of SPARQL shape results (shape, graph, focus node): each names the file, and the
    line and field of the node (the few files with a problem are compiled again to find them)."""
    nodes_of: dict[str, dict] = {}
    out = []
    for sq, graph, focus in found:
        path = files_by_graph.get(graph)
        if path is not None and graph not in nodes_of:
            try:
                nodes_of[graph] = compile_policy(path, onto, iris, _sources_dir_for(path, data)).nodes
            except DataError:
                nodes_of[graph] = {}
        out.append(_shape_problem(sq, str(path) if path else ns.compact(graph), nodes_of.get(graph, {}), focus))
    return out


def _remove_stale_temp_files(directory: Path) -> None:
    """Temporary files and pipes of builds that were killed (their process is gone)."""
    from .store import _alive

    for pattern in (".privacykg-build-*.nq", ".privacykg-build-*.fifo"):
        for f in directory.glob(pattern):
            pid = f.name.split("-")[2]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                f.unlink(missing_ok=True)


@dataclass
class _Run:
    """What streaming the policies out found: the entries of the valid policies, warnings,
    the results of the shapes and checks (run one policy at a time) and the order of the
    shapes (that of their problems)."""

    entries: list[PolicyEntry]
    warnings: list[Problem]
    shape_results: list[tuple]
    check_rows: list[tuple]
    shape_order: list[str]


def _ontology_nquads(onto: Ontology, iris: ns.IRIs) -> str:
    return _nquads(onto.graph, iris.ontology_graph) + _nquads(ontology_inferred(onto), iris.inferred_graph)


def _write_checked(
    files,
    onto,
    iris,
    data,
    write,
    progress,
    checks,
    shacl_engine="sparql",
    process_from: int = 50,
    drafts: bool = False,
) -> _Run:
    """Compile, check and write (``write``: a function taking N-Quads, UTF-8) every policy's
    quads and its inferred graph, then the ontology's and the metadata graphs; raise
    :class:`DataError` with every problem if any file is invalid (after reading them all).

    The checks that look at one policy at a time run in a child process when there are at
    least ``process_from`` files (it takes a moment to start), else here."""
    from .shacl_sparql import translate

    problems, warnings, entries = [], [], []
    inferencer = PolicyInferencer(onto)
    queries = translate(onto.shapes, iris.base) if shacl_engine == "sparql" else []
    ontology_text = _ontology_nquads(onto, iris)
    args = (ontology_text, iris.metadata_graph, checks, queries)
    entities = EntityGraphs(iris)
    identities = IdentityRegister(onto)
    with _validator(args, len(files) >= process_from) as local:
        write(ontology_text)
        for cp in iter_checked(
            files, onto, iris, data, problems, warnings, progress, shacl=shacl_engine == "pyshacl", drafts=drafts
        ):
            laid = lay_out(cp, inferencer, iris)
            problems += identity_problems(identities, cp, laid.entities, iris)
            if problems:
                continue  # keep checking the rest, write nothing more
            # the shapes and checks see the policy whole; the store gets it laid out
            local.submit(laid.whole, cp.graph_iri, [cp.graph_iri, laid.inferred_iri])
            write(laid.own_nquads())
            entities.add(laid.entities)
            entries.append(PolicyEntry.of(cp, len(laid.own)))
        if problems:
            raise DataError(problems)
        write(entities.nquads(inferencer).encode())
        meta = _dataset_triples(iris, data or DEFAULT_DATA)
        for e in entries:
            meta.update(_entry_triples(iris, e))
        meta_text = meta.nquads(iris.metadata_graph)
        write(meta_text)
        shape_results, rows = local.results()
    # the checks of the graphs that are not a policy's: the ontology's and the metadata
    whole = ox.Store()
    whole.load(ontology_text + meta_text, format=ox.RdfFormat.N_QUADS)
    rows += check_rows(whole, checks, [iris.ontology_graph, iris.inferred_graph, iris.metadata_graph])
    return _Run(entries, warnings, shape_results, rows, [q.shape for q in queries])


@dataclass
class LaidOut:
    """A compiled policy laid out in graphs (see :mod:`privacykg.layout`): ``whole`` is what
    the shapes and checks validate (its graph and inferred graph as compiled, N-Quads, UTF-8);
    the store gets ``own`` and ``own_inferred`` (the same without what is said of entities) in
    the policy's graphs, and ``entities`` (by entity term) in the entities' graphs."""

    whole: bytes
    graph_iri: str
    inferred_iri: str
    own: Triples
    own_inferred: Triples
    entities: dict[str, Triples]

    def own_nquads(self) -> bytes:
        return (self.own.nquads(self.graph_iri) + self.own_inferred.nquads(self.inferred_iri)).encode()


def lay_out(cp: CompiledPolicy, inferencer: PolicyInferencer, iris: ns.IRIs) -> LaidOut:
    """Infer from a compiled policy and lay it out in graphs."""
    inferred_iri = iris.inferred(cp.slug, cp.version)
    inferred = inferencer.infer_triples(cp.triples, cp.notice_iri, cp.version)
    own, ents = split(cp.triples, cp.notice_iri, iris)
    whole = (cp.triples.nquads(cp.graph_iri) + inferred.nquads(inferred_iri)).encode()
    return LaidOut(whole, cp.graph_iri, inferred_iri, own, own_inferred(inferred, iris), ents)


def identity_problems(
    register: IdentityRegister, cp: CompiledPolicy, entities: dict[str, Triples], iris: ns.IRIs
) -> list[Problem]:
    """Each entity of ``cp`` described otherwise by an earlier file of the build."""
    out = []
    for term, ts in entities.items():
        key = entity_key(term, iris)
        line = cp.nodes.get(term[1:-1], (None, ""))[0]
        out += register.check(key, [(p, o) for _s, p, o in ts], str(cp.path), line)
    return out


def _validator(args: tuple, separate: bool):
    """A :class:`ValidatorProcess` (or, when that is not wanted or cannot start, a
    :class:`PolicyValidator` here)."""
    if separate:
        try:
            return ValidatorProcess(*args)
        except OSError:
            pass
    return PolicyValidator(*args)


def run_checks(
    store: ox.Store, queries_dir: Path | str | None = None, files: dict[str, str] | None = None
) -> list[Problem]:
    """Run ``queries/checks/*-violation.rq``; each row is a problem naming the check and the
    annotation file of the graph it was found in."""
    qdir = Path(queries_dir) if queries_dir else DEFAULT_QUERIES_DIR
    return check_problems(check_rows(store, load_checks(qdir / "checks")), files)


def load(
    policy_file: Path | str,
    store: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    ontology_dir: Path | str | None = None,
    queries_dir: Path | str | None = None,
    base: str = ns.DEFAULT_BASE,
    remote=None,
) -> Report:
    """Replace one policy's graphs in a built store, the incremental path: validate the file
    (the shapes and the integrity checks, on that policy's graphs alone, so the time does not
    grow with the store), check its entities against what the other policies say of them,
    copy the current store (a cheap checkpoint), replace the policy's graphs, the graphs of
    the entities it speaks or spoke of (see :mod:`privacykg.layout`) and its entry of the
    metadata graph there, swap. With ``remote``: replace the same graphs in the remote store."""
    from .shacl_sparql import translate

    path = Path(policy_file)
    if not path.is_file():
        raise UsageError(f"no such annotation file: {path}")
    data = Path(data_dir) if data_dir else path.resolve().parent.parent
    onto = load_ontology(ontology_dir)
    iris = ns.IRIs(base)
    checks = load_checks(Path(queries_dir) / "checks" if queries_dir else DEFAULT_QUERIES_DIR / "checks")
    problems, warnings = [], []
    checked = list(iter_checked([path], onto, iris, data, problems, warnings, shacl=False))
    if problems:
        raise DataError(problems)
    (cp,) = checked
    inferencer = PolicyInferencer(onto)
    laid = lay_out(cp, inferencer, iris)
    entry = PolicyEntry.of(cp, len(laid.own))
    meta_entry = _entry_triples(iris, entry)
    # every shape and check, on this policy's graphs (with the ontology's) only
    validator = PolicyValidator(
        _ontology_nquads(onto, iris), iris.metadata_graph, checks, translate(onto.shapes, iris.base)
    )
    found, rows = validator.run(
        laid.whole,
        cp.graph_iri,
        [cp.graph_iri, laid.inferred_iri, iris.metadata_graph],
        meta_entry.nquads(iris.metadata_graph),
    )
    shape_problems = shacl_problems_of(found, str(cp.path), cp.nodes)
    warnings += [p for p in shape_problems if p.severity != "Violation"]
    violations = [p for p in shape_problems if p.severity == "Violation"]
    violations += check_problems(rows, {cp.graph_iri: str(cp.path), laid.inferred_iri: str(cp.path)})
    if violations:
        raise DataError(violations)
    meta_nt = meta_entry.ntriples()
    meta_update = (
        f"DELETE WHERE {{ GRAPH <{iris.metadata_graph}> {{ <{cp.graph_iri}> ?p ?o }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{iris.metadata_graph}> {{\n{meta_nt}}} }}"
    )
    own = {cp.graph_iri: laid.own, laid.inferred_iri: laid.own_inferred}

    def entity_graphs(dataset) -> dict[str, Triples]:
        graphs, others = entity_graphs_after(dataset, cp.graph_iri, laid.entities, inferencer, iris)
        conflicts = stored_identity_problems(dataset, onto, cp, laid.entities, others, iris)
        if conflicts:
            raise DataError(conflicts)
        return graphs

    if remote is not None:
        from .remote import RemoteDataset

        graphs = {**own, **entity_graphs(RemoteDataset(remote))}
        _replace_remote(remote, graphs, meta_update)
        return Report(policies=[cp.key], warnings=warnings, graphs=[cp.graph_iri])
    target, quads = _replace_local(store, own, entity_graphs, meta_update)
    return Report(policies=[cp.key], warnings=warnings, quads=quads, store=target, graphs=[cp.graph_iri])


def remove(
    policy: str,
    version: str,
    store: Path | str | None = None,
    *,
    ontology_dir: Path | str | None = None,
    base: str = ns.DEFAULT_BASE,
    remote=None,
) -> Report:
    """Remove one policy version from a built store (or a remote one): its graphs, its entry of
    the metadata graph, and whatever only it said of an entity (an entity no policy names any
    more goes with its graphs).
    """
    onto = load_ontology(ontology_dir)
    iris = ns.IRIs(base)
    graph = iris.graph(policy, version)
    own = {graph: Triples(), iris.inferred(policy, version): Triples()}
    meta_update = (
        f"DELETE WHERE {{ GRAPH <{iris.metadata_graph}> {{ <{graph}> ?p ?o }} }} ;\n"
        f"DELETE WHERE {{ GRAPH <{iris.metadata_graph}> {{ ?dataset ?subset <{graph}> }} }}"
    )
    inferencer = PolicyInferencer(onto)

    def entity_graphs(dataset) -> dict[str, Triples]:
        if graph not in {g.value for g in dataset.named_graphs()}:
            raise UsageError(f"the store has no policy {policy} version {version} (graph <{graph}>)")
        return entity_graphs_after(dataset, graph, {}, inferencer, iris)[0]

    if remote is not None:
        from .remote import RemoteDataset

        _replace_remote(remote, {**own, **entity_graphs(RemoteDataset(remote))}, meta_update)
        return Report(policies=[f"{policy}-{version}"], graphs=[graph])
    target, _ = _replace_local(store, own, entity_graphs, meta_update)
    return Report(policies=[f"{policy}-{version}"], store=target, graphs=[graph])


def stored_identity_problems(
    dataset,
    onto: Ontology,
    cp: CompiledPolicy,
    entities: dict[str, Triples],
    others: dict[str, dict[str, list[tuple[str, str]]]],
    iris: ns.IRIs,
) -> list[Problem]:
    """Each entity of ``cp`` that another stored policy describes otherwise."""
    out = []
    for term, ts in entities.items():
        here = Identity.of([(p, o) for _s, p, o in ts], onto, str(cp.path), cp.nodes.get(term[1:-1], (None, ""))[0])
        for graph, pairs in sorted(others.get(term, {}).items()):
            there = Identity.of(pairs, onto, annotation_file(dataset, graph, iris))
            differences = here.conflicts(there)
            if differences:
                out.append(conflict_problem(entity_key(term, iris), here, there, differences))
                break
    return out


def _replace_remote(remote, graphs: dict[str, Triples], meta_update: str) -> None:
    """Replace (or, given no triples, drop) each graph of a remote store, then the metadata entry."""
    from .remote_build import push_graphs

    keep = [g for g, ts in graphs.items() if ts]
    push_graphs(remote, keep, lambda g: graphs[g].ntriples())
    for g, ts in graphs.items():
        if not ts:
            remote.drop_graph(g)
    remote.update(meta_update)


def _replace_local(store, own: dict[str, Triples], entity_graphs: Callable, meta_update: str) -> tuple[Path, int]:
    """In a copy of the current store: replace (or, given no triples, drop) the graphs ``own``
    and those ``entity_graphs(store copy)`` gives, run ``meta_update``, then swap the copy in.
    Returns the store's path and the number of quads written."""
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
        graphs = {**own, **entity_graphs(st)}
        st.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        st.load("".join(ts.nquads(g) for g, ts in graphs.items()), format=ox.RdfFormat.N_QUADS)
        st.update(meta_update)
        st.flush()
        del st
        swap_in(target, new_dir)
    except BaseException:
        discard(new_dir)
        raise
    return target, sum(len(ts) for ts in graphs.values())


def shacl_problems_of(found: list[tuple], file: str, nodes: dict[str, tuple]) -> list[Problem]:
    """Problems of SPARQL shape results (shape, graph, focus node) on one policy's graphs,
    naming the file, the line and the field of the node."""
    return [_shape_problem(sq, file, nodes, focus) for sq, _graph, focus in found]


def _shape_problem(sq, file: str, nodes: dict[str, tuple], focus) -> Problem:
    """A shape's result on a focus node, as a problem of ``file`` at the node's line and field
    (``nodes``: node -> (line, field), as compiling the file gives them)."""
    line, where = nodes.get(focus, (None, ns.compact(focus)))
    return Problem(
        file,
        sq.message,
        line=line,
        field=where,
        rule=sq.shape,
        severity=sq.severity,
        hint=f"rule {sq.shape} in ontology/shapes/",
    )
