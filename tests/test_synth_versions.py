"""`privacykg.synth_versions` writes policy versions that build, share a slug, and differ from the
version before in exactly the statements it edited."""

from __future__ import annotations

import itertools

import pytest

import privacykg
from helpers import ROOT
from privacykg import versions
from privacykg.synth_versions import synth_versions

pytestmark = pytest.mark.slow  # builds nine synthetic versions: out of the quick subset


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("versions")
    made = synth_versions(3, 3, out / "data", seed=4, templates_dir=ROOT / "data")
    report = privacykg.build(out / "data", out / "store")
    return made, report, out / "store"


def test_versions_build_and_share_a_slug(corpus):
    made, report, store = corpus
    assert len(made) == 9 and len(report.policies) == 9
    slugs = sorted({m.policy for m in made})
    assert len(slugs) == 3
    for slug in slugs:
        stored = [v.version for v in versions.versions(store, slug)]
        assert stored == sorted(m.version for m in made if m.policy == slug)
        assert len(stored) == 3


def test_consecutive_versions_differ_in_exactly_the_edits(corpus):
    made, _, store = corpus
    for slug, group in itertools.groupby(made, key=lambda m: m.policy):
        for old, new in itertools.pairwise(list(group)):
            assert new.edits, "every later version edits some statements"
            expected = {(e.kind, f"process/{e.process}", f"dpv:{e.field}", e.value) for e in new.edits}
            expected |= {
                ("removed", "notice", "dct:modified", old.version),
                ("added", "notice", "dct:modified", new.version),
            }
            d = versions.diff(store, slug, old.version, new.version)
            assert {(c.kind, c.subject, c.predicate, c.object) for c in d.changes} == expected


def test_synth_versions_is_reproducible(tmp_path):
    a = synth_versions(2, 3, tmp_path / "a", seed=9, templates_dir=ROOT / "data")
    b = synth_versions(2, 3, tmp_path / "b", seed=9, templates_dir=ROOT / "data")
    assert a == b
    for f in (tmp_path / "a" / "policies").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / "policies" / f.name).read_bytes()
    assert len(list((tmp_path / "a" / "sources").iterdir())) == 6
