"""Diffs between versions of one policy (issue 16, part 4): ``privacykg diff``, cq36 and the
timeline and diff pages, on a real store built from three versions of a seed policy:

* A: ``imago-2020-05-24`` as it is;
* B: ``imago-2020-08-01``: one sentence of the text edited (and its quote with it), the right
  to object (A21) dropped, the right to restriction (A18) added with a quote from the text;
* C: ``imago-2020-11-15``: B's text, two processes dropped (with their conditions, a
  condition on one value, a "may", implied values) and one value no longer marked implied.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from helpers import DATA, ROOT, run_cli

A, B, C = "2020-05-24", "2020-08-01", "2020-11-15"
EDIT_OLD = "please submit your request via email to support@Imagotechs.com"
EDIT_NEW = "please submit your request by email to <privacy@Imagotechs.com> & support"
SENTENCE = (
    "For accessing, modifying, or exporting your personal information, or to request that we delete your "
    "personal data, "
)
RIGHTS = (
    "You have the right to access the information we have about you at any time, as well as request the "
    "personal data we store about you is deleted, modified, or exported for portability reasons."
)
OPT_OUT = "You’re able to opt out from our mailing list by using the unsubscribe link at the bottom of such emails."
BASE = "https://w3id.org/privacykg/"
DPV, PKG = "https://w3id.org/dpv#", "https://w3id.org/privacykg/ns#"
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
EXERCISE = "Requests to access, modify, export or delete personal data are sent by email to support@Imagotechs.com"


def _version(yml: str, version: str) -> str:
    return yml.replace(f"version: {A}", f"version: {version}", 1).replace(
        f"source: imago-{A}.txt", f"source: imago-{version}.txt", 1
    )


def make_versions(data: Path) -> None:
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    src = (DATA / "sources" / f"imago-{A}.txt").read_text(encoding="utf-8")
    yml = (DATA / "policies" / f"imago-{A}.yaml").read_text(encoding="utf-8")
    (data / "sources" / f"imago-{A}.txt").write_text(src, encoding="utf-8")
    (data / "policies" / f"imago-{A}.yaml").write_text(yml, encoding="utf-8")

    # B: one sentence edited, its quote updated; A21 dropped; A18 added
    assert src.count(EDIT_OLD) == 1 and yml.count(EDIT_OLD) == 1
    src_b = src.replace(EDIT_OLD, EDIT_NEW)
    lines = yml.splitlines(keepends=True)
    a21 = [i for i, line in enumerate(lines) if "{value: eu-gdpr:A21," in line]
    assert len(a21) == 1
    del lines[a21[0]]
    yml_b = _version("".join(lines), B).replace(EDIT_OLD, EDIT_NEW)
    yml_b = yml_b.replace("  hasRight:\n", f'  hasRight:\n    - {{value: eu-gdpr:A18, quote: "{RIGHTS}"}}\n', 1)
    (data / "sources" / f"imago-{B}.txt").write_text(src_b, encoding="utf-8")
    (data / "policies" / f"imago-{B}.yaml").write_text(yml_b, encoding="utf-8")

    # C: B's text; two processes dropped; one value no longer implied
    start = yml_b.index("  platform-client-processing:\n")
    end = yml_b.index("  # ---------------------------------------------------------------- collection in general")
    yml_c = yml_b[:start] + yml_b[end:]
    implied = "hasPurpose: [{value: dpv:Marketing, implied: true}]"
    assert yml_c.count(implied) == 1
    yml_c = yml_c.replace(implied, "hasPurpose: [dpv:Marketing]").replace(f"version: {B}", f"version: {C}", 1)
    yml_c = yml_c.replace(f"source: imago-{B}.txt", f"source: imago-{C}.txt", 1)
    (data / "sources" / f"imago-{C}.txt").write_text(src_b, encoding="utf-8")
    (data / "policies" / f"imago-{C}.yaml").write_text(yml_c, encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    from privacykg.build import build

    data = tmp_path_factory.mktemp("versions") / "data"
    make_versions(data)
    path = data.parent / "store"
    build(data, path)
    return path


# ---------------------------------------------------------------------------- the library


def test_diff_finds_exactly_the_edit_the_removal_and_the_addition(store):
    from privacykg.versions import diff

    d = diff(store, "imago", A, B)
    notice_a, notice_b = f"{BASE}policy/imago/{A}", f"{BASE}policy/imago/{B}"
    got = [(c.kind, c.subject, c.predicate, c.object) for c in d.changes]
    assert got == [
        ("added", "notice", "dpv:hasRight", "eu-gdpr:A18"),
        ("removed", "notice", "dpv:hasRight", "eu-gdpr:A21"),
        ("changed", "notice", "pkg:rightsExercise", EXERCISE),
    ]
    added, removed, changed = d.changes
    assert d.counts == {"added": 1, "removed": 1, "changed": 1}
    assert [e.exact for e in added.new_quotes] == [RIGHTS] and added.old_quotes == []
    assert [e.exact for e in removed.old_quotes] == [OPT_OUT] and removed.new_quotes == []
    assert [e.exact for e in changed.old_quotes] == [SENTENCE + EDIT_OLD]
    assert [e.exact for e in changed.new_quotes] == [SENTENCE + EDIT_NEW]
    assert added.object_iri == GDPR + "A18" and added.object_label.startswith("right to restriction")
    assert (removed.old_iri, added.new_iri, changed.old_iri, changed.new_iri) == (
        notice_a,
        notice_b,
        notice_a,
        notice_b,
    )
    # the quotes' offsets are into each version's own text
    src_a = (DATA / "sources" / f"imago-{A}.txt").read_text(encoding="utf-8")
    e = changed.old_quotes[0]
    assert src_a[e.start : e.end] == e.exact
    # the other way round: the same facts, added and removed swapped
    back = diff(store, "imago", B, A)
    assert [(c.kind, c.object) for c in back.changes] == [
        ("added", "eu-gdpr:A21"),
        ("removed", "eu-gdpr:A18"),
        ("changed", EXERCISE),
    ]
    # a version against itself: nothing
    assert diff(store, "imago", A, A).changes == []


def test_dropped_processes_and_marks_are_removed_facts_keyed_across_versions(store):
    from privacykg.versions import diff

    d = diff(store, "imago", B, C)
    assert d.counts["added"] == 0 and d.counts["changed"] == 0
    removed = {(c.subject, c.predicate, c.object) for c in d.of("removed")}
    # the processes, keyed by their YAML key under the notice, and their link from the notice
    assert ("notice", "dpv:hasProcess", "process/app-location-services") in removed
    assert ("process/app-location-services", "dpv:hasPurpose", "dpv:ServicePersonalisation") in removed
    assert ("process/platform-client-processing", "rdf:type", "dpv:Process") in removed
    # a condition on a process and a "may", by their words
    assert ("process/app-location-services", "dpv:hasLikelihood", "pkg:Possible") in removed
    assert any(
        s == "process/app-location-services" and p == "pkg:hasStatedCondition" and o.startswith("if: If, where")
        for s, p, o in removed
    )
    # a condition on one value and an implied value: facts about the value's statement
    assert (
        "«process/platform-client-processing dpv:hasLegalBasis eu-gdpr:A6-1-a»",
        "pkg:hasStatedCondition",
        "if: where appropriate",
    ) in removed
    assert ("«process/offline-collection dpv:hasPurpose dpv:Marketing»", "dpv:hasStatus", "pkg:Implied") in removed
    # what stays is not listed: the value itself is still stated, other processes are untouched
    assert not any(s == "process/offline-collection" for s, _, _ in removed)
    assert all(
        s.startswith(
            (
                "notice",
                "process/platform-client-processing",
                "process/app-location-services",
                "«process/platform-client-processing",
                "«process/app-location-services",
                "«process/offline-collection",
            )
        )
        for s, _, _ in removed
    ), removed
    # the removed facts carry the old version's quotes
    cond = next(c for c in d.of("removed") if c.object == "if: where appropriate")
    assert [e.exact for e in cond.old_quotes] == ["where appropriate"]


def test_unknown_policy_or_version_names_what_there_is(store):
    from privacykg.errors import UsageError
    from privacykg.versions import diff

    with pytest.raises(UsageError, match=f"no version 2030-01-01; its versions: {A}, {B}, {C}"):
        diff(store, "imago", A, "2030-01-01")
    with pytest.raises(UsageError, match="no policy 'nope' in the store; policies: imago"):
        diff(store, "nope", A, B)


def test_timeline_counts_against_the_previous_version(store):
    from privacykg.versions import diff, timeline

    t = timeline(store, "imago")
    assert [e.version.version for e in t] == [A, B, C]
    assert t[0].counts is None and t[1].counts == {"added": 1, "removed": 1, "changed": 1}
    assert t[2].counts == diff(store, "imago", B, C).counts and t[2].previous.version == B


# ---------------------------------------------------------------------------- the command


def test_cli_diff_in_a_process(store):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "loader"))
    cmd = [sys.executable, "-m", "privacykg", "diff", "imago", A, B, "--store", str(store)]
    r = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"imago: {A} -> {B}: 1 added, 1 removed, 1 changed\n")
    assert "+ notice  dpv:hasRight  eu-gdpr:A18" in r.stdout
    assert "- notice  dpv:hasRight  eu-gdpr:A21" in r.stdout
    assert f"~ notice  pkg:rightsExercise  {EXERCISE}" in r.stdout
    assert f"    old: “{SENTENCE + EDIT_OLD}”" in r.stdout and f"    new: “{SENTENCE + EDIT_NEW}”" in r.stdout

    r = subprocess.run(cmd + ["--format", "json"], check=False, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 1}
    assert [(c["change"], c["object"]) for c in data["changes"]] == [
        ("added", "eu-gdpr:A18"),
        ("removed", "eu-gdpr:A21"),
        ("changed", EXERCISE),
    ]
    assert data["changes"][2]["new_quotes"][0]["exact"] == SENTENCE + EDIT_NEW

    r = subprocess.run(
        cmd[:4] + ["imago", A, "2030-01-01", "--store", str(store)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2
    assert f"policy 'imago' has no version 2030-01-01; its versions: {A}, {B}, {C}" in r.stderr


def test_cli_diff_markdown_and_errors(store):
    r = run_cli("diff", "imago", A, B, "--store", store, "--format", "md")
    assert r.code == 0, r
    assert r.out.startswith(f"# imago: {A} → {B}\n")
    assert "| removed | notice | dpv:hasRight | eu-gdpr:A21" in r.out
    r = run_cli("diff", "nope", A, B, "--store", store)
    assert r.code == 2 and "no policy 'nope' in the store; policies: imago" in r.err
    r = run_cli("diff", "imago", A, "--store", store)
    assert r.code == 2


# ---------------------------------------------------------------------------- cq36


def cq36_facts(store, old: str, new: str, policy: str = "imago") -> dict[tuple, set[str]]:
    """cq36's rows as the library's fact keys (each term keyed by the version it comes from),
    with their quotes."""
    import privacykg
    from privacykg.versions import VersionFacts, find_version

    st = privacykg.open_store(store)
    facts = {v: VersionFacts(st, find_version(st, policy, v)) for v in (old, new)}
    out: dict[tuple, set[str]] = {}
    for r in privacykg.query(st, "cq36", {"policy": policy, "old": old, "new": new}):
        change = r["change"].value
        assert (r["oldVersion"].value, r["newVersion"].value) == (old, new)
        f = facts[old if change == "removed" else new]
        subject, predicate, obj = r["subject"], r["predicate"].value, r["object"]
        key = (change, *f.fact_key(subject, predicate, obj))
        quotes = out.setdefault(key, set())
        if r["quote"] is not None:
            quotes.add(r["quote"].value)
    return out


def diff_facts(store, old: str, new: str, policy: str = "imago") -> dict[tuple, set[str]]:
    """``privacykg diff``'s added and removed facts by key, with their quotes."""
    from privacykg.versions import diff

    d = diff(store, policy, old, new)
    return {
        (c.kind, *c.key): {e.exact for e in (c.new_quotes if c.kind == "added" else c.old_quotes)}
        for c in d.changes
        if c.kind != "changed"
    }


@pytest.mark.parametrize("old,new", [(A, B), (B, A), (B, C), (C, B), (A, C)])
def test_cq36_lists_the_same_added_and_removed_facts_as_the_diff(store, old, new):
    ours = diff_facts(store, old, new)
    theirs = cq36_facts(store, old, new)
    assert sorted(theirs) == sorted(ours)
    assert theirs == ours  # and with the same quotes
    assert ours  # something to compare


def test_cq36_header_and_an_unknown_version(store):
    import privacykg
    from privacykg.queries import load_library

    q = load_library()["cq36"]
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("policy", "string", "github"),
        ("old", "string", "2020-05-19"),
        ("new", "string", "2020-07-22"),
    ]
    assert {"change", "subject", "predicate", "object", "quote"} <= set(q.columns)
    assert list(privacykg.query(store, "cq36", {"policy": "imago", "old": A, "new": "2030-01-01"})) == []
    assert list(privacykg.query(store, "cq36")) == []  # the defaults name versions this store lacks


@pytest.fixture(scope="module")
def github_store(tmp_path_factory) -> Path:
    """GitHub's policies (19 versions of its privacy statement, its subprocessors' list) built."""
    from privacykg.build import build

    data = tmp_path_factory.mktemp("github") / "data"
    for sub in ("policies", "sources"):
        (data / sub).mkdir(parents=True)
        for f in (DATA / sub).glob("github-*"):
            (data / sub / f.name).write_bytes(f.read_bytes())
    path = data.parent / "store"
    build(data, path)
    return path


@pytest.mark.slow  # builds GitHub's 19 versions
def test_cq36_over_a_long_history(github_store):
    """Over GitHub's 19 versions cq36 is asked of the two versions' graphs only (see
    privacykg.queries.policy_dataset) and lists the facts ``privacykg diff`` lists."""
    import pyoxigraph as ox

    import privacykg
    from privacykg.queries import policy_dataset
    from privacykg.versions import versions

    st = privacykg.open_store(github_store)
    assert len(versions(st, "github")) == 19
    old, new = "2020-05-19", "2020-07-22"
    graphs = {g.value.rsplit("graph/", 1)[1] for g in policy_dataset(st, ox.Literal("github"), {old, new})}
    assert {g for g in graphs if "github/" in g} == {
        f"github/{old}",
        f"inferred/github/{old}",
        f"github/{new}",
        f"inferred/github/{new}",
    }
    for a, b in ((old, new), (new, old)):
        ours = diff_facts(github_store, a, b, "github")
        assert {kind for kind, *_ in ours} == {"added", "removed"}
        assert cq36_facts(github_store, a, b, "github") == ours, (a, b)


# ---------------------------------------------------------------------------- the pages


class Pages:
    def __init__(self, store):
        from privacykg.server import create_app

        self.app = create_app(store=str(store), isolate_queries=False)

    def get(self, path: str) -> httpx.Response:
        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.get(path, headers={"Accept": "text/html"})

        return asyncio.run(go())


@pytest.fixture(scope="module")
def pages(store):
    return Pages(store)


def test_timeline_page(pages):
    r = pages.get("/timeline/imago")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    t = r.text
    assert t.index(f">{A}</a>") < t.index(f">{B}</a>") < t.index(f">{C}</a>")
    assert f'href="/policy/imago/{B}"' in t
    assert f'href="/diff/imago/{A}/{B}"' in t and f'href="/diff/imago/{B}/{C}"' in t
    assert "<span class=added>+1</span> · <span class=removed>−1</span> · <span class=changed>~1</span>" in t
    assert pages.get("/timeline/nope").status_code == 404


def test_diff_page_with_quotes_escaped(pages):
    r = pages.get(f"/diff/imago/{A}/{B}")
    assert r.status_code == 200
    t = r.text
    assert "<h2>Added (1)</h2>" in t and "<h2>Removed (1)</h2>" in t and "<h2>Changed (1)</h2>" in t
    assert html.escape(RIGHTS) in t and html.escape(OPT_OUT) in t
    assert html.escape(SENTENCE + EDIT_OLD) in t
    assert html.escape(SENTENCE + EDIT_NEW) in t and "<privacy@" not in t  # the edit's "<...>" and "&" escaped
    assert f'href="/policy/imago/{A}"' in t and 'href="/timeline/imago"' in t
    assert f'href="/resource?iri={GDPR.replace(":", "%3A").replace("/", "%2F").replace("#", "%23")}A18"' in t
    # an unknown version: 404 naming the versions there are
    r = pages.get(f"/diff/imago/{A}/2030-01-01")
    assert r.status_code == 404 and f"its versions: {A}, {B}, {C}" in r.text
    r = pages.get("/diff/%3Cscript%3E/a/b")
    assert r.status_code == 404 and "<script>" not in r.text


def test_policy_pages_link_to_the_timeline_and_diffs(pages):
    t = pages.get(f"/policy/imago/{B}").text
    assert 'href="/timeline/imago"' in t and "3 versions of imago" in t
    assert f'href="/diff/imago/{A}/{B}"' in t and f'href="/diff/imago/{B}/{C}"' in t
    first = pages.get(f"/policy/imago/{A}").text
    assert f'href="/diff/imago/{A}/{B}"' in first and "changes since" not in first


def test_cq36_the_same_for_any_sparql_client(store):
    """As a client sends it (the parameters as a VALUES block, the remote path) and unbound (a
    plain SPARQL tool: every version against each later one), over the whole store."""
    import privacykg
    from privacykg.queries import load_library
    from privacykg.sparqltext import bind_values

    st = privacykg.open_store(store)
    text = load_library()["cq36"].text

    def rows(result, drop=()):
        return sorted(
            tuple(
                str(r[v])
                for v in ("change", "oldVersion", "newVersion", "subject", "predicate", "object", "quote")
                if v not in drop
            )
            for r in result
        )

    ours = rows(privacykg.query(st, "cq36", {"policy": "imago", "old": A, "new": B}))
    sent = bind_values(text, {"policy": '"imago"', "old": f'"{A}"', "new": f'"{B}"'})
    assert rows(st.query(sent, use_default_graph_as_union=True)) == ours
    unbound = list(st.query(text, use_default_graph_as_union=True))
    pairs = {(r["oldVersion"].value, r["newVersion"].value) for r in unbound}
    assert pairs == {(A, B), (A, C), (B, C)}
    assert rows(r for r in unbound if (r["oldVersion"].value, r["newVersion"].value) == (A, B)) == ours
