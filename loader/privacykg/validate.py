"""Validation: the SHACL shapes of ``ontology/shapes/`` (pySHACL, or translated to SPARQL by
:mod:`privacykg.shacl_sparql`) and the integrity checks of ``queries/checks/*-violation.rq``
(zero rows = sound), each run on one policy's graphs with the ontology's (:class:`PolicyValidator`).

Only Violations fail a build; Warnings are reported and advise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from . import namespaces as ns
from .errors import Problem
from .ontology import Ontology

SH = ns.SH


@dataclass(frozen=True)
class ShaclResult:
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str  # compact IRI of the source shape, e.g. pkgsh:ProcessHasPurpose
    focus: str
    path: str | None
    value: str | None
    message: str


def shacl_validate(data: Graph, onto: Ontology) -> list[ShaclResult]:
    """Run the shapes over ``data`` with the vocabulary alongside; every result, any severity."""
    from pyshacl import validate

    from .ontology import context_graph

    combined = Graph()
    for t in data:
        combined.add(t)
    for t in context_graph(onto, data):
        combined.add(t)
    _conforms, report, text = validate(
        combined,
        shacl_graph=onto.shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
    )
    if not hasattr(report, "subjects"):  # pySHACL could not run the shapes at all
        raise RuntimeError(f"the SHACL shapes could not be run: {text}")
    out = []
    shapes_ns = "https://w3id.org/privacykg/shapes#"
    nested = set(onto.shapes.objects(None, URIRef(SH + "node")))
    for lst in onto.shapes.objects(None, URIRef(SH + "or")):
        nested.update(onto.shapes.items(lst))
    for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):

        def val(p, r=r):
            v = report.value(r, URIRef(SH + p))
            return None if v is None else str(v)

        shape = report.value(r, URIRef(SH + "sourceShape"))
        shape_name = str(shape) if shape is not None else "?"
        if shape_name.startswith(shapes_ns):
            shape_name = "pkgsh:" + shape_name[len(shapes_ns) :]
        else:
            # property shapes nested in a named node shape: report the named parent
            parent = onto.shapes.value(predicate=URIRef(SH + "property"), object=shape)
            if parent is not None and parent in nested:
                continue  # inside a helper shape used with sh:node: its rule reports the value
            if parent is not None and str(parent).startswith(shapes_ns):
                shape_name = "pkgsh:" + str(parent)[len(shapes_ns) :]
        if shape is not None and shape in nested:
            continue  # a helper shape used with sh:node / sh:or: its rule reports the value
        severity = (val("resultSeverity") or SH + "Violation")[len(SH) :]
        path = val("resultPath")
        out.append(
            ShaclResult(
                severity,
                shape_name,
                val("focusNode") or "",
                ns.compact(path) if path else None,
                val("value"),
                val("resultMessage") or "",
            )
        )
    return sorted(out, key=lambda r: (r.severity, r.shape, r.focus, r.value or ""))


def shacl_problems(results: list[ShaclResult], file: str, nodes: dict[str, tuple] | None = None) -> list[Problem]:
    """Turn SHACL results into problems that name the file, the line and the field of the
    annotation file the focus node came from."""
    nodes = nodes or {}
    out = []
    for r in results:
        line, where = nodes.get(r.focus, (None, ns.compact(r.focus)))
        field = where + (
            f".{ns.compact(r.path).partition(':')[2] or r.path}" if r.path and not r.path.startswith("[") else ""
        )
        value = f" (value {ns.compact(r.value)})" if r.value and ns.compact(r.value) not in r.message else ""
        out.append(
            Problem(
                file,
                r.message + value,
                line=line,
                field=field,
                rule=r.shape,
                severity=r.severity,
                hint=f"rule {r.shape} in ontology/shapes/",
            )
        )
    return out


@dataclass(frozen=True)
class Check:
    """An integrity check: a SELECT whose rows are violations."""

    path: Path
    name: str
    text: str
    question: str = ""


def load_checks(directory: Path) -> list[Check]:
    from .queries import parse_query_text

    out = []
    for p in sorted(directory.glob("*-violation.rq")):
        text = p.read_text(encoding="utf-8")
        out.append(Check(p, p.stem, text, parse_query_text(text, p).question))
    return out


def check_rows(store, checks: list[Check], named_graphs: list[str] | None = None) -> list[tuple[Check, dict]]:
    """Run the integrity checks on ``store`` (the default graph is the union of its graphs; with
    ``named_graphs``, ``GRAPH ?graph`` ranges over those only): each row is a violation, as
    (check, {variable: (value, is an IRI)})."""
    import pyoxigraph as ox

    from .errors import UsageError

    named = [ox.NamedNode(g) for g in named_graphs] if named_graphs is not None else None
    out = []
    for check in checks:
        try:
            result = store.query(check.text, use_default_graph_as_union=True, named_graphs=named)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from None
        variables = [v.value for v in result.variables]
        for sol in result:
            out.append(
                (check, {v: (sol[v].value, isinstance(sol[v], ox.NamedNode)) for v in variables if sol[v] is not None})
            )
    return out


def check_problems(rows: list[tuple[Check, dict]], files: dict[str, str] | None = None) -> list[Problem]:
    """Problems of check rows, naming the check and the annotation file of the row's graph,
    in the order of the checks."""
    files = files or {}
    order = {}
    for check, _ in rows:
        order.setdefault(check.name, len(order))
    problems = []
    for check, values in sorted(rows, key=lambda r: order[r[0].name]):
        values = dict(values)
        graph = values.pop("graph", None)
        focus = ", ".join(f"{k} {ns.compact(value) if is_iri else value}" for k, (value, is_iri) in values.items())
        where = files.get(graph[0], ns.compact(graph[0])) if graph is not None else "the dataset"
        problems.append(
            Problem(
                where,
                f"{check.question or check.name}: {focus}",
                rule=check.name,
                hint=f"integrity check {check.path.name}",
            )
        )
    return problems


class PolicyValidator:
    """The SHACL shapes (as SPARQL, see :mod:`privacykg.shacl_sparql`) and the integrity
    checks, run on one policy at a time: on a small in-memory store that holds the ontology's
    graphs and, in turn, each policy's graphs.

    This is what pySHACL validates too (a policy graph with its vocabulary): a value is read
    from the policy's own graphs or the ontology's, never from another policy's. The integrity
    checks each look inside one graph (and at the vocabulary's labels), so they find there what
    they find in the whole store. Each policy is removed before the next, and the store is
    made anew now and then, so memory stays flat however many policies pass through."""

    RENEW_EVERY = 8  # policies: an in-memory store slows down as quads are removed from it

    def __init__(self, ontology_nquads: str, metadata_graph: str, checks: list[Check], shapes: list):
        import pyoxigraph as ox

        self._ox = ox
        self._ontology = ontology_nquads.encode()
        self.store = None
        self._runs = 0
        self.metadata_graph = metadata_graph
        self.checks = checks
        self.shapes = shapes
        self._found: list[tuple] = []
        self._rows: list[tuple] = []

    def submit(self, nquads: bytes | str, policy_graph: str, checked_graphs: list[str]) -> None:
        """Validate one policy now, keeping the results for :meth:`results`."""
        found, rows = self.run(nquads, policy_graph, checked_graphs)
        self._found += found
        self._rows += rows

    def results(self) -> tuple[list[tuple], list[tuple[Check, dict]]]:
        """The results of every policy submitted."""
        return self._found, self._rows

    def __enter__(self) -> PolicyValidator:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def run(
        self, nquads: bytes | str, policy_graph: str, checked_graphs: list[str], metadata_nquads: str = ""
    ) -> tuple[list[tuple], list[tuple[Check, dict]]]:
        """Load ``nquads`` (the policy's graphs, all among ``checked_graphs``; UTF-8 or text)
        and the policy's entry of the metadata graph (at least ``<policy_graph> a
        pkg:PolicyGraph``), run the shapes (on ``policy_graph``) and the checks (on
        ``checked_graphs``), then remove them again. Returns (shape results as
        ``validate_store`` gives them, check rows)."""
        ox = self._ox
        if self.store is None or self._runs % self.RENEW_EVERY == 0:
            self.store = ox.Store()
            self.store.load(self._ontology, format=ox.RdfFormat.N_QUADS)
        self._runs += 1
        meta = f"<{policy_graph}> <{ns.RDF}type> <{ns.PKG}PolicyGraph> <{self.metadata_graph}> .\n" + metadata_nquads
        graphs = [ox.NamedNode(g) for g in dict.fromkeys([*checked_graphs, policy_graph, self.metadata_graph])]
        data = nquads + meta.encode() if isinstance(nquads, bytes) else (nquads + meta).encode()
        self.store.load(data, format=ox.RdfFormat.N_QUADS)
        try:
            found = []
            # GRAPH ?graph is this policy's graph: the same results as over all the graphs here
            # (the focus nodes are in policy graphs), without reading the ontology's
            this_graph = {ox.Variable("graph"): ox.NamedNode(policy_graph)}
            for sq in self.shapes:
                for sol in self.store.query(
                    sq.query, use_default_graph_as_union=True, named_graphs=graphs, substitutions=this_graph
                ):
                    found.append((sq, policy_graph, sol["this"].value if sol["this"] is not None else ""))
            rows = check_rows(self.store, self.checks, checked_graphs)
        finally:
            for g in graphs:
                self.store.remove_graph(g)
        return found, rows


def serve_validator() -> None:
    """The child process of :class:`ValidatorProcess`: read the validator's arguments, then
    policies, from standard input (pickled), validate each, and when the input ends write back
    every result (or the error that stopped it)."""
    import pickle
    import sys

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to standard error, not into the results
    inp = sys.stdin.buffer
    try:
        validator = PolicyValidator(*pickle.load(inp))
        while (item := pickle.load(inp)) is not None:
            validator.submit(*item)
        reply = ("ok", *validator.results())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        reply = ("error", exc, None)
    try:
        try:
            pickle.dump(reply, out)
        except (pickle.PicklingError, TypeError, AttributeError):  # not picklable: its text then
            pickle.dump(("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}"), None), out)
        out.close()
    except OSError:
        pass  # the build stopped listening: it has its own error to report


class ValidatorProcess:
    """A :class:`PolicyValidator` in a child process, so that a build validates on one core
    while it compiles on the other (pyoxigraph holds the interpreter lock for much of its
    work, so a thread would not do). Policies are handed over as they are compiled, the
    results come back at the end; the pipe's bounded size keeps memory flat. Use it as a
    context manager (the child is stopped when the block is left)."""

    def __init__(self, ontology_nquads: str, metadata_graph: str, checks: list[Check], shapes: list):
        import pickle
        import subprocess
        import sys

        package_parent = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])))
        self._pickle = pickle
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from privacykg.validate import serve_validator; serve_validator()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._send((ontology_nquads, metadata_graph, checks, shapes))

    def _send(self, obj) -> None:
        try:
            self._pickle.dump(obj, self._proc.stdin)
        except (BrokenPipeError, ConnectionResetError):
            self.results()  # raises what stopped the child

    def submit(self, nquads: bytes | str, policy_graph: str, checked_graphs: list[str]) -> None:
        """Hand over one policy (as :meth:`PolicyValidator.run` takes it)."""
        self._send((nquads, policy_graph, checked_graphs))

    def results(self) -> tuple[list[tuple], list[tuple[Check, dict]]]:
        """Every result, once all policies were handed over."""
        try:
            self._pickle.dump(None, self._proc.stdin)
            self._proc.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            status, found, rows = self._pickle.load(self._proc.stdout)
        except EOFError:
            raise RuntimeError(f"the validating process stopped (exit status {self._proc.wait()})") from None
        if status == "error":
            raise found
        return found, rows

    def __enter__(self) -> ValidatorProcess:
        return self

    def __exit__(self, *exc) -> None:
        import subprocess

        for f in (self._proc.stdin, self._proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            self._proc.wait(5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
