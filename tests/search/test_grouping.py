"""Grouping the matches by field, with counts and first members (registry.search.grouping)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Member
from registry.search import portable
from registry.search.filters import MemberFilters, members_filtered
from registry.search.grouping import members_grouped_by_field, staff_search_results, subfield_heads
from registry.selectors.freshness import Freshness
from tests.factories import FIXED_GROUPS, VIEWER_PERMS, postgres_only, staff_user


def analyse_members() -> None:
    """Give PostgreSQL's planner a row count of the member table (what the sample is sized by)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_member")


def grouping_shape(groups) -> list:
    return [
        (
            g.code,
            g.count,
            [(s.code, s.count, [m.full_name for m in s.members]) for s in g.subfields],
        )
        for g in groups
    ]


def test_grouping_and_counts_match_the_hand_computed_expectation(members):
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    groups = members_grouped_by_field(queryset)
    assert grouping_shape(groups) == FIXED_GROUPS
    assert [g.name for g in groups] == [
        "Natural sciences",
        "Medical and health sciences",
        "Humanities and the arts",
    ]


def test_grouping_shows_the_first_members_and_knows_there_are_more(members):
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    groups = members_grouped_by_field(queryset, per_subfield=1)
    natural = groups[0]
    assert [(s.code, s.count, len(s.members), s.has_more) for s in natural.subfields] == [
        ("1.2", 2, 1, True),
        ("1.3", 2, 1, True),
    ]
    assert natural.subfields[0].members[0].full_name == "Amina Rahman"


def test_grouping_with_text_counts_only_the_matches(members):
    filters = MemberFilters(text="physics OR oncology")
    groups = members_grouped_by_field(members_filtered(Member.objects.all(), filters))
    assert [(g.code, g.count, [(s.code, s.count) for s in g.subfields]) for g in groups] == [
        ("1", 2, [("1.3", 2)]),
        ("3", 1, [("3.2", 1)]),
    ]


def test_grouping_of_nothing_is_empty(members):
    filters = MemberFilters(text="nonexistentword")
    assert members_grouped_by_field(members_filtered(Member.objects.all(), filters)) == []


def test_grouping_runs_two_queries_whatever_the_matches(make_member, subfield):
    codes = ["1.1", "1.2", "2.1", "3.2", "5.2", "6.1"]
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    for n in range(12):
        make_member(primary_subfield=subfield(codes[n % len(codes)]))
    members_grouped_by_field(queryset)  # the taxonomy, read once per version
    with CaptureQueriesContext(connection) as few:
        members_grouped_by_field(queryset)
    for n in range(60):
        make_member(primary_subfield=subfield(codes[n % len(codes)] if n % 2 else "4.1"))
    with CaptureQueriesContext(connection) as many:
        groups = members_grouped_by_field(queryset)
    # The counts, then the first members.
    assert len(few) == len(many) == 2
    assert sum(g.count for g in groups) == 72


@postgres_only
def test_postgres_one_pass_heads_give_the_same_groups_as_the_portable_window(
    members, make_member, subfield
):
    for n in range(8):
        make_member(
            full_name=f"Extra {n}",
            primary_subfield=subfield("1.3"),
            keywords="physics" + ", physics" * (n % 3),
        )

    members_grouped_by_field(Member.objects.all())  # the taxonomy, read once per version
    for text in ("", "physics", "physics OR oncology"):
        queryset = members_filtered(Member.objects.all(), MemberFilters(text=text))
        with CaptureQueriesContext(connection) as queries:
            one_pass = members_grouped_by_field(queryset, per_subfield=3)
        assert "ARRAY_AGG" in queries[0]["sql"].upper() and len(queries) == 2
        # The portable backend's counts and window function run on PostgreSQL too.
        heads = portable.subfield_heads(queryset, per_subfield=3, limit=1000)
        window: dict[int, list[int]] = {}
        for row in portable.first_members(queryset, heads=heads, per_subfield=3):
            window.setdefault(row.primary_subfield_id, []).append(row.id)
        subfields = [s for g in one_pass for s in g.subfields]
        assert {s.id: s.count for s in subfields} == heads.counts
        assert {s.id: [m.id for m in s.members] for s in subfields} == window
        assert one_pass and all(len(s.members) <= 3 for s in subfields)


@postgres_only
@pytest.mark.parametrize(
    ("filters", "walks"),
    [
        # Fresh: every member, through a filter the dashboard's summary does
        # not hold (with status and country alone it counts exactly).
        (MemberFilters(freshness=Freshness.FRESH), True),
        (MemberFilters(statuses=(), freshness=Freshness.FRESH), True),
        (MemberFilters(country="GB", freshness=Freshness.FRESH), True),
        (MemberFilters(text="physics OR oncology OR Rahman OR Dvořák"), False),
    ],
)
def test_postgres_estimated_search_walks_the_name_index_unless_ranked(
    members, settings, filters, walks
):
    # Beyond the exact-count limit the counts come from a sample, so no pass
    # over every match can sort them: by name, the first members are the
    # first entries of the name index; ranked, the best of the capped pass.
    settings.SEARCH_EXACT_COUNT_LIMIT = 1
    settings.SEARCH_SAMPLE_ROWS = 1
    analyse_members()
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=viewer, filters=filters)
    assert results.approximate and results.total > 0
    assert any("TABLESAMPLE SYSTEM" in q["sql"] for q in queries)
    # Ranked, the rows are read by the ids the capped pass found.
    last = queries[-2]["sql"]  # before COMMIT
    assert ('"registry_member"."id" IN (' not in last) == walks
    assert ("LIMIT 5" in last) == walks


@postgres_only
def test_postgres_name_walk_lists_the_same_first_members(members, make_member, subfield, settings):
    for n in range(6):
        make_member(full_name=f"Walker {n}", primary_subfield=subfield("1.3"))
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    exact = subfield_heads(queryset, per_subfield=2)
    assert not exact.approximate and not exact.by_name_walk
    settings.SEARCH_SAMPLE_ROWS = 1
    analyse_members()
    walked = subfield_heads(queryset, per_subfield=2, limit=3)
    assert walked.approximate and walked.by_name_walk
    with CaptureQueriesContext(connection) as queries:
        by_walk = members_grouped_by_field(queryset, per_subfield=2, heads=walked)
    # One query: a walk per subfield, joined (which subfields the capped pass
    # and the sample met depends on where the rows lie in the table).
    member_queries = [q for q in queries if '"registry_member"' in q["sql"]]
    assert len(member_queries) == 1
    assert ("UNION ALL" in member_queries[0]["sql"]) == (len(walked.counts) > 1)
    by_pass = members_grouped_by_field(queryset, per_subfield=2, heads=exact)

    def first_members(groups):
        return {s.code: [m.id for m in s.members] for g in groups for s in g.subfields}

    # The estimate may leave out a subfield the sample missed; those listed
    # show the same first members as the exact pass.
    walked_first = first_members(by_walk)
    assert walked_first and all(
        ids == first_members(by_pass)[code] for code, ids in walked_first.items()
    )


def test_narrowed_search_pages_through_one_subfield(make_member, subfield, db):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    for n in range(7):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    make_member(full_name="Chemist", primary_subfield=subfield("1.4"))
    filters = MemberFilters(subfield_id=subfield("1.3").id)
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=viewer, filters=filters, page_number=2)
    assert results.total == 7
    assert results.subfield.code == "1.3" and results.subfield.count == 7
    assert results.page.number == 1  # only one page of 50
    assert [m.full_name for m in results.page.object_list] == [f"Physicist {n}" for n in range(7)]
    # The counts are the grouped ones (or the dashboard's summary, on
    # PostgreSQL); the paginator runs no COUNT of its own.
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]]
    assert len(counts) == 1 and "GROUP BY" in counts[0]


def test_narrowed_page_beyond_the_end_shows_the_last_page(make_member, subfield, db):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    for n in range(5):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    results = staff_search_results(
        user=viewer,
        filters=MemberFilters(subfield_id=subfield("1.3").id),
        page_number="99",
        per_page=2,
    )
    assert results.page.number == 3
    assert [m.full_name for m in results.page.object_list] == ["Physicist 4"]
