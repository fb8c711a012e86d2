"""``privacykg draft`` reads the notice's own statements: its dates, the response time, fees, the
supervisory authority, complaint routes, how rights are exercised and Do Not Track; each a
suggestion quoting the text verbatim, in the file a draft validates with. The policy texts are
written here (no corpus text)."""

from __future__ import annotations

import pytest
import yaml

from helpers import DATA
from privacykg.build import validate
from privacykg.cli import main
from privacykg.draft.notice import notice_facts
from privacykg.draft.segment import segment

POLICY = """Larkspur Tools Privacy Notice
Effective date: 1 March 2025
Last updated: 14 February 2025

Who we are
Larkspur Tools Ltd, 2 Mill Lane, Leeds, is responsible for your personal data.

What we collect
We collect your name and email address when you create an account, to provide our service.

Your rights
You have the right to access your personal data and to ask us to correct it.
To exercise your rights, email privacy@larkspur.example or use the web form on our site.
We will respond to your request within 30 days.
Requests are free of charge.
We may charge a reasonable fee if your request is manifestly excessive.
If you are unhappy with our answer, you can lodge a complaint with your local supervisory authority.

Browser signals
Our site does not respond to Do Not Track signals from browsers.
"""
EXERCISE = "To exercise your rights, email privacy@larkspur.example or use the web form on our site."
RESPONSE = "We will respond to your request within 30 days."
FREE = "Requests are free of charge."
FEE = "We may charge a reasonable fee if your request is manifestly excessive."
COMPLAINT = "If you are unhappy with our answer, you can lodge a complaint with your local supervisory authority."
DNT = "Our site does not respond to Do Not Track signals from browsers."


def _draft(tmp_path, text: str, policy: str, version: str) -> tuple[dict, str]:
    source = tmp_path / f"{policy}.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "data" / "policies" / f"{policy}-{version}.yaml"
    args = ["draft", str(source), "--policy", policy, "--version", version, "-o", str(out), "--data", str(DATA)]
    assert main(args) == 0
    assert validate([out]).policies == [f"{policy}-{version}"]  # a valid file, as a draft
    written = (out.parent.parent / "sources" / f"{policy}-{version}.txt").read_text(encoding="utf-8")
    return yaml.safe_load(out.read_text(encoding="utf-8")), written


def _quotes(value: dict) -> list[str]:
    quotes = value.get("quotes") or [value["quote"]]
    return [q["text"] for q in quotes]


def _verbatim(value: dict, text: str) -> bool:
    quotes = value.get("quotes") or [value["quote"]]
    return all(text[q["at"] : q["at"] + len(q["text"])] == q["text"] for q in quotes)


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    doc, text = _draft(tmp_path_factory.mktemp("notice"), POLICY, "larkspur", "2025-03-01")
    assert doc["draft"] is True
    return doc["notice"], text


def test_an_effective_and_a_last_updated_line_are_both_drafted(notice):
    n, text = notice
    # "Effective date: 1 March 2025" -> effective (dct:valid)
    assert (n["effective"]["value"].isoformat(), _quotes(n["effective"])) == (
        "2025-03-01",
        ["Effective date: 1 March 2025"],
    )
    # "Last updated: 14 February 2025" -> modified
    assert (n["modified"]["value"].isoformat(), _quotes(n["modified"])) == (
        "2025-02-14",
        ["Last updated: 14 February 2025"],
    )
    assert "issued" not in n
    assert _verbatim(n["effective"], text) and _verbatim(n["modified"], text)


def test_the_response_time_is_the_longest_time_stated(notice):
    n, text = notice
    # "We will respond to your request within 30 days."
    assert (n["responseTime"]["value"], _quotes(n["responseTime"])) == ("P30D", [RESPONSE])
    assert _verbatim(n["responseTime"], text)


def test_fees_no_fee_and_a_fee_that_may_be_charged_with_its_condition(notice):
    n, text = notice
    free, fee = n["hasFee"]
    # "Requests are free of charge."
    assert (free["value"], _quotes(free)) == ("dpv:FeeNotRequired", [FREE])
    # "We may charge a reasonable fee if your request is manifestly excessive.": possible, on its condition
    assert (fee["value"], fee["modality"], _quotes(fee)) == ("dpv:FeeRequired", "possible", [FEE])
    assert fee["condition"]["text"] == "if your request is manifestly excessive"
    assert text[fee["condition"]["at"] :].startswith(fee["condition"]["text"])
    assert _verbatim(free, text) and _verbatim(fee, text)


def test_the_authority_a_complaint_may_go_to_and_the_complaint_route(notice):
    n, text = notice
    # "... you can lodge a complaint with your local supervisory authority."
    ((authority),) = n["hasAuthority"]
    assert (authority["value"], _quotes(authority)) == ("dpv:DataProtectionAuthority", [COMPLAINT])
    ((route),) = n["complaint"]
    assert (route["value"], _quotes(route)) == (COMPLAINT, [COMPLAINT])  # the quoted sentence is the value
    assert _verbatim(authority, text) and _verbatim(route, text)


def test_how_rights_are_exercised_is_the_sentence_naming_the_route(notice):
    n, text = notice
    # "To exercise your rights, email privacy@larkspur.example or use the web form on our site."
    ((how),) = n["rightsExercise"]
    assert (how["value"], _quotes(how)) == (EXERCISE, [EXERCISE])
    assert _verbatim(how, text)


def test_do_not_track_read_only_where_the_text_says_so(notice):
    n, text = notice
    # "Our site does not respond to Do Not Track signals from browsers."
    assert (n["respondsToDoNotTrack"]["value"], _quotes(n["respondsToDoNotTrack"])) == (False, [DNT])
    assert _verbatim(n["respondsToDoNotTrack"], text)


def test_a_text_stating_none_of_them_drafts_none(tmp_path):
    """Rights and a date, but no response time, fee, authority, complaint route, way to exercise
    the rights nor Do Not Track: the notice holds the date and the rights only."""
    text = (
        "Acme Privacy Notice\nLast updated: 3 March 2025\n\nWhat we collect\n"
        "We collect your email address to send you our newsletter.\n\nYour rights\n"
        "You have the right to access your personal data.\n"
    )
    doc, _ = _draft(tmp_path, text, "acme", "2025-03-03")
    assert set(doc["notice"]) == {"modified", "hasRight"}


@pytest.mark.parametrize(
    "sentence, field, value",
    [
        ("This notice takes effect on 5 January 2026.", "effective", "2026-01-05"),
        ("Issued: 2 April 2024", "issued", "2024-04-02"),
        ("We respond to every request to exercise your rights within one month.", "responseTime", "P1M"),
        ("Our website honours Do Not Track signals sent by your browser.", "respondsToDoNotTrack", "true"),
        ("You will not be charged a fee to exercise your rights.", "hasFee", "dpv:FeeNotRequired"),
    ],
)
def test_a_sentence_reads_as_its_notice_field(sentence, field, value):
    facts = [f for f in notice_facts(segment(f"Your rights\n{sentence}\n")) if f.field == field]
    assert [f.value for f in facts] == [value]


def test_a_minimum_time_is_no_response_time_but_how_rights_are_exercised():
    """The format's rule (minimum-response-time): "allow at least" words a minimum, kept as text."""
    sentence = "Please allow at least 10 working days for us to respond to your request."
    facts = notice_facts(segment(f"Your rights\n{sentence}\n"))
    assert [(f.field, f.value, f.band) for f in facts] == [("rightsExercise", sentence, "possible")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Do Not Track is a setting of some browsers that asks websites not to track you.",
        "Do Not Track is not supported by every browser.",
    ],
)
def test_a_sentence_only_describing_do_not_track_says_nothing_of_it(sentence):
    assert notice_facts(segment(f"Browser signals\n{sentence}\n")) == []


def test_the_not_of_do_not_track_is_no_negation():
    # "When we receive a Do Not Track signal, we respond by turning analytics off." -> true
    facts = notice_facts(
        segment("Browser signals\nWhen we receive a Do Not Track signal, we respond by turning analytics off.\n")
    )
    assert [(f.field, f.value) for f in facts] == [("respondsToDoNotTrack", "true")]


def test_a_fee_of_a_service_or_an_authority_receiving_data_is_no_notice_statement():
    """Outside a rights context "free of charge" is the price of a product, and "at no cost" said of
    another service under a rights heading is no fee of a rights request (as the encoded Basecamp
    files read it); an authority data is disclosed to is a recipient, not where a complaint goes."""
    text = (
        "Our plans\nThe basic plan is free of charge.\n\n"
        "Your rights\nOur mediation service is provided at no cost to you.\n\n"
        "Disclosures\nWe may disclose your data to a supervisory authority when the law requires it.\n"
    )
    assert notice_facts(segment(text)) == []


def test_an_authority_of_the_corpus_the_controller_is_subject_to_is_named_by_its_key(tmp_path):
    """The encoded files read "subject to the investigatory and enforcement powers of the Federal Trade
    Commission" as hasAuthority: us-ftc; the draft names the corpus's entity and describes it as the
    corpus does, so the file validates."""
    sentence = "Quillon Inc is subject to the investigatory and enforcement powers of the Federal Trade Commission."
    text = f"Quillon Privacy Notice\nLast updated: 6 June 2025\n\nOversight\n{sentence}\n"
    doc, written = _draft(tmp_path, text, "quillon", "2025-06-06")
    ((authority),) = doc["notice"]["hasAuthority"]
    assert (authority["value"], _quotes(authority)) == ("us-ftc", [sentence])
    assert _verbatim(authority, written)
    assert doc["entities"]["us-ftc"]["name"] == "U.S. Federal Trade Commission (FTC)"
    assert [q["text"] for q in doc["entities"]["us-ftc"]["quotes"]] == [sentence]


def test_the_checklist_gives_the_notice_statements_at_a_glance(tmp_path):
    _draft(tmp_path, POLICY, "larkspur", "2025-03-01")
    lines = (tmp_path / "data" / "policies" / "larkspur-2025-03-01.yaml").read_text(encoding="utf-8").splitlines()
    (line,) = [x for x in lines if x.startswith("#   rights requests answered within:")]
    assert "within: P30D;" in line  # "We will respond to your request within 30 days."
    assert "(dpv:FeeNotRequired)" in line  # "Requests are free of charge."
    # "We may charge a reasonable fee if your request is manifestly excessive." (its "may" and "if" kept)
    assert "(dpv:FeeRequired) (may) (if your request is manifestly excessive)" in line
    assert "complaints to: " in line and "(dpv:DataProtectionAuthority)" in line  # COMPLAINT
    assert line.endswith("responds to Do Not Track: false")  # DNT
