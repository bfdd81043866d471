"""Hypothesis-generated filters never take Mission staff outside their countries.

Whatever combination of search filters an analyst of the Berlin Mission (DE,
AT, CH) sends to the staff search and its CSV export, every row shown or
exported resides in a covered country, and every count equals the count of
the same filters over the covered countries alone, computed here without the
gate. CI runs a modest number of examples; DORIN_FUZZ_EXAMPLES=10000 makes a
long run.
"""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.models import ExpertiseCluster, Member
from registry.search.filters import members_filtered
from registry.search.grouping import subfield_counts
from registry.selectors.missions import HEADQUARTERS, staff_scope
from registry.staff.forms import STATUS_CHOICES, StaffSearchForm, search_form_data
from tests.factories import ODD_QUERIES, make_mission, parse_csv, staff_user

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("DORIN_FUZZ_EXAMPLES", "0") or 0)
COVERED = ("AT", "CH", "DE")
SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")
ISO_COLUMN = "Country of residence (ISO code)"

# Members in and out of scope, with overlapping names, words and fields.
PEOPLE = [
    ("Anna Weber", "DE", "1.2", "machine learning", Member.Status.VERIFIED),
    ("Jonas Weber", "GB", "1.2", "machine learning", Member.Status.VERIFIED),
    ("Lukas Gruber", "AT", "3.2", "oncology", Member.Status.SUBMITTED),
    ("Lea Gruber", "FR", "3.2", "oncology", Member.Status.SUBMITTED),
    ("Noah Meier", "CH", "6.2", "linguistics", Member.Status.REJECTED),
    ("Nora Meier", "US", "6.2", "linguistics", Member.Status.VERIFIED),
    ("Sara Khan", "DE", "1.3", "solar energy", Member.Status.SUBMITTED),
    ("Samir Khan", "US", "1.3", "solar energy", Member.Status.SUBMITTED),
    ("Olwen Outofscope", "GB", "1.3", "particle physics", Member.Status.VERIFIED),
]
WORDS = ["Weber", "Gruber", "Meier", "Khan", "Outofscope", "machine", "oncology", "solar"]


def fuzz_settings(ci_examples: int):
    return settings(
        max_examples=EXAMPLES or ci_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
    )


@pytest.fixture
def berlin_analyst(make_member, subfield):
    for n, (name, country, code, keywords, status) in enumerate(PEOPLE):
        make_member(
            full_name=name,
            email=f"person{n}@example.org",
            country=country,
            primary_subfield=subfield(code),
            keywords=keywords,
            status=status,
            sector=[Member.Sector.ACADEMIA, Member.Sector.INDUSTRY][n % 2],
        )
    berlin = make_mission(countries=COVERED)
    return staff_user("analyst", username="berlin_analyst", mission=berlin)


def search_params():
    text = st.one_of(
        st.just(""),
        st.sampled_from(WORDS),
        st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(" OR ".join),
        st.sampled_from([f"person{n}@example.org" for n in range(len(PEOPLE))]),
        st.sampled_from(ODD_QUERIES),
        st.text(max_size=12),
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "q": text,
            "field": st.sampled_from(["", "1", "3", "6", "9", "x"]),
            "subfield": st.sampled_from(["", "1.2", "1.3", "3.2", "6.2", "9.9"]),
            "country": st.sampled_from(["", *COVERED, "GB", "FR", "US", "ZZ", "de"]),
            "sector": st.sampled_from(["", "academia", "industry", "nope"]),
            "cluster": st.sampled_from(["", "ai-data-science", "energy", "missing"]),
            "status": st.sampled_from(["", "all", "bogus", *(c for c, _l in STATUS_CHOICES)]),
            "qualification": st.sampled_from(["", "phd", "md"]),
            "stage": st.sampled_from(["", "r2", "r4"]),
            "page": st.sampled_from(["1", "2", "-1", "x"]),
        },
    )


def counts_over_covered_countries(
    params, *, fuzzy_names=None, scope=HEADQUARTERS
) -> dict[int, int] | None:
    """The counts of the same filters over the covered countries, without the gate.

    None when the filters are not valid, for the form read with `scope`.
    """
    form = StaffSearchForm(search_form_data(params), scope=scope)
    if not form.is_valid():
        return None
    covered = Member.objects.filter(country__in=COVERED)
    return subfield_counts(members_filtered(covered, form.filters(), fuzzy_names=fuzzy_names))


@fuzz_settings(ci_examples=40)
@given(params=search_params())
def test_every_search_row_and_count_is_within_the_mission(client, berlin_analyst, params):
    client.force_login(berlin_analyst)

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    results = response.context["results"]
    if results is None:
        return
    rows = [row for group in results.fields for s in group.subfields for row in s.members]
    if results.page is not None:
        rows += list(results.page.object_list)
    assert {row.country for row in rows} <= set(COVERED)
    counts = {s.id: s.count for group in results.fields for s in group.subfields}
    # PostgreSQL may add members with similar names to a name search that
    # finds few; either way only within the scope.
    expected = [counts_over_covered_countries(params, fuzzy_names=f) for f in (False, True)]
    if results.page is None:
        assert counts in expected
    else:
        assert results.total in [sum(e.values()) for e in expected if e is not None]


@fuzz_settings(ci_examples=25)
@given(params=search_params())
def test_every_exported_row_is_within_the_mission(client, berlin_analyst, params):
    client.force_login(berlin_analyst)

    response = client.get(EXPORT, params)

    expected = counts_over_covered_countries(params, scope=staff_scope(berlin_analyst))
    if expected is None:
        assert response.status_code == 400
        return
    rows = parse_csv(b"".join(response.streaming_content))
    iso = rows[0].index(ISO_COLUMN)
    assert {row[iso] for row in rows[1:]} <= set(COVERED)
    assert len(rows) - 1 == sum(expected.values())


def test_clusters_named_in_the_filters_exist():
    # The generated cluster slugs must include real ones, or the filter is never tried.
    assert ExpertiseCluster.objects.filter(slug__in=["ai-data-science", "energy"]).count() == 2
