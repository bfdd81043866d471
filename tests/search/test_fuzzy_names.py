"""Fuzzy names through the words of the members' names (registry.search.fuzzy, PostgreSQL)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from registry.models import Member, NameWord
from registry.search.filters import members_matching_text
from registry.search.fuzzy import similar_name_words
from tests.factories import postgres_only

pytestmark = [pytest.mark.django_db, postgres_only]

NAMES = [
    "Ghulam Qureshi",
    "Amina Siddiqui",
    "Bilal Siddiqui",
    "Hina Siddique",
    "Elodie Rossi",
    "Élodie Rosso",
    "Thabo Dlamini",
    "Søren Søndergaard",
    "Kwame Boateng",
    "Farhan Malik",
    "Malika Farhan",
    "Yusuf Al Siddiqi Khan",
]
# Misspellings, and names that find nobody by full text.
TYPOS = [
    "Siddiqi",
    "Qureshy",
    "Quereshi",
    "Dlamni",
    "Sondergard",
    "Rosi",
    "Malk",
    # Several words: through the index of the names, as before.
    "Elodie Rosi",
    "Amina Sidiqui",
    "Yusuf Siddiqi",
]


@pytest.fixture
def named(make_member):
    for i, name in enumerate(NAMES):
        make_member(full_name=name, email=f"member{i}@example.org")


def _names(queryset) -> set[str]:
    return set(queryset.values_list("full_name", flat=True))


def _fuzzy_before(text: str) -> set[str]:
    """What the search found before the words' table: pg_trgm on every member's name."""
    found = _names(members_matching_text(Member.objects.all(), text, fuzzy_names=False))
    name = text.lower().replace("é", "e")
    return found | _names(Member.objects.filter(Q(name_key__trigram_word_similar=name)))


@pytest.mark.parametrize("typo", TYPOS)
def test_a_misspelt_name_finds_what_the_trigram_check_of_every_name_found(named, typo):
    assert _names(members_matching_text(Member.objects.all(), typo)) == _fuzzy_before(typo)


def test_a_name_of_several_words_is_checked_through_the_names_index(named):
    queryset = members_matching_text(Member.objects.all(), "Elodie Rosi")
    assert "%>" in str(queryset.query) and "registry_nameword" not in str(queryset.query)
    assert _names(queryset) == {"Elodie Rossi", "Élodie Rosso"}


def test_the_words_like_a_misspelt_name_come_most_alike_first(named):
    assert similar_name_words("siddiqi")[0] == "siddiqi"
    assert set(similar_name_words("siddiqi")) >= {"siddiqi", "siddiqui"}
    assert similar_name_words("zzyzx") == []


def test_only_members_holding_a_like_word_are_checked(named):
    with CaptureQueriesContext(connection) as queries:
        found = _names(members_matching_text(Member.objects.all(), "Qureshy"))
    assert found == {"Ghulam Qureshi"}
    sql = [q["sql"] for q in queries.captured_queries]
    assert any('FROM "registry_nameword"' in q for q in sql)
    on_members = [q for q in sql if 'FROM "registry_member"' in q and "WORD_SIMILARITY" in q]
    assert on_members and all("LIKE '%qureshi%'" in q for q in on_members)
    # No trigram operator over every member's name any more.
    assert not any("%>" in q or "<%" in q for q in on_members)


def test_a_name_like_no_word_adds_no_fuzzy_check(named):
    queryset = members_matching_text(Member.objects.all(), "Zzyzxq")
    assert "WORD_SIMILARITY" not in str(queryset.query)
    assert _names(queryset) == set()


def test_a_member_loaded_around_the_services_is_found_once_its_words_are_recorded(named):
    from registry.services.name_words import name_words_refresh

    Member.objects.filter(full_name="Kwame Boateng").update(
        full_name="Kwame Mensah", name_key="kwame mensah"
    )
    assert _names(members_matching_text(Member.objects.all(), "Mensahh")) == set()

    assert name_words_refresh() == (1, 1)  # "mensah" added, "boateng" gone

    assert NameWord.objects.filter(word="mensah").exists()
    assert _names(members_matching_text(Member.objects.all(), "Mensahh")) == {"Kwame Mensah"}
