"""Atomicity: a failed build leaves the previous store whole; a rebuild swaps it in one step."""

from __future__ import annotations

import os
import shutil

import pytest

import privacykg
from helpers import FIXTURES


def count(store):
    return privacykg.select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]


@pytest.mark.slow  # quick subset: more than a second
def test_failed_build_leaves_previous_store(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    store = tmp_path / "store"
    privacykg.build(data, store)
    before, target = count(store), os.readlink(store)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(p.read_text().replace("pd:EmailAddress]", "pd:EmailAdress]"))
    with pytest.raises(privacykg.DataError):
        privacykg.build(data, store)
    assert os.readlink(store) == target and count(store) == before
    assert sorted(x.name for x in (tmp_path / "store.d").iterdir()) == [os.path.basename(target)]


def test_failing_integrity_check_writes_nothing(tmp_path):
    """The checks run on the new store before the swap: a violation discards it."""
    data, queries = tmp_path / "data", tmp_path / "queries"
    shutil.copytree(FIXTURES / "valid", data)
    shutil.copytree(FIXTURES.parent.parent / "queries", queries)
    (queries / "checks" / "always-violation.rq").write_text(
        "# id: check-always\n# question: a check that always finds a row\nSELECT ?graph ?x WHERE { VALUES ?x { 1 } }\n"
    )
    store = tmp_path / "store"
    with pytest.raises(privacykg.DataError) as info:
        privacykg.build(data, store, queries_dir=queries)
    assert any(p.rule == "always-violation" for p in info.value.problems)
    assert not store.exists()
    assert not (tmp_path / "store.d").exists() or list((tmp_path / "store.d").iterdir()) == []


@pytest.mark.slow  # quick subset: more than a second
def test_rebuild_swaps_and_keeps_one_previous(tmp_path):
    store = tmp_path / "store"
    first = privacykg.build(FIXTURES / "valid", store)
    targets = {os.readlink(store)}
    for _ in range(3):
        privacykg.build(FIXTURES / "valid", store)
        targets.add(os.readlink(store))
    assert len(targets) == 4
    kept = sorted(x.name for x in (tmp_path / "store.d").iterdir())
    assert len(kept) == 2 and os.path.basename(os.readlink(store)) in kept
    assert count(store) == str(first.quads) or int(count(store)) == first.quads


def test_metadata_graph(tmp_path, fixture_store):
    rows = privacykg.select(
        fixture_store,
        """PREFIX pkg: <https://w3id.org/privacykg/ns#>
        SELECT ?dpv ?sha ?file WHERE { GRAPH <https://w3id.org/privacykg/graph/metadata> {
          ?d pkg:dpvVersion ?dpv ; <http://rdfs.org/ns/void#subset> ?g . ?g pkg:sourceSha256 ?sha ; pkg:annotationFile ?file } }""",
    )
    import hashlib

    sha = hashlib.sha256((FIXTURES / "valid/sources/acme-uk-2019-06-01.txt").read_bytes()).hexdigest()
    assert rows == [{"dpv": "2.3", "sha": sha, "file": "policies/acme-uk-2019-06-01.yaml"}]


def test_base_iri_is_configurable(tmp_path):
    store = tmp_path / "store"
    privacykg.build(FIXTURES / "valid", store, base="https://privacy.example.org/kg/")
    rows = privacykg.select(store, "PREFIX dpv: <https://w3id.org/dpv#> SELECT ?n WHERE { ?n a dpv:PrivacyNotice }")
    assert rows == [{"n": "https://privacy.example.org/kg/policy/acme-uk/2019-06-01"}]


@pytest.mark.slow  # quick subset: more than a second
def test_load_replaces_one_policy_locally(tmp_path):
    from helpers import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    store = tmp_path / "store"
    privacykg.build(data, store)
    old_target = os.readlink(store)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(
        p.read_text().replace(
            "hasPersonalData: [pd:Name, pd:EmailAddress]", "hasPersonalData: [pd:Name, pd:EmailAddress, pd:Age]"
        )
    )
    r = run_cli("load", p, "--store", store)
    assert r.code == 0, r
    assert os.readlink(store) != old_target
    assert privacykg.select(
        store,
        """SELECT ?p WHERE { GRAPH <https://w3id.org/privacykg/graph/acme-uk/2019-06-01> {
        ?p <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv/pd#Age> } }""",
    )
    # the inferred graph was replaced with it, the rest is untouched
    assert privacykg.select(
        store,
        """SELECT ?p WHERE { GRAPH <https://w3id.org/privacykg/graph/inferred/acme-uk/2019-06-01> {
        ?p <https://w3id.org/dpv#hasData> <https://w3id.org/dpv/pd#Age> } }""",
    )
    rebuilt = tmp_path / "rebuilt"
    privacykg.build(data, rebuilt)
    assert count(store) == count(rebuilt)


@pytest.mark.slow  # quick subset: more than a second
def test_load_of_an_invalid_file_changes_nothing(tmp_path):
    from helpers import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    store = tmp_path / "store"
    privacykg.build(data, store)
    target, before = os.readlink(store), count(store)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(p.read_text().replace("pd:EmailAddress]", "pd:Emial]"))
    r = run_cli("load", p, "--store", store)
    assert r.code == 1 and "did you mean" in r.err
    assert os.readlink(store) == target and count(store) == before


@pytest.mark.slow  # quick subset: more than a second
def test_load_is_part_of_the_api(tmp_path):
    """`privacykg.load` (the incremental path, as a call): replaces one policy's graphs and
    leaves a store equal to a rebuild; an invalid file raises DataError and changes nothing."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    store = tmp_path / "store"
    privacykg.build(data, store)
    p = data / "policies" / "acme-uk-2019-06-01.yaml"
    p.write_text(
        p.read_text().replace(
            "hasPersonalData: [pd:Name, pd:EmailAddress]", "hasPersonalData: [pd:Name, pd:EmailAddress, pd:Age]"
        )
    )
    report = privacykg.load(p, store)
    assert report.policies == ["acme-uk-2019-06-01"] and report.quads > 0
    assert privacykg.select(
        store,
        """SELECT ?p WHERE { GRAPH <https://w3id.org/privacykg/graph/acme-uk/2019-06-01> {
        ?p <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv/pd#Age> } }""",
    )
    rebuilt = tmp_path / "rebuilt"
    privacykg.build(data, rebuilt)
    assert count(store) == count(rebuilt)
    target, before = os.readlink(store), count(store)
    p.write_text(p.read_text().replace("pd:Age]", "pd:Agee]"))
    with pytest.raises(privacykg.DataError) as err:
        privacykg.load(p, store)
    assert "pd:Agee" in str(err.value)
    assert os.readlink(store) == target and count(store) == before
