"""Compact JSON-LD of a whole dataset, written graph by graph as it streams out of the store.

pyoxigraph writes expanded JSON-LD only: every key and value a full IRI in an array of
objects (3.2 MB for the five policies, half the N-Quads). Here one ``@context`` holds our
prefixes and ``@base`` (the IRI base the data was built with, read from its metadata graph),
so keys and types are CURIEs (``dpv:hasPurpose``), minted IRIs are relative
(``policy/identrics/2018-05-20``), single values are not wrapped in arrays, plain strings are
JSON strings and canonical integers and booleans JSON numbers and booleans. Any JSON-LD
processor reads it as the same quads. Each node is one line, each named graph one
``{"@id": ..., "@graph": [...]}`` object; the default graph's nodes come first.

>>> import io, pyoxigraph as ox
>>> st = ox.Store()
>>> st.add(ox.Quad(ox.NamedNode("https://example.org/kg/policy/a"), ox.NamedNode("https://w3id.org/dpv#hasPurpose"),
...                ox.NamedNode("https://w3id.org/dpv#Marketing"), ox.NamedNode("https://example.org/kg/graph/a")))
>>> out = io.BytesIO()
>>> write_dataset(st, out, {"dpv": "https://w3id.org/dpv#"}, base="https://example.org/kg/")
>>> print(out.getvalue().decode())
{"@context":{"@base":"https://example.org/kg/","dpv":"https://w3id.org/dpv#"},
"@graph":[
{"@id":"graph/a","@graph":[
{"@id":"policy/a","dpv:hasPurpose":{"@id":"dpv:Marketing"}}
]}
]}
<BLANKLINE>
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO

import pyoxigraph as ox

from .errors import UsageError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
INTEGER_RE = re.compile(r"-?(0|[1-9][0-9]*)")


def context(prefixes: dict[str, str], base: str | None = None) -> dict[str, str]:
    """The ``@context``: ``@base`` when usable (an absolute IRI ending in ``/``), then the prefixes."""
    ctx = {"@base": base} if _usable_base(base) else {}
    ctx.update(prefixes)
    return ctx


def _usable_base(base: str | None) -> bool:
    return bool(base) and base.endswith("/") and "://" in base and not any(c in base for c in "?#")


class Compactor:
    """IRIs written short: ``prefix:local`` for the known namespaces, relative to ``@base`` for
    ``@id`` values, else in full, always in a form that expands back to the same IRI."""

    def __init__(self, prefixes: dict[str, str], base: str | None = None):
        self.base = base if _usable_base(base) else None
        # longest namespace first: pkg's https://w3id.org/privacykg/ns# inside the data base
        self._namespaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self._terms = set(prefixes)
        self.vocab = lru_cache(maxsize=65536)(self._vocab)
        self.id = lru_cache(maxsize=65536)(self._id)

    def _vocab(self, iri: str) -> str:
        """For keys, ``@type`` and datatypes: a CURIE or the full IRI."""
        for namespace, prefix in self._namespaces:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if local and not local.startswith("//"):
                    return f"{prefix}:{local}"
                break
        if iri.partition(":")[0] in self._terms:  # would be read as a CURIE of ours
            raise UsageError(f"cannot write the IRI <{iri}> in JSON-LD: its scheme is one of our prefixes")
        return iri

    def _id(self, iri: str) -> str:
        """For ``@id`` values: relative to ``@base`` where that reads back the same, else as :meth:`vocab`."""
        if self.base and iri.startswith(self.base):
            rel = iri[len(self.base) :]
            path = rel.split("?", 1)[0].split("#", 1)[0]
            if (
                rel
                and rel[0] not in "/?#@"
                and ":" not in rel
                and not any(seg in (".", "..") for seg in path.split("/"))
            ):
                return rel
        return self.vocab(iri)


def _node_ref(term, c: Compactor) -> str:
    if isinstance(term, ox.NamedNode):
        return c.id(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    raise UsageError(f"cannot write {term} in JSON-LD (RDF 1.2 triple terms are not supported)")


def _value(term, c: Compactor):
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None):
            raise UsageError(f"cannot write {term} in JSON-LD: literals with a base direction are not supported")
        dt = term.datatype.value
        if dt == XSD_STRING:
            return term.value
        if dt == RDF_LANG_STRING:
            return {"@value": term.value, "@language": term.language}
        if dt == XSD_INTEGER and INTEGER_RE.fullmatch(term.value) and abs(int(term.value)) < 2**53:
            return int(term.value)  # a JSON number reads back as this literal (canonical form only)
        if dt == XSD_BOOLEAN and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": c.vocab(dt)}
    return {"@id": _node_ref(term, c)}


def _add(node: dict, key: str, value) -> None:
    if key not in node:
        node[key] = value
    elif isinstance(node[key], list):
        node[key].append(value)
    else:
        node[key] = [node[key], value]


def nodes(quads: Iterable[ox.Quad], c: Compactor) -> Iterator[dict]:
    """One node object per run of quads with the same subject (a store gives each subject's
    quads together; were they not, the repeated ``@id`` would still merge on reading)."""
    node, subject = None, None
    for q in quads:
        if q.subject != subject:
            if node is not None:
                yield _types_first(node)
            subject = q.subject
            node = {"@id": _node_ref(subject, c)}
        p, o = q.predicate.value, q.object
        if p == RDF_TYPE and isinstance(o, (ox.NamedNode, ox.BlankNode)):
            _add(node, "@type", c.vocab(o.value) if isinstance(o, ox.NamedNode) else "_:" + o.value)
        else:
            _add(node, c.vocab(p), _value(o, c))
    if node is not None:
        yield _types_first(node)


def _types_first(node: dict) -> dict:
    return {"@id": node.pop("@id"), "@type": node.pop("@type"), **node} if "@type" in node else node


def write_dataset(
    store: ox.Store, output: str | os.PathLike | IO[bytes], prefixes: dict[str, str], base: str | None = None
) -> None:
    """Write every quad of ``store`` (the default graph's at the top, then each named graph) as
    compact JSON-LD to a path or a binary stream."""
    c = Compactor(prefixes, base)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if isinstance(output, (str, os.PathLike)):
        with open(output, "w", encoding="utf-8") as f:
            _write(store, f, c, context(prefixes, base), dumps)
    else:
        f = io.TextIOWrapper(output, encoding="utf-8", newline="\n")
        try:
            _write(store, f, c, context(prefixes, base), dumps)
            f.flush()
        finally:
            f.detach()  # the caller's stream stays open


def _write(store: ox.Store, f, c: Compactor, ctx: dict, dumps) -> None:
    f.write('{"@context":' + dumps(ctx) + ',\n"@graph":[')
    first = True

    def item(text: str):
        nonlocal first
        f.write(("\n" if first else ",\n") + text)
        first = False

    for node in nodes(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), c):
        item(dumps(node))
    for g in sorted(store.named_graphs(), key=str):
        head = '{"@id":' + dumps(_node_ref(g, c)) + ',"@graph":['
        inner = True
        for node in nodes(store.quads_for_pattern(None, None, None, g), c):
            if inner:
                item(head + "\n" + dumps(node))
                inner = False
            else:
                f.write(",\n" + dumps(node))
        if not inner:
            f.write("\n]}")
    f.write("\n]}\n")
