"""A policy's source text as the endpoint serves it (``source_text``): the file the store names,
read only when its SHA-256 is the one the build recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .evidence import LABEL, first_asserted
from .pages_html import origin_html


@dataclass
class SourceText:
    """A policy's source text as the build read it, with what the store says of it."""

    iri: str
    name: str
    label: str
    notice: str
    text: str
    origin_html: str = ""  # the licence and attribution line (empty for a text without origin:)


def source_text(store: ox.Store, iri: str, sources_dir: Path | str) -> SourceText | None:
    """The text of a source document from ``sources_dir``: the file the store names
    (``dct:identifier``), only when its SHA-256 is the one the build recorded (else the offsets
    of the quotes would point elsewhere); None when the store or the folder lacks it."""
    import hashlib

    from .errors import DataError
    from .markdown import quoted_text

    node = ox.NamedNode(iri)
    name, sha = first_asserted(store, node, ns.DCT + "identifier"), first_asserted(store, node, ns.PKG + "sha256")
    if not name or not sha or Path(name).name != name or name.startswith("."):
        return None
    path = Path(sources_dir) / name
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    try:
        text = quoted_text(data, str(path))
    except DataError:
        return None
    notices = [q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(ns.PKG + "sourceText"), node)]
    label = first_asserted(store, node, LABEL) or name
    return SourceText(iri, name, label, notices[0] if notices else "", text, origin_html(store, iri))
