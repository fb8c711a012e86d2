"""The same SHACL shapes, evaluated set-wise as SPARQL on the built store.

pySHACL checks one policy graph at a time and costs about half a second a policy; a corpus of
10,000 policies would spend over an hour there. This module translates each shape of
``ontology/shapes/`` (the SHACL Core features they use: targetClass / targetObjectsOf /
targetSubjectsOf; predicate, sequence, inverse, alternative and zero-or-more paths; minCount 1,
maxCount 1, datatype, nodeKind, hasValue, node, or, not; and SPARQL-based constraints) into one
SELECT per shape that finds every focus node that does not conform, in every policy graph at
once. Unsupported features raise, so a new shape cannot be skipped silently, and
``tests/test_shacl_engines.py`` checks that both engines report the same rules on every case.

The two shapes about undeclared terms (targets ``pkg:UsedDPVTerm`` / ``pkg:UsedExtensionTerm``,
which exist only in the graph the loader hands pySHACL) are covered here by the integrity check
``queries/checks/undeclared-term-violation.rq``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from . import namespaces as ns

SH = ns.SH
S = lambda local: URIRef(SH + local)  # noqa: E731
SKIP_TARGET_CLASSES = {ns.PKG + "UsedDPVTerm", ns.PKG + "UsedExtensionTerm"}


class UnsupportedShape(Exception):
    pass


@dataclass
class ShapeQuery:
    """One shape as a SELECT of ``?graph ?this``: the focus nodes that do not conform."""

    shape: str  # pkgsh:Name
    severity: str
    message: str
    query: str


def _iri(t) -> str:
    if not isinstance(t, URIRef):
        raise UnsupportedShape(f"expected an IRI, got {t!r}")
    return f"<{t}>"


def _term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        return t.n3()
    raise UnsupportedShape(f"unsupported term {t!r}")


class _Translator:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.ids = count()

    def var(self) -> str:
        return f"?v{next(self.ids)}"

    def path(self, p) -> str:
        g = self.g
        if isinstance(p, URIRef):
            return f"<{p}>"
        if (p, RDF.first, None) in g:
            return "/".join(self.path(x) for x in Collection(g, p))
        inv = g.value(p, S("inversePath"))
        if inv is not None:
            return f"^({self.path(inv)})"
        alt = g.value(p, S("alternativePath"))
        if alt is not None:
            return "(" + "|".join(self.path(x) for x in Collection(g, alt)) + ")"
        zom = g.value(p, S("zeroOrMorePath"))
        if zom is not None:
            return f"({self.path(zom)})*"
        oom = g.value(p, S("oneOrMorePath"))
        if oom is not None:
            return f"({self.path(oom)})+"
        raise UnsupportedShape(f"unsupported path {p!r}")

    def conforms(self, x: str, shape) -> str:
        """A SPARQL boolean expression: node ``x`` conforms to ``shape``."""
        g = self.g
        parts = []
        known = {
            S("path"),
            S("property"),
            S("or"),
            S("not"),
            S("node"),
            S("minCount"),
            S("maxCount"),
            S("datatype"),
            S("nodeKind"),
            S("hasValue"),
            S("message"),
            S("severity"),
            S("targetClass"),
            S("targetObjectsOf"),
            S("targetSubjectsOf"),
            S("sparql"),
            RDF.type,
            S("name"),
            S("description"),
        }
        for p in set(g.predicates(shape, None)):
            if p not in known:
                raise UnsupportedShape(f"{shape}: unsupported SHACL feature {p}")
        path = g.value(shape, S("path"))
        if path is not None:
            parts.append(self.value_constraints(x, self.path(path), shape))
        else:
            for sub in g.objects(shape, S("or")):
                parts.append("(" + " || ".join(self.conforms(x, s) for s in Collection(g, sub)) + ")")
            for sub in g.objects(shape, S("not")):
                parts.append("!(" + self.conforms(x, sub) + ")")
            for sub in g.objects(shape, S("node")):
                parts.append(self.conforms(x, sub))
            for hv in g.objects(shape, S("hasValue")):
                parts.append(f"({x} = {_term(hv)})")
        for prop in g.objects(shape, S("property")):
            parts.append(self.conforms(x, prop))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def value_constraints(self, x: str, path: str, shape) -> str:
        g = self.g
        out = []
        mc = g.value(shape, S("minCount"))
        if mc is not None:
            if int(mc) != 1:
                raise UnsupportedShape(f"{shape}: minCount {mc} (only 1 is supported)")
            out.append(f"EXISTS {{ {x} {path} {self.var()} }}")
        mx = g.value(shape, S("maxCount"))
        if mx is not None:
            if int(mx) != 1:
                raise UnsupportedShape(f"{shape}: maxCount {mx} (only 1 is supported)")
            v, v2 = self.var(), self.var()
            out.append(f"NOT EXISTS {{ {x} {path} {v}, {v2} FILTER ({v} != {v2}) }}")
        dt = g.value(shape, S("datatype"))
        if dt is not None:
            v = self.var()
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!isLiteral({v}) || datatype({v}) != <{dt}>) }}")
        nk = g.value(shape, S("nodeKind"))
        if nk is not None:
            test = {S("IRI"): "isIRI", S("Literal"): "isLiteral", S("BlankNode"): "isBlank"}.get(nk)
            if test is None:
                raise UnsupportedShape(f"{shape}: nodeKind {nk}")
            v = self.var()
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!{test}({v})) }}")
        for hv in g.objects(shape, S("hasValue")):
            out.append(f"EXISTS {{ {x} {path} {_term(hv)} }}")
        for sub in g.objects(shape, S("node")):
            v = self.var()
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!{self.conforms(v, sub)}) }}")
        for lst in g.objects(shape, S("or")):
            v = self.var()
            alts = " || ".join(self.conforms(v, s) for s in Collection(g, lst))
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!({alts})) }}")
        for sub in g.objects(shape, S("not")):
            v = self.var()
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER ({self.conforms(v, sub)}) }}")
        return "(" + " && ".join(out) + ")" if out else "true"


class _SetTranslator(_Translator):
    """Violations as positive patterns and MINUS (hash joins), not per-row EXISTS: a focus node
    violates a shape when one of the returned group patterns matches it.

    Each step of a path is its own sub-SELECT, so the store answers it with one scan of that
    predicate and joins the steps (and the focus nodes) by hashing, not with a look-up per
    focus node and step (which on an on-disk store costs far more than the scans)."""

    @staticmethod
    def _select(pattern: str, *terms: str) -> str:
        """``pattern`` as a sub-SELECT projecting those of ``terms`` that are variables."""
        variables = " ".join(dict.fromkeys(t for t in terms if t.startswith("?")))
        return f"{{ SELECT {variables or '*'} WHERE {{ {pattern} }} }}"

    def step(self, p, x: str, y: str) -> str:
        """A pattern matching ``x`` and ``y`` linked by the SHACL path ``p``."""
        g = self.g
        if isinstance(p, URIRef):
            return self._select(f"{x} <{p}> {y} .", x, y)
        if (p, RDF.first, None) in g:
            steps = list(Collection(g, p))
            nodes = [x] + [self.var() for _ in steps[:-1]] + [y]
            return " ".join(self.step(q, nodes[i], nodes[i + 1]) for i, q in enumerate(steps))
        inv = g.value(p, S("inversePath"))
        if inv is not None:
            return self.step(inv, y, x)
        alt = g.value(p, S("alternativePath"))
        if alt is not None:
            return "{ " + " UNION ".join("{ " + self.step(q, x, y) + " }" for q in Collection(g, alt)) + " }"
        # zero-or-more / one-or-more: a property path; alone only when one end is fixed (else it
        # would walk from every node of the store), otherwise joined where it stands
        pattern = f"{x} {self.path(p)} {y} ."
        return self._select(pattern, x, y) if not (x.startswith("?") and y.startswith("?")) else pattern

    def conf(self, x: str, shape) -> str | None:
        """A positive pattern that matches exactly when ``x`` conforms to a simple shape."""
        g = self.g
        path = g.value(shape, S("path"))
        props = list(g.objects(shape, S("property")))
        if path is None:
            if len(props) == 1 and not set(g.predicates(shape, None)) - {S("property"), RDF.type}:
                return self.conf(x, props[0])
            return None
        preds = set(g.predicates(shape, None)) - {S("path"), S("message"), S("severity"), RDF.type}
        hv = list(g.objects(shape, S("hasValue")))
        if preds == {S("hasValue")} and len(hv) == 1:
            return self.step(path, x, _term(hv[0]))
        if preds == {S("minCount")} and int(g.value(shape, S("minCount"))) == 1:
            return self.step(path, x, self.var())
        if preds == {S("minCount"), S("datatype")} and int(g.value(shape, S("minCount"))) == 1:
            v = self.var()
            return self._select(
                f"{self.step(path, x, v)} FILTER (isLiteral({v}) && datatype({v}) = <{g.value(shape, S('datatype'))}>)",
                x,
            )
        return None

    def viol(self, x: str, shape, base: str) -> list[str] | None:
        """Group patterns (each including ``base``) matching when ``x`` violates ``shape``;
        None when the shape is not simple enough (the caller then uses EXISTS).

        The focus nodes (``base``) are joined as few times as the shape allows: one pattern
        for all the values a node must have (it lacks one when it does not match them all),
        one for all the values it must not have, and one per ``sh:or`` of the node."""
        parts = {"required": [], "violating": [], "whole": []}
        if not self._collect(x, shape, base, parts):
            return None
        out = list(parts["whole"])
        if parts["required"]:
            having = " ".join(f"{{ SELECT DISTINCT {x} WHERE {{ {p} }} }}" for p in parts["required"])
            out.append(f"{base} MINUS {{ {having} }}")
        if parts["violating"]:
            union = " UNION ".join(f"{{ {p} }}" for p in parts["violating"])
            out.append(f"{base} {{ SELECT DISTINCT {x} WHERE {{ {union} }} }}")
        return out

    def _collect(self, x: str, shape, base: str, parts: dict[str, list[str]]) -> bool:
        """Sort the constraints of ``shape`` on ``x`` into ``parts``: ``required`` (patterns
        every conforming node matches), ``violating`` (patterns that match exactly the nodes
        that do not conform, whether focus nodes or not) and ``whole`` (patterns including
        ``base``). False when a constraint is not supported here."""
        g = self.g
        path = g.value(shape, S("path"))
        for prop in g.objects(shape, S("property")):
            if not self._collect(x, prop, base, parts):
                return False
        if path is None:
            for lst in g.objects(shape, S("or")):
                minus, joins = [], []
                for alt in Collection(g, lst):
                    negated = g.value(alt, S("not"))
                    if negated is not None and len(set(g.predicates(alt, None)) - {RDF.type}) == 1:
                        c = self.conf(x, negated)
                        if c is None:
                            return False
                        joins.append(c)  # violating "not X" = conforming to X
                        continue
                    c = self.conf(x, alt)
                    if c is None:
                        return False
                    minus.append(c)
                parts["whole"].append(base + " " + " ".join(joins) + "".join(f" MINUS {{ {c} }}" for c in minus))
            for sub in g.objects(shape, S("node")):
                if not self._collect(x, sub, base, parts):
                    return False
            return not set(g.predicates(shape, None)) & {S("not"), S("hasValue")}
        required, violating = parts["required"], parts["violating"]
        mc = g.value(shape, S("minCount"))
        if mc is not None:
            if int(mc) != 1:
                return False
            required.append(self.step(path, x, self.var()))
        mx = g.value(shape, S("maxCount"))
        if mx is not None:
            if int(mx) != 1:
                return False
            v = self.var()  # more than one distinct value node, as SHACL counts them
            violating.append(
                f"SELECT {x} WHERE {{ {self.step(path, x, v)} }} GROUP BY {x} HAVING (COUNT(DISTINCT {v}) > 1)"
            )
        dt = g.value(shape, S("datatype"))
        if dt is not None:
            v = self.var()
            violating.append(f"{self.step(path, x, v)} FILTER (!isLiteral({v}) || datatype({v}) != <{dt}>)")
        nk = g.value(shape, S("nodeKind"))
        if nk is not None:
            test = {S("IRI"): "isIRI", S("Literal"): "isLiteral", S("BlankNode"): "isBlank"}.get(nk)
            if test is None:
                return False
            v = self.var()
            violating.append(f"{self.step(path, x, v)} FILTER (!{test}({v}))")
        for hv in g.objects(shape, S("hasValue")):
            required.append(self.step(path, x, _term(hv)))
        for sub in g.objects(shape, S("node")):
            v = self.var()
            c = self.conf(v, sub)
            if c is None:
                return False
            violating.append(f"{self._select(self.step(path, x, v), x, v)} MINUS {{ {c} }}")
        for lst in g.objects(shape, S("or")):
            v = self.var()
            cs = [self.conf(v, a) for a in Collection(g, lst)]
            if any(c is None for c in cs):
                return False
            violating.append(self._select(self.step(path, x, v), x, v) + "".join(f" MINUS {{ {c} }}" for c in cs))
        return g.value(shape, S("not")) is None


def _prefixes(shapes: Graph, constraint) -> str:
    lines = []
    for decl_owner in shapes.objects(constraint, S("prefixes")):
        for decl in shapes.objects(decl_owner, S("declare")):
            lines.append(f"PREFIX {shapes.value(decl, S('prefix'))}: <{shapes.value(decl, S('namespace'))}>")
    return "\n".join(lines) + "\n"


def translate(shapes: Graph, base: str = ns.DEFAULT_BASE, *, set_based: bool = True) -> list[ShapeQuery]:
    """One query per shape that has targets; each returns ?graph ?this for the focus nodes of
    the policy graphs (those the metadata graph lists) that do not conform. Shapes are
    translated set-wise where they can be, else (or with ``set_based=False``) with EXISTS."""
    out = []
    tr = _Translator(shapes)
    st = _SetTranslator(shapes)
    shapes_ns = "https://w3id.org/privacykg/shapes#"
    for shape in sorted(
        {s for p in ("targetClass", "targetObjectsOf", "targetSubjectsOf") for s in shapes.subjects(S(p), None)},
        key=str,
    ):
        name = "pkgsh:" + str(shape)[len(shapes_ns) :] if str(shape).startswith(shapes_ns) else str(shape)
        targets = []
        for c in shapes.objects(shape, S("targetClass")):
            if str(c) in SKIP_TARGET_CLASSES:
                continue
            targets.append(f"?this <{ns.RDF}type> {_iri(c)} .")
        for p in shapes.objects(shape, S("targetObjectsOf")):
            targets.append(f"?focus_s {_iri(p)} ?this .")
        for p in shapes.objects(shape, S("targetSubjectsOf")):
            targets.append(f"?this {_iri(p)} ?focus_o .")
        if not targets:
            continue
        target = " UNION ".join("{ GRAPH ?graph { " + t + " } }" for t in targets)
        policy_graph = (
            f"FILTER EXISTS {{ GRAPH <{ns.IRIs(base).metadata_graph}> {{ ?graph a <{ns.PKG}PolicyGraph> }} }}"
        )
        # the focus nodes, once, as a set to join with (the policy graphs joined, not tested a row at a time)
        focus = (
            f"{{ SELECT DISTINCT ?graph ?this WHERE {{ {{ {target} }} {{ SELECT ?graph WHERE {{ GRAPH "
            f"<{ns.IRIs(base).metadata_graph}> {{ ?graph a <{ns.PKG}PolicyGraph> }} }} }} }} }}"
        )
        severity = str(shapes.value(shape, S("severity")) or SH + "Violation")[len(SH) :]
        message = str(shapes.value(shape, S("message")) or "")
        sparqls = list(shapes.objects(shape, S("sparql")))
        if sparqls:
            for c in sparqls:
                select = str(shapes.value(c, S("select")))
                sev = str(shapes.value(c, S("severity")) or shapes.value(shape, S("severity")) or SH + "Violation")[
                    len(SH) :
                ]
                msg = str(shapes.value(c, S("message")) or message)
                body = select.replace("$this", "?this")
                where = body[body.index("{") :]
                q = (
                    _prefixes(shapes, c)
                    + "SELECT DISTINCT ?graph ?this WHERE { "
                    + target
                    + " "
                    + policy_graph
                    + " GRAPH ?graph { SELECT * "
                    + where
                    + " } }"
                )
                out.append(ShapeQuery(name, sev, msg, q))
            continue
        patterns = st.viol("?this", shape, focus) if set_based else None
        if patterns:
            q = "SELECT DISTINCT ?graph ?this WHERE { " + " UNION ".join("{ " + p + " }" for p in patterns) + " }"
        else:
            cond = tr.conforms("?this", shape)
            q = f"SELECT DISTINCT ?graph ?this WHERE {{ {target} {policy_graph} FILTER (!{cond}) }}"
        out.append(ShapeQuery(name, severity, message, q))
    return out


def validate_store(
    store: ox.Store, shapes: Graph, base: str = ns.DEFAULT_BASE, *, set_based: bool = True
) -> list[tuple[ShapeQuery, str, str]]:
    """Every (shape, graph, focus node) that does not conform, over all policy graphs."""
    found = []
    for sq in translate(shapes, base, set_based=set_based):
        for sol in store.query(sq.query, use_default_graph_as_union=True):
            found.append((sq, sol["graph"].value, sol["this"].value if sol["this"] is not None else ""))
    return found
