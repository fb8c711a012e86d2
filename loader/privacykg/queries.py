"""The query library (``queries/``) and running SPARQL with bound parameters.

A query file starts with a header of ``#`` lines the tools read::

    # id: cq01
    # question: Which controllers transfer personal data outside the EEA, to where, under which safeguard?
    # column controller: the controller's name
    # param country (iri) = loc:US: the destination country

The rest is plain SPARQL with its ``PREFIX`` lines, runnable as it is in any SPARQL tool.
Parameters are bound as values of the query's variables (pyoxigraph substitutions), never
formatted into the query text.

>>> q = parse_query_text("# id: demo\\n# question: What?\\n# param x (iri) = dpv:Marketing: a term\\nSELECT ?x {}\\n")
>>> q.id, q.params[0].name, q.params[0].default
('demo', 'x', 'dpv:Marketing')
>>> bind_value("loc:US", "iri")
<NamedNode value=https://w3id.org/dpv/loc#US>
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .resources import QUERIES_DIR as DEFAULT_QUERIES_DIR

PARAM_TYPES = ("iri", "string", "date", "integer", "literal")
HEADER_RE = re.compile(r"^#\s*(id|question|title|description|column|param|kind)\b\s*(.*)$")
PARAM_RE = re.compile(r"^(\w+)\s*\((\w+)(?:,\s*(optional|required))?\)\s*(?:=\s*(\S+))?\s*:\s*(.*)$")
COLUMN_RE = re.compile(r"^\??(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str
    required: bool = False


@dataclass
class LibraryQuery:
    id: str
    question: str
    text: str
    path: Path | None = None
    kind: str = "cq"
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)


def parse_query_text(text: str, path: Path | None = None) -> LibraryQuery:
    qid, question, kind, desc = None, "", "cq", []
    columns: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = HEADER_RE.match(line)
        if not m:
            continue
        key, rest = (
            m.group(1),
            m.group(2).lstrip(":").strip()
            if m.group(1) in ("id", "question", "title", "description", "kind")
            else m.group(2).strip(),
        )
        if key == "id":
            qid = rest
        elif key in ("question", "title"):
            question = rest
        elif key == "description":
            desc.append(rest)
        elif key == "kind":
            kind = rest
        elif key == "column":
            cm = COLUMN_RE.match(rest)
            if cm:
                columns[cm.group(1)] = cm.group(2)
        elif key == "param":
            pm = PARAM_RE.match(rest)
            if not pm or pm.group(2) not in PARAM_TYPES:
                raise UsageError(
                    f"{path or 'query'}: bad param header '{line}': write "
                    "'# param NAME (iri|string|date|integer) = DEFAULT: what it is'"
                )
            params.append(Param(pm.group(1), pm.group(2), pm.group(4), pm.group(5), pm.group(3) == "required"))
    if qid is None:
        qid = path.stem if path else "query"
    return LibraryQuery(qid, question, text, path, kind, " ".join(desc), columns, params)


def load_library(directory: Path | str | None = None) -> dict[str, LibraryQuery]:
    """Every query of ``queries/`` (cq, checks, reports), by id."""
    directory = Path(directory) if directory else DEFAULT_QUERIES_DIR
    out: dict[str, LibraryQuery] = {}
    for path in sorted(directory.rglob("*.rq")):
        q = parse_query_text(path.read_text(encoding="utf-8"), path)
        q.kind = path.parent.name if path.parent != directory else q.kind
        if q.id in out:
            raise UsageError(f"two queries have the id {q.id}: {out[q.id].path} and {path}")
        out[q.id] = q
    return out


def resolve_query(file_or_id: str, directory: Path | str | None = None) -> LibraryQuery:
    """A query from a file path or a library id (``cq01``) or a file stem (``cq01-transfers``)."""
    p = Path(file_or_id)
    if p.suffix == ".rq" or p.is_file():
        if not p.is_file():
            raise UsageError(f"query file not found: {p}")
        return parse_query_text(p.read_text(encoding="utf-8"), p)
    lib = load_library(directory)
    if file_or_id in lib:
        return lib[file_or_id]
    for q in lib.values():
        if q.path and q.path.stem == file_or_id:
            return q
    import difflib

    near = difflib.get_close_matches(file_or_id, list(lib), n=1)
    raise UsageError(
        f"no query '{file_or_id}' in the library"
        + (f"; did you mean {near[0]}?" if near else "; `privacykg queries` lists them")
    )


def bind_value(raw: str, type_: str = "literal"):
    """Turn a parameter's text into an RDF term of its declared type."""
    if type_ == "iri" or (type_ == "literal" and (raw.startswith("<") or _is_curie(raw))):
        if raw.startswith("<") and raw.endswith(">"):
            raw = raw[1:-1]
        elif _is_curie(raw):
            raw = ns.expand(raw)
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", raw):
            raise UsageError(f"'{raw}' is not an IRI")
        return ox.NamedNode(raw)
    if type_ == "date":
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            raise UsageError(f"'{raw}' is not a date (YYYY-MM-DD)")
        return ox.Literal(raw, datatype=ox.NamedNode(ns.XSD + "date"))
    if type_ == "integer":
        if not re.match(r"^-?\d+$", raw):
            raise UsageError(f"'{raw}' is not an integer")
        return ox.Literal(raw, datatype=ox.NamedNode(ns.XSD + "integer"))
    return ox.Literal(raw)


def _is_curie(raw: str) -> bool:
    prefix, sep, local = raw.partition(":")
    return bool(sep) and prefix in ns.PREFIXES and not local.startswith("//")


def substitutions(query: LibraryQuery, given: dict[str, str]) -> dict:
    """The bindings for a run: given values, else declared defaults; unknown names are errors."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown and query.params:
        raise UsageError(
            f"query {query.id} has no parameter {', '.join(unknown)}; it takes: "
            + ", ".join(p.name for p in query.params)
        )
    subs = {}
    for name, raw in given.items():
        p = declared.get(name)
        subs[ox.Variable(name)] = bind_value(raw, p.type if p else "literal")
    for p in query.params:
        if p.name not in given:
            if p.default is not None and p.default != "none":
                subs[ox.Variable(p.name)] = bind_value(p.default, p.type)
            elif p.required:
                raise UsageError(f"query {query.id} needs --param {p.name}=... ({p.description})")
    return subs


def run(store: ox.Store, text: str, subs: dict | None = None, *, union: bool = True, scoped: bool = False):
    """Run SPARQL on the store with the default graph as the union of all graphs.

    With ``scoped`` (a library question) and a ``policy`` bound, the question is asked of that
    policy's dataset only (:func:`policy_dataset`) where that is the cheaper way to the same
    answer (:func:`question_dataset`), without evaluating its patterns over every other policy;
    with ``old`` and ``new`` bound too (two versions, cq36), of those two versions' graphs only. ``store`` is a pyoxigraph store or a
    :class:`~privacykg.remote.RemoteDataset` (where the graphs travel as the protocol's
    ``default-graph-uri`` / ``named-graph-uri``)."""
    subs = subs or {}
    try:
        graphs = question_dataset(store, subs) if scoped else None
        if graphs is not None:
            return store.query(
                text, use_default_graph_as_union=False, default_graph=graphs, named_graphs=graphs, substitutions=subs
            )
        return store.query(text, use_default_graph_as_union=union, substitutions=subs or None)
    except SyntaxError as exc:
        raise UsageError(f"SPARQL syntax error: {exc}") from None


# Asked over a list of graphs, the engine looks each pattern up once per graph; over the union,
# once in all of them. A policy's own graphs pay when they are a small share of the store (one
# notice among thousands: a thousandfold less to read, for a dozen look-ups per pattern), not
# when the policy is a large share of it (a long version history in a small store: 80 graphs
# for 40% of the quads). The share is read from the notices, the look-ups from the graphs.
LOOKUPS_PER_SHARE = 4


def question_dataset(store, subs: dict) -> list[ox.NamedNode] | None:
    """The graphs to ask a library question in, given its parameters: the dataset of the policy
    bound to ``policy`` (:func:`policy_dataset`) when asking there is the cheaper way to the same
    answer, else None (ask over the union of every graph).

    Asking in the policy's graphs pays when the store holds more than ``len(graphs) /
    LOOKUPS_PER_SHARE`` times the notices the policy has; the notices beyond that bound are not
    counted."""
    policy = subs.get(ox.Variable("policy"))
    if not isinstance(policy, ox.Literal):
        return None
    versions = _versions(subs)
    graphs = policy_dataset(store, policy, versions)
    slug = ox.NamedNode(ns.PKG + "policySlug")
    own = len(versions) if versions else sum(1 for _ in store.quads_for_pattern(None, slug, policy, None))
    enough = max(1, own) * len(graphs) // LOOKUPS_PER_SHARE + 1
    stored = sum(1 for _ in itertools.islice(store.quads_for_pattern(None, slug, None, None), enough))
    return graphs if stored >= enough else None


def _versions(subs: dict) -> set[str] | None:
    """The versions a question compares (its ``old`` and ``new`` parameters, both bound), else None."""
    bound = [subs.get(ox.Variable(name)) for name in ("old", "new")]
    if all(isinstance(v, ox.Literal) for v in bound):
        return {v.value for v in bound}
    return None


def policy_dataset(store, policy: ox.Literal, versions: set[str] | None = None) -> list[ox.NamedNode]:
    """The graphs a question about one policy (every version of it, else the given ``versions``,
    version dates) needs: its graphs and inferred graphs, those of the entities it names, and the
    vocabulary's (no library question reads the metadata graph, which grows with the corpus).

    >>> import privacykg, tempfile, pathlib
    >>> s = pathlib.Path(tempfile.mkdtemp()) / "s"
    >>> _ = privacykg.build("data", s)
    >>> names = [g.value.rsplit("graph/", 1)[1] for g in policy_dataset(privacykg.open_store(s), ox.Literal("impro"))]
    >>> names[:2], "entity/google" in names, "inferred/entity/google" in names, "entity/identrics" in names
    (['impro/2018-05-16', 'inferred/impro/2018-05-16'], True, True, False)
    >>> names[-2:]
    ['ontology', 'inferred']
    """
    graphs: dict[str, None] = {}
    entities: dict[str, None] = {}
    iris = ns.IRIs()
    # index look-ups (the notices with that slug, then what each names), not a query: a query
    # would match every notice first and take longer the more policies there are
    slug, mentions = ox.NamedNode(ns.PKG + "policySlug"), ox.NamedNode(ns.PKG + "mentionsEntity")
    date = ox.NamedNode(ns.PKG + "versionDate")
    for q in store.quads_for_pattern(None, slug, policy, None):
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or "graph/" not in g.value:
            continue
        if versions is not None and not any(
            d.object.value in versions for d in store.quads_for_pattern(q.subject, date, None, g)
        ):
            continue
        base, rest = g.value.rsplit("graph/", 1)
        iris = ns.IRIs(base)
        graphs[g.value] = None
        graphs[iris.inferred(*rest.split("/", 1))] = None
        for m in store.quads_for_pattern(q.subject, mentions, None, g):
            if m.object.value.startswith(iris.entity("")):
                entities[m.object.value[len(iris.entity("")) :]] = None
    for key in sorted(entities):
        graphs[iris.entity_graph(key)] = None
        graphs[iris.entity_inferred_graph(key)] = None
    for g in (iris.ontology_graph, iris.inferred_graph):
        graphs[g] = None
    return [ox.NamedNode(g) for g in graphs]


def term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def rows(result) -> tuple[list[str], list[list]]:
    """Variables and rows of a SELECT result, as oxigraph terms."""
    variables = [v.value for v in result.variables]
    return variables, [[sol[v] for v in variables] for sol in result]


def format_result(result, fmt: str = "table") -> str:
    """Serialise a query result: table (for people), csv, tsv, json (SPARQL 1.1 formats)."""
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    if isinstance(result, (ox.QueryTriples, list)):
        return ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=dict(ns.PREFIXES)).decode("utf-8")
    if fmt in ("json", "csv", "tsv", "xml"):
        rf = {
            "json": ox.QueryResultsFormat.JSON,
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
            "xml": ox.QueryResultsFormat.XML,
        }[fmt]
        return result.serialize(format=rf).decode("utf-8")
    variables, data = rows(result)
    texts = [[ns.compact(term_text(t)) if isinstance(t, ox.NamedNode) else term_text(t) for t in r] for r in data]
    widths = [min(60, max([len(v)] + [len(r[i]) for r in texts])) for i, v in enumerate(variables)]
    cut = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731
    out = io.StringIO()
    out.write("  ".join(v.ljust(widths[i]) for i, v in enumerate(variables)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in texts:
        out.write("  ".join(cut(c, widths[i]).ljust(widths[i]) for i, c in enumerate(r)).rstrip() + "\n")
    out.write(f"({len(texts)} row{'s' if len(texts) != 1 else ''})\n")
    return out.getvalue()
