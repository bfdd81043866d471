"""Stale members (no answer to the yearly check): a filter and a mark for staff."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import Member
from registry.search.filters import MemberFilters, members_search
from registry.selectors.freshness import Freshness

pytestmark = pytest.mark.django_db

SEARCH = reverse("registry:staff_search")
CHANGELIST = reverse("admin:registry_member_changelist")


@pytest.fixture
def fresh_and_stale(make_member, subfield):
    fresh = make_member(full_name="Fresh Fatima", primary_subfield=subfield("1.3"))
    stale = make_member(full_name="Stale Samir", primary_subfield=subfield("1.3"))
    Member.objects.filter(pk=fresh.pk).update(last_confirmed_at=timezone.now())
    Member.objects.filter(pk=stale.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=500), stale_since=timezone.now()
    )
    return fresh, stale


@pytest.mark.parametrize(
    ("freshness", "expected"),
    [
        ("", {"Fresh Fatima", "Stale Samir"}),
        ("fresh", {"Fresh Fatima"}),
        ("stale", {"Stale Samir"}),
    ],
)
def test_search_selector_filters_by_freshness(fresh_and_stale, staff, freshness, expected):
    found = members_search(user=staff("analyst"), filters=MemberFilters(freshness=freshness))
    assert {m.full_name for m in found} == expected


def test_search_page_filters_and_marks_stale_rows(fresh_and_stale, role_client):
    client = role_client("analyst")

    stale_only = client.get(SEARCH, {"freshness": Freshness.STALE}).content.decode()
    everyone = client.get(SEARCH).content.decode()

    assert "Stale Samir" in stale_only and "Fresh Fatima" not in stale_only
    assert "Fresh Fatima" in everyone and "Stale Samir" in everyone
    assert everyone.count('class="badge text-bg-warning stale-badge"') == 1
    assert everyone.count("Last confirmed ") == 2
    assert 'name="freshness"' in everyone


def test_admin_list_filters_by_freshness_and_shows_last_confirmed(fresh_and_stale, role_client):
    client = role_client("focal_point")

    stale_only = client.get(CHANGELIST, {"freshness": "stale"}).content.decode()
    fresh_only = client.get(CHANGELIST, {"freshness": "fresh"}).content.decode()

    assert "Stale Samir" in stale_only and "Fresh Fatima" not in stale_only
    assert "Fresh Fatima" in fresh_only and "Stale Samir" not in fresh_only
    assert "(stale)" in stale_only
    assert "yearly check" in stale_only.lower()


def test_admin_change_page_shows_last_confirmed_and_stale_since(fresh_and_stale, role_client):
    _fresh, stale = fresh_and_stale
    client = role_client("focal_point")

    body = client.get(reverse("admin:registry_member_change", args=[stale.pk])).content.decode()

    assert "Last confirmed by the member" in body
    assert "Stale since" in body


def test_admin_refuses_an_unknown_freshness_value(fresh_and_stale, role_client):
    response = role_client("focal_point").get(CHANGELIST, {"freshness": "rotten"})
    assert response.status_code == 302
    assert "e=1" in response["Location"]
