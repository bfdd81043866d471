"""The dashboard's counts against the database (both engines)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from registry.models import (
    CONFIRMED_STATUSES,
    EngagementType,
    ExpertiseCluster,
    InternationalProject,
    Member,
    Sdg,
)
from registry.search.filters import MemberFilters
from registry.selectors.dashboard import dashboard_counts, month_starts
from tests import factories

NOW = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def network(make_member, subfield):
    lectures = EngagementType.objects.get(slug="lectures")
    research = EngagementType.objects.get(slug="joint-research")
    cern = InternationalProject.objects.get(slug="cern")
    health = Sdg.objects.get(number=3)
    members = {
        "amina": make_member(
            country="GB",
            primary_subfield=subfield("1.2"),
            gender="female",
            keywords="machine learning",
            engagement_types=[lectures, research],
            sdgs=[health],
            international_projects=[cern],
        ),
        "bilal": make_member(
            country="GB",
            primary_subfield=subfield("1.3"),
            sector=Member.Sector.INDUSTRY,
            highest_qualification=Member.Qualification.MASTERS,
            gender="male",
            engagement_types=[lectures],
        ),
        "chen": make_member(
            country="DE",
            primary_subfield=subfield("3.2"),
            status=Member.Status.VERIFIED,
            career_stage=Member.CareerStage.R4,
        ),
        "dora": make_member(country="DE", status=Member.Status.REJECTED),
        "emil": make_member(country="US", status=Member.Status.UNCONFIRMED),
        "fran": make_member(country="FR", status=Member.Status.WITHDRAWN),
    }
    dates = {
        "amina": datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("UTC")),
        "bilal": datetime(2026, 5, 20, tzinfo=ZoneInfo("UTC")),
        "chen": datetime(2024, 1, 5, tzinfo=ZoneInfo("UTC")),  # before the 24 months
    }
    for name, created in dates.items():
        Member.objects.filter(pk=members[name].pk).update(created_at=created)
    return members


def counts_for(user, **filters):
    return dashboard_counts(user=user, filters=MemberFilters(**filters), now=NOW)


def test_counts_of_confirmed_members_by_country_subfield_and_matrix(network, staff, subfield):
    counts = counts_for(staff("analyst"))
    assert counts.total == 3
    assert counts.by_country == {"GB": 2, "DE": 1}
    assert counts.by_subfield == {
        subfield("1.2").pk: 1,
        subfield("1.3").pk: 1,
        subfield("3.2").pk: 1,
    }
    assert counts.by_subfield_country == {
        (subfield("1.2").pk, "GB"): 1,
        (subfield("1.3").pk, "GB"): 1,
        (subfield("3.2").pk, "DE"): 1,
    }


def test_counts_of_choices(network, staff):
    counts = counts_for(staff("analyst"))
    assert counts.by_choice["sector"] == {"academia": 2, "industry": 1}
    assert counts.by_choice["stage"] == {"r2": 2, "r4": 1}
    assert counts.by_choice["qualification"] == {"phd": 2, "masters": 1}
    assert counts.by_choice["gender"] == {"female": 1, "male": 1, "": 1}


def test_counts_of_related_taxonomies(network, staff):
    counts = counts_for(staff("analyst"))
    lectures = EngagementType.objects.get(slug="lectures")
    research = EngagementType.objects.get(slug="joint-research")
    assert counts.by_related["engagement"] == {lectures.pk: 2, research.pk: 1}
    assert counts.by_related["sdg"] == {Sdg.objects.get(number=3).pk: 1}
    assert counts.by_related["project"] == {InternationalProject.objects.get(slug="cern").pk: 1}
    # Clusters are derived by the services: counted like the database holds them.
    expected = {
        cluster.pk: n
        for cluster in ExpertiseCluster.objects.all()
        if (n := cluster.members.filter(status__in=CONFIRMED_STATUSES).count())
    }
    assert expected, "machine learning puts amina in a cluster"
    assert counts.by_related["cluster"] == expected


def test_registrations_per_month_cover_24_months(network, staff):
    counts = counts_for(staff("analyst"))
    assert len(counts.by_month) == 24
    assert min(counts.by_month) == date(2024, 7, 1)
    assert counts.by_month[date(2026, 6, 1)] == 1
    assert counts.by_month[date(2026, 5, 1)] == 1
    assert sum(counts.by_month.values()) == 2  # chen registered before


def test_month_starts_cross_years():
    assert month_starts(date(2026, 2, 10), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_the_status_funnel_ignores_the_status_filter_only(network, staff):
    analyst = staff("analyst")
    counts = counts_for(analyst)
    assert counts.by_status == {
        "submitted": 2,
        "verified": 1,
        "rejected": 1,
        "unconfirmed": 1,
        "withdrawn": 1,
    }
    assert counts_for(analyst, country="DE").by_status == {"verified": 1, "rejected": 1}


def test_filters_narrow_every_count(network, staff, subfield):
    lectures = EngagementType.objects.get(slug="lectures")
    analyst = staff("analyst")
    counts = counts_for(analyst, country="GB", engagement_type_id=lectures.pk)
    assert counts.total == 2
    counts = counts_for(analyst, sector="industry", country="GB")
    assert counts.total == 1
    assert counts.by_choice["gender"] == {"male": 1}
    assert counts.by_related["engagement"] == {lectures.pk: 1}
    assert counts_for(analyst, statuses=()).total == 6


def test_free_text_narrows_the_counts(network, staff):
    counts = counts_for(staff("analyst"), text="machine learning")
    assert counts.by_country == {"GB": 1}


def test_a_mission_analyst_counts_only_its_countries(network, staff):
    mission = factories.make_mission(countries=("DE", "AT"))
    counts = counts_for(staff("analyst", username="berlin", mission=mission))
    assert counts.total == 1
    assert counts.by_country == {"DE": 1}
    assert counts.by_status == {"verified": 1, "rejected": 1}
    assert counts.by_related["engagement"] == {}
    assert sum(counts.by_month.values()) == 0


def test_nobody_without_the_permission_is_counted(network, staff):
    counts = counts_for(staff(perms=()))
    assert counts.total == 0
    assert counts.by_status == {}


def test_an_empty_registry_counts_zero(db, staff):
    counts = dashboard_counts(user=staff("analyst"), filters=MemberFilters(), now=timezone.now())
    assert counts.total == 0
    assert counts.by_country == {}
    assert set(counts.by_month.values()) == {0}
