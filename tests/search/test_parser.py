"""The search text parser (registry.search.parser); no database."""

import pytest

from registry.search.parser import MAX_QUERY_LENGTH, Term, parse_search_text
from tests.factories import ODD_QUERIES


def test_parse_words_are_folded_and_all_required():
    assert parse_search_text("Ángström  NUCLEAR") == ((Term(("angstrom",)), Term(("nuclear",))),)


def test_parse_phrase_or_and_exclusion_follow_websearch_precedence():
    parsed = parse_search_text('"particle physics" -cern OR oncology')
    assert parsed == (
        (Term(("particle", "physics")), Term(("cern",), negated=True)),
        (Term(("oncology",)),),
    )


def test_parse_excluded_phrase_and_hyphenated_word():
    assert parse_search_text('-"machine learning" covid-19') == (
        (Term(("machine", "learning"), negated=True), Term(("covid",)), Term(("19",))),
    )


@pytest.mark.parametrize("text", ODD_QUERIES + ["", "   ", "OR OR", '""', "- - -"])
def test_parse_never_fails_on_odd_syntax(text):
    parsed = parse_search_text(text)
    assert all(term.words for terms in parsed for term in terms)


def test_parse_keeps_urdu_words_whole():
    assert parse_search_text("عائشہ خان") == ((Term(("عائشہ",)), Term(("خان",))),)


def test_parse_caps_the_length():
    parsed = parse_search_text("a" * (MAX_QUERY_LENGTH - 1) + " bbbbbbb")
    assert parsed == ((Term(("a" * (MAX_QUERY_LENGTH - 1),)),),)
