"""The measures of tools/eval_draft.py on small hand-made drafts and annotations: the ranking
and cut of per-sentence recall@k, the share of quotes kept unchanged, and the matching and
scoring of candidate processes, and the notice's statements."""

from __future__ import annotations

import datetime

from privacykg.draft.metrics import (
    FactQuotes,
    Process,
    annotated_processes,
    candidate_processes,
    drafted_notice_terms,
    fact_quotes,
    hit,
    kept_quotes,
    match,
    notice_terms,
    notice_text_counts,
    process_counts,
    quote_texts,
    ranked,
    recall_counts,
)
from privacykg.draft.notice import NoticeFact
from privacykg.draft.segment import Statement
from privacykg.draft.suggest import Suggestion

TEXT = "We use your email to send news. We never sell your data. Contact us by post.\n- your name\n"


def statement(text: str, heading_at: int = 0, heading: str = "H") -> Statement:
    at = TEXT.index(text)
    return Statement(at, at + len(text), text, "sentence", heading, heading_at)


def suggestion(st: Statement, term: str, band: str = "high", score: float | None = None, family="purpose"):
    reason = "matched a phrase" if score is None else f"nearest annotated sentence in x (similarity {score:.2f}): 'y'"
    return Suggestion(family, term, st.start, st.end, reason, band, st)


NEWS = statement("We use your email to send news.")
NEVER = statement("We never sell your data.")
POST = statement("Contact us by post.", heading_at=60, heading="Contact")
ITEM = statement("your name", heading_at=60, heading="Contact")


def test_ranked_orders_by_band_then_similarity_then_term_and_leaves_prohibitions_out():
    found = [
        suggestion(NEWS, "dpv:A", band="possible"),  # read in the sentence: similarity 1.0
        suggestion(NEWS, "dpv:B", band="high", score=0.85),
        suggestion(NEWS, "dpv:C", band="high"),
        suggestion(NEWS, "dpv:D", band="possible", score=0.6),
        suggestion(NEWS, "dpv:E", band="possible", score=0.7),
        suggestion(NEWS, "dpv:Z", band="high", score=0.85),
        suggestion(NEWS, "pd:EmailAddress", family="personal-data"),
        suggestion(NEVER, "dpv:SellProducts"),  # "we never ...": a prohibition
    ]
    tops = ranked(found)
    assert tops[((NEWS.start, NEWS.end), "purpose")] == ["dpv:C", "dpv:B", "dpv:Z", "dpv:A", "dpv:E", "dpv:D"]
    assert tops[((NEWS.start, NEWS.end), "personal-data")] == ["pd:EmailAddress"]
    assert ((NEVER.start, NEVER.end), "purpose") not in tops


def test_hit_needs_the_term_of_the_same_family_within_k_on_an_overlapping_statement():
    terms = [f"dpv:T{i}" for i in range(7)]  # already in rank order
    tops = {((NEWS.start, NEWS.end), "purpose"): terms}
    inside = (NEWS.start + 3, NEWS.start + 10)
    assert hit(FactQuotes("purpose", "dpv:T4", (inside,), True), tops, 5)
    assert not hit(FactQuotes("purpose", "dpv:T5", (inside,), True), tops, 5)  # sixth
    assert hit(FactQuotes("purpose", "dpv:T5", (inside,), True), tops, None)  # any rank
    assert not hit(FactQuotes("personal-data", "dpv:T0", (inside,), True), tops, 5)  # other family
    touching = (NEWS.end, NEWS.end + 5)  # starts where the statement ends: no overlap
    assert not hit(FactQuotes("purpose", "dpv:T0", (touching,), True), tops, 5)
    # a fact citing several sentences is hit when any of them suggests it
    assert hit(FactQuotes("purpose", "dpv:T0", (touching, inside), False), tops, 5)


def test_recall_counts_per_family_and_for_facts_citing_one_sentence():
    tops = {((NEWS.start, NEWS.end), "purpose"): ["dpv:A"]}
    span = (NEWS.start, NEWS.end)
    facts = [
        FactQuotes("purpose", "dpv:A", (span,), True),
        FactQuotes("purpose", "dpv:B", (span,), True),
        FactQuotes("purpose", "dpv:A", ((0, 1), span), False),
        FactQuotes("right", "eu-gdpr:A15", (span,), True),
    ]
    counts = recall_counts(facts, tops, 5)
    assert dict(counts["purpose"]) == {"facts": 3, "hits": 2, "sure": 2, "sure_hits": 1}
    assert dict(counts["right"]) == {"facts": 1, "hits": 0, "sure": 1, "sure_hits": 0}


def test_kept_quotes_counts_each_quoted_statement_once_by_exact_text():
    found = [
        suggestion(NEWS, "dpv:A"),
        suggestion(NEWS, "pd:EmailAddress", family="personal-data"),  # same statement: once
        suggestion(POST, "dpv:B"),
        suggestion(ITEM, "pd:Name", family="personal-data"),
    ]
    reviewed = [
        "We use your email to send news.",  # the same text: kept
        "Contact us by post.\n- your",  # longer: overlaps POST and ITEM, not kept
        "We never sell your data.",  # no suggestion quotes it
    ]
    assert dict(kept_quotes(found, reviewed, TEXT)) == {"quoted": 3, "kept": 1, "overlapping": 3}
    assert dict(kept_quotes(found, ["- your name"], TEXT)) == {"quoted": 3, "kept": 0, "overlapping": 1}


def test_candidate_processes_are_heading_groups_without_rights_prohibitions_or_bare_personal_data():
    found = [
        suggestion(NEWS, "dpv:A"),
        suggestion(NEWS, "eu-gdpr:A15", family="right"),
        suggestion(NEVER, "dpv:SellProducts"),
        suggestion(POST, "dpv:PersonalData", family="personal-data"),
    ]
    cands = candidate_processes(found)
    assert len(cands) == 1
    assert cands[0].spans == [(NEWS.start, NEWS.end)]
    assert dict(cands[0].terms) == {"purpose": {"dpv:A"}}
    only = candidate_processes([suggestion(POST, "dpv:PersonalData", family="personal-data")])
    assert [dict(c.terms) for c in only] == [{"personal-data": {"dpv:PersonalData"}}]


def test_candidate_processes_are_cut_where_a_line_brings_a_new_purpose_and_share_the_headings_subjects():
    """Three lines under one heading: the news, who sends it (no purpose: stays with the news), the
    count of visitors (a new purpose: a candidate of its own, its second sentence with it even with
    the news's purpose, a line is never cut); the visitors it names are the news's too, a term only."""
    text = "We email news.\nMailChimp sends it.\nWe count visitors. We email news on it.\n"

    def line(said: str) -> Statement:
        at = text.index(said)
        return Statement(at, at + len(said), said, "sentence", "H", 0, text.rfind("\n", 0, at) + 1)

    news, sender, count, again = (line(t) for t in text.replace(". ", ".\n").splitlines())
    found = [
        suggestion(news, "dpv:DirectMarketing"),
        suggestion(sender, "mailchimp", family="organisation"),
        suggestion(count, "dpv:ServiceUsageAnalytics"),
        suggestion(count, "dpv:Visitor", family="data-subject"),
        suggestion(again, "dpv:DirectMarketing"),
    ]
    first, second = candidate_processes(found)
    assert first.spans == [(news.start, news.end), (sender.start, sender.end)]
    assert dict(first.terms) == {
        "purpose": {"dpv:DirectMarketing"},
        "organisation": {"mailchimp"},
        "data-subject": {"dpv:Visitor"},
    }
    assert second.spans == [(count.start, count.end), (again.start, again.end)]
    assert second.terms["purpose"] == {"dpv:ServiceUsageAnalytics", "dpv:DirectMarketing"}


def process(spans, **terms) -> Process:
    p = Process(list(spans))
    for fam, ts in terms.items():
        p.terms[fam.replace("_", "-")] = set(ts)
    return p


def test_match_takes_the_candidate_sharing_most_quotes_and_scores_the_pairs():
    first = process([(0, 10)], purpose={"dpv:A", "dpv:B"})
    second = process([(20, 30), (40, 50)], purpose={"dpv:C"})
    gold = [
        process([(0, 5), (22, 25), (41, 45)], purpose={"dpv:C", "dpv:D"}, personal_data={"pd:Name"}),
        process([(2, 4)], purpose={"dpv:A"}),
        process([(60, 70)], purpose={"dpv:E"}),  # shares no quote: unmatched
    ]
    pairs = match(gold, [first, second])
    assert [c for _, c in pairs] == [second, first, None]
    counts = process_counts(pairs)
    assert dict(counts["purpose"]) == {"tp": 2, "predicted": 3, "gold": 4}
    assert dict(counts["personal-data"]) == {"tp": 0, "predicted": 0, "gold": 1}
    tie = match([process([(0, 5), (20, 25)])], [first, second])
    assert tie[0][1] is first  # one quote each: the first in text order


def test_quote_texts_reads_plain_and_offset_quotes_at_any_depth():
    node = {
        "quotes": ["a", {"text": "b", "at": 3}],
        "hasPurpose": [{"value": "dpv:A", "quote": "c"}, "dpv:B"],
        "label": "not a quote",
    }
    assert quote_texts(node) == ["a", "b", "c"]


def test_annotated_facts_and_processes_are_located_in_the_text(ontology):
    doc = {
        "notice": {"hasRight": [{"value": "eu-gdpr:A15", "quote": "Contact us by post."}]},
        "processes": {
            "news": {
                "quotes": ["We use your email to send news.", "- your name"],
                "hasPurpose": ["dpv:Marketing"],
                "hasPersonalData": [{"value": "pd:EmailAddress", "quote": "We use your email to send news."}],
            }
        },
    }
    facts = {(f.family, f.term): f for f in fact_quotes(ontology, doc, TEXT)}
    news, item = (NEWS.start, NEWS.end), (TEXT.index("- your name"), TEXT.index("- your name") + 11)
    assert facts["purpose", "dpv:Marketing"] == FactQuotes("purpose", "dpv:Marketing", (news, item), False)
    assert facts["personal-data", "pd:EmailAddress"] == FactQuotes("personal-data", "pd:EmailAddress", (news,), True)
    assert facts["right", "eu-gdpr:A15"].spans == ((POST.start, POST.end),)
    [proc] = annotated_processes(ontology, doc, TEXT)
    assert sorted(proc.spans) == [news, news, item]
    assert dict(proc.terms) == {"purpose": {"dpv:Marketing"}, "personal-data": {"pd:EmailAddress"}}


def test_notice_statements_score_as_field_value_terms_and_text_fields_by_overlapping_quotes():
    doc = {
        "notice": {
            "effective": {"value": datetime.date(2025, 1, 2), "quote": "x"},
            "responseTime": {"value": "P1M", "quote": "x"},
            "respondsToDoNotTrack": {"value": False, "quote": "x"},
            "hasFee": [{"value": "dpv:FeeNotRequired", "quote": "x"}],
            "complaint": [{"value": "our words", "quote": "Contact us by post."}, {"value": "w", "quote": "We use"}],
        }
    }
    assert notice_terms(doc) == {"effective=2025-01-02", "responseTime=P1M", "dnt=false", "hasFee=dpv:FeeNotRequired"}

    def fact(fld, value, st, band="high"):
        return NoticeFact(fld, value, st.start, st.end, st.text, "r", band)

    facts = [
        fact("responseTime", "P30D", NEWS, "possible"),
        fact("responseTime", "P1M", NEVER),  # the high-band value is the one the draft writes
        fact("hasFee", "dpv:FeeRequired", NEWS, "possible"),
        fact("complaint", POST.text, POST),  # overlaps the first annotated route
        fact("complaint", NEVER.text, NEVER),  # overlaps none
    ]
    assert drafted_notice_terms(facts) == {"responseTime=P1M", "hasFee=dpv:FeeRequired"}
    assert drafted_notice_terms(facts, "high") == {"responseTime=P1M"}
    counts = notice_text_counts(doc, facts, TEXT)
    assert dict(counts["complaint"]) == {"gold": 2, "found": 1, "predicted": 2, "right": 1}
    assert counts["rightsExercise"]["gold"] == 0
