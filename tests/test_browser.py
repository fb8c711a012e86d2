"""The query UI in a real browser (Debian's chromium driven by Playwright) against a real
`privacykg serve`: pick a library question, run it, see rows; bind a parameter; open a policy
page; open the graph view, see its nodes and click one. A screenshot of each step goes to
tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers import ServerProcess  # the same real-server helper

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
NOTICE = "https://w3id.org/privacykg/policy/identrics/2018-05-20"

pytestmark = pytest.mark.server

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(corpus_store):
    with ServerProcess(corpus_store) as s:
        yield s


@pytest.fixture
def page(browser, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # offline: nothing but the server itself may be fetched (no CDN)
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(server.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.errors = errors
    pg.outside = outside
    yield pg
    context.close()


def shot(pg, name):
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def query_text(pg):
    """The text in the SPARQL editor (CodeMirror over the #query textarea)."""
    return pg.evaluate("document.querySelector('#editor-pane .CodeMirror').CodeMirror.getValue()")


def set_query(pg, text):
    """Replace the editor's text, as a paste would."""
    pg.evaluate("t => document.querySelector('#editor-pane .CodeMirror').CodeMirror.setValue(t)", text)


def test_run_example_question(page, server):
    page.goto(server.url + "/")
    cq01 = page.locator("#examples button[data-id='cq01']")
    cq01.wait_for()
    shot(page, "01-index")
    cq01.click()
    assert "PrivacyNotice" in query_text(page)
    assert page.locator("#query").input_value() == query_text(page)  # the textarea follows the editor
    assert page.locator("#params input[name='destination']").count() == 1
    with page.expect_request(lambda r: r.url.endswith("/api/run") and r.method == "POST") as req:
        page.click("#run")
    assert req.value.post_data_json == {"id": "cq01", "params": {}}
    page.locator("#results-table tr:nth-child(2)").wait_for()
    rows = page.locator("#results-table tr").count() - 1
    assert rows > 1
    assert page.locator("#status").inner_text() == f"{rows} rows"
    headers = page.locator("#results-table th").all_inner_texts()
    assert headers == ["controller", "country", "notice", "destination", "safeguard", "quote", "modality"]
    shot(page, "02-results")

    # a parameter is bound by the server: only transfers to the US remain
    page.fill("#params input[name='destination']", "loc:US")
    with page.expect_request(lambda r: r.url.endswith("/api/run")) as req:
        page.click("#run")
    assert req.value.post_data_json == {"id": "cq01", "params": {"destination": "loc:US"}}
    page.wait_for_function(f"document.querySelectorAll('#results-table tr').length - 1 < {rows}")
    destinations = page.locator("#results-table tr td:nth-child(4)").all_inner_texts()
    assert destinations and set(destinations) == {"loc:US"}  # a prefixed name, linked to its page
    shot(page, "03-results-us")

    # an invalid value is refused with the server's message
    page.fill("#params input[name='destination']", "loc:US } ; DROP ALL ; #")
    page.click("#run")
    page.locator("#results .error").wait_for()
    assert "not an IRI" in page.locator("#results .error").inner_text()
    assert page.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.errors.clear()

    # an edited query is free-form: it goes to /sparql, without the parameters
    set_query(page, "PREFIX dpv: <https://w3id.org/dpv#>\nSELECT ?n WHERE { ?n a dpv:PrivacyNotice }")
    assert "edited" in page.locator("#params-note").inner_text()
    with page.expect_request(lambda r: r.url.endswith("/sparql") and r.method == "POST"):
        page.click("#run")
    page.wait_for_function("document.querySelectorAll('#results-table tr').length === 6")
    assert not page.errors, page.errors
    assert not page.outside, page.outside


def _column(page, n):
    return page.locator(f"#results-table tbody tr td:nth-child({n})").all_inner_texts()


def test_results_table_names_sorts_pages_and_expands(page, server):
    """cq17 on the seeds: 169 rows, quotes up to 659 characters. IRIs are prefixed names (or the
    row's label) linking to their pages; a header click sorts, a second reverses; 50 rows a page;
    a long quote is cut short and opens in full."""
    page.goto(server.url + "/")
    page.locator("#examples button[data-id='cq17']").click()
    page.click("#run")
    page.locator("#results-table tbody tr").first.wait_for()
    n = int(page.locator("#status").inner_text().split()[0])
    assert n > 50
    assert page.locator("#results-table tbody tr").count() == 50
    assert page.locator("#results .pager .range").inner_text() == f"rows 1–50 of {n}"
    headers = [h.strip() for h in page.locator("#results-table th").all_inner_texts()]
    assert headers == ["policy", "version", "process", "label", "purpose", "basis", "basisLabel", "quote"]

    purposes = _column(page, 5)
    assert sum(p.startswith("dpv:") for p in purposes) > 25, purposes[:5]
    assert not any(p.startswith("https://w3id.org/dpv") for p in purposes)  # no DPV IRI written in full
    purpose = page.locator("#results-table tbody tr td:nth-child(5) a").first
    assert purpose.get_attribute("href").startswith("/resource?iri=https%3A%2F%2Fw3id.org%2Fdpv%23")
    # the basis shows the row's basisLabel, its prefixed name on hover
    basis = page.locator("#results-table tbody tr td:nth-child(6) a").first
    assert _column(page, 7)[0] == basis.inner_text() + "@en"  # the label cell shows its language
    assert basis.get_attribute("title").startswith("eu-gdpr:A6-1-")
    # a minted process IRI links to its own page under the server
    process = page.locator("#results-table tbody tr td:nth-child(3) a").first
    assert process.get_attribute("href").startswith("/entity/") or process.get_attribute("href").startswith("/policy/")

    # sort by policy: ascending, then descending
    page.click("#results-table th[data-var='policy'] button")
    up = _column(page, 1)
    assert page.locator("#results-table th[data-var='policy']").get_attribute("aria-sort") == "ascending"
    assert up == sorted(up, key=str.lower)
    page.click("#results-table th[data-var='policy'] button")
    down = _column(page, 1)
    assert page.locator("#results-table th[data-var='policy']").get_attribute("aria-sort") == "descending"
    assert down == sorted(down, key=str.lower, reverse=True) and down[0] >= up[-1] and down[0] != up[0]
    shot(page, "04-results-sorted")

    # page 2
    first_page = _column(page, 3)
    page.click("#results .pager .next")
    assert page.locator("#results .pager .range").inner_text() == f"rows 51–{min(100, n)} of {n}"
    assert _column(page, 3) != first_page
    page.click("#results .pager .prev")
    assert page.locator("#results .pager .range").inner_text() == f"rows 1–50 of {n}"
    page.click("#results .pager .next")

    # a long quote: about 200 characters shown, the whole on a click, short again on another
    more = page.locator("#results-table td .long button.more").first
    more.wait_for()
    cut = page.locator("#results-table td .long .cut").first
    short = cut.inner_text()
    assert short.endswith("…") and len(short) == 201
    more.click()
    full = cut.inner_text()
    assert len(full) > 200 and full.startswith(short[:-1]) and more.inner_text() == "less"
    more.click()
    assert cut.inner_text() == short
    # the table scrolls in its own box
    box = page.locator("#results .results-box")
    assert box.evaluate("e => getComputedStyle(e).overflow") == "auto"
    assert box.evaluate("e => e.scrollHeight > e.clientHeight")
    more.click()
    shot(page, "05-results-page2-quote")
    assert not page.errors, page.errors
    assert not page.outside, page.outside


def test_results_sort_numbers_as_numbers(page, server):
    page.goto(server.url + "/")
    set_query(page, "SELECT ?p (COUNT(*) AS ?c) WHERE { ?s ?p ?o } GROUP BY ?p")
    page.click("#run")
    page.locator("#results-table tbody tr").first.wait_for()
    page.click("#results-table th[data-var='c'] button")
    counts = [int(c) for c in _column(page, 2)]
    assert counts == sorted(counts) and len(str(counts[0])) < len(str(counts[-1]))  # 9 before 10, not after
    assert page.locator("#results-table tbody td.num").count() == len(counts)
    assert not page.errors, page.errors


CM = "document.querySelector('#editor-pane .CodeMirror').CodeMirror"


def _hints(pg):
    pg.locator(".CodeMirror-hints li").first.wait_for()
    return pg.locator(".CodeMirror-hints li").all_inner_texts()


def _pick(pg, text):
    """Choose the completion ``text`` with the arrow keys and Enter, as a user would."""
    items = _hints(pg)
    for _ in range(items.index(text) - items.index(pg.locator(".CodeMirror-hint-active").inner_text())):
        pg.keyboard.press("ArrowDown")
    assert pg.locator(".CodeMirror-hint-active").inner_text() == text
    pg.keyboard.press("Enter")
    pg.locator(".CodeMirror-hints").wait_for(state="detached")


def test_editor_highlights_marks_the_error_and_completes(page, server):
    """The SPARQL editor: keywords and variables highlighted; a query typed without its PREFIX runs
    into the server's error, marked at its line and column with the PREFIX line to add; completion
    of a prefix, then of a vocabulary term, adds the PREFIX declaration; all from the server."""
    page.goto(server.url + "/")
    page.locator("#editor-pane .CodeMirror[data-terms]").wait_for()  # the vocabulary is loaded
    assert int(page.locator("#editor-pane .CodeMirror").get_attribute("data-terms")) > 500
    assert page.locator("#query").is_hidden()  # the textarea is replaced by the editor
    keywords = page.locator("#editor-pane .cm-keyword").all_inner_texts()
    assert {"PREFIX", "SELECT", "WHERE"} <= {k.upper() for k in keywords}, keywords
    assert "?notice" in page.locator("#editor-pane .cm-variable-2").all_inner_texts()

    # a missing prefix, typed on the second line
    set_query(page, "")
    page.click("#editor-pane .CodeMirror-code")
    page.keyboard.type("SELECT * WHERE {")
    page.keyboard.press("Enter")
    page.keyboard.type("?p dpv:hasPurpose ?x }")
    page.keyboard.press("Escape")
    assert query_text(page).replace("  ", "") == "SELECT * WHERE {\n?p dpv:hasPurpose ?x }"  # no PREFIX added unasked
    page.click("#run")
    error = page.locator("#results .error")
    error.wait_for()
    message = error.inner_text()
    assert "line 2, column" in message and "PREFIX dpv: <https://w3id.org/dpv#>" in message, message
    flag = page.locator("#editor-pane .pkg-error-flag")
    assert flag.count() == 1 and "PREFIX dpv:" in flag.get_attribute("title")
    assert page.evaluate(f"Object.keys({CM}.lineInfo(1).gutterMarkers || {{}})") == ["pkg-errors"]
    assert page.evaluate(f"{CM}.lineInfo(0).gutterMarkers") is None
    assert page.locator("#editor-pane .pkg-error-mark").inner_text() == "dpv:hasPurpose"
    shot(page, "06-editor-error-marked")
    page.errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    # the offered fix adds the declaration, the marker goes with the edit, and the query runs
    page.click("#results button.add-prefix")
    assert query_text(page).startswith("PREFIX dpv: <https://w3id.org/dpv#>\nSELECT * WHERE {")
    assert page.locator("#editor-pane .pkg-error-flag").count() == 0
    page.click("#run")
    page.locator("#results-table tbody tr").first.wait_for()

    # completion: Ctrl-Space on "dp" offers our prefixes; picking one declares it
    set_query(page, "SELECT ?x WHERE {\n  ?p ")
    page.click("#editor-pane .CodeMirror-code")
    page.evaluate(f"{CM}.setCursor({CM}.lastLine(), 1000)")
    page.keyboard.type("dp")
    page.keyboard.press("Control+Space")
    assert "dpv: <https://w3id.org/dpv#>" in _hints(page)
    _pick(page, "dpv: <https://w3id.org/dpv#>")
    # typing the local name offers the vocabulary's terms with their labels
    page.keyboard.type("hasPur")
    assert "dpv:hasPurpose — has purpose" in _hints(page)
    shot(page, "07-editor-completion")
    _pick(page, "dpv:hasPurpose — has purpose")
    page.keyboard.type(" ?x }")
    assert query_text(page) == "PREFIX dpv: <https://w3id.org/dpv#>\nSELECT ?x WHERE {\n  ?p dpv:hasPurpose ?x }"
    # a term of another prefix after the colon is typed: its declaration joins the first
    page.keyboard.press("Enter")
    page.keyboard.type("?x a pd:EmailAdd")
    _pick(page, "pd:EmailAddress — email address")
    lines = query_text(page).split("\n")
    assert lines[:2] == ["PREFIX dpv: <https://w3id.org/dpv#>", "PREFIX pd: <https://w3id.org/dpv/pd#>"], lines
    assert lines[-1].strip() == "?x a pd:EmailAddress"
    assert not page.errors, page.errors
    assert not page.outside, page.outside


def test_editor_completes_keywords_and_the_query_s_own_variables(page, server):
    """Typing a variable offers the variables the query already uses (not the one being typed);
    Ctrl-Space on a bare word offers SPARQL's keywords before the prefixes."""
    page.goto(server.url + "/")
    page.locator("#editor-pane .CodeMirror[data-terms]").wait_for()
    set_query(page, "SELECT ?notice ?name ?purpose WHERE {\n  ")
    page.click("#editor-pane .CodeMirror-code")
    page.evaluate(f"{CM}.setCursor({CM}.lastLine(), 1000)")
    page.keyboard.type("?n")  # the popup opens by itself after "?n"
    assert _hints(page) == ["?name", "?notice"]
    _pick(page, "?notice")
    page.keyboard.type(" a dpv:PrivacyNotice .")
    page.keyboard.press("Enter")
    page.keyboard.type("OPT")
    page.keyboard.press("Control+Space")
    assert _hints(page) == ["OPTIONAL"]
    _pick(page, "OPTIONAL")
    assert query_text(page).split("\n")[-1].strip() == "OPTIONAL"
    page.keyboard.type(" { ?notice dpv:hasPurpose $p")
    page.keyboard.press("Control+Space")
    assert _hints(page) == ["$purpose"]  # $ and ? name the same variables
    assert not page.errors, page.errors


def test_results_names_and_links_agree_with_the_server_s(page, server):
    """results.js writes and links IRIs as privacykg.namespaces.compact and pages_html.href do."""
    from privacykg import namespaces as ns
    from privacykg.pages_html import href

    iris = [
        NOTICE,
        NOTICE + "/process/x",
        "https://w3id.org/privacykg/entity/acme",
        "https://w3id.org/privacykg/source/identrics/2018-05-20",
        ns.PKG + "policySlug",
        "https://w3id.org/dpv#Marketing",
        "https://w3id.org/dpv/legal/eu/gdpr#A6-1-f",
        "https://w3id.org/dpv/loc#US",
        "http://example.org/a b?c=d#e",
        "https://w3id.org/privacykg/other/x",
    ]
    page.goto(server.url + "/")
    got = page.evaluate(
        """async (iris) => { await window.PKGResults.ready;
        return iris.map((i) => [window.PKGResults.compact(i), window.PKGResults.href(i)]); }""",
        iris,
    )
    assert got == [[ns.compact(i), href(i, ns.DEFAULT_BASE)] for i in iris]
    assert got[5][0] == "dpv:Marketing" and got[0][1] == "/policy/identrics/2018-05-20"


def test_download(page, server):
    page.goto(server.url + "/")
    page.locator("#examples button[data-id='cq01']").click()
    page.fill("#params input[name='destination']", "loc:US")
    with page.expect_download() as dl:
        page.click("#downloads [data-fmt='csv']")
    path = dl.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert dl.value.suggested_filename == "cq01.csv"
    assert text.splitlines()[0] == "controller,country,notice,destination,safeguard,quote,modality"
    assert "https://w3id.org/dpv/loc#US" in text
    assert not page.errors, page.errors


def test_policy_page_and_graph(page, server):
    page.goto(server.url + "/policy/identrics/2018-05-20")
    assert "Identrics" in page.locator("h1").inner_text()
    assert page.locator("blockquote.evidence").count() > 10
    assert page.locator("a.ext[title='DPV documentation']").count() > 5
    shot(page, "04-policy-page")

    page.click("text=graph view")
    page.wait_for_url("**/?policy=*")
    page.locator("#graph-svg circle").nth(3).wait_for()
    circles = page.locator("#graph-svg circle").count()
    assert circles > 10
    assert page.locator("#policy-select").input_value() == NOTICE
    page.locator("#graph").scroll_into_view_if_needed()
    shot(page, "05-graph")

    # click through: a process node (one no other node covers) opens its page
    index = page.evaluate("""() => {
      const nodes = [...document.querySelectorAll('#graph-svg a.graph-node')];
      return nodes.findIndex((a) => {
        if (!a.querySelector('title').textContent.startsWith('process:')) return false;
        const c = a.querySelector('circle'), r = c.getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c;
      });
    }""")
    assert index >= 0, "no process node can be clicked"
    node = page.locator("#graph-svg a.graph-node").nth(index)
    href = node.get_attribute("href")
    assert href.startswith("/policy/identrics/2018-05-20/process/")
    node.locator("circle").click()
    page.wait_for_url("**" + href)
    assert page.locator("h1").inner_text()
    assert page.locator("blockquote.evidence").count() >= 1  # the sentence the process is read from
    assert page.locator("text=Identrics Privacy Policy").count() >= 1  # and the way back to its policy
    shot(page, "06-graph-node-page")
    assert not page.errors, page.errors
    assert not page.outside, page.outside


@pytest.fixture(scope="module")
def data_server(data_store):
    with ServerProcess(data_store, "--sources", ROOT / "data" / "sources") as s:
        yield s


def wide_page(browser):
    """A new 1400 x 1000 page of its own context, and the list its script errors go to."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def test_timeline_and_diff_of_real_versions(browser, data_server):
    """A policy version's page links to its policy's timeline; the timeline lists every version with
    what changed against the one before; a diff shows the facts with their quotes. GitHub after
    Schrems II (2020-07-22): "relies on Standard Contractual Clauses as the legally provided mechanism"."""
    page, errors = wide_page(browser)
    page.goto(data_server.url + "/policy/github/2020-07-22")
    assert "GitHub Privacy Statement" in page.locator("h1").inner_text()
    assert "CC0" in page.locator("p.licence").inner_text() or "publicdomain/zero" in page.content()
    page.click("p.versions a.timeline")
    page.wait_for_url("**/timeline/github")
    versions = sorted(p.stem[len("github-") :] for p in (ROOT / "data" / "policies").glob("github-2*.yaml"))
    body = page.locator("table.timeline").inner_text()
    assert all(v in body for v in versions)
    shot(page, "07-timeline")
    page.click("a[href='/diff/github/2020-05-19/2020-07-22']")
    page.wait_for_url("**/diff/github/2020-05-19/2020-07-22")
    text = page.locator("body").inner_text()
    assert "eu-gdpr:A46-2-c" in text and "relies on Standard Contractual Clauses" in text
    assert "GitHub B.V. are the controllers" in text
    shot(page, "08-diff")
    assert not errors, errors
    page.context.close()


def test_organisations_view_from_the_home_page(browser, data_server):
    """Who shares data with Google, and under which policy: from the home page's navigation to
    the organisations page, filtered by name. github-2017-01-26.md: "We use Google Analytics as a
    third party tracking service"."""
    pg, errors = wide_page(browser)
    pg.goto(data_server.url + "/")
    pg.click("header a[href='/organisations']")
    pg.wait_for_url("**/organisations")
    pg.fill("input[name=q]", "google")
    pg.click("form button")
    pg.wait_for_url("**/organisations?q=google")
    section = pg.locator("section.node").first.inner_text()
    assert "GitHub Privacy Statement" in section and "2017-01-26 – 2017-10-11" in section and "recipient" in section
    assert pg.locator("section.node").count() == 1
    shot(pg, "19-organisations-google")
    assert not errors, errors
    pg.context.close()


def test_pages_reflow_on_a_phone_sized_screen(browser, server):
    """At 360 px wide, VoID (a table of graphs with long names), the service description, a
    policy page, the home page and the organisations page fit the width: no horizontal scrolling of the page itself."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    for path, name in (
        ("/void", "09-void-360px"),
        ("/sparql", "10-service-description-360px"),
        (NOTICE.removeprefix("https://w3id.org/privacykg"), "11-policy-360px"),
        ("/", "12-home-360px"),
        ("/organisations?q=google", "20-organisations-360px"),
    ):
        pg.goto(server.url + path, wait_until="load")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 2, (path, width)
        if path == "/void":
            assert pg.locator("table.graphs tbody tr").count() > 5
            assert pg.locator("table.graphs a[href^='/policy/']").count() >= 5
            assert pg.evaluate("document.querySelector('link[rel=icon]').href").endswith("/static/favicon.svg")
            shot(pg, name)
            pg.evaluate("document.querySelector('table.graphs').scrollIntoView()")
            name += "-graphs"
        shot(pg, name)
    assert not errors, errors
    context.close()


IMAGO = "https://w3id.org/privacykg/policy/imago/2020-05-24"  # a seed of 143 nodes and 244 links

VISIBLE = "(sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).length"


def background_point(pg):
    """A point of the graph's background (no node, edge or label on it), in page coordinates."""
    return pg.evaluate("""() => {
      const r = document.querySelector('#graph-svg').getBoundingClientRect();
      for (let y = r.top + 10; y < r.bottom - 10; y += 17)
        for (let x = r.left + 10; x < r.right - 10; x += 17)
          if (document.elementFromPoint(x, y).classList.contains('graph-bg')) return [x, y];
      return null;
    }""")


def test_graph_of_a_real_policy_is_navigable(page, server):
    """Zoom (wheel and buttons), pan, drag a node without opening it, filter by kind, focus on a
    process and back, on a 143-node seed; edge labels show when zoomed in and in focus."""
    page.goto(server.url + "/?" + urlencode({"policy": IMAGO}))
    page.locator("#graph-svg a.graph-node").nth(100).wait_for()
    page.locator("#graph").scroll_into_view_if_needed()
    total = page.locator("#graph-svg a.graph-node").count()
    assert total == 143
    shot(page, "13-graph-143-nodes")
    svg = page.locator("#graph-svg")
    scale = lambda: float(svg.get_attribute("data-scale"))  # noqa: E731
    translate = lambda: page.evaluate(  # noqa: E731
        "() => { const m = document.querySelector('#graph-svg g.viewport').transform.baseVal.consolidate().matrix;"
        " return [m.a, m.e, m.f]; }"
    )
    fitted = scale()
    assert translate()[0] == pytest.approx(fitted, rel=1e-3)
    assert page.evaluate(VISIBLE, "#graph-svg .edge-label") == 0  # at the fitted scale, only on hover

    # labels keep their screen size whatever the zoom
    label_height = lambda: page.evaluate(  # noqa: E731
        "document.querySelector('#graph-svg a.graph-node[data-kind=process] text').getBoundingClientRect().height"
    )
    before = label_height()
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):
        page.mouse.wheel(0, -300)
    page.wait_for_function(f"+document.querySelector('#graph-svg').dataset.scale > {fitted * 2}")
    assert label_height() == pytest.approx(before, abs=1)
    labels = page.evaluate(VISIBLE, "#graph-svg .edge-label")
    assert labels > 20
    assert "purpose" in page.locator("#graph-svg .edge-label").all_text_contents()
    shot(page, "14-graph-zoomed-edge-labels")
    zoomed = scale()
    page.click("#graph-controls button[title='zoom out']")
    assert scale() == pytest.approx(zoomed / 1.4, rel=1e-3)
    page.click("#graph-controls button[title='zoom in']")
    assert scale() == pytest.approx(zoomed, rel=1e-3)

    # drag the background: the view pans by as much
    x, y = background_point(page)
    _, tx, ty = translate()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=5)
    page.mouse.move(x + 120, y + 80, steps=5)
    page.mouse.up()
    _, tx2, ty2 = translate()
    assert (tx2 - tx, ty2 - ty) == (pytest.approx(120, abs=1), pytest.approx(80, abs=1))

    # drag a node: it moves, its page does not open
    page.click("#graph-controls button:text('Show all')")
    index = page.evaluate("""() => [...document.querySelectorAll('#graph-svg a.graph-node')].findIndex((a) => {
        const c = a.querySelector('circle'), r = c.getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c; })""")
    circle = page.locator("#graph-svg a.graph-node circle").nth(index)
    b = circle.bounding_box()
    cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    url = page.url
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 50, cy + 30, steps=6)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert page.url == url
    b2 = circle.bounding_box()
    assert (b2["x"] - b["x"], b2["y"] - b["y"]) == (pytest.approx(50, abs=1), pytest.approx(30, abs=1))

    # filter by kind: purposes hidden, then back
    kinds = page.locator("#graph-controls input[name=kind]").evaluate_all("(cs) => cs.map((c) => c.value)")
    assert {"notice", "process", "purpose", "data", "recipient"} <= set(kinds)
    purposes = page.locator("#graph-svg a.graph-node[data-kind=purpose]").count()
    assert purposes > 20
    page.uncheck("#graph-controls input[value=purpose]")
    assert page.evaluate(VISIBLE, "#graph-svg a.graph-node[data-kind=purpose]") == 0
    assert page.evaluate(VISIBLE, "#graph-svg a.graph-node") == total - purposes
    shot(page, "15-graph-without-purposes")
    page.check("#graph-controls input[value=purpose]")
    assert page.evaluate(VISIBLE, "#graph-svg a.graph-node") == total

    # focus on a process: it and its neighbours only, edge labels shown without hovering
    process = page.locator("#graph-focus option").nth(1).get_attribute("value")
    page.select_option("#graph-focus", process)
    focused = page.evaluate(VISIBLE, "#graph-svg a.graph-node")
    assert 2 < focused < total / 4
    assert page.evaluate(VISIBLE, "#graph-svg .edge-label") == focused - 1  # a star around the process
    shot(page, "16-graph-focus-process")
    page.click("#graph-controls button:text('Show all')")
    assert page.evaluate(VISIBLE, "#graph-svg a.graph-node") == total
    # shift-click on a node focuses on it too, and does not open its page
    node = page.locator("#graph-svg a.graph-node[data-kind=process] circle").nth(0)
    node.click(modifiers=["Shift"], force=True)
    assert 2 < page.evaluate(VISIBLE, "#graph-svg a.graph-node") < total / 4
    assert page.url == url

    # at the fitted scale, hovering a node shows its links' labels
    page.click("#graph-controls button:text('Show all')")
    assert page.evaluate(VISIBLE, "#graph-svg .edge-label") == 0
    circle.hover()  # the node dragged above
    page.wait_for_function(f"({VISIBLE})('#graph-svg .edge-label') > 0")
    shot(page, "17-graph-hover-edge-labels")

    # the force layout instead of the columns: every node still there, elsewhere
    where = "() => [...document.querySelectorAll('#graph-svg a.graph-node')].map((a) => a.getAttribute('transform'))"
    columns = page.evaluate(where)
    page.select_option("#graph-layout", "force")
    assert page.evaluate(VISIBLE, "#graph-svg a.graph-node") == total
    moved = sum(a != b for a, b in zip(columns, page.evaluate(where), strict=False))
    assert moved > total * 0.9
    shot(page, "18-graph-force-layout")
    assert not page.errors, page.errors
    assert not page.outside, page.outside
