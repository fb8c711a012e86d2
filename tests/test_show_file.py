"""`privacykg show FILE.yaml`: one annotation file, a draft too, checked as validate checks it and
shown as `show` shows a built policy, without building anything."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from helpers import DATA
from privacykg.build import preview
from privacykg.cli import main
from privacykg.errors import DataError
from privacykg.namespaces import PKG

# A policy nobody here annotated, written for this test.
LUMEN = """Lumen Books Ltd Privacy Notice

Last updated: 3 March 2025

Lumen Books Ltd, 12 Harbour Street, Bristol, United Kingdom, is the controller of your personal data.

What we collect
We collect your name, email address and postal address when you place an order.

Your rights
You have the right to access your personal data.
"""


@pytest.fixture(scope="module")
def draft_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    (root / "lumen.txt").write_text(LUMEN, encoding="utf-8")
    out = root / "data" / "policies" / "lumen-2025-03-03.yaml"
    args = ["draft", str(root / "lumen.txt"), "--policy", "lumen", "--version", "2025-03-03", "-o", str(out)]
    assert main([*args, "--data", str(DATA)]) == 0
    return out


def test_a_draft_is_shown_before_anything_is_built_and_says_it_is_a_draft(draft_file, capsys):
    capsys.readouterr()
    assert main(["show", str(draft_file)]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith(f"DRAFT ({draft_file}:") and "not reviewed" in first
    assert "Lumen Books Ltd Privacy Notice" in out  # the title, read from the text
    # "We collect your name, email address and postal address when you place an order."
    assert "pd:EmailAddress" in out and "pd:Name" in out
    assert "“We collect your name, email address and postal address when you place an order.”" in out
    # "You have the right to access your personal data."
    assert "eu-gdpr:A15" in out
    assert not (draft_file.parent.parent / "store").exists()  # nothing built


def test_a_reviewed_file_is_shown_without_the_draft_line(capsys):
    path = next((DATA / "policies").glob("impro-*.yaml"))
    store, report = preview(path)
    assert report.policies == [path.stem]
    assert not [w for w in report.warnings if w.rule == "draft"]
    capsys.readouterr()
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("DRAFT") and "PROCESSING ACTIVITIES" in out
    # the store holds that file's policy and no other (the vocabulary beside it)
    slugs = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(PKG + "policySlug"), None)}
    assert slugs == {"impro"}


def test_a_broken_file_is_refused_with_its_line_and_nothing_shown(draft_file, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(draft_file.parent.parent, data)
    broken = data / "policies" / draft_file.name
    text = broken.read_text(encoding="utf-8")
    assert "pd:EmailAddress" in text
    broken.write_text(text.replace("pd:EmailAddress", "pd:EmailAdress", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        preview(broken)
    assert any("pd:EmailAdress" in str(p) and p.line for p in exc.value.problems)
    capsys.readouterr()
    assert main(["show", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "pd:EmailAdress" in captured.err and "pd:EmailAddress" in captured.err
