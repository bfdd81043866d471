"""The dashboard's summary on PostgreSQL: exact through every write, same figures as on demand."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.demo.seed import demo_members_seed
from registry.models import (
    DashboardCount,
    EngagementType,
    InternationalProject,
    Member,
    Sdg,
)
from registry.search.filters import MemberFilters
from registry.selectors.dashboard import RELATED, dashboard_counts
from registry.selectors.dashboard.ondemand import counts_on_demand
from registry.selectors.dashboard.postgres import (
    counts_from_members,
    counts_from_summary,
    summary_answers,
)
from registry.selectors.missions import staff_scope
from registry.services.members import member_update
from registry.services.review import member_reject, member_verify
from tests import factories
from tests.factories import portable_only, postgres_only

NOW = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("UTC"))
MEMBER_FACETS = {
    "subfield": "primary_subfield_id",
    "sector": "sector",
    "stage": "career_stage",
    "qualification": "highest_qualification",
    "gender": "gender",
}


def recount() -> dict[tuple[str, str, str, str], int]:
    """The summary's rows, counted again from the members in Python."""
    expected: Counter = Counter()
    columns = ["id", "status", "country", "created_at", *MEMBER_FACETS.values()]
    for row in Member.objects.values(*columns):
        key = (row["status"], row["country"])
        month = timezone.localtime(row["created_at"]).date().replace(day=1).isoformat()
        expected["month", *key, month] += 1
        for facet, column in MEMBER_FACETS.items():
            value = row[column]
            expected[facet, *key, "" if value is None else str(value)] += 1
    for facet, (relation, column) in RELATED.items():
        through = Member._meta.get_field(relation).remote_field.through
        for row in through.objects.values("member__status", "member__country", column):
            expected[facet, row["member__status"], row["member__country"], str(row[column])] += 1
    return {key: n for key, n in expected.items() if n}


def summary() -> dict[tuple[str, str, str, str], int]:
    rows = DashboardCount.objects.exclude(members=0)
    return {(r.facet, r.status, r.country, r.value): r.members for r in rows}


def assert_exact():
    assert summary() == recount()


@pytest.fixture
def network(make_member, subfield):
    lectures = EngagementType.objects.get(slug="lectures")
    research = EngagementType.objects.get(slug="joint-research")
    health = Sdg.objects.get(number=3)
    cern = InternationalProject.objects.get(slug="cern")
    return {
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
            engagement_types=[lectures],
        ),
        "chen": make_member(country="DE", primary_subfield=subfield("3.2"), sdgs=[health]),
        "dora": make_member(country="AT", status=Member.Status.REJECTED),
        "emil": make_member(country="US", status=Member.Status.UNCONFIRMED),
    }


def test_the_summary_answers_status_and_country_filters_only():
    assert summary_answers(MemberFilters())
    assert summary_answers(MemberFilters(statuses=(), country="DE"))
    assert not summary_answers(MemberFilters(sector="academia"))
    assert not summary_answers(MemberFilters(text="physics"))
    assert not summary_answers(MemberFilters(engagement_type_id=1))
    assert not summary_answers(MemberFilters(freshness="stale"))


@postgres_only
def test_the_summary_is_exact_after_creation_and_relation_changes(network, subfield):
    assert_exact()
    amina, bilal = network["amina"], network["bilal"]
    research = EngagementType.objects.get(slug="joint-research")
    bilal.engagement_types.add(research)
    amina.engagement_types.remove(research)
    assert_exact()
    amina.sdgs.clear()
    bilal.international_projects.set(InternationalProject.objects.all()[:3])
    assert_exact()
    member_update(member=bilal, data={"keywords": "machine learning, robotics"})
    assert_exact()


@postgres_only
def test_the_summary_follows_status_country_and_field_changes(network, subfield, staff):
    reviewer = staff("superuser")
    member_verify(member=network["amina"], by=reviewer)
    member_reject(member=network["chen"], by=reviewer, reason="Not a diaspora member")
    assert_exact()
    member_update(
        member=network["bilal"],
        data={"country": "FR", "primary_subfield": subfield("6.2"), "gender": "male"},
    )
    assert_exact()
    # A bulk UPDATE, as the admin's actions and the retention jobs write.
    Member.objects.filter(country="GB").update(status=Member.Status.WITHDRAWN, country="NL")
    Member.objects.filter(pk=network["emil"].pk).update(created_at=NOW)
    assert_exact()


@postgres_only
def test_the_summary_forgets_deleted_members(network):
    network["amina"].delete()
    assert_exact()
    Member.objects.filter(country__in=["DE", "AT"]).delete()
    assert_exact()
    Member.objects.all().delete()
    assert summary() == {}


@postgres_only
def test_relation_rows_deleted_after_their_member_are_not_subtracted_twice(network):
    # Deferred foreign keys allow this order inside one transaction.
    amina = network["amina"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_member WHERE id = %s", [amina.pk])
        before = summary()
        cursor.execute("DELETE FROM registry_member_sdgs WHERE member_id = %s", [amina.pk])
        cursor.execute(
            "DELETE FROM registry_member_engagement_types WHERE member_id = %s", [amina.pk]
        )
        cursor.execute(
            "DELETE FROM registry_member_international_projects WHERE member_id = %s", [amina.pk]
        )
        cursor.execute("DELETE FROM registry_member_clusters WHERE member_id = %s", [amina.pk])
        cursor.execute("DELETE FROM registry_member_subfields WHERE member_id = %s", [amina.pk])
    assert summary() == before
    assert_exact()


@postgres_only
def test_the_bulk_seed_keeps_the_summary_exact(db):
    demo_members_seed(count=300, seed=7, batch_size=120, rebuild_indexes_from=200)
    assert Member.objects.count() == 300
    assert_exact()
    demo_members_seed(count=50, seed=8)
    assert_exact()


@pytest.mark.parametrize(
    "filters",
    [
        MemberFilters(),
        MemberFilters(statuses=()),
        MemberFilters(statuses=("rejected",)),
        MemberFilters(country="GB"),
        MemberFilters(country="FR"),
    ],
)
@postgres_only
def test_the_summary_gives_the_figures_counted_on_demand(network, staff, filters):
    analyst = staff("analyst")
    member_verify(member=network["chen"], by=staff("superuser"))
    for now in (NOW, timezone.now()):
        on_demand = counts_on_demand(user=analyst, filters=filters, now=now)
        assert counts_from_summary(user=analyst, filters=filters, now=now) == on_demand
        assert counts_from_members(user=analyst, filters=filters, now=now) == on_demand


@postgres_only
def test_a_missions_counts_come_from_the_summary(network, staff):
    mission = factories.make_mission(countries=("DE", "AT"))
    berlin = staff("analyst", username="berlin", mission=mission)
    filters = MemberFilters()
    with CaptureQueriesContext(connection) as queries:
        counts = dashboard_counts(user=berlin, filters=filters, now=NOW)
    assert counts == counts_on_demand(user=berlin, filters=filters, now=NOW)
    assert counts.by_country == {"DE": 1}
    assert counts.by_status == {"submitted": 1, "rejected": 1}
    counted = [q["sql"] for q in queries.captured_queries if "registry_dashboardcount" in q["sql"]]
    assert len(counted) == 1
    assert "registry_member" not in counted[0]
    # A Mission that covers nobody counts nobody, from the summary too.
    empty = staff(
        "analyst", username="nowhere", mission=factories.make_mission(name="Nowhere", countries=())
    )
    assert counts_from_summary(user=empty, filters=filters, now=NOW).total == 0


@postgres_only
def test_both_paths_run_one_query(network, staff):
    analyst = staff("analyst")
    # The permission and scope caches, read once per request.
    analyst.has_perm("registry.view_member")
    staff_scope(analyst)
    with CaptureQueriesContext(connection) as summed:
        from_summary = counts_from_summary(user=analyst, filters=MemberFilters(), now=NOW)
    with CaptureQueriesContext(connection) as counted:
        from_members = counts_from_members(user=analyst, filters=MemberFilters(), now=NOW)
    assert len(summed) == len(counted) == 1
    assert from_summary == from_members
    assert "registry_dashboardcount" not in counted[0]["sql"]


@portable_only
def test_other_databases_keep_no_summary_and_count_on_demand(network, staff):
    assert not DashboardCount.objects.exists()
    counts = dashboard_counts(user=staff("analyst"), filters=MemberFilters(), now=NOW)
    assert counts.total == 3


@postgres_only
def test_truncating_a_table_empties_its_part_of_the_summary(network):
    with connection.cursor() as cursor:
        # The fixture's deferred foreign key checks would forbid TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE registry_member_sdgs")
        assert_exact()
        cursor.execute("TRUNCATE registry_member CASCADE")
    assert summary() == {}
