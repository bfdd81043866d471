"""manage.py mission: create or update a Mission and assign its staff."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry.models import Mission, MissionMembership
from registry.selectors.missions import HEADQUARTERS, StaffScope, staff_scope
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("mission", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_creates_a_mission_with_its_countries_city_and_staff():
    staff_user("analyst", username="anna")

    output = run(
        "Embassy in Berlin", "--countries", "de, AT,ch", "--city", "Berlin", "--staff", "anna"
    )

    mission = Mission.objects.get()
    assert (mission.name, mission.city, mission.country_codes) == (
        "Embassy in Berlin",
        "Berlin",
        ("AT", "CH", "DE"),
    )
    assert mission.is_active
    assert MissionMembership.objects.get().user.username == "anna"
    assert "Created Embassy in Berlin (active): AT, CH, DE." in output


def test_running_it_again_changes_nothing_and_updates_only_what_is_given():
    staff_user("analyst", username="anna")
    run("Embassy in Berlin", "--countries", "DE,AT,CH", "--city", "Berlin", "--staff", "anna")

    again = run("Embassy in Berlin", "--countries", "DE,AT,CH", "--staff", "anna")
    run("Embassy in Berlin", "--countries", "DE")

    assert "Updated" in again and "(0 changed Mission)" in again
    mission = Mission.objects.get()
    assert (mission.city, mission.country_codes) == ("Berlin", ("DE",))
    assert mission.history.count() == 2
    assert MissionMembership.objects.count() == 1


def test_assigning_staff_moves_them_from_their_previous_mission():
    user = staff_user("viewer", username="vic")
    run("Embassy in Berlin", "--countries", "DE", "--staff", "vic")

    run("Embassy in Washington", "--countries", "US", "--staff", "vic")

    assert MissionMembership.objects.get(user=user).mission.name == "Embassy in Washington"
    assert staff_scope(type(user).objects.get(pk=user.pk)) == StaffScope(
        mission_id=Mission.objects.get(name="Embassy in Washington").pk, countries=("US",)
    )


def test_deactivating_leaves_the_staff_seeing_nobody_and_activate_restores():
    user = staff_user("viewer", username="vic")
    run("Embassy in Berlin", "--countries", "DE", "--staff", "vic")

    run("Embassy in Berlin", "--deactivate")
    inactive = staff_scope(type(user).objects.get(pk=user.pk))
    run("Embassy in Berlin", "--activate")

    assert inactive.countries == () and not inactive.is_headquarters
    assert staff_scope(type(user).objects.get(pk=user.pk)).countries == ("DE",)


@pytest.mark.parametrize("codes", ["DE,XX", "Germany", "DEU", "D"])
def test_an_unknown_country_code_is_a_clear_error_and_changes_nothing(codes):
    with pytest.raises(CommandError, match="Unknown country codes"):
        run("Embassy in Berlin", "--countries", codes)
    assert not Mission.objects.exists()


def test_an_unknown_username_is_a_clear_error_and_changes_nothing():
    staff_user("viewer", username="vic")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("Embassy in Berlin", "--countries", "DE", "--staff", "vic", "nobody")
    assert not Mission.objects.exists()
    assert not MissionMembership.objects.exists()


def test_list_prints_missions_countries_and_staff():
    staff_user("viewer", username="vic")
    staff_user("analyst", username="anna")
    assert "No Mission yet" in run("--list")
    run("Embassy in Berlin", "--countries", "DE,AT", "--city", "Berlin", "--staff", "vic", "anna")
    run("Embassy in Washington", "--countries", "US", "--deactivate")

    listing = run("--list").splitlines()

    assert listing == [
        "Embassy in Berlin (Berlin): AT,DE; staff: anna, vic",
        "Embassy in Washington [inactive]: US; staff: no staff",
    ]


def test_a_name_or_list_is_required():
    with pytest.raises(CommandError, match="name"):
        run()


def test_an_account_without_a_mission_is_headquarters():
    assert staff_scope(staff_user("viewer")) == HEADQUARTERS
    assert HEADQUARTERS.key == "hq"
    assert StaffScope(mission_id=3, countries=("AT", "DE")).key == "mission-3-AT.DE"
    assert StaffScope(mission_id=3).key == "mission-3-none"
