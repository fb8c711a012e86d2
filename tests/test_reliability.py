"""Reliability: bad input never crashes the reader with anything but our own error; a build
killed at any moment leaves the previous store whole; readers during a swap see the old data
or the new, never a mix."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import privacykg
from helpers import FIXTURES, ROOT
from privacykg.errors import DataError

VALID_YAML = (FIXTURES / "valid/policies/acme-uk-2019-06-01.yaml").read_text(encoding="utf-8")

yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(["dpv:Marketing", "pd:Name", "loc:US", "acme", "2019-06-01", "P2Y", "&a", "*a"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "policy",
                    "version",
                    "source",
                    "title",
                    "language",
                    "controller",
                    "notice",
                    "entities",
                    "processes",
                    "prohibitions",
                    "technologies",
                    "quotes",
                    "hasPurpose",
                    "value",
                    "quote",
                    "text",
                    "at",
                    "types",
                    "name",
                    "hasStorageCondition",
                    "duration",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_reader_never_crashes_on_any_text(ontology, tmp_path, text):
    check_only_our_errors(ontology, tmp_path, text.encode("utf-8", "replace"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_reader_never_crashes_on_any_bytes(ontology, tmp_path, data):
    check_only_our_errors(ontology, tmp_path, data)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(yaml_values)
def test_reader_never_crashes_on_any_structure(ontology, tmp_path, value):
    import yaml

    check_only_our_errors(ontology, tmp_path, yaml.safe_dump(value).encode("utf-8"))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=len(VALID_YAML) - 1), st.text(max_size=12))
def test_reader_never_crashes_on_a_damaged_policy(ontology, tmp_path, at, insert):
    damaged = VALID_YAML[:at] + insert + VALID_YAML[at + len(insert) :]
    check_only_our_errors(ontology, tmp_path, damaged.encode("utf-8"))


def check_only_our_errors(ontology, tmp_path, data: bytes):
    from privacykg import namespaces as ns
    from privacykg.compile import compile_policy

    d = tmp_path / "case"
    (d / "policies").mkdir(parents=True, exist_ok=True)
    if not (d / "sources").exists():
        shutil.copytree(FIXTURES / "valid/sources", d / "sources")
    path = d / "policies" / "acme-uk-2019-06-01.yaml"
    path.write_bytes(data)
    try:
        compile_policy(path, ontology, ns.IRIs(), d / "sources")
    except DataError as exc:
        assert exc.problems and all(p.file for p in exc.problems)


# ---------------------------------------------------------------- killed builds

BUILD = textwrap.dedent("""
    import sys, privacykg
    privacykg.build(sys.argv[1], sys.argv[2])
""")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from privacykg.synth import synth

    d = tmp_path_factory.mktemp("synth")
    synth(40, d, seed=7, templates_dir=ROOT / "data")
    return d


def count(store):
    return privacykg.select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.5, 4.0, 8.0])
def test_build_killed_at_any_moment_leaves_previous_store(delay, synthetic, tmp_path):
    store = tmp_path / "store"
    privacykg.build(FIXTURES / "valid", store)
    before, target = count(store), os.readlink(store)
    proc = subprocess.Popen([sys.executable, "-c", BUILD, str(synthetic), str(store)], cwd=ROOT)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    if finished and proc.returncode == 0:
        assert os.readlink(store) != target  # the build won the race: the new store is whole
    if os.readlink(store) != target:  # swapped in (a kill may land between the swap and the exit)
        assert int(count(store)) > int(before)
    else:
        assert count(store) == before
    privacykg.build(FIXTURES / "valid", store)  # the next build succeeds and cleans up
    assert count(store) == before
    leftovers = [p for p in (tmp_path / "store.d").iterdir()]
    assert len(leftovers) <= 2
    assert not list(tmp_path.glob(".privacykg-build-*"))  # the killed build's temporary file is gone too


# ---------------------------------------------------------------- readers during a swap


@pytest.mark.slow
def test_readers_see_old_or_new_never_a_mix(synthetic, tmp_path):
    from privacykg.server import StoreHandle

    store = tmp_path / "store"
    small = privacykg.build(FIXTURES / "valid", store).quads
    handle = StoreHandle(str(store))
    seen, errors, stop = set(), [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                r = list(handle.get().query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
                seen.add(int(r[0]["n"].value))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    big = privacykg.build(synthetic, store).quads
    privacykg.build(FIXTURES / "valid", store)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert seen <= {small, big} and small in seen
