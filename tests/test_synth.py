"""`privacykg synth` writes data that `privacykg build` takes as it is, shaped like the real policies."""

from __future__ import annotations

import pytest

import privacykg
from helpers import ROOT, run_cli


@pytest.mark.slow  # quick subset: more than a second
def test_synth_builds_through_the_same_path(tmp_path):
    out = tmp_path / "synth"
    r = run_cli("synth", "--policies", "6", "--out", out, "--seed", "3")
    assert r.code == 0, r
    assert len(list((out / "policies").glob("*.yaml"))) == 6
    assert len(list((out / "sources").glob("*.txt"))) == 6
    report = privacykg.build(out, tmp_path / "store")
    assert len(report.policies) == 6
    rows = privacykg.select(
        tmp_path / "store",
        """PREFIX dpv: <https://w3id.org/dpv#>
        SELECT ?n (COUNT(DISTINCT ?p) AS ?procs) WHERE { ?n a dpv:PrivacyNotice ; dpv:hasProcess ?p } GROUP BY ?n""",
    )
    import yaml

    # processes per real policy version (the templates synth samples from), read from the files
    real = [
        len(yaml.safe_load(f.read_text(encoding="utf-8")).get("processes") or {})
        for f in (ROOT / "data" / "policies").glob("*.yaml")
    ]
    assert rows and all(max(1, min(real) - 3) <= int(r["procs"]) <= max(real) + 5 for r in rows)


@pytest.mark.slow  # quick subset: more than a second
def test_synth_is_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("synth", "--policies", "3", "--out", a, "--seed", "9").code == 0
    assert run_cli("synth", "--policies", "3", "--out", b, "--seed", "9").code == 0
    for f in (a / "policies").iterdir():
        assert f.read_bytes() == (b / "policies" / f.name).read_bytes()


def test_synth_usage_error():
    assert run_cli("synth", "--policies", "0", "--out", "/tmp/x").code == 2
