"""The Missions in the admin: headquarters' focal point manages them; a superuser sets
an account's Mission on its user page."""

import pytest
from django.urls import reverse

from registry.models import Mission, MissionMembership
from registry.selectors.missions import staff_scope
from tests.factories import STAFF_PASSWORD, make_mission, staff_user

pytestmark = pytest.mark.django_db


def test_the_focal_point_adds_and_changes_a_mission_with_history(client, focal_point):
    client.force_login(focal_point)
    add = reverse("admin:registry_mission_add")

    created = client.post(
        add,
        {
            "name": "Embassy in Berlin",
            "city": "Berlin",
            "countries": ["DE", "AT"],
            "is_active": "on",
        },
    )
    mission = Mission.objects.get()
    changed = client.post(
        reverse("admin:registry_mission_change", args=[mission.pk]),
        {"name": "Embassy in Berlin", "city": "Berlin", "countries": ["DE", "AT", "CH"]},
    )

    assert created.status_code == 302 and changed.status_code == 302
    mission.refresh_from_db()
    assert mission.country_codes == ("AT", "CH", "DE") and not mission.is_active
    assert mission.history.count() == 2
    listing = client.get(reverse("admin:registry_mission_changelist")).content.decode()
    assert "AT, CH, DE" in listing


def test_a_mission_cannot_be_deleted(client, focal_point):
    mission = make_mission()
    client.force_login(focal_point)

    response = client.post(
        reverse("admin:registry_mission_delete", args=[mission.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Mission.objects.filter(pk=mission.pk).exists()


def test_a_superuser_sets_an_accounts_mission_on_its_user_page(client):
    admin_user = staff_user("superuser", username="root")
    analyst = staff_user("analyst", username="anna")
    mission = make_mission()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[analyst.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "groups": [g.pk for g in analyst.groups.all()],
            "mission_membership-TOTAL_FORMS": "1",
            "mission_membership-INITIAL_FORMS": "0",
            "mission_membership-0-mission": str(mission.pk),
            "mission_membership-0-user": str(analyst.pk),
        }
    )
    for name in ("password", "user_permissions", "date_joined", "last_login"):
        data.pop(name, None)
    data["date_joined_0"] = analyst.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = analyst.date_joined.strftime("%H:%M:%S")

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    fresh = type(analyst).objects.get(pk=analyst.pk)
    assert staff_scope(fresh).countries == ("AT", "CH", "DE")
    assert MissionMembership.objects.get().history.count() == 1
    assert fresh.check_password(STAFF_PASSWORD)

    # Back to headquarters: the Mission is removed on the same page.
    membership = MissionMembership.objects.get()
    data.update(
        {
            "mission_membership-INITIAL_FORMS": "1",
            "mission_membership-0-id": str(membership.pk),
            "mission_membership-0-DELETE": "on",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302
    assert not MissionMembership.objects.exists()
    assert staff_scope(type(analyst).objects.get(pk=analyst.pk)).is_headquarters
