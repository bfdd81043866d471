"""The dashboard's figures against a plain count in Python, on a generated network.

Both databases: on PostgreSQL the page is one statement over the summary or
over the members and their relation masks (migration 0016), elsewhere a
query per kind of figure; either way every figure must be what counting
the members and their relation rows one by one gives.
"""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.db import POSTGRES, backend_name
from registry.demo.seed import demo_members_seed
from registry.models import (
    CONFIRMED_STATUSES,
    EngagementType,
    ExpertiseCluster,
    InternationalProject,
    Member,
    Sdg,
)
from registry.search.filters import MemberFilters, members_search
from registry.selectors.dashboard import (
    CHOICES,
    RELATED,
    DashboardCounts,
    dashboard_counts,
    month_starts,
)
from registry.selectors.members import members_visible_to
from registry.selectors.missions import staff_scope
from registry.services.clusters import cluster_recompute
from registry.services.members import member_update
from tests import factories

NOW = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("UTC"))
# Targets whose ids are beyond the bits of the masks (0 to 62).
BEYOND = 90
# The filters of _filters(), by name.
CASES = [
    "none",
    "every status",
    "others in a country",
    "field and country",
    "sector and stage",
    "cluster and qualification",
    "sdg and engagement",
    "subfield of every status",
    "engagement beyond the masks",
    "cluster beyond the masks",
    "free text",
    "stale",
]


@pytest.fixture
def network(db, subfield):
    """Generated members, some changed by the services, and targets beyond the masks."""
    demo_members_seed(count=240, seed=5, until=NOW)
    members = list(Member.objects.order_by("id"))
    lectures = EngagementType.objects.get(slug="lectures")
    health = Sdg.objects.get(number=3)
    member_update(member=members[0], data={"engagement_types": [lectures], "sdgs": [health]})
    member_update(member=members[1], data={"keywords": "machine learning, remote sensing"})
    members[2].sdgs.clear()
    members[3].international_projects.set(InternationalProject.objects.all()[:3])
    rare = EngagementType.objects.create(pk=BEYOND, slug="rare", name="Rare", position=99)
    far = InternationalProject.objects.create(pk=BEYOND, slug="far", name="Far", position=99)
    cluster = ExpertiseCluster.objects.create(
        pk=BEYOND, name="Far cluster", slug="far-cluster", keywords="physics"
    )
    cluster.subfields.set([subfield("1.3")])
    cluster_recompute(cluster=cluster)
    for member in members[::7]:
        member.engagement_types.add(rare)
        member.international_projects.add(far)
    return members


def _common(values) -> object:
    return Counter(values).most_common(1)[0][0]


def plain_counts(user, filters: MemberFilters) -> DashboardCounts:
    """The dashboard's counts, member by member in Python."""
    visible = members_visible_to(user)
    related = {name: defaultdict(set) for name in RELATED}
    for name, (relation, column) in RELATED.items():
        through = Member._meta.get_field(relation).remote_field.through
        for member_id, target in through.objects.values_list("member_id", column):
            related[name][member_id].add(target)
    texts = None
    if filters.text or filters.freshness:
        plain = MemberFilters(text=filters.text, freshness=filters.freshness, statuses=())
        texts = set(members_search(user=user, filters=plain).values_list("id", flat=True))
    wanted = {
        "primary_subfield__field_id": filters.field_id,
        "primary_subfield_id": filters.subfield_id,
        "country": filters.country,
        "sector": filters.sector,
        "highest_qualification": filters.qualification,
        "career_stage": filters.career_stage,
    }
    needs = {"cluster": filters.cluster_id, "engagement": filters.engagement_type_id}
    needs["sdg"] = filters.sdg_id
    months = month_starts(timezone.localdate(NOW))
    counts = DashboardCounts(
        by_choice={name: {} for name in CHOICES},
        by_related={name: {} for name in RELATED},
        by_month=dict.fromkeys(months, 0),
    )
    cells: Counter = Counter()
    columns = ["id", "status", "created_at", *CHOICES.values(), *wanted]
    for row in visible.values(*columns):
        if any(value and row[column] != value for column, value in wanted.items()):
            continue
        if any(t and t not in related[name][row["id"]] for name, t in needs.items()):
            continue
        if texts is not None and row["id"] not in texts:
            continue
        counts.by_status[row["status"]] = counts.by_status.get(row["status"], 0) + 1
        if filters.statuses and row["status"] not in filters.statuses:
            continue
        cells[row["primary_subfield_id"], row["country"]] += 1
        for name, column in CHOICES.items():
            value = row[column]
            counts.by_choice[name][value] = counts.by_choice[name].get(value, 0) + 1
        for name in RELATED:
            for target in related[name][row["id"]]:
                counts.by_related[name][target] = counts.by_related[name].get(target, 0) + 1
        month = timezone.localdate(row["created_at"]).replace(day=1)
        if month in counts.by_month:
            counts.by_month[month] += 1
    counts.add_subfield_country((*key, n) for key, n in cells.items())
    return counts


def _filters(network) -> dict[str, MemberFilters]:
    members = Member.objects.filter(status__in=CONFIRMED_STATUSES)
    country = _common(members.values_list("country", flat=True))
    field_id = _common(members.values_list("primary_subfield__field_id", flat=True))
    subfield_id = _common(members.values_list("primary_subfield_id", flat=True))
    cluster_id = _common(
        Member.clusters.through.objects.values_list("expertisecluster_id", flat=True)
    )
    others = ("rejected", "duplicate", "withdrawn")
    other_country = _common(
        Member.objects.filter(status__in=others).values_list("country", flat=True)
    )
    return {
        "none": MemberFilters(),
        "every status": MemberFilters(statuses=()),
        "others in a country": MemberFilters(statuses=others, country=other_country),
        "field and country": MemberFilters(field_id=field_id, country=country),
        "sector and stage": MemberFilters(sector="academia", career_stage="r4"),
        "cluster and qualification": MemberFilters(cluster_id=cluster_id, qualification="phd"),
        "sdg and engagement": MemberFilters(
            sdg_id=Sdg.objects.get(number=3).pk,
            engagement_type_id=EngagementType.objects.get(slug="lectures").pk,
        ),
        "subfield of every status": MemberFilters(subfield_id=subfield_id, statuses=()),
        "engagement beyond the masks": MemberFilters(engagement_type_id=BEYOND, sector="academia"),
        "cluster beyond the masks": MemberFilters(cluster_id=BEYOND, statuses=()),
        "free text": MemberFilters(text="data", qualification="phd"),
        "stale": MemberFilters(freshness="stale", sector="academia"),
    }


@pytest.mark.parametrize("case", CASES)
def test_every_figure_equals_a_plain_count(network, staff, case):
    filters = _filters(network)[case]
    analyst = staff("analyst")
    counts = dashboard_counts(user=analyst, filters=filters, now=NOW)
    assert counts == plain_counts(analyst, filters)
    assert counts.total or case in ("free text", "stale")


def test_the_network_has_targets_beyond_the_masks(network):
    counts = dashboard_counts(
        user=factories.staff_user("analyst"), filters=MemberFilters(), now=NOW
    )
    assert counts.by_related["engagement"][BEYOND] > 0
    assert counts.by_related["project"][BEYOND] > 0
    assert counts.by_related["cluster"][BEYOND] > 0


@pytest.mark.parametrize("case", ["none", "field and country", "sdg and engagement"])
def test_a_missions_figures_equal_a_plain_count(network, staff, case):
    countries = Member.objects.values_list("country", flat=True)
    mission = factories.make_mission(countries=[c for c, _n in Counter(countries).most_common(2)])
    berlin = staff("analyst", username="berlin", mission=mission)
    filters = _filters(network)[case]
    if filters.country:
        filters = replace(filters, country=mission.countries[0])
    counts = dashboard_counts(user=berlin, filters=filters, now=NOW)
    assert counts == plain_counts(berlin, filters)
    assert counts.total


def test_a_user_without_the_permission_counts_nobody(network, staff):
    nobody = staff(perms=())
    for filters in _filters(network).values():
        counts = dashboard_counts(user=nobody, filters=filters, now=NOW)
        assert counts.total == 0
        assert counts.by_status == {}


def _queries(user, filters: MemberFilters) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard_counts(user=user, filters=filters, now=NOW)
    return len(queries)


def test_the_number_of_queries_does_not_depend_on_the_data_or_the_filters(db, staff):
    analyst = staff("analyst")
    # The permission and scope caches, read once per request.
    analyst.has_perm("registry.view_member")
    staff_scope(analyst)
    cases = [
        MemberFilters(),
        MemberFilters(country="GB"),
        MemberFilters(sector="academia", career_stage="r4"),
        MemberFilters(cluster_id=1, qualification="phd", text="data"),
        MemberFilters(engagement_type_id=BEYOND, statuses=()),
    ]
    empty = {_queries(analyst, filters) for filters in cases}
    demo_members_seed(count=120, seed=3, until=NOW)
    seeded = {_queries(analyst, filters) for filters in cases}
    expected = 1 if backend_name() == POSTGRES else 8
    assert empty == seeded == {expected}
