"""The public directory: who is listed, what is shown, filters, pages, robots, leaving."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from registry.models import Member
from registry.selectors.directory import (
    MAX_PAGES,
    DirectoryFilters,
    directory_contact_key,
    directory_page,
)
from registry.tokens import UPDATE, link_token_make

pytestmark = pytest.mark.django_db

URL = reverse("registry:directory")


def listed_member(make_member, subfield, code="1.1", **fields):
    return make_member(
        status=Member.Status.VERIFIED,
        consent_directory=True,
        primary_subfield=subfield(code),
        **fields,
    )


def test_directory_shows_name_organisation_country_and_fields(client, listed):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amina Khan" in page
    assert "Guy&#x27;s and St Thomas&#x27; Hospital" in page
    assert "United Kingdom" in page
    assert "3.2 Clinical medicine" in page
    assert "Physical sciences" in page
    key = directory_contact_key(member_id=listed.pk)
    assert reverse("registry:directory_contact", args=[key]) in page


def test_directory_shows_nothing_else_of_the_member(client, listed):
    page = client.get(URL).content.decode()
    for private in ("amina.secret", "7946", "Secretcity", "Consultant physicist", "hidden keyword"):
        assert private not in page


def test_directory_groups_by_field_with_counts(client, make_member, subfield):
    listed_member(make_member, subfield, "1.1", full_name="Zeno Maths")
    listed_member(make_member, subfield, "1.1", full_name="Ada Maths")
    listed_member(make_member, subfield, "5.2", full_name="Eco Nomist")
    page = client.get(URL).content.decode()
    assert '1 Natural sciences</span> <span class="text-body-secondary">(2)' in page
    assert 'Social sciences</span> <span class="text-body-secondary">(1)' in page
    # Members in order of subfield, then name.
    assert page.index("Ada Maths") < page.index("Zeno Maths") < page.index("Eco Nomist")
    assert "3 members listed" in page


def test_directory_in_urdu_names_fields_and_subfields_in_urdu(client, make_member, subfield, urdu):
    listed_member(make_member, subfield, "1.1", full_name="Ada Maths", subfields=[subfield("1.3")])
    listed_member(make_member, subfield, "5.2", full_name="Eco Nomist")
    page = client.get(URL, headers=urdu).content.decode()
    with translation.override("ur"):
        also = gettext("Also:")
    assert also != "Also:"
    assert f"{also} طبیعیاتی علوم" in page
    assert '1 قدرتی علوم</span> <span class="text-body-secondary">(1)' in page
    assert "قدرتی علوم › 1.1 ریاضی" in page
    assert "5.2 معاشیات اور کاروبار" in page
    for english in ("Natural sciences", "Mathematics", "Economics and business"):
        assert english not in page


def test_directory_filters_by_field_subfield_and_country(client, make_member, subfield):
    listed_member(make_member, subfield, "1.1", full_name="Uk Maths", country="GB")
    listed_member(make_member, subfield, "1.1", full_name="De Maths", country="DE")
    listed_member(make_member, subfield, "5.2", full_name="De Economist", country="DE")
    field_id = subfield("5.2").field_id
    page = client.get(URL, {"field": field_id}).content.decode()
    assert "De Economist" in page and "Maths" not in page
    page = client.get(URL, {"country": "DE"}).content.decode()
    assert "De Maths" in page and "De Economist" in page and "Uk Maths" not in page
    page = client.get(URL, {"subfield": subfield("1.1").pk, "country": "DE"}).content.decode()
    assert "De Maths" in page and "Uk Maths" not in page and "De Economist" not in page


def test_invalid_filters_filter_nothing_and_never_fail(client, make_member, subfield):
    listed_member(make_member, subfield, full_name="Still Shown")
    for params in ({"field": "x"}, {"subfield": "99999"}, {"country": "ZZ"}, {"page": "-3"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "Still Shown" in response.content.decode()


def test_directory_pages_run_a_constant_number_of_queries(make_member, subfield):
    def queries(filters):
        with CaptureQueriesContext(connection) as captured:
            directory_page(filters=filters, page_number=2, per_page=3)
        return len(captured)

    for _ in range(4):
        listed_member(make_member, subfield, "1.1", subfields=[subfield("2.1")])
    few = queries(DirectoryFilters())
    for _ in range(12):
        listed_member(make_member, subfield, "1.2", subfields=[subfield("2.1"), subfield("3.1")])
    assert queries(DirectoryFilters()) == few == 4
    assert queries(DirectoryFilters(country="GB")) == 4


def test_directory_page_never_reads_private_columns(make_member, subfield):
    listed_member(make_member, subfield)
    with CaptureQueriesContext(connection) as captured:
        directory_page(filters=DirectoryFilters())
    sql = " ".join(q["sql"] for q in captured).lower()
    assert '"email"' not in sql and '"phone"' not in sql


def test_paging_is_bounded(make_member, subfield):
    for _ in range(5):
        listed_member(make_member, subfield)
    data = directory_page(filters=DirectoryFilters(), page_number=10**6, per_page=2)
    assert data.page.number == 3
    assert [len(s.entries) for s in data.sections] == [1]
    assert data.page.paginator.num_pages <= MAX_PAGES
    assert not data.truncated


def test_pagination_links_keep_the_filters(client, make_member, subfield):
    for _ in range(51):
        listed_member(make_member, subfield, country="DE")
    page = client.get(URL, {"country": "DE"}).content.decode()
    assert "?country=DE&amp;page=2" in page
    assert "Page 1 of 2" in page


def test_directory_is_not_indexed_by_default(client, listed):
    response = client.get(URL)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_directory_is_indexed_when_the_setting_allows(client, listed, settings):
    settings.DIRECTORY_INDEXABLE = True
    response = client.get(URL)
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_every_page_links_the_directory_and_the_contact_page(client):
    page = client.get(reverse("registry:privacy")).content.decode()
    assert f'href="{URL}"' in page
    assert f'href="{reverse("registry:contact")}"' in page


def leave_url(member):
    return reverse("registry:directory_leave", args=[link_token_make(member=member, kind=UPDATE)])


def test_member_leaves_the_directory_from_the_profile_page(client, listed):
    edit = reverse("registry:profile_edit", args=[link_token_make(member=listed, kind=UPDATE)])
    page = client.get(edit).content.decode()
    assert "Leave the public directory" in page
    response = client.post(leave_url(listed))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:directory_left")
    listed.refresh_from_db()
    assert listed.consent_directory is False
    # Nothing else changes: still verified, and the history says why.
    assert listed.status == Member.Status.VERIFIED
    assert listed.history.first().history_change_reason == "Left the public directory"
    assert "Amina Khan" not in client.get(URL).content.decode()


def test_leaving_needs_a_valid_link_and_a_post(client, listed):
    assert client.get(leave_url(listed)).status_code == 405
    bad = reverse("registry:directory_leave", args=["not-a-token"])
    assert client.post(bad).status_code == 400
    listed.refresh_from_db()
    assert listed.consent_directory is True


def test_profile_page_offers_no_leave_button_to_an_unlisted_member(client, make_member):
    member = make_member(status=Member.Status.VERIFIED, consent_directory=False)
    edit = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    assert "Leave the public directory" not in client.get(edit).content.decode()


def test_directory_page_queries_do_not_grow_with_members(client, make_member, subfield):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"page": 1}).status_code == 200
        return len(captured)

    listed_member(make_member, subfield, "1.1", subfields=[subfield("2.1")])
    few = queries()
    for code in ("1.2", "2.1", "3.2", "5.2", "6.1"):
        for _ in range(3):
            listed_member(make_member, subfield, code, subfields=[subfield("1.1")])
    assert queries() == few
