"""Expertise clusters and the taxonomy in the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import EngagementType, ExpertiseCluster, Field
from registry.services.clusters import clusters_rebuild
from tests.factories import REGISTER_URL


def test_cluster_list_counts_members_in_one_query(role_client, many_members):
    clusters_rebuild()
    client = role_client("focal_point")
    url = reverse("admin:registry_expertisecluster_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    cl = page.context["cl"]
    counted = {c.pk: c.member_count for c in cl.result_list}
    expected = {c.pk: c.members.count() for c in ExpertiseCluster.objects.all()}
    assert counted == expected
    assert any(count > 0 for count in counted.values())
    counting = [
        q["sql"]
        for q in queries.captured_queries
        if "registry_member_clusters" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert len(counting) == 1


def test_editing_a_cluster_recomputes_its_membership(staff, client, make_member, subfield):
    client.force_login(staff("focal_point"))
    historian = make_member(primary_subfield=subfield("6.1"), keywords="")
    cluster = ExpertiseCluster.objects.create(name="History of science", slug="history-science")
    assert not cluster.members.exists()

    response = client.post(
        reverse("admin:registry_expertisecluster_change", args=[cluster.pk]),
        {
            "name": cluster.name,
            "slug": cluster.slug,
            "description": "",
            "subfields": [subfield("6.1").pk],
            "keywords": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(cluster.members.all()) == [historian]


@pytest.mark.parametrize("role", ["viewer", "analyst", "focal_point"])
def test_taxonomy_is_editable_by_the_focal_point_only(role_client, role):
    client = role_client(role)
    engagement = EngagementType.objects.first()
    field = Field.objects.get(code="1")
    may_edit = role == "focal_point"

    client.post(
        reverse("admin:registry_engagementtype_change", args=[engagement.pk]),
        {"name": "Renamed engagement", "slug": engagement.slug, "position": 1},
    )
    client.post(
        reverse("admin:registry_field_change", args=[field.pk]),
        {"code": "1", "name": "Renamed field", "position": field.position},
    )
    engagement.refresh_from_db()
    field.refresh_from_db()
    assert (engagement.name == "Renamed engagement") is may_edit
    assert (field.name == "Renamed field") is may_edit
    # Official lists (FORD, SDGs) are renamed, never added to.
    assert client.get(reverse("admin:registry_field_add")).status_code == 403


def test_the_focal_point_finds_rows_without_an_urdu_name_and_fills_them_in(role_client, urdu):
    client = role_client("focal_point")
    podcasts = EngagementType.objects.create(slug="podcasts", name="Science podcasts", position=99)
    changelist = reverse("admin:registry_engagementtype_changelist")
    missing = client.get(changelist, {"urdu": "missing"})
    assert [row.pk for row in missing.context["cl"].result_list] == [podcasts.pk]
    assert "Science podcasts" in client.get(REGISTER_URL, headers=urdu).content.decode()

    change = reverse("admin:registry_engagementtype_change", args=[podcasts.pk])
    form = client.get(change).content.decode()
    assert 'name="name_ur"' in form and 'dir="rtl"' in form
    response = client.post(
        change,
        {"name": podcasts.name, "name_ur": "سائنسی پوڈکاسٹ", "slug": podcasts.slug, "position": 99},
    )

    assert response.status_code == 302
    podcasts.refresh_from_db()
    assert podcasts.name_ur == "سائنسی پوڈکاسٹ"
    assert not client.get(changelist, {"urdu": "missing"}).context["cl"].result_list
    given = client.get(changelist, {"urdu": "given"})
    assert podcasts in given.context["cl"].result_list
    assert '<span lang="ur" dir="rtl">سائنسی پوڈکاسٹ</span>' in given.content.decode()
    # The survey's shared fields are rendered again with the new name.
    survey = client.get(REGISTER_URL, headers=urdu).content.decode()
    assert "سائنسی پوڈکاسٹ" in survey and "Science podcasts" not in survey


def test_no_seeded_subfield_is_listed_as_missing_its_urdu_name(role_client):
    client = role_client("focal_point")
    changelist = reverse("admin:registry_subfield_changelist")
    assert list(client.get(changelist, {"urdu": "missing"}).context["cl"].result_list) == []
    natural = Field.objects.get(code="1").pk
    given = client.get(changelist, {"urdu": "given", "field__id__exact": natural})
    assert len(given.context["cl"].result_list) == 7
