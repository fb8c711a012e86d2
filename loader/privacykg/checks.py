"""Loader checks against reading a policy against DPV's meaning (issue 15, pattern 2 and 3).

Each check reports a :class:`~privacykg.errors.Problem` through the compiler, with file, line,
field, what is wrong and how to fix it; its ``rule`` names it in tests/fixtures/invalid/.

* ``non-personal-data``: a term under ``dpv:NonPersonalData`` (``dpv:AnonymisedData``) given as
  ``hasPersonalData``;
* ``sunset-term``: a DPV term DPV 2.3 marks ``sw:term_status "sunset"``;
* ``minimum-response-time``: a rights response time whose quote words it as a minimum ("at least",
  "allow ... days", "working days"), when ``pkg:rightsResponseTime`` is the longest time.
"""

from __future__ import annotations

import re

from . import namespaces as ns

NON_PERSONAL = ns.DPV + "NonPersonalData"
MINIMUM_RE = re.compile(
    r"\bat least\b|\bno (?:less|fewer) than\b|\bminimum\b|\ballow\b(?![^.]{0,40}?\bup to\b)[^.]{0,40}?\bdays?\b|"
    r"\b(?:working|business) days?\b",
    re.IGNORECASE,
)


def personal_data_value(c, fld: str, iri: str, raw: str, node, path: str) -> bool:
    """False (and a problem) when ``iri`` under ``hasPersonalData`` is non-personal data."""
    if fld != "hasPersonalData" or not c.is_a(iri[1:-1], NON_PERSONAL):
        return True
    c.problem(
        node,
        path,
        f"{raw} is non-personal data (narrower than dpv:NonPersonalData), not personal data",
        "drop it from hasPersonalData; say the data are anonymised with hasProcessing: [dpv:Anonymise] "
        "or hasTechnicalMeasure: [dpv:Anonymisation], or use pd:/dpv: personal data such as "
        "dpv:PseudonymisedData if the text means data that can still identify someone",
        rule="non-personal-data",
    )
    return False


def sunset_term(c, iri: str, raw: str, node, path: str) -> bool:
    """False (and a problem) when DPV 2.3 marks ``iri`` as a sunset term."""
    if c.onto.status(iri) != "sunset":
        return True
    nxt = c.onto.replacement(iri)
    hint = (
        f"DPV 2.3 names {ns.compact(nxt)} as its successor: use that"
        if nxt
        else "DPV 2.3 names no successor: use a current term nearby (e.g. dpv:Contract or "
        "dpv:DataProcessingAgreement for agreements), checked in the official files"
    )
    c.problem(node, path, f"{raw} is a sunset (deprecated) term in DPV 2.3", hint, rule="sunset-term")
    return False


def response_time_value(c, spans, node, path: str) -> bool:
    """False (and a problem) when the quote of a response time words it as a minimum."""
    for start, end in spans:
        found = MINIMUM_RE.search(c.source_text[start:end])
        if found:
            c.problem(
                node,
                path,
                f"the quote words the response time as a minimum ('{found.group(0)}'), "
                "but responseTime is the longest time a request takes",
                "leave responseTime out, keep the sentence under rightsExercise: with its quote, "
                "and say the reading in a comment",
                rule="minimum-response-time",
            )
            return False
    return True


def endless(c, m, path: str) -> bool:
    """``endless: true`` on a storage condition: kept "indefinitely", ``dpv:EndlessDuration``
    (open ended, no end), not ``dpv:IndeterminateDuration`` (an end not determined)."""
    if m.get("endless") is None:
        return False
    raw = c.text(m["endless"], f"{path}.endless")
    if raw not in ("true", "false"):
        c.problem(
            m["endless"],
            f"{path}.endless",
            f"'{raw}' is not true or false",
            "write endless: true for data kept indefinitely",
        )
    return raw == "true"


DPO = f"<{ns.DPV}DataProtectionOfficer>"
HAS_DPO = f"<{ns.DPV}hasDataProtectionOfficer>"
NOT_A_DPO = ns.PKG + "DataProtectionManager"


def type_dpos(c) -> None:
    """Type every entity a controller names as its ``dpo:`` (``dpv:hasDataProtectionOfficer``) a
    ``dpv:DataProtectionOfficer``, unless the policy gives it a role that is not one
    (``pkg:DataProtectionManager``: a manager "without saying it is a data protection officer";
    issue 15, pattern 3)."""
    rdf_type = f"<{ns.RDF}type>"
    targets, types = set(), {}
    for s, p, o in c.g:
        if p == HAS_DPO:
            targets.add(o)
        elif p == rdf_type:
            types.setdefault(s, []).append(o[1:-1])
    for iri in sorted(targets):
        if not any(c.is_a(t, NOT_A_DPO) for t in types.get(iri, ())):
            c.g.add((iri, rdf_type, DPO))
