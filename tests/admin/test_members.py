"""The member admin's change page and list: possible duplicates, search, filters, CSP."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Member
from registry.services.clusters import clusters_rebuild
from tests.admin.pages import CHANGELIST, change_url, review_url
from tests.factories import VALID_ORCID


def test_change_page_flags_possible_duplicates_with_links(role_client, make_member):
    member = make_member(full_name="Bilal Awan", organisation="ETH Zürich", orcid=VALID_ORCID)
    twin = make_member(full_name="Bilal Awan", organisation="ETH Zurich")
    same_orcid = make_member(full_name="B. Awan", organisation="Google", orcid=VALID_ORCID)
    unrelated = make_member(full_name="Bilal Awan", organisation="Google")

    page = role_client("focal_point").get(change_url(member)).text

    assert "Possible duplicates" in page
    assert change_url(twin) in page
    assert change_url(same_orcid) in page
    assert change_url(unrelated) not in page
    assert "same ORCID iD" in page and "same name at the same organisation" in page
    # Nothing merged.
    assert Member.objects.filter(status=Member.Status.DUPLICATE).count() == 0


# Search and filters -------------------------------------------------------------


def test_search_finds_words_and_exact_address(role_client, make_member):
    client = role_client("viewer")
    wanted = make_member(
        full_name="Søren Okafor", keywords="radiotherapy", email="s.okafor@uni.example"
    )
    other = make_member(full_name="Another Person", keywords="hydrology")

    by_word = client.get(CHANGELIST, {"q": "okafor RADIOTHERAPY"}).context["cl"]
    assert list(by_word.result_list) == [wanted]
    by_address = client.get(CHANGELIST, {"q": "S.Okafor@UNI.example"}).context["cl"]
    assert list(by_address.result_list) == [wanted]
    assert other not in by_word.result_list


def test_filters_narrow_the_list(role_client, make_member, subfield, engagement_types, sdgs):
    client = role_client("viewer")
    physicist = make_member(
        country="CH",
        primary_subfield=subfield("1.3"),
        engagement_types=[engagement_types[0]],
        sdgs=[sdgs[6]],
        keywords="particle physics, machine learning",
    )
    doctor = make_member(country="GB", primary_subfield=subfield("3.2"))
    clusters_rebuild()
    physics_cluster = physicist.clusters.exclude(members=doctor).first()

    def results(**params):
        return set(client.get(CHANGELIST, params).context["cl"].result_list)

    assert results(broad_field=subfield("1.3").field_id) == {physicist}
    assert results(subfield=subfield("3.2").pk) == {doctor}
    assert results(country="CH") == {physicist}
    assert results(engagement=engagement_types[0].pk) == {physicist}
    assert results(sdg=sdgs[6].pk) == {physicist}
    assert results(cluster=physics_cluster.pk) == {physicist}
    assert results(status="submitted") == {physicist, doctor}


@pytest.mark.parametrize("params", [{"country": "XX"}, {"subfield": "abc"}, {"sdg": "1;drop"}])
def test_bad_filter_values_do_not_break_the_list(role_client, member, params):
    response = role_client("viewer").get(CHANGELIST, params)
    assert response.status_code == 302
    assert "e=1" in response.url


def test_filter_options_come_from_the_taxonomy_not_the_member_table(role_client, member):
    page = role_client("viewer").get(CHANGELIST).text
    # Every country is offered, not only those of existing members.
    assert "Zimbabwe" in page
    assert "6 Humanities and the arts" in page
    assert "SDG 17: Partnerships for the goals" in page


def test_date_hierarchy_spans_first_to_last_year_in_one_query(role_client, make_member):
    client = role_client("viewer")
    old, new = make_member(), make_member()
    Member.objects.filter(pk=old.pk).update(created_at="2023-03-10T10:00:00Z")
    Member.objects.filter(pk=new.pk).update(created_at="2025-07-01T10:00:00Z")

    page = client.get(CHANGELIST).text
    assert all(f"created_at__year={year}" in page for year in (2023, 2024, 2025))
    year_page = client.get(CHANGELIST, {"created_at__year": 2025}).text
    assert "created_at__month=7" in year_page
    # The bounds come from the unfiltered list, which the date index answers.
    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGELIST, {"status": "submitted", "sdg": 3})
    bounds = [q["sql"] for q in queries.captured_queries if "MIN(" in q["sql"]]
    assert len(bounds) == 1
    assert "WHERE" not in bounds[0]


# Strict Content-Security-Policy ------------------------------------------------------


def test_admin_pages_have_no_inline_script_or_style(role_client, member):
    client = role_client("focal_point")
    for url in [CHANGELIST, change_url(member), review_url(member, "duplicate")]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), url
        assert " style=" not in response.text, url
