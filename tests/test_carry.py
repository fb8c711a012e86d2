"""``privacykg carry``: a new version's annotation started from the previous version's, every
quote re-anchored in the new text, what changed flagged with ``carried:`` (which the loader
refuses until a person resolves it). Real texts: the Impro notice and a new version of it
written here by editing given sentences; a small Markdown policy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from helpers import DATA, ROOT
from privacykg.build import validate
from privacykg.carry import THRESHOLD, carry
from privacykg.errors import DataError, UsageError

SEED = "impro-2018-05-16"
NEW = "2019-01-01"

DATE_OLD = "This Privacy Policy was last updated: May 16, 2018"
DATE_NEW = "This Privacy Policy was last updated: January 1, 2019"
UNCHANGED = "Our websites follow browser do-not-track signals."
MOVED = "HID Global will respond within 45 days."
EDITED_OLD = "We encourage you to carefully read the privacy policy of any website you visit."
EDITED_NEW = "We encourage you to read carefully the privacy notice of every website you visit."
GONE = "We are working to improve hidglobal.com."
DUPLICATED = "You may object to this processing if you wish."


def new_version(old: str) -> str:
    """The seed's text with one sentence each edited, moved, deleted and duplicated, and a new date."""
    for sentence in (DATE_OLD, UNCHANGED, MOVED, EDITED_OLD, GONE, DUPLICATED):
        assert old.count(sentence) == 1, sentence
    text = old.replace(DATE_OLD, DATE_NEW).replace(EDITED_OLD, EDITED_NEW)
    text = text.replace(GONE + " ", "")
    text = text.replace(" " + MOVED, "")  # out of the complaints paragraph ...
    text = text.replace("Links to 3rd Party Sites", f"{MOVED}\n\nLinks to 3rd Party Sites")  # ... into its own
    text = text.rstrip("\n") + f"\n\n{DUPLICATED}\n"  # a second copy at the end
    return text


@pytest.fixture
def data(tmp_path):
    """A data folder holding the seed policy and its text, and the new version's text beside it."""
    d = tmp_path / "data"
    (d / "policies").mkdir(parents=True)
    (d / "sources").mkdir()
    shutil.copy(DATA / "policies" / f"{SEED}.yaml", d / "policies")
    shutil.copy(DATA / "sources" / f"{SEED}.txt", d / "sources")
    old = (d / "sources" / f"{SEED}.txt").read_text(encoding="utf-8")
    (tmp_path / "new.txt").write_text(new_version(old), encoding="utf-8")
    return d


def _cli(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "loader"))
    return subprocess.run(
        [sys.executable, "-m", "privacykg", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def _item_line(text: str, needle: str) -> int:
    """The line (1-based) of the first line holding ``needle``."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"not in the file: {needle}")


def _flagged_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "carried:" in line]


def test_each_kind_of_change(data, tmp_path):
    report = carry(data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", NEW)
    out = data / "policies" / f"impro-{NEW}.yaml"
    assert report.output == out and out.is_file()
    # the text is copied byte for byte under the new version's name
    assert (data / "sources" / f"impro-{NEW}.txt").read_bytes() == (tmp_path / "new.txt").read_bytes()
    assert report.source_copied
    text = out.read_text(encoding="utf-8")
    old = (data / "policies" / f"{SEED}.yaml").read_text(encoding="utf-8")

    # version and source updated; every comment kept, in order
    assert f"\nversion: {NEW}\n" in text and f"\nsource: impro-{NEW}.txt\n" in text

    def comments(t):
        return [ln.strip() for ln in t.splitlines() if ln.strip().startswith("#")]

    assert comments(text) == comments(old) and len(comments(old)) > 30
    assert len(text.splitlines()) == len(old.splitlines())  # the layout: line for line

    # unchanged: the same line as before
    assert _item_line(text, UNCHANGED) == _item_line(old, UNCHANGED)
    line = text.splitlines()[_item_line(text, UNCHANGED) - 1]
    assert line == old.splitlines()[_item_line(old, UNCHANGED) - 1]
    # moved to another paragraph: found once, kept as it is, not flagged
    assert text.count(f'"{MOVED}"') == old.count(f'"{MOVED}"') == 2
    # duplicated: {text, at} at the occurrence nearest its old place (the first), not flagged
    new_text = (tmp_path / "new.txt").read_text(encoding="utf-8")
    first = new_text.index(DUPLICATED)
    assert new_text.rindex(DUPLICATED) != first
    assert f'{{text: "{DUPLICATED}", at: {first}}}' in text
    # edited: the new sentence proposed, flagged with the similarity and the old quote
    m = re.search(
        r'\{text: "'
        + re.escape(EDITED_NEW)
        + r'", carried: "edited \(similarity (0\.\d\d)\); was: '
        + re.escape(EDITED_OLD)
        + r'"\}',
        text,
    )
    assert m and THRESHOLD <= float(m.group(1)) < 1
    # the date line: proposed as an edit
    assert re.search(
        r'quote: \{text: "' + re.escape(DATE_NEW) + r'", carried: "edited \(similarity 0\.\d\d\); '
        r"was: " + re.escape(DATE_OLD) + r"; update the date's value: too\"\}",
        text,
    )
    # gone: the old quote kept, flagged for removal (in both facts quoting it)
    gone = f'{{text: "{GONE}", carried: "gone: not found in the new text'
    assert text.count(gone) == 2
    assert "delete the fact or quote it anew" in text

    # the report: quote items and facts
    assert (report.edited, report.gone, report.moved, report.ambiguous) == (2, 2, 2, 0)
    assert report.unchanged == report.quotes - 6 == 210
    # at: written for the duplicated quote, updated for one whose earlier text changed length
    assert report.offsets == 2 and '{text: "Impro Technologies", at: 14372}' in text
    assert len(report.flags) == 4 == len(_flagged_lines(text))
    assert {f.kind for f in report.flags} == {"edited", "gone"}
    assert (report.facts_flagged, report.facts_clean) == (4, 110)
    for f in report.flags:  # each flag names its line in the new file
        assert "carried:" in text.splitlines()[f.line - 1], f
    date_flag = next(f for f in report.flags if f.new == DATE_NEW)
    assert date_flag.field == "notice.modified.quote" and date_flag.old == DATE_OLD


@pytest.mark.slow  # quick subset: more than a second
def test_validate_refuses_until_the_flags_are_resolved(data, tmp_path):
    carry(data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", NEW)
    out = data / "policies" / f"impro-{NEW}.yaml"
    with pytest.raises(DataError) as exc:
        validate([out], data_dir=data)
    carried = [p for p in exc.value.problems if p.rule == "carry-forward"]
    text = out.read_text(encoding="utf-8")
    assert sorted(p.line for p in carried) == sorted(
        i for i, line in enumerate(text.splitlines(), 1) if "carried:" in line
    )
    edited = next(p for p in carried if EDITED_OLD in p.message)
    assert edited.field == "entities.impro-linked-websites.quotes"
    assert edited.hint == "check the proposed quote against the text, then delete the carried: key"
    gone = [p for p in carried if p.message.find("gone:") > 0]
    assert len(gone) == 2 and all(p.hint.startswith("delete the fact or quote it anew") for p in gone)
    # one problem per flagged item: nothing else is wrong with the file
    assert len(carried) == 4 and len(exc.value.problems) == 4

    # the CLI names file and line
    r = _cli("validate", out, "--data", data)
    assert r.returncode == 1
    assert f"{out}:{edited.line}: {edited.field}: quote carried forward" in r.stderr

    # a person resolves them: accepts the proposals (and the new date), deletes the gone quotes
    text = re.sub(r', carried: "edited[^"]*"\}', "}", text)
    text = re.sub(r'\{text: ("[^"]*")\}', r"\1", text)
    text = text.replace("modified: {value: 2018-05-16,", f"modified: {{value: {NEW},")
    text = "\n".join(ln for ln in text.splitlines() if GONE not in ln) + "\n"
    assert "carried:" not in text
    out.write_text(text, encoding="utf-8")
    assert validate([out], data_dir=data).policies == [f"impro-{NEW}"]


@pytest.mark.slow  # quick subset: more than a second
def test_cli_prints_the_report_and_each_flag(data, tmp_path):
    r = _cli("carry", data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", "--version", NEW)
    assert r.returncode == 0, r.stderr
    out = data / "policies" / f"impro-{NEW}.yaml"
    assert "quotes: 210 unchanged, 2 moved, 2 edited, 2 gone (at: written anew for 2, 0 of them ambiguous)" in r.stdout
    assert "facts: 110 carried without a flag, 4 flagged" in r.stdout
    text = out.read_text(encoding="utf-8")
    flagged = [i for i, line in enumerate(text.splitlines(), 1) if "carried:" in line]
    for i in flagged:
        assert re.search(rf"^  {re.escape(str(out))}:{i}: \S+: (edited|gone)", r.stdout, re.MULTILINE), r.stdout
    # an existing output is not overwritten without --force; a different text under the name is never
    r = _cli("carry", data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", "--version", NEW)
    assert r.returncode == 2 and "exists: not overwritten (pass --force" in r.stderr
    r = _cli("carry", data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", "--version", NEW, "--force")
    assert r.returncode == 0, r.stderr
    other = tmp_path / "other.txt"
    other.write_text("Another text.\n", encoding="utf-8")
    r = _cli("carry", data / "policies" / f"{SEED}.yaml", other, "--version", NEW, "--force")
    assert r.returncode == 2 and "differs from" in r.stderr
    assert (data / "sources" / f"impro-{NEW}.txt").read_bytes() == (tmp_path / "new.txt").read_bytes()
    r = _cli("carry", data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", "--version", "2019-02-30")
    assert r.returncode == 2 and "not a calendar date" in r.stderr
    # -o: another file name; the source is already there, not copied again
    r = _cli(
        "carry",
        data / "policies" / f"{SEED}.yaml",
        tmp_path / "new.txt",
        "--version",
        NEW,
        "-o",
        tmp_path / "draft.yaml",
    )
    assert r.returncode == 0 and "already there" in r.stdout and (tmp_path / "draft.yaml").is_file()


@pytest.mark.slow  # quick subset: more than a second
def test_own_unchanged_text_carries_without_a_flag(data, tmp_path):
    same = tmp_path / "same.txt"
    shutil.copy(data / "sources" / f"{SEED}.txt", same)
    report = carry(data / "policies" / f"{SEED}.yaml", same, NEW)
    assert report.flags == []
    assert (report.moved, report.edited, report.gone, report.facts_flagged) == (0, 0, 0, 0)
    assert report.unchanged == report.quotes == 216
    old = (data / "policies" / f"{SEED}.yaml").read_text(encoding="utf-8")
    new = report.output.read_text(encoding="utf-8")
    # only version and source differ
    diff = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=False) if a != b]
    assert diff == [("version: 2018-05-16", f"version: {NEW}"), (f"source: {SEED}.txt", f"source: impro-{NEW}.txt")]
    assert validate([report.output], data_dir=data).policies == [f"impro-{NEW}"]


@pytest.mark.slow  # quick subset: more than a second
def test_every_seed_policy_carries_onto_its_own_text(tmp_path):
    """The newest version of each policy (quotes with and without at:, conditions, values; plain
    text and Markdown) carried onto its own text: not one flag, and the result validates."""
    newest = {}
    for path in sorted((DATA / "policies").glob("*.yaml")):
        newest[path.stem[:-11]] = path  # <policy>-<YYYY-MM-DD>: the last in date order wins
    assert len(newest) >= 5
    for policy, path in newest.items():
        d = tmp_path / policy / "data"
        shutil.copytree(DATA / "sources", d / "sources")
        (d / "policies").mkdir()
        shutil.copy(path, d / "policies")
        src = next((DATA / "sources").glob(path.stem + ".*"))
        report = carry(d / "policies" / path.name, src, "2030-01-01")
        assert report.flags == [] and report.moved == 0, path.name
        assert validate([report.output], data_dir=d).policies, path.name


MD_OLD = """---
title: Example
---

# Example privacy policy

Last updated: **March 1, 2024**

## What we collect

We collect your **email address** when you [sign up](https://example.com/signup) for the newsletter.
We keep it for two years.

## Sharing

We never sell your personal data to [advertisers](https://example.com/ads).
"""

MD_NEW = """---
title: Example
---

# Example privacy policy

Last updated: **June 5, 2025**

## Sharing

We never sell your personal data to [advertisers](https://example.com/ads).

## What we collect

We collect your **email address** and your **name** when you [sign up](https://example.com/signup) for our newsletter.
We keep it for two years.
"""

MD_YAML = """format: privacykg/1
policy: example
version: 2024-03-01
source: example-2024-03-01.md
origin:
  licence: CC0-1.0
  attribution: "Example privacy policy, version 2024-03-01, by Example, CC0"
  repository: https://github.com/example/policies
  path: privacy.md
  commit: 0123456789abcdef0123456789abcdef01234567
title: Example privacy policy
language: en
controller: example

notice:
  modified: {value: 2024-03-01, quote: "Last updated: March 1, 2024"}

entities:
  example:
    types: [dpv:DataController, dpv:Organisation]
    name: Example
    quotes: ["Example privacy policy"]

processes:
  newsletter:
    # reading: the newsletter sign-up
    quotes:
      - "We collect your email address when you sign up for the newsletter."
      - "We keep it for two years."
    hasPurpose: [dpv:CommunicationManagement]
    hasPersonalData: [pd:EmailAddress]
prohibitions:
  no-selling:
    quote: "We never sell your personal data to advertisers."
    hasPurpose: [dpv:SellDataToThirdParties]
    hasPersonalData: [dpv:PersonalData]
"""


@pytest.mark.slow  # quick subset: more than a second
def test_markdown_source(tmp_path):
    d = tmp_path / "data"
    (d / "policies").mkdir(parents=True)
    (d / "sources").mkdir()
    (d / "sources" / "example-2024-03-01.md").write_text(MD_OLD, encoding="utf-8")
    (d / "policies" / "example-2024-03-01.yaml").write_text(MD_YAML, encoding="utf-8")
    assert validate([d / "policies" / "example-2024-03-01.yaml"], data_dir=d).policies
    (tmp_path / "next.md").write_text(MD_NEW, encoding="utf-8")
    r = _cli("carry", d / "policies" / "example-2024-03-01.yaml", tmp_path / "next.md", "--version", "2025-06-05")
    assert r.returncode == 0, r.stderr
    out = d / "policies" / "example-2025-06-05.yaml"
    assert (d / "sources" / "example-2025-06-05.md").read_text(encoding="utf-8") == MD_NEW
    text = out.read_text(encoding="utf-8")
    assert "source: example-2025-06-05.md" in text and "# reading: the newsletter sign-up" in text
    # the moved sentence (link dropped by the rendering) found verbatim; the edited one proposed
    # as the rendering reads: no emphasis marks, no link target
    assert 'quote: "We never sell your personal data to advertisers."' in text
    assert (
        '{text: "We collect your email address and your name when you sign up for our newsletter.", '
        'carried: "edited (similarity'
    ) in text
    assert '{text: "Last updated: June 5, 2025", carried: "edited' in text
    # the sentence after the edited one moved with it ("What we collect" is now the last section)
    assert "quotes: 1 unchanged, 2 moved, 2 edited, 0 gone (at: written anew for 0, 0 of them ambiguous)" in r.stdout
    assert "facts: 2 carried without a flag, 2 flagged" in r.stdout
    # the origin (licence, commit) described the previous text: a note says to update it
    assert f"note: {out}:5: origin: is the previous version's" in r.stdout
    with pytest.raises(DataError) as exc:
        validate([out], data_dir=d)
    assert [p.rule for p in exc.value.problems] == ["carry-forward", "carry-forward"]
    out.write_text(
        re.sub(r'\{text: ("[^"]*"), carried: "[^"]*"\}', r"\1", text).replace(
            "{value: 2024-03-01,", "{value: 2025-06-05,"
        ),
        encoding="utf-8",
    )
    assert validate([out], data_dir=d).policies == ["example-2025-06-05"]


def test_ambiguous_duplicate_is_flagged(tmp_path):
    """A quote whose sentence is now twice, both as near its old place: {text, at} and a flag."""
    d = tmp_path / "data"
    (d / "policies").mkdir(parents=True)
    (d / "sources").mkdir()
    (d / "sources" / "example-2024-03-01.md").write_text(MD_OLD, encoding="utf-8")
    (d / "policies" / "example-2024-03-01.yaml").write_text(MD_YAML, encoding="utf-8")
    twice = MD_OLD.replace("We keep it for two years.\n", "We keep it for two years.\nWe keep it for two years.\n")
    (tmp_path / "twice.md").write_text(twice, encoding="utf-8")
    report = carry(d / "policies" / "example-2024-03-01.yaml", tmp_path / "twice.md", "2024-04-01")
    assert report.ambiguous == 1 and [f.kind for f in report.flags] == ["ambiguous"]
    text = report.output.read_text(encoding="utf-8")
    assert re.search(r'\{text: "We keep it for two years.", at: \d+, carried: "ambiguous: found 2 times', text)
    with pytest.raises(DataError) as exc:
        validate([report.output], data_dir=d)
    assert [p.rule for p in exc.value.problems] == ["carry-forward"]
    assert exc.value.problems[0].hint.startswith("check the occurrence at")


def test_bad_arguments(data, tmp_path):
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        carry(data / "policies" / f"{SEED}.yaml", tmp_path / "new.txt", "2019-1-1")
    with pytest.raises(UsageError, match="cannot read"):
        carry(data / "policies" / f"{SEED}.yaml", tmp_path / "missing.txt", NEW)
    with pytest.raises(UsageError, match="is the file carried forward"):
        carry(data / "policies" / f"{SEED}.yaml", data / "sources" / f"{SEED}.txt", "2018-05-16", force=True)
    assert not (data / "policies" / f"impro-{NEW}.yaml").exists()


@pytest.mark.slow  # quick subset: more than a second
def test_block_styles_are_rewritten_in_place(tmp_path):
    """Quote items written as folded block scalars and block mappings: each rewritten item
    becomes one line, the lines around it (and its comments) stay."""
    d = tmp_path / "data"
    (d / "policies").mkdir(parents=True)
    (d / "sources").mkdir()
    (d / "sources" / "example-2024-03-01.md").write_text(MD_OLD, encoding="utf-8")
    block = MD_YAML.replace(
        """    quotes:
      - "We collect your email address when you sign up for the newsletter."
      - "We keep it for two years."
""",
        """    quotes:
      - >-
        We collect your email address when you
        sign up for the newsletter.
      # the retention
      - text: "We keep it for two years."
        at: 999999
""",
    )
    assert block != MD_YAML
    (d / "policies" / "example-2024-03-01.yaml").write_text(block, encoding="utf-8")
    with pytest.raises(DataError, match="offset 999999 does not match"):  # a stale offset in the old file
        validate([d / "policies" / "example-2024-03-01.yaml"], data_dir=d)
    (tmp_path / "next.md").write_text(MD_NEW, encoding="utf-8")
    report = carry(d / "policies" / "example-2024-03-01.yaml", tmp_path / "next.md", "2025-06-05")
    text = report.output.read_text(encoding="utf-8")
    assert (
        '      - {text: "We collect your email address and your name when you sign up for our newsletter.", '
        'carried: "edited (similarity'
    ) in text
    assert '      # the retention\n      - "We keep it for two years."\n    hasPurpose:' in text
    assert report.offsets == 1 and [f.line for f in report.flags] == [
        i for i, line in enumerate(text.splitlines(), 1) if "carried:" in line
    ]
    resolved = re.sub(r'\{text: ("[^"]*"), carried: "[^"]*"\}', r"\1", text)
    report.output.write_text(resolved.replace("{value: 2024-03-01,", "{value: 2025-06-05,"), encoding="utf-8")
    assert validate([report.output], data_dir=d).policies == ["example-2025-06-05"]


def test_the_date_line_is_an_edit_however_short():
    """The notice's date line always changes; compared without its numbers and month names,
    a short one is proposed as an edit, not called gone."""
    from privacykg.carry import NewText, anchor

    old = "Acme privacy notice\nEffective: May 1, 2018\n\nWe collect your name.\n"
    new = NewText("Acme privacy notice\nEffective date: 12 December 2019\n\nWe collect your name.\n")
    assert anchor("Effective: May 1, 2018", None, old, new).kind == "gone"  # as any other quote
    a = anchor("Effective: May 1, 2018", None, old, new, date=True)
    assert (a.kind, a.text) == ("edited", "Effective date: 12 December 2019")
    assert a.flag.startswith("edited (similarity 0.59); was: Effective: May 1, 2018")  # the plain similarity
    assert anchor("We collect your name.", None, old, new, date=True).kind == "unchanged"
