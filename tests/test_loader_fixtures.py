"""Valid and invalid annotation files. Each invalid fixture says in its header which rule it
breaks (`# breaks:`) and what the message says (`# expect:`); the test asserts that this rule
fired with that message, with exit code 1 and nothing written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, run_cli

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
BYTE_CASES = {"empty.yaml": ("format", "the file is empty")}


def expectation(path: Path) -> tuple[str, str]:
    if path.name in BYTE_CASES:
        return BYTE_CASES[path.name]
    head = path.read_bytes()[:400].decode("utf-8", errors="replace")
    breaks = re.search(r"^# breaks: (.+)$", head, re.M).group(1).strip()
    expect = re.search(r"^# expect: (.+)$", head, re.M).group(1).strip()
    return breaks, expect


def data_dir_with(tmp_path: Path, fixture: Path, name="acme-uk-2019-06-01.yaml") -> Path:
    """A data folder holding the valid sources and this fixture as the only policy file."""
    data = tmp_path / "data"
    shutil.copytree(VALID / "sources", data / "sources")
    (data / "policies").mkdir()
    shutil.copy(fixture, data / "policies" / name)
    return data


INVALID_CASES = sorted(INVALID.glob("*.yaml"))


@pytest.mark.slow  # the whole catalogue, one validate each (about 17 s): `make test` runs it
@pytest.mark.parametrize("fixture", INVALID_CASES, ids=[p.stem for p in INVALID_CASES])
def test_invalid_fixture_breaks_its_rule(fixture, tmp_path):
    import privacykg

    rule, expect = expectation(fixture)
    data = data_dir_with(tmp_path, fixture)
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    problems = info.value.problems
    assert any(p.rule == rule and expect in str(p) for p in problems), (
        f"expected rule {rule} with '{expect}', got:\n" + "\n".join(f"{p.rule}: {p}" for p in problems)
    )
    for p in problems:
        assert p.file.endswith(".yaml") or p.file.endswith(".txt"), p  # every problem names its file


@pytest.mark.parametrize("fixture", INVALID_CASES, ids=[p.stem for p in INVALID_CASES])
def test_invalid_fixture_build_exits_1_and_writes_nothing(fixture, tmp_path):
    data = data_dir_with(tmp_path, fixture)
    store = tmp_path / "store"
    r = run_cli("build", "--data", data, "--store", store)
    assert r.code == 1, r
    assert "Traceback" not in r.err
    assert "nothing was written" in r.err
    assert not store.exists() and not (tmp_path / "store.d").exists()


def test_problems_name_the_line(tmp_path):
    import privacykg

    data = data_dir_with(tmp_path, INVALID / "misspelt-term.yaml")
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    (p,) = [p for p in info.value.problems if p.rule == "unknown-term"]
    text = (data / "policies" / "acme-uk-2019-06-01.yaml").read_text().splitlines()
    assert "dpv:DirectMarketting" in text[p.line - 1]
    assert p.field == "processes.newsletter.hasPurpose"


def test_valid_fixture_is_valid():
    import privacykg

    report = privacykg.validate(data_dir=VALID)
    assert report.policies == ["acme-uk-2019-06-01"]


def test_bom_and_crlf_are_accepted(tmp_path):
    import privacykg

    data = data_dir_with(tmp_path, VALID / "policies" / "acme-uk-2019-06-01.yaml")
    for path in (data / "policies" / "acme-uk-2019-06-01.yaml", data / "sources" / "acme-uk-2019-06-01.txt"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    store = tmp_path / "store"
    report = privacykg.build(data, store)
    assert report.policies == ["acme-uk-2019-06-01"]
    rows = privacykg.select(
        store,
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?s ?e WHERE { ?sel oa:exact "We never sell your personal data." . ?t oa:hasSelector ?sel, ?p .
        ?p oa:start ?s ; oa:end ?e }""",
    )
    src = (VALID / "sources" / "acme-uk-2019-06-01.txt").read_text(encoding="utf-8")
    start = src.find("We never sell your personal data.")
    assert rows == [{"s": str(start), "e": str(start + len("We never sell your personal data."))}]


def test_two_files_claiming_one_policy_version(tmp_path):
    import privacykg

    data = data_dir_with(tmp_path, VALID / "policies" / "acme-uk-2019-06-01.yaml")
    shutil.copy(data / "policies" / "acme-uk-2019-06-01.yaml", data / "policies" / "acme-uk-2019-06-01.yml")
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    assert any(p.rule == "duplicate" and "already in" in str(p) for p in info.value.problems)


def test_ambiguous_quote_asks_for_an_offset(tmp_path):
    import privacykg

    data = data_dir_with(tmp_path, VALID / "policies" / "acme-uk-2019-06-01.yaml")
    path = data / "policies" / "acme-uk-2019-06-01.yaml"
    path.write_text(
        path.read_text().replace('quotes: ["We never sell your personal data."]', 'quotes: ["personal data"]')
    )
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    (p,) = [p for p in info.value.problems if p.rule == "quote"]
    assert "occurs" in p.message and "at: N" in p.hint


def test_very_large_file_is_refused(tmp_path):
    import privacykg

    data = data_dir_with(tmp_path, VALID / "policies" / "acme-uk-2019-06-01.yaml")
    path = data / "policies" / "acme-uk-2019-06-01.yaml"
    with open(path, "a") as f:
        f.write("# " + "x" * (6 * 1024 * 1024) + "\n")
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data)
    assert "the limit is" in str(info.value)


@pytest.mark.parametrize("term", ["dpv:PseudonymisedData", "dpv:ContextuallyAnonymisedData"])
def test_non_personal_data_fix_the_message_names_is_accepted(term, tmp_path):
    """The message for anonymised data given as personal data proposes dpv:PseudonymisedData (DPV:
    still personal data; its narrower dpv:ContextuallyAnonymisedData too): the file so corrected
    validates, where the term was once unknown to the profile."""
    import privacykg

    fixture = INVALID / "non-personal-data.yaml"
    with pytest.raises(privacykg.DataError) as info:
        privacykg.validate(data_dir=data_dir_with(tmp_path / "before", fixture))
    (p,) = [p for p in info.value.problems if p.rule == "non-personal-data"]
    assert "dpv:PseudonymisedData" in str(p)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(fixture.read_text().replace("dpv:AnonymisedData", term))
    report = privacykg.validate(data_dir=data_dir_with(tmp_path / "after", fixed))
    assert report.policies == ["acme-uk-2019-06-01"], report.policies
