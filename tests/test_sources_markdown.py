"""Markdown sources (published policies kept byte for byte) and their origin: the plain-text
rendering quotes are checked against, its map back to the published file, and the licence and
attribution that travel with the text (policy graph, metadata graph, VoID, pages)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from helpers import DATA, SHARED
from privacykg.errors import DataError
from privacykg.markdown import RENDERING, render

OPEN_POLICIES = SHARED / "open-policies"


@pytest.mark.parametrize(
    "md, text",
    [
        ("---\ntitle: X\nversions:\n  a: '*'\n---\n\nHello", "\nHello"),
        ("### The short version\n", "The short version\n"),
        ("See [GitHub’s Terms of Service](/github/site-policy/terms), unless", "See GitHub’s Terms of Service, unless"),
        ("a [link with (parens)](https://e.org/a_(b)) b", "a link with (parens) b"),
        ("![logo](x.png) and [ref][1]", "logo and ref"),
        ("mail <https://example.com/x_y> now", "mail https://example.com/x_y now"),
        ("We **never** sell _your_ *data*.", "We never sell your data."),
        ("snake_case_name and 2*3*4 stay", "snake_case_name and 2*3*4 stay"),
        ("* a bullet with *emphasis*", "* a bullet with emphasis"),
        ("- item `code`", "- item code"),
        ("| `__Host-user_session` | `_gh_sess` | **x** |", "| __Host-user_session | _gh_sess | x |"),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        (r"1\. not a list \*", "1. not a list *"),
        (
            "| Name | Where |\n|---|---|\n| AWS | United States |",
            "| Name | Where |\n|---|---|\n| AWS | United States |",
        ),
    ],
)
def test_rendering_rules(md, text):
    assert render(md).text == text


def test_each_character_maps_back_to_the_published_file():
    """Every rendered character comes from the file (the same character, unless an entity or a
    <br> made it), in order, for every published version in ../shared/open-policies."""
    files = sorted(OPEN_POLICIES.glob("*/2*.md"))
    if not files:
        pytest.skip("../shared/open-policies is not here")
    for f in files:
        md = f.read_text(encoding="utf-8")
        r = render(md)
        assert len(r.origin) == len(r.text) + 1 and r.origin[-1] == len(md)
        assert all(a <= b for a, b in zip(r.origin, r.origin[1:], strict=False)), f
        for i, ch in enumerate(r.text):
            if md[r.origin[i]] != ch:
                assert ch == "\n" or md[r.origin[i]] in "&<", (f, i, ch)


def test_quote_spans_map_back_to_their_words():
    """A quote of a rendered sentence with a link in it points at the link's sentence in the file."""
    md = "Intro.\n\nAll capitalized terms have their definition in [GitHub’s Terms of Service](/terms), unless noted.\n"
    r = render(md)
    quote = "definition in GitHub’s Terms of Service, unless"
    start = r.text.index(quote)
    a, b = r.source_span(start, start + len(quote))
    assert md[a:b] == "definition in [GitHub’s Terms of Service](/terms), unless"


def _policy(tmp_path: Path, origin: str) -> Path:
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    (data / "sources").mkdir()
    src = OPEN_POLICIES / "basecamp-subprocessors" / "2022-07-18.md"
    if not src.is_file():
        pytest.skip("../shared/open-policies is not here")
    shutil.copyfile(src, data / "sources" / "acme-2022-07-18.md")
    # "Last updated: July 18, 2022" is the rendering of "*Last updated: July 18, 2022*" (emphasis dropped)
    (data / "policies" / "acme-2022-07-18.yaml").write_text(
        textwrap.dedent("""\
        format: privacykg/1
        policy: acme
        version: 2022-07-18
        source: acme-2022-07-18.md
        """)
        + origin
        + textwrap.dedent("""\
        title: Subprocessors
        language: en
        controller: acme
        notice:
          effective: {value: 2022-07-18, quote: "Last updated: July 18, 2022"}
        entities:
          acme:
            types: [dpv:DataController, dpv:Organisation]
            name: Acme
            location: loc:US
            quotes: ["We use third party subprocessors, such as cloud computing providers and customer support software, to run Basecamp (the service)."]
        processes:
          hosting:
            hasPurpose: [dpv:ServiceProvision]
            hasPersonalData: [pd:EmailAddress]
            quote: "* Amazon Web Services. Cloud services provider."
        """),
        encoding="utf-8",
    )
    return data


ORIGIN = """\
origin:
  licence: CC-BY-4.0
  attribution: "Basecamp Subprocessors by Basecamp, https://github.com/basecamp/policies, CC BY 4.0; quoted as plain text"
  repository: https://github.com/basecamp/policies
  path: privacy/basecamp-subprocessors/index.md
  commit: 6932b79405bad6d721671eabc57bccb2a5094f87
"""


def test_origin_reaches_the_graphs_void_and_pages(tmp_path):
    from starlette.testclient import TestClient

    import privacykg
    from privacykg.server import Settings, create_app

    data = _policy(tmp_path, ORIGIN)
    store = tmp_path / "store"
    privacykg.build(data, store)
    s = privacykg.open_store(store)
    blob = "https://github.com/basecamp/policies/blob/6932b79405bad6d721671eabc57bccb2a5094f87/privacy/basecamp-subprocessors/index.md"
    rows = list(
        s.query("""PREFIX dct: <http://purl.org/dc/terms/> PREFIX pkg: <https://w3id.org/privacykg/ns#>
        SELECT ?g ?licence ?source ?commit ?fmt ?rendering WHERE {
          GRAPH <https://w3id.org/privacykg/graph/metadata> { ?g dct:license ?licence ; dct:source ?source ; pkg:commit ?commit }
          GRAPH ?g { ?doc dct:license ?licence ; dct:source ?source ; dct:format ?fmt ; pkg:quotedRendering ?rendering } }""")
    )
    assert [
        (r["licence"].value, r["source"].value, r["commit"].value, r["fmt"].value, r["rendering"].value) for r in rows
    ] == [
        (
            "https://creativecommons.org/licenses/by/4.0/",
            blob,
            "6932b79405bad6d721671eabc57bccb2a5094f87",
            "text/markdown",
            RENDERING,
        )
    ]
    app = create_app(Settings(store=str(store), sources_dir=data / "sources", isolate_queries=False))
    with TestClient(app) as client:
        void = client.get("/void", headers={"accept": "text/turtle"}).text
        assert f"<http://purl.org/dc/terms/source> <{blob}>" in void
        for page in ("/policy/acme/2022-07-18", "/source/acme/2022-07-18"):
            body = client.get(page).text
            assert "rel=license>https://creativecommons.org/licenses/by/4.0/" in body, page
            assert "Basecamp Subprocessors by Basecamp, https://github.com/basecamp/policies" in body, page
        # the quote's offsets count characters of the rendering the page shows
        text = client.get("/source/acme/2022-07-18", headers={"accept": "text/plain"}).text
        assert "* Amazon Web Services. Cloud services provider." in text and "---" not in text[:5]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("licence", "GPL-ish", "unknown licence 'GPL-ish'"),
        ("commit", "6932b79", "is not a full commit id"),
        ("repository", "github.com/basecamp/policies", "is not an http(s) URL"),
        ("path", "../index.md", "is not a path inside the repository"),
    ],
)
def test_a_wrong_origin_is_refused_with_its_line(tmp_path, field, value, message):
    import privacykg

    lines = ORIGIN.splitlines()
    bad = "\n".join(f"  {field}: {value}" if line.startswith(f"  {field}:") else line for line in lines) + "\n"
    data = _policy(tmp_path, bad)
    with pytest.raises(DataError) as exc:
        privacykg.validate(data_dir=data)
    text = str(exc.value)
    assert message in text and f"origin.{field}" in text
    line = next(i for i, ln in enumerate(bad.splitlines(), start=5) if ln.startswith(f"  {field}:"))
    assert f"acme-2022-07-18.yaml:{line}" in text


@pytest.mark.slow  # quick subset: more than a second
def test_every_markdown_source_in_data_has_its_licence():
    """The published texts in data/sources are listed in data/sources/README.md with the licence
    their annotation's origin: names, and each annotation citing a Markdown source has an origin."""
    from privacykg.yamlread import read_yaml_file

    readme = (DATA / "sources" / "README.md").read_text(encoding="utf-8")
    for f in sorted((DATA / "policies").glob("*.yaml")):
        top = read_yaml_file(f).value
        if not top["source"].value.endswith(".md"):
            continue
        origin = top["origin"].value
        row = next((ln for ln in readme.splitlines() if f"| {top['source'].value} |" in ln), None)
        assert row is not None, f"{top['source'].value} is not listed in data/sources/README.md"
        assert f"| {origin['licence'].value} |" in row and origin["commit"].value in row


def _published_versions() -> dict[bytes, tuple[str, str, str]]:
    """The bytes of every file in ../shared/open-policies -> (repository path, commit, licence),
    read from each folder's SOURCE.md."""
    out = {}
    for source_md in OPEN_POLICIES.glob("*/SOURCE.md"):
        text = source_md.read_text(encoding="utf-8")
        licence = text.split("licence ", 1)[1].split(" ", 1)[0].rstrip(",")
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 4 and cells[0].endswith(".md") and len(cells[2]) == 40:
                out[(source_md.parent / cells[0]).read_bytes()] = (cells[1], cells[2], licence)
    return out


@pytest.mark.slow  # quick subset: more than a second
def test_origins_name_the_commit_the_text_was_taken_from():
    """Each Markdown source in data/sources is byte for byte a published version, and its
    annotation's origin: names that version's path, commit and licence (SOURCE.md)."""
    from privacykg.yamlread import read_yaml_file

    published = _published_versions()
    if not published:
        pytest.skip("../shared/open-policies is not here")
    for f in sorted((DATA / "policies").glob("*.yaml")):
        top = read_yaml_file(f).value
        name = top["source"].value
        if not name.endswith(".md"):
            continue
        found = published.get((DATA / "sources" / name).read_bytes())
        assert found is not None, f"{name} is not byte for byte a published version"
        origin = {k: v.value for k, v in top["origin"].value.items()}
        assert (origin["path"], origin["commit"], origin["licence"]) == found, f.name
