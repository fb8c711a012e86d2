"""Where a source text is published, and under which licence (the annotation's ``origin:``).

An openly licensed policy text travels with its licence and attribution (CC BY 4.0 requires
the attribution): the annotation file says where the text was published (repository, path,
commit) and under which licence, and the build states it on the source document (policy
graph), on the policy's entry in the metadata graph and, through that, in VoID and on the
policy's pages::

    origin:
      licence: CC-BY-4.0            # an SPDX id we know, or the licence's URL
      attribution: "Basecamp Privacy Policy by Basecamp, https://github.com/basecamp/policies, CC BY 4.0"
      repository: https://github.com/basecamp/policies
      path: privacy/index.md
      commit: 3a92567f17fb717a28f4399176bfa8e5703ae718
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import namespaces as ns

# SPDX ids of the licences open policy texts come under, and their canonical URLs
LICENCES = {
    "CC0-1.0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
}
FIELDS = {"licence", "attribution", "repository", "path", "commit"}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Origin:
    licence: str  # the licence's URL
    licence_id: str  # the SPDX id, or the URL when none is known
    attribution: str
    repository: str
    path: str
    commit: str

    @property
    def published(self) -> str:
        """The published file at its commit (a GitHub-style blob URL)."""
        return f"{self.repository.rstrip('/')}/blob/{self.commit}/{self.path}"

    def source_triples(self, source: str) -> list[tuple[str, str, str]]:
        """What the policy graph says of its source document (``source``, an N-Triples IRI)."""
        from .compile import literal, nt_iri

        return [
            (source, nt_iri(ns.DCT + "license"), nt_iri(self.licence)),
            (source, nt_iri(ns.DCT + "source"), nt_iri(self.published)),
            (source, nt_iri(ns.PKG + "attribution"), literal(self.attribution)),
        ]

    def entry_triples(self, graph: str) -> list[tuple[str, str, str]]:
        """What the metadata graph says of the policy graph (``graph``, an N-Triples IRI)."""
        from .compile import literal, nt_iri

        return [
            (graph, nt_iri(ns.DCT + "license"), nt_iri(self.licence)),
            (graph, nt_iri(ns.DCT + "source"), nt_iri(self.published)),
            (graph, nt_iri(ns.PKG + "attribution"), literal(self.attribution)),
            (graph, nt_iri(ns.PKG + "repository"), nt_iri(self.repository)),
            (graph, nt_iri(ns.PKG + "repositoryPath"), literal(self.path)),
            (graph, nt_iri(ns.PKG + "commit"), literal(self.commit)),
        ]


def read_origin(c, node) -> Origin | None:
    """The ``origin:`` block of an annotation (``c``: the compiler, for its problems), or None
    when there is none or it is wrong (each wrong field a problem)."""
    if node is None:
        return None
    m = c.mapping(node, "origin")
    if m is None:
        return None
    c.check_fields(m, FIELDS, "origin", node)
    values = {k: c.text(m.get(k), f"origin.{k}", required=True) for k in sorted(FIELDS)}
    ok = all(values.values())
    licence = values["licence"] or ""
    url = LICENCES.get(licence) or (licence if _URL.match(licence) else None)
    if licence and not url:
        c.problem(
            m["licence"],
            "origin.licence",
            f"unknown licence '{licence}'",
            f"write one of {', '.join(LICENCES)} or the licence's URL",
        )
        ok = False
    repo = values["repository"] or ""
    if repo and not _URL.match(repo):
        c.problem(
            m["repository"],
            "origin.repository",
            f"'{repo}' is not an http(s) URL",
            "write the repository's web address, e.g. https://github.com/basecamp/policies",
        )
        ok = False
    path = values["path"] or ""
    if path and (path.startswith("/") or ".." in path.split("/") or not _URL.match("https://x/" + path)):
        c.problem(
            m["path"],
            "origin.path",
            f"'{path}' is not a path inside the repository",
            "write the file's path from the repository's root, e.g. privacy/index.md",
        )
        ok = False
    commit = values["commit"] or ""
    if commit and not _COMMIT.match(commit):
        c.problem(
            m["commit"],
            "origin.commit",
            f"'{commit}' is not a full commit id",
            "write the 40 hexadecimal digits of the commit the text is taken from",
        )
        ok = False
    if not ok:
        return None
    return Origin(url, licence if licence in LICENCES else url, values["attribution"], repo, path, commit)
