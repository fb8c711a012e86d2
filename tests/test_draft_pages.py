"""The server's draft pages (`privacykg serve --drafts DIR`): annotation files that are not in the
store, a draft written by the real `privacykg.draft` above all, listed at /drafts and shown at
/drafts/{name} as the store's policy page, from memory, under a draft banner; a file its checks
refuse is a 422 page naming its problems. In process, with Starlette's TestClient."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpers import DATA, run_cli
from privacykg.build import preview
from privacykg.draft import draft
from privacykg.preview_html import BANNER
from privacykg.server import Settings, create_app
from privacykg.server.drafts import DISABLED, draft_files

# A policy nobody here annotated, written for this test.
QUILL = """Quill and Ink Stationers Ltd Privacy Notice

Last updated: 14 April 2025

Quill and Ink Stationers Ltd, 4 Mill Lane, Leeds, United Kingdom, is the controller of your personal data.

What we collect
We collect your name, email address and postal address when you place an order.
"""
# the sentence of QUILL the draft quotes verbatim as its evidence for the data it collects
SENTENCE = "We collect your name, email address and postal address when you place an order."
NAME = "quill-2025-04-14.yaml"
REVIEWED = "quill-2025-05-01.yaml"  # the draft with its `draft: true` line deleted, as another version
BROKEN = "broken.yaml"
BROKEN_TEXT = "format: privacykg/1\npolicy: quill\npolicy: quill\nversion: 2025-04-14\n"  # line 3: policy again


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """A draft of QUILL by the real `draft` (its text copied into the sources/ beside drafts/)."""
    root = tmp_path_factory.mktemp("drafted")
    (root / "quill.txt").write_text(QUILL, encoding="utf-8")
    draft(root / "quill.txt", "quill", "2025-04-14", out=root / "drafts" / NAME, data_dir=DATA)
    return root


@pytest.fixture
def folder(drafted, tmp_path) -> Path:
    """drafts/ with the draft, the same file reviewed (REVIEWED) and a file
    whose YAML repeats a key at line 3; sources/ beside it; other/, beside it, a copy of the draft."""
    shutil.copytree(drafted / "sources", tmp_path / "sources")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    text = (drafted / "drafts" / NAME).read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    (drafts / NAME).write_text(text, encoding="utf-8")
    reviewed = text.replace("\ndraft: true\n", "\n").replace("\nversion: 2025-04-14\n", "\nversion: 2025-05-01\n")
    (drafts / REVIEWED).write_text(reviewed, encoding="utf-8")
    (drafts / BROKEN).write_text(BROKEN_TEXT, encoding="utf-8")
    (drafts / "notes.txt").write_text("not an annotation file\n", encoding="utf-8")
    (drafts / "sub").mkdir()
    (drafts / "sub" / NAME).write_text(text, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / NAME).write_text(text, encoding="utf-8")
    return drafts


def _client(folder: Path | None, store: Path) -> TestClient:
    return TestClient(create_app(Settings(store=str(store), isolate_queries=False, drafts_dir=folder)))


@pytest.fixture
def client(folder, tmp_path):
    with _client(folder, tmp_path / "store") as c:
        yield c


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*")}


def test_the_list_says_which_file_is_a_draft_with_its_warnings_or_its_problems(client, folder):
    r = client.get("/drafts")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in r.text.split("<tr>")[2:]}
    assert set(rows) == {NAME, REVIEWED, BROKEN}  # not notes.txt, not sub/
    _, report = preview(folder / NAME)
    others = [w for w in report.warnings if w.rule != "draft"]
    assert "<td>quill</td><td>2025-04-14</td><td><strong>draft</strong></td>" in rows[NAME]
    assert f"<td>{len(others)}</td><td>valid</td>" in rows[NAME]
    assert "<td>reviewed</td>" in rows[REVIEWED] and "draft</strong>" not in rows[REVIEWED]
    assert "refused" in rows[BROKEN] and f"{BROKEN}:3: duplicate key" in rows[BROKEN]


def test_a_draft_is_shown_as_a_policy_page_under_the_banner_with_its_quotes_verbatim(client, folder):
    r = client.get(f"/drafts/{NAME}")
    assert r.status_code == 200
    _, report = preview(folder / NAME)
    (mark,) = [w for w in report.warnings if w.rule == "draft"]
    assert f"<strong>{html.escape(BANNER)}</strong> ({NAME}:{mark.line})" in r.text
    assert "Quill and Ink Stationers Ltd Privacy Notice</h1>" in r.text  # the title, read from the text
    # "We collect your name, email address and postal address when you place an order."
    assert f"<mark>{SENTENCE}</mark>" in r.text
    for w in report.warnings:
        if w.rule != "draft":
            assert f"<code>{NAME}:{w.line}</code>: {html.escape(w.message)}" in r.text
    reviewed = client.get(f"/drafts/{REVIEWED}")
    assert reviewed.status_code == 200 and f"<mark>{SENTENCE}</mark>" in reviewed.text
    assert BANNER not in reviewed.text and "draft-banner" not in reviewed.text


def test_a_file_its_checks_refuse_is_a_422_page_naming_each_problem_and_its_line(client):
    r = client.get(f"/drafts/{BROKEN}")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    row = f"<tr><td>{BROKEN}</td><td>3</td><td>policy</td><td>duplicate key &#x27;policy&#x27;</td><td>each key"
    assert row in r.text


def test_a_changed_file_is_previewed_again_and_nothing_is_written(client, folder, tmp_path):
    before = _tree(tmp_path)
    assert client.get(f"/drafts/{NAME}").status_code == 200
    assert client.get("/drafts").status_code == 200
    assert _tree(tmp_path) == before  # nothing written beside the drafts, and no store made
    assert not (tmp_path / "store").exists()
    (folder / NAME).write_text(BROKEN_TEXT, encoding="utf-8")  # another size: the cached page is stale
    assert client.get(f"/drafts/{NAME}").status_code == 422


def test_unknown_names_and_names_outside_the_folder_are_404(client, folder):
    outside = folder.parent / "other" / NAME
    assert preview(outside)[1].policies == ["quill-2025-04-14"]  # a valid file a joined path would reach
    for name in ("nope.yaml", "notes.txt", "sub", f"sub/{NAME}", f"../other/{NAME}", str(outside)):
        r = client.get("/drafts/" + name.replace("/", "%2F"))
        assert r.status_code == 404, name
        assert f"no file {name!r} in the drafts folder" in r.text  # refused by the handler, not the router
    assert set(draft_files(folder)) == {NAME, REVIEWED, BROKEN}


def test_without_a_drafts_folder_the_routes_are_404_saying_how_to_turn_them_on(tmp_path):
    with _client(None, tmp_path / "store") as c:
        for path in ("/drafts", f"/drafts/{NAME}"):
            r = c.get(path)
            assert r.status_code == 404 and r.text == DISABLED + "\n"
    assert "--drafts DIR" in DISABLED


def test_serve_refuses_a_drafts_folder_that_is_not_there(tmp_path):
    r = run_cli("serve", "--drafts", tmp_path / "nope", "--port", "0")
    assert r.code == 2 and "--drafts: no such folder" in r.err
