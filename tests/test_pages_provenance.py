"""Provenance on every page (issue 14, part 2), in-process against the real corpus: a policy's
page and `privacykg show` quote only that policy's text; entity, term and country pages group
what they list by policy, every quote linking to its place, marked, in the source text; inferred
triples are shown apart, with the statement they come from.

The app runs in-process (httpx over ASGI): no server process, no port.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pyoxigraph as ox
import pytest

import privacykg
from helpers import DATA, run_cli

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BASE = "https://w3id.org/privacykg/"
DPV = "https://w3id.org/dpv#"
PKG = "https://w3id.org/privacykg/ns#"
LOC = "https://w3id.org/dpv/loc#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SOURCES = DATA / "sources"
POLICIES = sorted(p.stem for p in (DATA / "policies").glob("*.yaml"))


class Pages:
    """GET pages of an app built by the factory, in-process."""

    def __init__(self, store, sources: Path = SOURCES, **settings):
        from privacykg.server import create_app

        self.app = create_app(store=str(store), isolate_queries=False, sources_dir=sources, **settings)

    def get(self, path: str, accept: str = "text/html", params: dict | None = None) -> httpx.Response:
        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.get(path, headers={"Accept": accept}, params=params)

        return asyncio.run(go())

    def html(self, path: str, params: dict | None = None) -> str:
        r = self.get(path, params=params)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        return r.text


@pytest.fixture(scope="module")
def pages(data_store):
    return Pages(data_store)


def source_of(policy: str) -> str:
    """The source text of a policy version, as the build decoded it (a Markdown source: its rendering)."""
    from privacykg.markdown import quoted_text

    path = next(SOURCES.glob(f"{policy}.*"))
    return quoted_text(path.read_bytes(), str(path))


def policy_path(policy: str) -> str:
    slug, version = policy[:-11], policy[-10:]
    return f"/policy/{slug}/{version}"


# ---------------------------------------------------------------------------- reading pages

BLOCKQUOTE = re.compile(r"<blockquote class=evidence>(.*?)</blockquote>", re.DOTALL)
MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
HREF = re.compile(r'href="([^"]*)"')
SECTION = re.compile(r"<section class=policy data-graph='([^']*)' data-source='([^']*)'>(.*?)</section>", re.DOTALL)
ROW = re.compile(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", re.DOTALL)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def quotes(page: str) -> list[tuple[str, str | None]]:
    """Each quote of a page: (its exact text, the link to its place in the source or None)."""
    out = []
    for block in BLOCKQUOTE.findall(page):
        exact = html.unescape(MARK.search(block).group(1))
        links = [html.unescape(h) for h in HREF.findall(block) if "start=" in h]
        out.append((exact, links[0] if links else None))
    return out


def place(link: str) -> tuple[str, int, int]:
    """A quote link's source path and character span."""
    parts = urlsplit(link)
    q = parse_qs(parts.query)
    return parts.path, int(q["start"][0]), int(q["end"][0])


def source_file_of(path: str) -> str:
    """``/source/<slug>/<version>`` -> the policy's key ``<slug>-<version>``."""
    _, _, slug, version = path.split("/")
    return f"{slug}-{version}"


def split_inferred(page: str) -> tuple[str, str]:
    """The page before its folded inferred section, and that section."""
    at = page.find("<details class=inferred>")
    return (page, "") if at < 0 else (page[:at], page[at:])


def asserted_only(store: ox.Store, pattern_sparql: str) -> list[dict]:
    return [{k: r[k].value for k in ("s", "l")} for r in store.query(pattern_sparql, use_default_graph_as_union=True)]


# ---------------------------------------------------------------------------- policy pages and show


@pytest.mark.parametrize("policy", POLICIES)
def test_policy_page_quotes_only_its_own_text(pages, policy):
    """Every quote of a policy's page is a passage of that policy's own text, and its link
    points at exactly that passage (no Imago sentence under Google on the Identrics page)."""
    page = pages.html(policy_path(policy))
    text = source_of(policy)
    found = quotes(page)
    assert len(found) > (30 if len(text) > 5000 else 8)  # (the shortest texts: a page of 11 sentences)
    foreign = [exact for exact, _ in found if exact not in text]
    assert not foreign, foreign[:3]
    for exact, link in found:
        assert link is not None, exact
        path, start, end = place(link)
        assert source_file_of(path) == policy
        assert text[start:end] == exact


def test_identrics_page_lacks_the_other_policies_google_sentences(pages, corpus):
    """The regression of the issue: Google is named by four policies, and the Identrics page
    used to quote all of them under Google."""
    page = pages.html("/policy/identrics/2018-05-20")
    text = source_of("identrics-2018-05-20")
    others = [
        r["e"].value
        for r in corpus.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?e WHERE { GRAPH ?g {
             ?a oa:hasBody <https://w3id.org/privacykg/entity/google> ; oa:hasTarget/oa:hasSelector/oa:exact ?e }
             FILTER(?g != <https://w3id.org/privacykg/graph/identrics/2018-05-20>) }"""
        )
    ]
    others = [e for e in others if e not in text]
    assert others, "the corpus no longer has other policies quoting Google"
    for e in others:
        assert html.escape(e) not in page


@pytest.mark.parametrize("policy", ["identrics-2018-05-20", "impero-as-2020-01-15"])
def test_show_quotes_only_its_own_text(corpus_store, policy):
    r = run_cli("show", policy, "--store", corpus_store)
    assert r.code == 0, r
    text = source_of(policy)
    found = re.findall(r"^      “(.*?)” \[(\d+)-(\d+)\]$", r.out, re.DOTALL | re.MULTILINE)
    assert len(found) > 30
    wrong = [(q, a, b) for q, a, b in found if text[int(a) : int(b)] != q]
    assert not wrong, wrong[:3]


# ---------------------------------------------------------------------------- entity, term, country pages


def mentioning_policies(store: ox.Store, entity: str) -> set[str]:
    rows = store.query(f"""SELECT DISTINCT ?v ?slug WHERE {{ GRAPH ?g {{ ?n <{PKG}mentionsEntity> <{entity}> ;
        <{PKG}policySlug> ?slug ; <{PKG}versionDate> ?v }} }}""")
    return {f"{r['slug'].value}-{r['v'].value}" for r in rows}


def policy_of_source(iri: str) -> str:
    """``<base>source/<slug>/<version>`` -> ``<slug>-<version>``."""
    return iri.removeprefix(BASE + "source/").replace("/", "-")


@pytest.mark.parametrize("key", ["google", "linkedin"])
def test_entity_page_groups_quotes_by_policy(pages, data_store, key):
    """An organisation named by several policies: one section per policy, headed by its
    controller and version, holding only quotes of that policy's text, each linked to its place."""
    corpus = privacykg.open_store(data_store)  # the store the pages are served from
    iri = f"{BASE}entity/{key}"
    expected = mentioning_policies(corpus, iri)
    assert len(expected) >= 2
    page = pages.html(f"/entity/{key}")
    sections = SECTION.findall(page)
    seen = set()
    for graph, source, body in sections:
        policy = policy_of_source(html.unescape(source))
        seen.add(policy)
        assert graph == f"{BASE}graph/{policy[:-11]}/{policy[-10:]}"
        heading = text_of(re.search(r"<h3>(.*?)</h3>", body, re.DOTALL).group(1))
        assert policy[-10:] in heading  # the version
        controller = next(
            r["name"].value
            for r in corpus.query(
                f"""SELECT ?name WHERE {{ GRAPH <{graph}> {{ ?n a <{DPV}PrivacyNotice> ; <{DPV}hasDataController> ?c .
                ?st <{RDF_NS}subject> ?c ; <{RDF_NS}predicate> <{DPV}hasName> ; <{RDF_NS}object> ?name }} }}""",
                use_default_graph_as_union=True,
            )
        )
        assert controller in heading or controller.split()[0] in heading
        text = source_of(policy)
        for exact, link in quotes(body):
            assert link is not None
            path, start, end = place(link)
            assert source_file_of(path) == policy, (policy, exact)
            assert text[start:end] == exact
    assert seen == expected
    outside = BLOCKQUOTE.findall(SECTION.sub("", page))
    assert not outside, "quotes outside any policy's section"
    assert sum(len(quotes(body)) for _, _, body in sections) >= len(expected)


def test_entity_page_folds_the_earlier_versions_of_each_policy(pages, data_store):
    """GitHub's page (named by every version of its privacy statement and of its subprocessors
    list): one heading per policy counting its versions, the newest version's section open, each
    earlier one folded with what it says counted; every version's section is still there."""
    corpus = privacykg.open_store(data_store)
    expected = mentioning_policies(corpus, f"{BASE}entity/github")
    by_slug: dict[str, list[str]] = {}
    for key in expected:
        by_slug.setdefault(key[:-11], []).append(key[-10:])
    assert len(by_slug["github"]) > 10  # the premise: a long history
    page = pages.html("/entity/github")
    assert f"What each policy says ({len(by_slug)} policies, {len(expected)} versions)" in page
    groups = re.findall(
        r"<div class=policy-versions><h3 class=versions>(.*?)</h3>(.*?)</div>(?=<div|<details class=inferred|$)",
        page,
        re.DOTALL,
    )
    assert len(groups) == sum(len(v) > 1 for v in by_slug.values())
    for heading, body in groups:
        sections = SECTION.findall(body)
        slug = sections[0][0].removeprefix(BASE + "graph/").rsplit("/", 1)[0]
        dates = sorted(by_slug[slug])
        assert text_of(heading).endswith(f"{len(dates)} versions, {dates[0]} to {dates[-1]}")
        assert [g.rsplit("/", 1)[1] for g, _, _ in sections] == dates[::-1]  # newest first
        open_part = body.split("<details class=earlier-version>")[0]
        assert SECTION.findall(open_part)[0][0].endswith(dates[-1]) and len(SECTION.findall(open_part)) == 1
        assert body.count("<details class=earlier-version>") == len(dates) - 1
    assert len(SECTION.findall(page)) == len(expected)


EARLIER = re.compile(
    r"<details class=earlier-version><summary>version (\S+): (\d+) statements, (\d+) of them no longer in "
    r"version (\S+)</summary>(.*?)<p class=unchanged>(\d+) statements",
    re.DOTALL,
)


def _links_to(corpus: ox.Store, graph: str, entity: str) -> set[tuple[str, str]]:
    """(predicate, path under the version's notice) of what links to the entity in a version's graph."""
    notice = graph.replace("/graph/", "/policy/")
    rows = corpus.query(f"SELECT ?s ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p <{entity}> }} }}")
    evidence = {"http://www.w3.org/ns/oa#hasBody", RDF_NS + "subject", RDF_NS + "object"}
    return {(r["p"].value, r["s"].value.removeprefix(notice)) for r in rows if r["p"].value not in evidence}


def test_an_earlier_version_shows_what_its_next_version_no_longer_says(pages, data_store):
    """GitHub's page: each folded earlier version lists the links to GitHub that its next version
    no longer makes (its processes compared by their key under the notice) and counts the rest;
    the graphs of the two versions say the same (a long history is read once, not 19 times)."""
    corpus = privacykg.open_store(data_store)
    entity = f"{BASE}entity/github"
    page = pages.html("/entity/github")
    found = EARLIER.findall(page)
    assert len(found) >= 18  # 19 versions of the privacy statement, more of the subprocessors list
    for version, total, dropped, newer, body, unchanged in found:
        graph = re.search(r"data-graph='([^']+)'", body).group(1)
        assert graph.endswith("/" + version)
        older = _links_to(corpus, graph, entity)
        kept = _links_to(corpus, graph.rsplit("/", 1)[0] + "/" + newer, entity)
        assert int(total) == len(older) and int(unchanged) == len(older & kept), (version, newer)
        listed = {
            (html.unescape(p), html.unescape(path))
            for p, path in re.findall(
                r'href="/resource\?iri=([^"]+)">.*?</th><td><a href="/policy/[^/]+/[^/]+(/[^"]+)"', body
            )
        }
        listed = {(unquote(p), path) for p, path in listed}
        assert listed == older - kept and int(dropped) == len(listed), (version, newer)


def test_country_page_does_not_read_outside_of_as_location(pages, corpus):
    """loc:US: what a policy places *outside of* the US is shown with dpv:isOutsideOfLocation,
    never as a stated dpv:hasLocation; the inferred hasLocation row is folded away and says why."""
    outside = asserted_only(
        corpus,
        f"""SELECT DISTINCT ?s ?l WHERE {{
        GRAPH ?g {{ ?s <{DPV}isOutsideOfLocation> <{LOC}US> }} ?s <{RDFS_LABEL}> ?l
        FILTER(!STRSTARTS(STR(?g), "{BASE}graph/inferred")) }}""",
    )
    assert outside, "the corpus no longer has a process outside of the US"
    page = pages.html("/resource", params={"iri": LOC + "US"})
    stated, inferred = split_inferred(page)
    assert inferred, "no folded inferred section"
    stated_rows = [(text_of(th), text_of(td)) for th, td in ROW.findall(stated)]
    for r in outside:
        assert any(th == "is dpv:isOutsideOfLocation [DPV] of" and r["l"] in td for th, td in stated_rows), r
        assert not any("dpv:hasLocation" in th and r["l"] in td for th, td in stated_rows), r
        folded = [
            td
            for th, td in (map(text_of, row) for row in ROW.findall(inferred))
            if th == "is dpv:hasLocation [DPV] of" and r["l"] in td
        ]
        assert folded and "isOutsideOfLocation" in folded[0] and "outside" in folded[0].split(r["l"])[1]


def test_entity_page_folds_inferred_types_and_super_properties(pages, corpus):
    """The four rdf:type rows and the `is dpv:hasEntity of` rows beside every hasDataController
    are inferred: they sit in the folded section, not among the stated rows."""
    iri = f"{BASE}entity/identrics"
    page = pages.html("/entity/identrics")
    stated, inferred = split_inferred(page)
    only_inferred = [
        r["t"].value
        for r in corpus.query(f"""SELECT DISTINCT ?t WHERE {{
        GRAPH ?g {{ <{iri}> a ?t }} FILTER(STRSTARTS(STR(?g), "{BASE}graph/inferred"))
        FILTER NOT EXISTS {{ GRAPH ?h {{ <{iri}> a ?t }} FILTER(!STRSTARTS(STR(?h), "{BASE}graph/inferred")) }} }}""")
    ]
    assert only_inferred
    for t in only_inferred:
        href = html.escape("/resource?iri=" + quote(t, safe=""))
        assert href not in stated, t
        assert href in inferred, t
    assert "dpv:hasDataController" in stated
    assert "dpv:hasEntity" not in stated and "dpv:hasEntity" in inferred
    assert "sub-property of dpv:hasEntity" in inferred


def test_term_page_groups_by_policy(pages, corpus):
    """A DPV term used by several policies lists, per policy, the processes that use it."""
    users = {
        r["g"].value
        for r in corpus.query(
            f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?p <{DPV}hasPurpose> <{DPV}ServiceProvision> }} }}"""
        )
    }
    page = pages.html("/resource", params={"iri": DPV + "ServiceProvision"})
    graphs = {g for g, _, _ in SECTION.findall(page)}
    assert users and users <= graphs


# ---------------------------------------------------------------------------- source texts


def test_quote_link_shows_the_text_with_the_span_marked(pages):
    page = pages.html("/entity/google")
    exact, link = next((e, lk) for e, lk in quotes(page) if lk and len(e) > 40)
    path, start, end = place(link)
    assert urlsplit(link).fragment == "quote"
    r = pages.get(link.split("#")[0])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert f"<mark id=quote>{html.escape(exact)}</mark>" in r.text
    pre = re.search(r"<pre class=source-text>(.*?)</pre>", r.text, re.DOTALL).group(1)
    text = source_of(source_file_of(path))
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", pre)) == text
    assert text[start:end] == exact


def test_source_raw_text_by_content_negotiation(pages):
    text = source_of("impro-2018-05-16")
    for accept, params in (("text/plain", None), ("text/html", {"format": "text"})):
        r = pages.get("/source/impro/2018-05-16", accept=accept, params=params)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        assert r.text == text
    r = pages.get("/source/impro/2018-05-16", accept="text/turtle")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "sha256" in r.text


@pytest.mark.parametrize(
    "params",
    [{"start": "5"}, {"start": "9", "end": "3"}, {"start": "-1", "end": "4"}, {"start": "0", "end": "99999999"}],
)
def test_source_span_must_be_a_span_of_the_text(pages, params):
    r = pages.get("/source/impro/2018-05-16", params=params)
    assert r.status_code == 400


def test_source_text_that_changed_since_the_build_is_not_served(corpus_store, tmp_path):
    """The offsets of the quotes are into the text the build read: a changed file is not served as it."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    path = sources / "identrics-2018-05-20.txt"
    path.write_text("Changed. " + path.read_text(encoding="utf-8"), encoding="utf-8")
    changed = Pages(corpus_store, sources=sources)
    assert changed.get("/source/identrics/2018-05-20", accept="text/plain").status_code == 404
    r = changed.get("/source/identrics/2018-05-20", params={"start": "0", "end": "5"})
    assert r.status_code == 200 and "<mark id=quote>" not in r.text  # its description only
    assert changed.get("/source/impro/2018-05-16", accept="text/plain").status_code == 200


# ---------------------------------------------------------------------------- another base, the shared-entity layout


@pytest.mark.slow  # quick subset: more than a second
def test_pages_under_another_base(tmp_path):
    """With a configured base the pages still quote only their policy and link into its text."""
    import privacykg

    base = "https://example.org/kg/"
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    shutil.copytree(SOURCES, data / "sources")
    for name in ("identrics-2018-05-20", "impero-as-2020-01-15"):
        shutil.copy(DATA / "policies" / f"{name}.yaml", data / "policies")
    store = tmp_path / "store"
    privacykg.build(data, store, base=base)
    other = Pages(store, sources=data / "sources")
    page = other.html("/policy/identrics/2018-05-20")
    text = source_of("identrics-2018-05-20")
    found = quotes(page)
    assert found and all(e in text for e, _ in found)
    path, start, end = place(found[0][1])
    assert path == "/source/identrics/2018-05-20"
    assert "<mark id=quote>" in other.html(path, params={"start": start, "end": end})
    entity = other.html("/entity/google")
    assert {g for g, _, _ in SECTION.findall(entity)} == {
        base + "graph/identrics/2018-05-20",
        base + "graph/impero-as/2020-01-15",
    }


SHARED_LAYOUT = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix pkg: <https://w3id.org/privacykg/ns#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix e: <https://w3id.org/privacykg/entity/> .
@prefix p: <https://w3id.org/privacykg/policy/> . @prefix g: <https://w3id.org/privacykg/graph/> .

g:entity\\/acme { e:acme a dpv:Organisation, dpv:DataProcessor ; rdfs:label "ACME" ; dpv:hasName "ACME Ltd." . }
g:alpha\\/2024-01-01 { p:alpha\\/2024-01-01\\/statement\\/2 a rdf:Statement ; rdf:subject e:acme ;
    rdf:predicate rdf:type ; rdf:object dpv:DataProcessor . }
g:inferred\\/entity\\/acme { e:acme a dpv:LegalEntity . }
POLICY_GRAPHS
"""
POLICY_GRAPH = """
g:SLUG\\/2024-01-01 {
  p:SLUG\\/2024-01-01 a dpv:PrivacyNotice ; pkg:policySlug "SLUG" ; pkg:versionDate "2024-01-01"^^xsd:date ;
      dct:title "TITLE" ; dpv:hasDataController e:SLUG ; pkg:mentionsEntity e:acme ;
      pkg:sourceText <https://w3id.org/privacykg/source/SLUG/2024-01-01> .
  e:SLUG dpv:hasName "CONTROLLER" .
  p:SLUG\\/2024-01-01\\/statement\\/1 a rdf:Statement ; rdf:subject e:acme ; rdf:predicate dpv:hasName ; rdf:object "ACME Ltd." .
  p:SLUG\\/2024-01-01\\/evidence\\/1 a oa:Annotation ; oa:hasBody p:SLUG\\/2024-01-01\\/statement\\/1 ;
      oa:hasTarget p:SLUG\\/2024-01-01\\/evidence\\/1\\#target .
  p:SLUG\\/2024-01-01\\/evidence\\/1\\#target oa:hasSource <https://w3id.org/privacykg/source/SLUG/2024-01-01> ;
      oa:hasSelector p:SLUG\\/2024-01-01\\/evidence\\/1\\#quote, p:SLUG\\/2024-01-01\\/evidence\\/1\\#position .
  p:SLUG\\/2024-01-01\\/evidence\\/1\\#quote a oa:TextQuoteSelector ; oa:exact "QUOTE" .
  p:SLUG\\/2024-01-01\\/evidence\\/1\\#position a oa:TextPositionSelector ; oa:start 0 ; oa:end LENGTH .
}
"""


def test_shared_entity_layout(tmp_path):
    """The coming layout: an organisation described once in ``<base>graph/entity/<key>``, each
    policy's graph holding only its statements about it, with their evidence. The policy page
    shows the shared description with its own quote; the entity page names each policy."""
    policies = {
        "alpha": ("Alpha notice", "Alpha Co", "We share data with ACME Ltd. for payments."),
        "beta": ("Beta notice", "Beta Co", "ACME Ltd. processes our payroll."),
    }
    graphs = "".join(
        POLICY_GRAPH.replace("SLUG", slug)
        .replace("TITLE", t)
        .replace("CONTROLLER", c)
        .replace("QUOTE", q)
        .replace("LENGTH", str(len(q)))
        for slug, (t, c, q) in policies.items()
    )
    store = ox.Store(str(tmp_path / "store"))
    store.load(SHARED_LAYOUT.replace("POLICY_GRAPHS", graphs), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    pages = Pages(tmp_path / "store", base="https://w3id.org/privacykg/")
    alpha = pages.html("/policy/alpha/2024-01-01")
    assert "ACME Ltd." in alpha and "ACME" in alpha
    assert [e for e, _ in quotes(alpha)] == [policies["alpha"][2]]
    assert policies["beta"][2] not in alpha
    beta = pages.html("/policy/beta/2024-01-01")
    assert "dpv:DataProcessor" in alpha and "dpv:DataProcessor" not in beta  # a role one policy gives
    entity = pages.html("/entity/acme")
    stated, inferred = split_inferred(entity)
    sections = {g: body for g, _, body in SECTION.findall(entity)}
    assert set(sections) == {BASE + "graph/alpha/2024-01-01", BASE + "graph/beta/2024-01-01"}
    assert [e for e, _ in quotes(sections[BASE + "graph/alpha/2024-01-01"])] == [policies["alpha"][2]]
    assert "Alpha Co" in sections[BASE + "graph/alpha/2024-01-01"]
    assert "ACME Ltd." in stated and "Alpha Co" in stated and "Beta Co" in stated  # who states the name
    assert "legal entity" in inferred.lower() or "LegalEntity" in inferred
    assert "LegalEntity" not in stated
