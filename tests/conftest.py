"""Shared fixtures: the real corpus built once per session into a temporary store, the
ontology, and helpers to run the CLI in-process."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
DPV_DIR = SHARED / "dpv"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(autouse=True)
def _project_cwd(monkeypatch, tmp_path):
    """Tests run from the project root, as the README's commands do; the default store is
    an empty place of the test's own, so that no test depends on a `build/store` a developer
    happens to have (CI's clean checkout has none)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PRIVACYKG_STORE", str(tmp_path / "no-store-here"))


@pytest.fixture(scope="session")
def ontology():
    from privacykg.ontology import load_ontology

    return load_ontology()


# The five seed policies (plain-text sources): the questions' tests read their expected rows from
# these texts. The openly licensed policies with their versions (Markdown sources) have tests of
# their own (tests/test_open_policies.py) on the whole of data/.
SEEDS = ("identrics-2018-05-20", "imago-2020-05-24", "impero-as-2020-01-15", "impero-group-2021-06-04",
         "impro-2018-05-16")


def seed_data(folder: Path) -> Path:
    """A data folder with the five seed policies and their sources only."""
    for sub in ("policies", "sources"):
        (folder / sub).mkdir(parents=True)
    for key in SEEDS:
        shutil.copy(DATA / "policies" / f"{key}.yaml", folder / "policies")
        shutil.copy(DATA / "sources" / f"{key}.txt", folder / "sources")
    return folder


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory) -> Path:
    return seed_data(tmp_path_factory.mktemp("seeds") / "data")


@pytest.fixture(scope="session")
def corpus_store(seeds_dir, tmp_path_factory) -> Path:
    """The five seed policies, built with the real build path."""
    import privacykg

    path = tmp_path_factory.mktemp("corpus") / "store"
    privacykg.build(seeds_dir, path)
    return path


@pytest.fixture(scope="session")
def data_store(tmp_path_factory) -> Path:
    """Everything in data/ (the seeds and the open policies' versions), built."""
    import privacykg

    path = tmp_path_factory.mktemp("data") / "store"
    privacykg.build(DATA, path)
    return path


@pytest.fixture(scope="session")
def corpus(corpus_store):
    from privacykg import open_store

    return open_store(corpus_store)


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory) -> Path:
    """The small fictional policies of tests/fixtures/valid (cases the corpus lacks)."""
    import privacykg

    path = tmp_path_factory.mktemp("fixtures") / "store"
    privacykg.build(FIXTURES / "valid", path)
    return path


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"CliResult(code={self.code}, out={self.out[:300]!r}, err={self.err[:600]!r})"


def run_cli(*args) -> CliResult:
    """Run `privacykg ARGS` in-process and capture its exit code and output."""
    from privacykg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            code = exc.code
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def compact_rows(rows, columns):
    from privacykg import namespaces as ns

    return {tuple(ns.compact(r.get(c, "")) for c in columns) for r in rows}


def build_fixture_store(tmp_path_factory, *folders: str) -> Path:
    """tests/fixtures/valid plus the policies of the given fixture folders, built into a store."""
    import privacykg

    data = tmp_path_factory.mktemp("fixture-data") / "data"
    shutil.copytree(FIXTURES / "valid", data)
    for folder in folders:
        for sub in ("policies", "sources"):
            for f in (FIXTURES / folder / sub).iterdir():
                shutil.copy(f, data / sub / f.name)
    store = tmp_path_factory.mktemp("fixture-store") / "store"
    privacykg.build(data, store)
    return store
