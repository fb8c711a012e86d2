"""What other semantic tools see: the library's .rq files, run with plain pyoxigraph (no
privacykg code) on an export of the store plus the official DPV files, give the same answers
as on our store. Nothing at query time depends on a reasoner or on our code."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from helpers import DPV_DIR, ROOT, norm, run_cli

DPV_FILES = ["dpv/dpv.ttl", "pd/pd.ttl", "tech/tech.ttl", "loc/loc.ttl", "legal/legal.ttl", "legal/eu/gdpr/eu-gdpr.ttl"]
QUERIES = sorted((ROOT / "queries" / "cq").glob("*.rq"))


@pytest.fixture(scope="module")
def plain(corpus_store, tmp_path_factory):
    if not DPV_DIR.is_dir():
        pytest.skip("the official DPV files are not beside the project")
    out = tmp_path_factory.mktemp("export") / "all.nq"
    assert run_cli("export", "--format", "nquads", "-o", out, "--store", corpus_store).code == 0
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_QUADS)
    for f in DPV_FILES:  # DPV itself, each module in a graph of its own
        store.bulk_load(
            path=str(DPV_DIR / f),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode("https://w3id.org/dpv/official/" + f),
        )
    return store


def answers(store, text):
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    variables = [v.value for v in result.variables]
    return sorted(tuple(norm(s[v]) for v in variables) for s in result)


@pytest.mark.slow  # quick subset: more than a second
@pytest.mark.parametrize("path", QUERIES, ids=[p.stem.split("-")[0] for p in QUERIES])
def test_same_answers_with_plain_pyoxigraph_and_official_dpv(path, plain, corpus):
    text = path.read_text(encoding="utf-8")
    ours = answers(corpus, text)
    theirs = answers(plain, text)
    if "NOW()" in text.upper():
        pytest.skip("depends on the clock") if ours != theirs else None
    assert ours == theirs
