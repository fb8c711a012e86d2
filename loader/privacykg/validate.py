"""Validation: the SHACL shapes of ``ontology/shapes/`` (pySHACL) on each policy graph, and
the integrity checks of ``queries/checks/*-violation.rq`` (zero rows = sound) on the built store.

Only Violations fail a build; Warnings are reported and advise.
"""

from __future__ import annotations

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
        combined, shacl_graph=onto.shapes, inference="none", advanced=True,
        allow_warnings=True, allow_infos=True, meta_shacl=False,
    )
    if not hasattr(report, "subjects"):  # pySHACL could not run the shapes at all
        raise RuntimeError(f"the SHACL shapes could not be run: {text}")
    out = []
    shapes_ns = "https://w3id.org/privacykg/shapes#"
    nested = set(onto.shapes.objects(None, URIRef(SH + "node")))
    for lst in onto.shapes.objects(None, URIRef(SH + "or")):
        nested.update(onto.shapes.items(lst))
    for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        def val(p):
            v = report.value(r, URIRef(SH + p))
            return None if v is None else str(v)

        shape = report.value(r, URIRef(SH + "sourceShape"))
        shape_name = str(shape) if shape is not None else "?"
        if shape_name.startswith(shapes_ns):
            shape_name = "pkgsh:" + shape_name[len(shapes_ns):]
        else:
            # property shapes nested in a named node shape: report the named parent
            parent = onto.shapes.value(predicate=URIRef(SH + "property"), object=shape)
            if parent is not None and parent in nested:
                continue  # inside a helper shape used with sh:node: its rule reports the value
            if parent is not None and str(parent).startswith(shapes_ns):
                shape_name = "pkgsh:" + str(parent)[len(shapes_ns):]
        if shape is not None and shape in nested:
            continue  # a helper shape used with sh:node / sh:or: its rule reports the value
        severity = (val("resultSeverity") or SH + "Violation")[len(SH):]
        path = val("resultPath")
        out.append(ShaclResult(severity, shape_name, val("focusNode") or "", ns.compact(path) if path else None,
                               val("value"), val("resultMessage") or ""))
    return sorted(out, key=lambda r: (r.severity, r.shape, r.focus, r.value or ""))


def shacl_problems(results: list[ShaclResult], file: str, nodes: dict[str, tuple] | None = None) -> list[Problem]:
    """Turn SHACL results into problems that name the file, the line and the field of the
    annotation file the focus node came from."""
    nodes = nodes or {}
    out = []
    for r in results:
        line, where = nodes.get(r.focus, (None, ns.compact(r.focus)))
        field = where + (f".{ns.compact(r.path).partition(':')[2] or r.path}" if r.path and not r.path.startswith("[") else "")
        value = f" (value {ns.compact(r.value)})" if r.value and ns.compact(r.value) not in r.message else ""
        out.append(Problem(file, r.message + value, line=line, field=field, rule=r.shape,
                           severity=r.severity, hint=f"rule {r.shape} in ontology/shapes/"))
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
