"""Free text that names the country of residence or the city (registry.search.places)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Member
from registry.search.filters import members_matching_text
from registry.search.parser import parse_search_text
from registry.search.places import country_index, place_readings
from tests.factories import make_mission, staff_user

pytestmark = pytest.mark.django_db


def matching(text: str) -> set[str]:
    found = members_matching_text(Member.objects.all(), text)
    return set(found.values_list("full_name", flat=True))


@pytest.fixture
def residents(make_member):
    return [
        make_member(full_name="Hans Physicist", keywords="quasars", country="DE", city="Munich"),
        make_member(full_name="Greta Chemist", keywords="chemistry", country="DE", city="Berlin"),
        make_member(full_name="Sam Physicist", keywords="quasars", country="US", city="Boston"),
        make_member(full_name="Amina Writer", keywords="poetry", country="GB", city="London"),
        make_member(full_name="Joe Yorker", keywords="finance", country="US", city="New York"),
        # Says Germany in its text, lives elsewhere: still found by the word.
        make_member(
            full_name="Lena Historian",
            keywords="history of Germany",
            country="FR",
            city="Paris",
        ),
    ]


def test_a_country_name_finds_its_residents_and_the_word(residents):
    assert matching("Germany") == {"Hans Physicist", "Greta Chemist", "Lena Historian"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deutschland", {"Hans Physicist", "Greta Chemist"}),
        ("USA", {"Sam Physicist", "Joe Yorker"}),
        ("us", {"Sam Physicist", "Joe Yorker"}),
        ("America", {"Sam Physicist", "Joe Yorker"}),
        ("United States", {"Sam Physicist", "Joe Yorker"}),
        ('"united states of america"', {"Sam Physicist", "Joe Yorker"}),
        ("UK", {"Amina Writer"}),
        ("Britain", {"Amina Writer"}),
        ("England", {"Amina Writer"}),
        ("united kingdom", {"Amina Writer"}),
    ],
)
def test_common_names_of_a_country_find_its_residents(residents, text, expected):
    assert matching(text) == expected


def test_a_country_narrows_other_words(residents):
    assert matching("physicist Germany") == {"Hans Physicist"}
    assert matching("quasars USA") == {"Sam Physicist"}
    # An exclusion stays a word of the text: it does not exclude residents.
    assert matching("chemistry -Germany") == {"Greta Chemist"}
    assert matching("Germany -history") == {"Hans Physicist", "Greta Chemist"}


def test_the_city_matches_whole_and_case_aside(residents):
    assert matching("berlin") == {"Greta Chemist"}
    assert matching("MUNICH quasars") == {"Hans Physicist"}
    assert matching("new york") == {"Joe Yorker"}
    assert matching('"New York" finance') == {"Joe Yorker"}
    assert matching("quasars Berlin") == set()


def test_a_city_and_a_country_together(residents):
    assert matching("Berlin Germany") == {"Greta Chemist"}
    assert matching("Boston Germany") == set()


def test_alternatives_each_read_places(residents):
    assert matching("poetry OR Deutschland") == {"Amina Writer", "Hans Physicist", "Greta Chemist"}


def test_the_country_index_holds_english_names_and_aliases():
    index = country_index()
    assert index[("germany",)] == {"DE"}
    assert index[("deutschland",)] == {"DE"}
    assert index[("holland",)] == {"NL"}
    assert index[("united", "kingdom")] == {"GB"}


def test_long_queries_are_not_read_as_places():
    (terms,) = parse_search_text("a b c d e Germany")
    assert place_readings(terms) == []


def test_the_staff_search_finds_by_country_within_scope_only(client, residents):
    berlin = make_mission(countries=["US"])
    client.force_login(staff_user("analyst", mission=berlin))
    response = client.get(reverse("registry:staff_search"), {"q": "Germany"})
    assert response.context["results"] is None or response.context["results"].total == 0
    response = client.get(reverse("registry:staff_search"), {"q": "USA quasars"})
    assert response.context["results"].total == 1


def test_place_words_keep_the_query_count(client, residents):
    client.force_login(staff_user("viewer"))
    url = reverse("registry:staff_search")
    client.get(url)  # the session, the user and the taxonomy's choices, read once
    # Two words and three, so that fuzzy names (PostgreSQL) take the same
    # path in both: a one-word name first reads the names' similar words.
    with CaptureQueriesContext(connection) as plain:
        client.get(url, {"q": "physicist quasars"})
    with CaptureQueriesContext(connection) as placed:
        client.get(url, {"q": "physicist quasars Germany"})
    assert len(plain) == len(placed)
