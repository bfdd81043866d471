"""The member list's count (exact or the planner's estimate) and its query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.admin import pagination
from tests.admin.pages import CHANGELIST, member_admin


def test_exact_count_without_estimate_on_sqlite_or_when_filtered(role_client, make_member):
    for _ in range(3):
        make_member()
    client = role_client("viewer")
    filtered = client.get(CHANGELIST, {"status": "submitted"})
    assert "3 members" in filtered.text
    assert "about" not in filtered.text.lower().split("paginator")[-1][:200]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates exist on PostgreSQL")
def test_unfiltered_list_uses_the_planner_estimate_on_postgresql(
    role_client, make_member, monkeypatch
):
    for _ in range(3):
        make_member()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_member")
    monkeypatch.setattr(pagination, "ESTIMATE_FROM_ROWS", 1)
    client = role_client("viewer")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(CHANGELIST)
    assert "about 3 members" in page.text
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    filtered = client.get(CHANGELIST, {"status": "submitted"})
    assert "about" not in filtered.text.split('class="paginator"')[-1][:300]


@pytest.mark.parametrize("role", ["focal_point", "superuser"])
def test_changelist_queries_do_not_grow_with_page_size(
    role_client, many_members, monkeypatch, django_assert_max_num_queries, role
):
    client = role_client(role)
    model_admin = member_admin()
    counts = {}
    for per_page in (10, 100):
        monkeypatch.setattr(model_admin, "list_per_page", per_page)
        with django_assert_max_num_queries(10) as queries:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == per_page
        counts[per_page] = len(queries.captured_queries)
    assert counts[10] == counts[100]


def test_filtered_and_searched_changelist_stays_within_budget(
    role_client, many_members, django_assert_max_num_queries, subfield
):
    client = role_client("focal_point")
    with django_assert_max_num_queries(10):
        response = client.get(
            CHANGELIST, {"q": "oncology", "broad_field": subfield("1.2").field_id, "sdg": 1}
        )
    assert response.context["cl"].result_count > 0
