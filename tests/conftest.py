"""Shared fixtures: the real corpus built once per session into a temporary store, the
ontology, the CLI run in-process. The helpers and constants they use live in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import DATA, FIXTURES, ROOT, run_cli, seed_data


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


@pytest.fixture
def cli():
    return run_cli


def pytest_collection_modifyitems(items):
    """A test on all of data/ (the `data_store` build of every policy version, about 15 s) is slow:
    `make test-quick` leaves it out, `make test` runs it."""
    for item in items:
        if "data_store" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
