"""The staff dashboard page and its CSV files: access, scope, links, empty state, queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import InternationalProject, Member
from tests import factories

URL = reverse("registry:staff_dashboard")


def csv_url(figure: str) -> str:
    return reverse("registry:staff_dashboard_csv", args=[figure])


@pytest.fixture
def network(make_member, subfield):
    cern = InternationalProject.objects.create(slug="formula", name="=HYPERLINK(1)", position=99)
    return [
        make_member(country="GB", primary_subfield=subfield("1.2"), international_projects=[cern]),
        make_member(country="GB", primary_subfield=subfield("1.3")),
        make_member(country="DE", primary_subfield=subfield("3.2")),
        make_member(country="DE", status=Member.Status.REJECTED),
    ]


def map_links(html: str) -> dict[str, str]:
    """Country code -> link of each linked country on the map."""
    pattern = r'<a href="([^"]+)" class="map-link" data-country="(\w+)"'
    return {code: unescape(href) for href, code in re.findall(pattern, html)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("viewer", 200), ("analyst", 200), ("focal_point", 200)],
)
def test_the_dashboard_needs_the_search_permission(db, role_client, role, expected):
    client = role_client(role)
    assert client.get(URL).status_code == expected
    assert client.get(csv_url("country")).status_code == expected


def test_staff_without_the_view_permission_are_refused(client, staff):
    client.force_login(staff(perms=()))
    assert client.get(URL).status_code == 403
    assert client.get(csv_url("country")).status_code == 403


def test_the_map_colours_and_links_each_country_to_the_filtered_search(network, role_client):
    client = role_client("analyst")
    html = client.get(URL).content.decode()
    assert "<strong>3</strong> members in these figures" in html
    assert "United Kingdom: 2 members" in html
    assert "Germany: 1 members" in html
    links = map_links(html)
    assert set(links) == {"GB", "DE"}
    assert links["GB"] == reverse("registry:staff_search") + "?status=confirmed&country=GB"
    # The search at the end of the link counts the same members.
    search = client.get(links["GB"]).content.decode()
    assert "<strong>2</strong> members match" in search


def test_the_figures_keep_the_dashboards_filters(network, role_client):
    html = role_client("analyst").get(URL, {"sector": "academia", "field": "1"}).content.decode()
    assert map_links(html)["GB"] == (
        reverse("registry:staff_search") + "?field=1&sector=academia&status=confirmed&country=GB"
    )
    assert csv_url("country") + "?sector=academia&amp;field=1" in html


def test_the_matrix_and_subfield_figures(network, role_client):
    html = role_client("analyst").get(URL).content.decode()
    assert "?status=confirmed&amp;field=1&amp;country=GB" in html
    assert "?status=confirmed&amp;subfield=3.2" in html


def test_the_figures_in_urdu_name_the_taxonomy_in_urdu(network, role_client, urdu):
    html = role_client("analyst").get(URL, headers=urdu).content.decode()
    assert "1 قدرتی علوم" in html  # the matrix
    assert "1.2 کمپیوٹر اور معلوماتی علوم" in html  # main subfields
    assert "مشترکہ تحقیق" in html  # engagement
    assert "SDG 13: موسمیاتی اقدامات" in html
    assert "CERN (اور اس کے تجربات" in html  # projects
    # A project staff added without an Urdu name keeps its English one.
    assert "=HYPERLINK(1)" in html
    assert "Natural sciences" not in html


def test_each_figure_has_a_csv_of_its_numbers(network, role_client):
    client = role_client("analyst")
    html = client.get(URL).content.decode()
    for figure in ("country", "matrix", "subfield", "sector", "month", "status", "project"):
        assert csv_url(figure) in html
    rows = factories.parse_csv(client.get(csv_url("country")).content)
    assert rows == [["Category", "Members"], ["United Kingdom", "2"], ["Germany", "1"]]
    status = dict(factories.parse_csv(client.get(csv_url("status")).content)[1:])
    assert status["Rejected"] == "1"
    assert status["Submitted, awaiting review"] == "3"
    matrix = factories.parse_csv(client.get(csv_url("matrix")).content)
    assert matrix[0] == ["Broad field", "United Kingdom", "Germany", "Total"]
    assert matrix[1] == ["1 Natural sciences", "2", "0", "2"]


def test_csv_cells_are_neutralised(network, role_client):
    rows = factories.parse_csv(role_client("analyst").get(csv_url("project")).content)
    assert ["'=HYPERLINK(1)", "1"] in rows


def test_an_unknown_figure_is_not_found(db, role_client):
    assert role_client("analyst").get(csv_url("nothing")).status_code == 404


def test_a_mission_analyst_sees_only_its_countries(network, client, staff):
    mission = factories.make_mission(countries=("DE", "AT"))
    client.force_login(staff("analyst", username="berlin", mission=mission))
    html = client.get(URL).content.decode()
    assert set(map_links(html)) == {"DE"}
    assert "United Kingdom: no members" in html
    rows = factories.parse_csv(client.get(csv_url("country")).content)
    assert rows == [["Category", "Members"], ["Germany", "1"]]
    # A country outside the Mission is not a valid filter.
    assert client.get(csv_url("country"), {"country": "GB"}).status_code == 400


def test_an_empty_registry_shows_an_empty_state(db, role_client):
    html = role_client("analyst").get(URL).content.decode()
    assert "No members to show yet" in html
    assert "world-map" not in html


def test_filters_that_match_nobody_say_so(network, role_client):
    html = role_client("analyst").get(URL, {"country": "FR"}).content.decode()
    assert "No member you may see matches these filters" in html


def test_invalid_filters_show_an_error_and_no_figures(network, role_client):
    html = role_client("analyst").get(URL, {"sector": "nonsense"}).content.decode()
    assert "Some filters are not valid" in html
    assert "world-map" not in html


def test_the_number_of_queries_does_not_depend_on_the_data(make_member, subfield, role_client):
    client = role_client("analyst")
    make_member(country="GB")
    client.get(URL)  # the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for code, country in (("1.2", "DE"), ("3.2", "US"), ("6.2", "FR"), ("2.1", "JP")):
        make_member(country=country, primary_subfield=subfield(code))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"sector": "academia", "stage": "r2"}).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 20


def test_the_csv_of_a_figure_is_in_english_on_an_urdu_page(network, role_client):
    client = role_client("analyst")

    rows = factories.parse_csv(client.get(csv_url("country"), HTTP_ACCEPT_LANGUAGE="ur").content)

    assert rows == [["Category", "Members"], ["United Kingdom", "2"], ["Germany", "1"]]
