"""privacykg.query tells SPARQL text from a library question's id, file stem or file path by the
query's form, not by a keyword somewhere in a name (cookie-b-ASK-et, a folder called select)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import privacykg

EX = "https://example.org/"
QUESTION = """# id: basket
# question: Which cookies are in the basket?
SELECT ?cookie WHERE { ?cookie <https://example.org/in> <https://example.org/basket> }
"""


@pytest.fixture
def store() -> ox.Store:
    st = ox.Store()
    for name in ("oat", "ginger"):
        st.add(
            ox.Quad(
                ox.NamedNode(EX + name),
                ox.NamedNode(EX + "in"),
                ox.NamedNode(EX + "basket"),
                ox.NamedNode(EX + "graph"),
            )
        )
    return st


def cookies(result) -> set[str]:
    return {sol["cookie"].value for sol in result}


@pytest.mark.parametrize("name", ["cookie-basket.rq", "ask/construct.rq", "select/describe.sparql"])
def test_a_question_file_whose_path_holds_a_query_form(store, tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(QUESTION, encoding="utf-8")
    assert cookies(privacykg.query(store, str(path))) == {EX + "oat", EX + "ginger"}


def test_a_library_question_by_a_stem_holding_query_forms(store, tmp_path):
    (tmp_path / "select-ask-construct-basket.rq").write_text(QUESTION, encoding="utf-8")
    got = privacykg.query(store, "select-ask-construct-basket", queries_dir=tmp_path)
    assert cookies(got) == {EX + "oat", EX + "ginger"}
    assert cookies(privacykg.query(store, "basket", queries_dir=tmp_path)) == {EX + "oat", EX + "ginger"}


def test_sparql_text_of_each_form(store):
    select = f"SELECT ?cookie WHERE {{ ?cookie <{EX}in> <{EX}basket> }}"
    assert cookies(privacykg.query(store, select)) == {EX + "oat", EX + "ginger"}
    assert bool(privacykg.query(store, f"# a comment\nASK {{ <{EX}oat> <{EX}in> ?b }}")) is True
    assert bool(privacykg.query(store, f"ASK {{ <{EX}rye> <{EX}in> ?b }}")) is False
    built = list(privacykg.query(store, f"CONSTRUCT {{ ?c <{EX}baked> true }} WHERE {{ ?c <{EX}in> ?b }}"))
    assert len(built) == 2
    assert len(list(privacykg.query(store, f"DESCRIBE <{EX}oat>"))) == 1
    # a query whose text mentions a .rq file in a string is still text
    assert cookies(privacykg.query(store, select.replace("}", 'FILTER(?cookie != "x.rq") }'))) == {
        EX + "oat",
        EX + "ginger",
    }


def test_a_missing_question_file_is_reported_as_such(store, tmp_path):
    from privacykg.errors import UsageError

    with pytest.raises(UsageError, match="query file not found"):
        privacykg.query(store, str(tmp_path / "ask-me.rq"))
