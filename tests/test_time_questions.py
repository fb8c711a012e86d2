"""Questions across time (issue 16): cq37 (a transfer mechanism named after it ended, and the switch),
cq38 (versions relying on the EU-US Data Privacy Framework), cq39 (controllers added, removed or renamed
between consecutive versions of a policy).

No policy of data/ has more than one version yet, so the answers are checked on fictional version
histories made here from the seed fixture (tests/fixtures/valid, acme-uk): its YAML and source text
copied under other dates, the transfer's mechanism and the controller changed sentence by sentence in
both, and built with the real build into a real store. Every expected day count is computed in the test
from the dates (datetime), not written down.

acme-uk (Acme Widgets Ltd, London), transfers to Mailer Inc. in the US:
  2019-06-01  EU-US Privacy Shield (still valid)
  2020-07-17  EU-US Privacy Shield: the first day after Schrems II (validUntil 2020-07-16)
  2021-03-01  standard contractual clauses; a second controller, Acme Events Ltd, for event registrations
  2023-08-01  EU-US Data Privacy Framework and the UK-US data bridge (in force only from 12 October 2023);
              Acme Events Ltd gone; the company
              renamed Acme Widgets Group Ltd (same entity key, the old name as an alias)
helvetia (Helvetia Widgets AG, Zurich), the Swiss-US Privacy Shield (validUntil 2020-09-08) throughout:
  2020-01-10, 2020-09-08 (its last valid day), 2021-01-15, 2022-02-01: never switched
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import privacykg
from helpers import FIXTURES, ask_in_policy_dataset
from privacykg import namespaces as ns

PKG = ns.PKG
SEED_YAML = FIXTURES / "valid" / "policies" / "acme-uk-2019-06-01.yaml"
SEED_TEXT = FIXTURES / "valid" / "sources" / "acme-uk-2019-06-01.txt"
PS = "EU-US Privacy Shield"
MAILER = (
    "We use Mailer Inc. to send our newsletter; Mailer Inc. stores your email address in the United States under the "
)
EVENTS_SENTENCE = (
    "Acme Events Ltd, 2 High Street, London EC1A 1AA, United Kingdom, is the controller of event registrations."
)
EVENTS_ENTITY = f"""  acme-events:
    types: [dpv:DataController, dpv:Organisation]
    name: Acme Events Ltd
    location: loc:GB
    quotes: ["{EVENTS_SENTENCE}"]
"""
EVENTS_PROCESS = f"""  events:
    label: Event registrations by Acme Events Ltd
    quotes: ["{EVENTS_SENTENCE}"]
    hasPurpose: [pkg:EventManagement]
    hasPersonalData: [pd:Name]
    hasDataController: [acme-events]
"""


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def write_version(
    data: Path,
    policy: str,
    version: str,
    *,
    text=(),
    yaml=(),
    extra_sentence: str = "",
    entities: str = "",
    processes: str = "",
) -> None:
    """The seed policy as `policy` on `version`: the (old, new) pairs of `text` replaced in both the YAML
    and the source (quotes stay verbatim), those of `yaml` in the YAML only."""
    y, s = SEED_YAML.read_text(encoding="utf-8"), SEED_TEXT.read_text(encoding="utf-8")
    d = day(version)
    said = f"{d.day} {d:%B %Y}"
    for old, new in [("1 June 2019", said)] + list(text):
        assert old in s or old in y, old
        y, s = y.replace(old, new), s.replace(old, new)
    for old, new in [
        ("policy: acme-uk", f"policy: {policy}"),
        ("version: 2019-06-01", f"version: {version}"),
        ("source: acme-uk-2019-06-01.txt", f"source: {policy}-{version}.txt"),
        ("{value: 2019-06-01,", f"{{value: {version},"),
        ("\nentities:\n", "\nentities:\n" + entities),
        ("\nprocesses:\n", "\nprocesses:\n" + processes),
    ]:
        assert old in y, old
        y = y.replace(old, new)
    for old, new in yaml:
        assert old in y, old
        y = y.replace(old, new)
    if extra_sentence:
        s = s.rstrip("\n") + "\n" + extra_sentence + "\n"
    (data / "policies" / f"{policy}-{version}.yaml").write_text(y, encoding="utf-8")
    (data / "sources" / f"{policy}-{version}.txt").write_text(s, encoding="utf-8")


def mechanism(sentence_end: str, term: str):
    """Replace the transfer's mechanism: the sentence's end in both files, the term in the YAML."""
    return dict(
        text=[(MAILER + PS + ".", MAILER + sentence_end)],
        yaml=[("hasLegalBasis: [pkg:EUUSPrivacyShield]", f"hasLegalBasis: [{term}]")],
    )


def helvetia(data: Path, version: str) -> None:
    write_version(
        data,
        "helvetia",
        version,
        text=[
            ("Acme Widgets Ltd", "Helvetia Widgets AG"),
            ("1 High Street, London EC1A 1AA, United Kingdom", "Bahnhofstrasse 1, 8001 Zurich, Switzerland"),
            ("dpo@acme.example", "dpo@helvetia.example"),
            ("Jane Doe", "Anna Muster"),
            (PS, "Swiss-US Privacy Shield"),
        ],
        yaml=[
            ("controller: acme", "controller: helvetia"),
            ("\n  acme:\n", "\n  helvetia:\n"),
            ("dpo: acme-dpo", "dpo: helvetia-dpo"),
            ("\n  acme-dpo:\n", "\n  helvetia-dpo:\n"),
            ("location: loc:GB", "location: loc:CH"),
            ("hasLegalBasis: [pkg:EUUSPrivacyShield]", "hasLegalBasis: [pkg:SwissUSPrivacyShield]"),
        ],
    )


def make_corpus(data: Path) -> None:
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    write_version(data, "acme-uk", "2019-06-01")
    write_version(data, "acme-uk", "2020-07-17")
    scc = mechanism("standard contractual clauses approved by the European Commission.", "eu-gdpr:A46-2-c")
    write_version(
        data,
        "acme-uk",
        "2021-03-01",
        **scc,
        extra_sentence=EVENTS_SENTENCE,
        entities=EVENTS_ENTITY,
        processes=EVENTS_PROCESS,
    )
    dpf = mechanism(
        "EU-US Data Privacy Framework and its UK Extension.", "pkg:EUUSDataPrivacyFramework, pkg:UKUSDataBridge"
    )
    write_version(
        data,
        "acme-uk",
        "2023-08-01",
        text=dpf["text"] + [("Acme Widgets Ltd", "Acme Widgets Group Ltd")],
        yaml=dpf["yaml"]
        + [("name: Acme Widgets Group Ltd\n", 'name: Acme Widgets Group Ltd\n    aliases: ["Acme Widgets Ltd"]\n')],
    )
    for version in ("2020-01-10", "2020-09-08", "2021-01-15", "2022-02-01"):
        helvetia(data, version)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("time-data") / "data"
    make_corpus(data)
    path = tmp_path_factory.mktemp("time-store") / "store"
    privacykg.build(data, path)
    return path


def run(store, qid, **params):
    return privacykg.select(store, qid, params or None)


def compact(value: str) -> str:
    return ns.compact(value) if value else value


def days(a: str, b: str) -> int:
    return (day(b) - day(a)).days


# ---------------------------------------------------------------- the new register entries in a build


def test_new_mechanisms_are_usable_legal_bases(store):
    """The build accepted pkg:UKUSDataBridge as a value (declared, a legal basis), and the inferred closure
    puts it under dpv:DataTransferLegalBasis as cq01 and cq04 expect of a safeguard."""
    rows = privacykg.select(
        store,
        f"""PREFIX dpv: <https://w3id.org/dpv#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?m WHERE {{ ?m skos:broaderTransitive dpv:DataTransferLegalBasis .
                          FILTER (?m IN (<{PKG}UKUSDataBridge>, <{PKG}SwissUSDataPrivacyFramework>)) }}""",
    )
    assert {compact(r["m"]) for r in rows} == {"pkg:UKUSDataBridge", "pkg:SwissUSDataPrivacyFramework"}


# ---------------------------------------------------------------- cq37 named after it ended, and the switch


def test_cq37_mechanism_named_after_it_ended(store):
    rows = run(store, "cq37")
    got = {
        (
            r["controller"],
            r["policy"],
            r["version"],
            compact(r["mechanism"]),
            r["validUntil"],
            r["daysLate"],
            r.get("switchVersion", ""),
            r.get("daysToSwitch", ""),
        )
        for r in rows
    }
    ps_ended, ch_ended = "2020-07-16", "2020-09-08"
    # day 0 is the first invalid day, validUntil + 1 (cq05 judges a date after validUntil invalid)
    ps_first, ch_first = str(day(ps_ended) + dt.timedelta(days=1)), str(day(ch_ended) + dt.timedelta(days=1))
    assert got == {
        # acme-uk named the EU-US Privacy Shield on the first day after Schrems II and dropped it for SCCs
        # in its next version
        (
            "Acme Widgets Ltd",
            "acme-uk",
            "2020-07-17",
            "pkg:EUUSPrivacyShield",
            ps_ended,
            str(days(ps_first, "2020-07-17")),
            "2021-03-01",
            str(days(ps_first, "2021-03-01")),
        ),
        # helvetia never dropped the Swiss-US Privacy Shield: no switch; its version of 2020-09-08 (the last
        # valid day) and of 2020-01-10 are not late
        (
            "Helvetia Widgets AG",
            "helvetia",
            "2021-01-15",
            "pkg:SwissUSPrivacyShield",
            ch_ended,
            str(days(ch_first, "2021-01-15")),
            "",
            "",
        ),
        (
            "Helvetia Widgets AG",
            "helvetia",
            "2022-02-01",
            "pkg:SwissUSPrivacyShield",
            ch_ended,
            str(days(ch_first, "2022-02-01")),
            "",
            "",
        ),
    }
    assert days(ps_first, "2020-07-17") == 0 and days(ps_first, "2021-03-01") == 227
    assert {r["invalidatedBy"].split(",")[0] for r in rows} == {
        "Court of Justice of the EU",
        "Swiss Federal Data Protection and Information Commissioner's position of 8 September 2020 that it gives no adequate protection",
    }


def test_cq37_agrees_with_cq05(store):
    """The late versions of cq37 are exactly cq05's "no longer valid" notices (the same day boundary)."""
    late = {(r["policy"], r["version"], r["mechanism"]) for r in run(store, "cq37")}
    cq05 = {
        (r["notice"].rsplit("/", 2)[-2], r["date"], r["mechanism"])
        for r in run(store, "cq05")
        if r["problem"] == "no longer valid"
    }
    assert late == cq05


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"policy": "helvetia"}, {("helvetia", "2021-01-15"), ("helvetia", "2022-02-01")}),
        ({"policy": "acme-uk"}, {("acme-uk", "2020-07-17")}),
        ({"mechanism": "pkg:EUUSPrivacyShield"}, {("acme-uk", "2020-07-17")}),
        ({"mechanism": "pkg:EUUSSafeHarbor"}, set()),
    ],
    ids=["helvetia", "acme-uk", "eu-us-ps", "safe-harbor"],
)
def test_cq37_parameters(store, params, expected):
    rows = run(store, "cq37", **params)
    assert {(r["policy"], r["version"]) for r in rows} == expected
    full = {tuple(sorted(r.items())) for r in run(store, "cq37")}
    assert all(tuple(sorted(r.items())) in full for r in rows)  # a parameter narrows, never changes a row


def test_cq37_switch_is_the_first_later_version_without_it(tmp_path):
    """A policy that drops the mechanism, names it again, then drops it for good: each late version's switch
    is the first version after it that does not name it, so the two late versions get different switches."""
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    scc = mechanism("standard contractual clauses approved by the European Commission.", "eu-gdpr:A46-2-c")
    write_version(data, "acme-uk", "2020-08-01")
    write_version(data, "acme-uk", "2020-10-01", **scc)
    write_version(data, "acme-uk", "2021-01-01")
    write_version(data, "acme-uk", "2021-02-01")
    write_version(data, "acme-uk", "2021-06-30", **scc)
    privacykg.build(data, tmp_path / "store")
    rows = run(tmp_path / "store", "cq37")
    first = "2020-07-17"
    assert {(r["version"], r["switchVersion"], r["daysToSwitch"]) for r in rows} == {
        ("2020-08-01", "2020-10-01", str(days(first, "2020-10-01"))),
        ("2021-01-01", "2021-06-30", str(days(first, "2021-06-30"))),
        ("2021-02-01", "2021-06-30", str(days(first, "2021-06-30"))),
    }


# ---------------------------------------------------------------- cq38 the EU-US Data Privacy Framework


def test_cq38_versions_relying_on_the_data_privacy_framework(store):
    rows = run(store, "cq38")
    assert [
        (
            r["policy"],
            r["version"],
            r["controller"],
            compact(r["mechanism"]),
            compact(r["destination"]),
            r["validFrom"],
            r["inForce"],
        )
        for r in rows
    ] == [
        (
            "acme-uk",
            "2023-08-01",
            "Acme Widgets Group Ltd",
            "pkg:EUUSDataPrivacyFramework",
            "loc:US",
            "2023-07-10",
            "in force",
        )
    ]
    assert rows[0]["quote"] == MAILER + "EU-US Data Privacy Framework and its UK Extension."
    assert rows[0]["notice"].endswith("/policy/acme-uk/2023-08-01")
    assert compact(rows[0]["framework"]) == "pkg:EUUSDataPrivacyFramework"


@pytest.mark.parametrize(
    "framework, expected",
    [
        # the UK extension took effect on 12 October 2023, after acme-uk's version of 1 August 2023
        ("pkg:UKUSDataBridge", {("acme-uk", "2023-08-01", "pkg:UKUSDataBridge", "not yet in force")}),
        ("pkg:SwissUSDataPrivacyFramework", set()),
        (
            "pkg:SwissUSPrivacyShield",
            {
                ("helvetia", v, "pkg:SwissUSPrivacyShield", state)
                for v, state in [
                    ("2020-01-10", "in force"),
                    ("2020-09-08", "in force"),
                    ("2021-01-15", "no longer in force"),
                    ("2022-02-01", "no longer in force"),
                ]
            },
        ),
        # a broader term takes its narrower ones: every adequacy finding the corpus names
        (
            "eu-gdpr:AdequacyDecision",
            {
                ("acme-uk", v, m, state)
                for v, m, state in [
                    ("2019-06-01", "pkg:EUUSPrivacyShield", "in force"),
                    ("2020-07-17", "pkg:EUUSPrivacyShield", "no longer in force"),
                    ("2023-08-01", "pkg:EUUSDataPrivacyFramework", "in force"),
                ]
            },
        ),
    ],
    ids=["uk-bridge", "swiss-dpf", "swiss-ps", "adequacy"],
)
def test_cq38_other_frameworks(store, framework, expected):
    rows = run(store, "cq38", framework=framework)
    assert {(r["policy"], r["version"], compact(r["mechanism"]), r["inForce"]) for r in rows} == expected


def test_cq38_not_yet_in_force(tmp_path):
    """A version naming the Data Privacy Framework before 10 July 2023 is flagged; on that day it is in force."""
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    write_version(
        data, "acme-uk", "2023-07-09", **mechanism("EU-US Data Privacy Framework.", "pkg:EUUSDataPrivacyFramework")
    )
    write_version(
        data, "acme-uk", "2023-07-10", **mechanism("EU-US Data Privacy Framework.", "pkg:EUUSDataPrivacyFramework")
    )
    write_version(data, "acme-uk", "2023-12-01", **mechanism("written agreements.", "pkg:ContractualTransferSafeguard"))
    privacykg.build(data, tmp_path / "store")
    rows = run(tmp_path / "store", "cq38")
    assert [(r["version"], r["inForce"]) for r in rows] == [
        ("2023-07-09", "not yet in force"),
        ("2023-07-10", "in force"),
    ]
    # every transfer basis: the contractual safeguard the register does not date is said so
    rows = run(tmp_path / "store", "cq38", framework="dpv:DataTransferLegalBasis")
    assert [(r["version"], compact(r["mechanism"]), r["inForce"]) for r in rows] == [
        ("2023-07-09", "pkg:EUUSDataPrivacyFramework", "not yet in force"),
        ("2023-07-10", "pkg:EUUSDataPrivacyFramework", "in force"),
        ("2023-12-01", "pkg:ContractualTransferSafeguard", "not in the register"),
    ]


# ---------------------------------------------------------------- cq39 controllers between consecutive versions


def test_cq39_controller_changes_between_consecutive_versions(store):
    rows = run(store, "cq39")
    assert [
        (
            r["policy"],
            r["oldVersion"],
            r["newVersion"],
            r["change"],
            r["controller"].rsplit("/", 1)[1],
            r.get("oldName", ""),
            r.get("newName", ""),
        )
        for r in rows
    ] == [
        # Acme Events Ltd joins as the controller of event registrations
        ("acme-uk", "2020-07-17", "2021-03-01", "added", "acme-events", "", "Acme Events Ltd"),
        # and is gone in the next version, where Acme Widgets Ltd is renamed (one entity, two names)
        ("acme-uk", "2021-03-01", "2023-08-01", "removed", "acme-events", "Acme Events Ltd", ""),
        ("acme-uk", "2021-03-01", "2023-08-01", "renamed", "acme", "Acme Widgets Ltd", "Acme Widgets Group Ltd"),
    ]
    # helvetia's four versions and acme-uk's first two keep their controller and its name
    assert run(store, "cq39", policy="helvetia") == []
    assert run(store, "cq39", policy="acme-uk") == rows


def test_cq39_only_consecutive_versions(tmp_path):
    """A controller present in the first and third versions but not the second is removed, then added; the
    first and third versions are not compared (a version lies between them)."""
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    events = dict(extra_sentence=EVENTS_SENTENCE, entities=EVENTS_ENTITY, processes=EVENTS_PROCESS)
    write_version(data, "acme-uk", "2020-01-01", **events)
    write_version(data, "acme-uk", "2021-01-01")
    write_version(data, "acme-uk", "2022-01-01", **events)
    privacykg.build(data, tmp_path / "store")
    rows = run(tmp_path / "store", "cq39")
    assert [(r["oldVersion"], r["newVersion"], r["change"], r["controller"].rsplit("/", 1)[1]) for r in rows] == [
        ("2020-01-01", "2021-01-01", "removed", "acme-events"),
        ("2021-01-01", "2022-01-01", "added", "acme-events"),
    ]


# ---------------------------------------------------------------- one policy's dataset


@pytest.mark.parametrize("qid", ["cq37", "cq38", "cq39"])
def test_asked_of_one_policy_as_over_the_whole_store(store, qid):
    """Given a policy, each question runs in that policy's dataset (every version of it) and answers as over
    the union of every graph."""
    from privacykg.queries import load_library, substitutions
    from privacykg.queries import run as run_query

    st = privacykg.open_store(store)
    q = load_library()[qid]
    for policy in ("acme-uk", "helvetia"):
        subs = substitutions(q, {"policy": policy})
        scoped = ask_in_policy_dataset(st, q.text, subs)
        assert scoped == sorted(map(str, run_query(st, q.text, subs))), (qid, policy)


# ---------------------------------------------------------------- the same answers from Virtuoso


@pytest.mark.server
@pytest.mark.skipif(
    not (shutil.which("virtuoso-t") and shutil.which("isql-vt")),
    reason="Virtuoso is not installed (make test installs it)",
)
def test_same_answers_in_virtuoso(tmp_path_factory, store):
    """The three questions, asked of Virtuoso 7 holding the same corpus (built over the Graph Store
    Protocol), give the embedded store's rows, day counts included, with and without parameters."""
    from helpers import virtuoso_remote, virtuoso_server
    from helpers import virtuoso_rows as result_rows

    data = tmp_path_factory.mktemp("time-virtuoso") / "data"
    make_corpus(data)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        r = virtuoso_remote(base)
        privacykg.build(data, remote=r)
        local = privacykg.open_store(store)
        for qid, params in [
            ("cq37", None),
            ("cq37", {"policy": "helvetia"}),
            ("cq38", None),
            ("cq38", {"framework": "pkg:SwissUSPrivacyShield"}),
            ("cq39", None),
            ("cq39", {"policy": "acme-uk"}),
        ]:
            ours = result_rows(privacykg.query(local, qid, params))
            theirs = result_rows(privacykg.query(None, qid, params, remote=r))
            assert ours and theirs == ours, (qid, params, theirs[:3], ours[:3])
