"""Counts from the dashboard's summary for searches by status, country, field and subfield.

On PostgreSQL the summary (registry.models.DashboardCount, kept by triggers)
counts such a search exactly whatever its size (registry.search.summary);
every other search, and every search on other databases, counts the members.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Member, Subfield
from registry.search import postgres
from registry.search.filters import MemberFilters, members_search
from registry.search.grouping import staff_search_results, subfield_counts
from registry.search.summary import summary_answers
from registry.selectors.freshness import Freshness
from tests.factories import VIEWER_PERMS, make_mission, postgres_only, staff_user
from tests.search.test_grouping import analyse_members

CODES = ["1.1", "1.2", "1.3", "2.1", "3.2", "6.1"]
STATUSES = [Member.Status.SUBMITTED, Member.Status.VERIFIED, Member.Status.REJECTED]
COUNTRIES = ["DE", "AT", "FR", "GB"]


def field_id(code: str) -> int:
    return Subfield.objects.get(code=f"{code}.1").field_id


@pytest.mark.parametrize(
    ("filters", "answers"),
    [
        (MemberFilters(), True),
        (MemberFilters(statuses=()), True),
        (MemberFilters(statuses=("verified",), country="DE"), True),
        (MemberFilters(field_id=1, subfield_id=2, country="GB"), True),
        (MemberFilters(text="physics"), False),
        (MemberFilters(cluster_id=1), False),
        (MemberFilters(sector="academia"), False),
        (MemberFilters(sdg_id=4, country="DE"), False),
        (MemberFilters(engagement_type_id=1), False),
        (MemberFilters(qualification="phd"), False),
        (MemberFilters(career_stage="r2"), False),
        (MemberFilters(freshness=Freshness.FRESH), False),
    ],
)
def test_the_summary_answers_status_country_field_and_subfield_only(filters, answers):
    assert summary_answers(filters) == answers


@pytest.fixture
def registry_spread(make_member, subfield):
    """36 members over six subfields, three statuses and four countries."""
    for n in range(36):
        make_member(
            full_name=f"Member {n:02}",
            primary_subfield=subfield(CODES[n % len(CODES)]),
            country=COUNTRIES[n % len(COUNTRIES)],
            status=STATUSES[n % len(STATUSES)],
        )


def filter_cases() -> list[MemberFilters]:
    return [
        MemberFilters(),
        MemberFilters(statuses=()),
        MemberFilters(statuses=(Member.Status.VERIFIED,)),
        MemberFilters(country="DE"),
        MemberFilters(country="FR", statuses=()),
        MemberFilters(field_id=field_id("1")),
        MemberFilters(subfield_id=Subfield.objects.get(code="1.3").id, statuses=()),
        MemberFilters(field_id=field_id("1"), country="AT"),
        MemberFilters(country="IT"),
    ]


@postgres_only
def test_postgres_summary_counts_equal_the_members_counted(registry_spread):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    berlin = staff_user(perms=VIEWER_PERMS, username="berlin", mission=make_mission())
    nowhere = staff_user(
        perms=VIEWER_PERMS, username="nowhere", mission=make_mission("Empty", countries=())
    )
    # A member who moves and changes status is counted where they are now.
    moved = Member.objects.get(full_name="Member 00")
    moved.country, moved.status = "AT", Member.Status.VERIFIED
    moved.save()
    checked = 0
    for user in (viewer, berlin, nowhere):
        for filters in filter_cases():
            heads = postgres.summary_heads(user=user, filters=filters, per_subfield=5)
            assert heads is not None and not heads.approximate
            counted = subfield_counts(members_search(user=user, filters=filters))
            assert heads.counts == counted, (user.username, filters)
            checked += sum(counted.values())
    # The cases are not all empty: the Berlin Mission sees DE and AT only.
    assert checked > 36
    berlin_all = postgres.summary_heads(
        user=berlin, filters=MemberFilters(statuses=()), per_subfield=5
    )
    assert berlin_all.total == Member.objects.filter(country__in=["DE", "AT", "CH"]).count() == 18


@postgres_only
def test_postgres_summary_does_not_answer_other_filters(registry_spread):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    for filters in (MemberFilters(text="member"), MemberFilters(sector="research")):
        assert postgres.summary_heads(user=viewer, filters=filters, per_subfield=5) is None


@postgres_only
def test_postgres_search_by_status_and_country_is_exact_beyond_the_limit(registry_spread, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 3
    settings.SEARCH_SAMPLE_ROWS = 1
    analyse_members()
    berlin = staff_user(perms=VIEWER_PERMS, username="berlin", mission=make_mission())
    filters = MemberFilters(statuses=())
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=berlin, filters=filters, per_subfield=2)
    assert not results.approximate and results.total == 18
    assert not any("TABLESAMPLE" in q["sql"] for q in queries)
    assert not any("COUNT(" in q["sql"] for q in queries)
    # The first members by name, the Mission's countries only.
    scoped = Member.objects.filter(country__in=["DE", "AT", "CH"])
    for group in results.fields:
        for shown in group.subfields:
            expected = scoped.filter(primary_subfield_id=shown.id).order_by("name_key", "id")
            assert [m.id for m in shown.members] == list(expected.values_list("id", flat=True)[:2])
            assert shown.count == expected.count()


@postgres_only
def test_postgres_summary_page_runs_the_same_queries_whatever_the_matches(
    make_member, subfield, settings
):
    settings.SEARCH_EXACT_COUNT_LIMIT = 3
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    make_member(full_name="First", primary_subfield=subfield("1.3"), country="DE")
    staff_search_results(user=viewer, filters=MemberFilters(country="DE"))  # the scope, read once
    with CaptureQueriesContext(connection) as few:
        one = staff_search_results(user=viewer, filters=MemberFilters(country="DE"))
    for n in range(20):
        make_member(full_name=f"Next {n}", primary_subfield=subfield(CODES[n % 6]), country="DE")
    with CaptureQueriesContext(connection) as many:
        more = staff_search_results(user=viewer, filters=MemberFilters(country="DE"))
    assert (one.total, more.total) == (1, 21) and not more.approximate
    assert len(few) == len(many)
