"""Exact counts up to settings.SEARCH_EXACT_COUNT_LIMIT, estimates marked "about" beyond it."""

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.db import POSTGRES, backend_name
from registry.models import Member
from registry.search.estimates import Estimate
from registry.search.filters import MemberFilters, members_filtered
from registry.search.grouping import members_page, staff_search_results
from registry.selectors.freshness import Freshness
from tests.factories import (
    ANALYST_PERMS,
    VIEWER_PERMS,
    make_mission,
    parse_csv,
    postgres_only,
    staff_user,
)
from tests.search.test_grouping import analyse_members

SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")
CODES = ["1.1", "1.2", "1.3", "2.1", "3.2", "6.1"]
# Every member (none is stale), through a filter that the dashboard's summary
# does not hold: the matches are counted, up to the limit, then sampled. On
# PostgreSQL the summary counts a search by status and country exactly
# whatever its size (tests/search/test_summary.py).
COUNTED = MemberFilters(freshness=Freshness.FRESH)


@pytest.fixture
def viewer(db):
    return staff_user(perms=VIEWER_PERMS, username="viewer")


def spread(make_member, subfield, count: int, **fields) -> None:
    for n in range(count):
        make_member(
            full_name=f"Member {n:03}", primary_subfield=subfield(CODES[n % len(CODES)]), **fields
        )


def counts(results) -> dict[str, int]:
    return {s.code: s.count for g in results.fields for s in g.subfields}


def test_counts_up_to_the_limit_are_exact_and_not_marked(viewer, make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 12
    spread(make_member, subfield, 12)
    results = staff_search_results(user=viewer, filters=MemberFilters())
    assert not results.approximate
    assert results.total == 12
    assert counts(results) == dict.fromkeys(CODES, 2)
    assert not any(s.approximate for g in results.fields for s in g.subfields)


def test_counts_beyond_the_limit_are_marked_as_estimates(viewer, make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 11
    settings.SEARCH_SAMPLE_ROWS = 1
    spread(make_member, subfield, 12)
    analyse_members_if_postgres()
    results = staff_search_results(user=viewer, filters=COUNTED)
    assert results.approximate and results.exact_limit == 11
    assert all(g.approximate and all(s.approximate for s in g.subfields) for g in results.fields)
    # An estimate never falls below the matches already counted on the way.
    assert results.total >= 12


def test_the_whole_table_sampled_gives_exact_counts(viewer, make_member, subfield, settings):
    # A registry smaller than the sample is read whole: nothing to estimate
    # (the portable backend always counts every match but still marks them).
    settings.SEARCH_EXACT_COUNT_LIMIT = 5
    settings.SEARCH_SAMPLE_ROWS = 10**6
    spread(make_member, subfield, 12)
    analyse_members_if_postgres()
    results = staff_search_results(user=viewer, filters=MemberFilters())
    assert counts(results) == dict.fromkeys(CODES, 2) and results.total == 12


@pytest.mark.parametrize("limit", [3, 1000])
def test_queries_per_page_do_not_grow_with_the_matches(
    viewer, make_member, subfield, settings, limit
):
    settings.SEARCH_EXACT_COUNT_LIMIT = limit
    settings.SEARCH_SAMPLE_ROWS = 1
    spread(make_member, subfield, 8)
    analyse_members_if_postgres()
    staff_search_results(user=viewer, filters=COUNTED)  # the scope, read once
    with CaptureQueriesContext(connection) as few:
        first = staff_search_results(user=viewer, filters=COUNTED)
    spread(make_member, subfield, 40)
    analyse_members_if_postgres()
    with CaptureQueriesContext(connection) as many:
        second = staff_search_results(user=viewer, filters=COUNTED)
    assert first.approximate == second.approximate == (limit == 3)
    assert len(few) == len(many)


def test_estimates_count_only_the_members_of_the_missions_scope(make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 3
    spread(make_member, subfield, 6, country="DE")
    spread(make_member, subfield, 20, country="FR")
    analyst = staff_user(perms=VIEWER_PERMS, username="berlin", mission=make_mission())
    results = staff_search_results(user=analyst, filters=MemberFilters())
    shown = [m for g in results.fields for s in g.subfields for m in s.members]
    assert shown and {m.country for m in shown} == {"DE"}
    # Read whole (PostgreSQL: the test table is smaller than the sample) or
    # counted whole (portable): the scope's six members, never France's.
    assert results.total == 6


def test_the_page_says_about_before_every_estimate(client, make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 30
    settings.SEARCH_SAMPLE_ROWS = 1
    spread(make_member, subfield, 31)
    analyse_members_if_postgres()
    analyst = staff_user(perms=ANALYST_PERMS, username="analyst")
    client.force_login(analyst)
    response = client.get(SEARCH, {"freshness": COUNTED.freshness})
    results = response.context["results"]
    page = response.content.decode()
    assert results.approximate
    total = floatformat(results.total, "g")
    assert f"About <strong>{total}</strong> members match" in page
    assert "More than 30 members match" in page
    subfield_shown = results.fields[0].subfields[0]
    assert f"about {floatformat(subfield_shown.count, 'g')}" in page
    assert f"(about {total} members)" in page  # the export button
    # The export never estimates: every match, one row each.
    export = client.get(EXPORT, {"include_no_contact": "1", "freshness": COUNTED.freshness})
    rows = parse_csv(b"".join(export.streaming_content))
    assert len(rows) == 1 + 31


def test_the_page_shows_exact_counts_without_about(client, make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 31
    spread(make_member, subfield, 31)
    client.force_login(staff_user(perms=ANALYST_PERMS, username="analyst"))
    page = client.get(SEARCH).content.decode()
    assert "<strong>31</strong> members match" in page
    assert "About <strong>" not in page and "approximate-note" not in page
    assert "about 31" not in page and "about 5" not in page


def test_show_all_of_a_subfield_with_an_estimate_says_about(
    client, make_member, subfield, settings
):
    settings.SEARCH_EXACT_COUNT_LIMIT = 3
    settings.SEARCH_SAMPLE_ROWS = 1
    for n in range(7):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    analyse_members_if_postgres()
    client.force_login(staff_user(perms=VIEWER_PERMS, username="viewer"))
    response = client.get(SEARCH, {"subfield": "1.3", "freshness": COUNTED.freshness})
    results = response.context["results"]
    assert results.approximate and results.page is not None
    assert [m.full_name for m in results.page.object_list] == [f"Physicist {n}" for n in range(7)]
    assert " of about " in response.content.decode()


@pytest.mark.parametrize("estimate", [3, 7, 30])
def test_a_page_of_an_estimated_count_reaches_every_match_and_no_further(
    make_member, subfield, estimate
):
    for n in range(7):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    names = []
    number = 1
    while True:
        page = members_page(queryset, count=estimate, number=number, per_page=2, approximate=True)
        names += [m.full_name for m in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert names == [f"Physicist {n}" for n in range(7)]
    # The last page knows the matches end there.
    assert page.paginator.count == 7 and page.number == 4


@pytest.mark.parametrize(
    ("value", "hits", "shown"),
    [
        (146_307, 2_900, 146_000),  # error about 2,700: thousands kept
        (8_123, 160, 8_100),  # error about 640: hundreds kept
        (5_123, 12, 5_000),  # error about 1,500: thousands kept
    ],
)
def test_estimates_keep_the_digits_the_sample_vouches_for(value, hits, shown):
    assert Estimate(value, hits, share=0.02).shown == shown
    assert not Estimate(value, max(hits, 10), share=0.02).is_bound


@pytest.mark.parametrize(("value", "hits"), [(50, 1), (0, 0), (450, 9)])
def test_an_estimate_from_a_few_sampled_matches_is_shown_as_a_bound(value, hits):
    # (10 + 2 * sqrt(10)) / 2% is about 816: "fewer than about 900".
    estimate = Estimate(value, hits, share=0.02)
    assert estimate.is_bound and estimate.shown == 900
    # Read whole, a count is never a bound.
    assert not Estimate(value, hits, share=1.0).is_bound


def analyse_members_if_postgres() -> None:
    if backend_name() == POSTGRES:
        analyse_members()


@postgres_only
def test_postgres_counts_at_most_the_limit_before_deciding(viewer, make_member, subfield, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT = 10000
    spread(make_member, subfield, 12)
    with CaptureQueriesContext(connection) as queries:
        staff_search_results(user=viewer, filters=MemberFilters(text="member"))
    capped = next(q["sql"] for q in queries if "GROUP BY primary_subfield_id" in q["sql"])
    assert "LIMIT 10001" in capped
    assert not any("TABLESAMPLE" in q["sql"] for q in queries)


def sample_count_statements(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "(SELECT COUNT(*) FROM" in q["sql"] and "TABLESAMPLE" in q["sql"]
    ]


@postgres_only
def test_postgres_counts_the_rows_of_the_sample_once(viewer, make_member, subfield, settings):
    # Nearly every page sampled (the sample reads whole pages, and a sample
    # without a match tells no row count to keep).
    settings.SEARCH_SAMPLE_ROWS = 39
    spread(make_member, subfield, 40)
    analyse_members()
    staff_search_results(user=viewer, filters=COUNTED)  # the scope, read once; exact
    settings.SEARCH_EXACT_COUNT_LIMIT = 5
    with CaptureQueriesContext(connection) as first:
        counted = staff_search_results(user=viewer, filters=COUNTED)
    with CaptureQueriesContext(connection) as second:
        kept = staff_search_results(user=viewer, filters=COUNTED)
    assert counted.approximate and len(sample_count_statements(first)) == 1
    # The second page reads the sample's row count from the cache: the same
    # estimates, in the same number of statements.
    assert sample_count_statements(second) == [] and len(second) == len(first)
    assert counts(kept) == counts(counted) and kept.total == counted.total


@postgres_only
def test_postgres_estimates_without_the_cache(viewer, make_member, subfield, settings, monkeypatch):
    settings.SEARCH_EXACT_COUNT_LIMIT = 5
    settings.SEARCH_SAMPLE_ROWS = 39
    spread(make_member, subfield, 40)
    analyse_members()
    expected = staff_search_results(user=viewer, filters=COUNTED)

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr("django.core.cache.cache.get", down)
    monkeypatch.setattr("django.core.cache.cache.set", down)
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=viewer, filters=COUNTED)
    assert len(sample_count_statements(queries)) == 1
    assert results.approximate and counts(results) == counts(expected)
