"""Installs that work where users install: the wheel carries the ontology, the shapes and the
query library, and works from an empty folder in a fresh virtual environment; `privacykg
serve` says where it listens, logs requests when asked, and says what to do when its port is
taken."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from helpers import DATA, ROOT, run_cli

#: What a wheel is built from (a copy, so that the build writes nothing into the checkout).
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "loader", "ontology", "queries")


def clean_env(**extra) -> dict:
    """The environment without our settings and without PYTHONPATH: nothing may come from the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVACYKG_") and k != "PYTHONPATH"}
    env.update(extra)
    return env


def run(cmd, cwd, env=None, timeout=180) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert r.returncode == 0, f"{cmd} exited {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
    return r


def start_serving(cmd, cwd, env) -> tuple[subprocess.Popen, str]:
    """Start `privacykg serve --port 0 ...` and return it with the URL its first line names."""
    proc = subprocess.Popen(
        [str(c) for c in cmd], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = proc.stderr.readline()
    if not line.startswith("serving http://"):
        proc.kill()
        raise AssertionError(f"the server's first line: {line!r}; then {proc.communicate(timeout=10)}")
    return proc, line.split()[1]


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.terminate()
    try:
        return proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate(timeout=5)


def count_notices(url: str) -> int:
    q = "SELECT (COUNT(?n) AS ?c) WHERE { ?n a <https://w3id.org/dpv#PrivacyNotice> }"
    for _ in range(100):  # the socket listens from the first line on; the app starts a moment later
        try:
            r = httpx.get(
                url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=30
            )
            break
        except httpx.TransportError:
            time.sleep(0.1)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["c"]["value"])


@pytest.mark.slow
@pytest.mark.server
def test_wheel_works_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "_data")
            shutil.copytree(ROOT / name, src / name, ignore=ignore)
        else:
            shutil.copy(ROOT / name, src / name)
    # offline (no index, no build isolation): the setuptools of this environment builds it
    import setuptools

    assert int(setuptools.__version__.split(".")[0]) >= 77, (
        f"setuptools {setuptools.__version__} cannot read an SPDX license: the test extras require >=77"
    )
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            tmp_path / "dist",
            src,
        ],
        cwd=tmp_path,
        env=dict(os.environ),
    )  # the setuptools imported above
    (wheel,) = (tmp_path / "dist").glob("privacykg-*.whl")

    shipped = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "queries"):
        expected = {
            f"privacykg/_data/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert expected and expected <= shipped, sorted(expected - shipped)
    static = ROOT / "loader" / "privacykg" / "static"
    expected = {f"privacykg/static/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file()}
    assert "privacykg/static/vendor/codemirror/LICENSE" in expected and expected <= shipped, sorted(expected - shipped)
    assert not any("_data/data" in n or n.startswith("data/") for n in shipped)  # users pass --data

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    py, cli = venv / "bin" / "python", venv / "bin" / "privacykg"
    run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel], cwd=tmp_path, timeout=600)

    empty = tmp_path / "empty"
    empty.mkdir()
    where = run(
        [py, "-c", "import privacykg.resources as r; print(r.ONTOLOGY_DIR); print(r.QUERIES_DIR)"], cwd=empty
    ).stdout.split()
    site = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=empty).stdout.strip()
    assert all(Path(p).is_relative_to(site) and "_data" in p for p in where), (where, site)

    n = len(list((DATA / "policies").glob("*.yaml")))
    r = run([cli, "build", "--data", DATA, "--store", "S"], cwd=empty)
    assert f"built S: {n} policies" in r.stdout, r.stdout
    r = run([cli, "query", "cq01", "--store", "S", "--format", "csv"], cwd=empty)
    assert r.stdout.startswith("controller,") and "Impero A/S" in r.stdout, r.stdout

    # a new policy drafted from its text (learning from --data), checked by validate as a draft
    text = tmp_path / "acme.txt"
    text.write_text(
        "Acme Ltd Privacy Policy\n\nLast updated: 1 January 2026\n\nWe collect your email address "
        "to send you our newsletter. You have the right to access your personal data.\n",
        encoding="utf-8",
    )
    drafted = tmp_path / "drafts" / "policies" / "acme-2026-01-01.yaml"
    run([cli, "draft", text, "--policy", "acme", "--version", "2026-01-01", "--data", DATA, "-o", drafted], cwd=empty)
    r = run([cli, "validate", drafted], cwd=empty)
    assert "valid: 1 policy" in r.stdout and "draft" in r.stderr, (r.stdout, r.stderr)
    # "You have the right to access your personal data."
    assert "eu-gdpr:A15" in drafted.read_text(encoding="utf-8")

    proc, url = start_serving(
        [cli, "serve", "--port", "0", "--store", "S"], empty, clean_env(PRIVACYKG_SERVE_LIFETIME="60")
    )
    try:
        assert count_notices(url) == n
    finally:
        out, err = stop(proc)
    assert "GET /sparql" not in out + err  # no access log unless asked
    assert sorted(p.name for p in empty.iterdir()) == ["S", "S.d"]  # nothing else written where it ran


@pytest.mark.server
def test_serve_says_where_it_listens_and_logs_requests_when_asked(corpus_store):
    env = clean_env(PRIVACYKG_SERVE_LIFETIME="60", PYTHONPATH=str(ROOT / "loader"))
    proc, url = start_serving(
        [sys.executable, "-m", "privacykg.cli", "serve", "--port", "0", "--store", corpus_store, "--access-log"],
        ROOT,
        env,
    )
    try:
        assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0
        assert count_notices(url) == 5
    finally:
        out, err = stop(proc)
    assert '"GET /sparql?query=' in out and " 200" in out, (out, err)


def test_port_in_use_says_what_to_do(fixture_store, monkeypatch):
    monkeypatch.setenv("PRIVACYKG_SERVE_LIFETIME", "5")  # were the port not refused, the server would stop
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        r = run_cli("serve", "--port", port, "--store", fixture_store)
    assert r.code == 2, r
    assert (
        f"error: port {port} is in use: stop the other server or choose another with --port N "
        f"(make run PORT=N)" in r.err
    ), r
    assert "Traceback" not in r.err and "serving" not in r.err
