"""The staff home (registry:staff_home) and where staff logins land."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import Member
from registry.selectors.staff_home import staff_home_counts
from registry.staff.navigation import staff_links
from tests.factories import make_mission, staff_user

pytestmark = pytest.mark.django_db
HOME = reverse("registry:staff_home")
CHANGELIST = reverse("admin:registry_member_changelist")
ADMIN_LOGIN = reverse("admin:login")
Status = Member.Status


def _age(member: Member, days: float) -> Member:
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - timedelta(days=days))
    return member


@pytest.fixture
def queue(make_member):
    """Members in every queue, in GB and in DE."""
    reviewer = staff_user("focal_point", username="reviewer")
    made = {
        "new_gb": make_member(full_name="Amina Khan", country="GB"),
        "new_de": make_member(full_name="Jonas Weber", country="DE"),
        "edited_de": make_member(full_name="Lena Vogel", country="DE"),
        "dup_a": make_member(full_name="Omar Farooq", organisation="CERN", country="GB"),
        "dup_b": make_member(
            full_name="Omar Farooq", organisation="CERN", country="DE", status=Status.VERIFIED
        ),
        "verified_old": make_member(full_name="Sara Ali", country="GB", status=Status.VERIFIED),
        "unconfirmed": make_member(full_name="Bilal Aslam", status=Status.UNCONFIRMED),
        "withdrawn": make_member(full_name="Hina Raza", status=Status.WITHDRAWN),
    }
    Member.objects.filter(pk=made["edited_de"].pk).update(
        reviewed_at=timezone.now(), reviewed_by=reviewer
    )
    _age(made["verified_old"], 20)
    _age(made["new_gb"], 10)
    _age(made["withdrawn"], 1)
    return made


def test_counts_match_the_database_at_headquarters(queue):
    counts = staff_home_counts(user=staff_user("viewer"))

    assert counts.review == {"new": 3, "edited": 1, "duplicates": 1}
    # Recent: confirmed, not withdrawn; new_gb is 10 days old, verified_old 20.
    week = Member.objects.filter(
        created_at__gte=timezone.now() - timedelta(days=7),
        status__in=[Status.SUBMITTED, Status.VERIFIED],
    ).count()
    assert counts.recent == {7: week, 30: week + 2}
    assert week == 4


def test_a_mission_analyst_counts_only_members_in_its_countries(queue):
    berlin = make_mission(countries=["DE"])
    analyst = staff_user("analyst", mission=berlin)

    counts = staff_home_counts(user=analyst)

    # new_de, dup_b's pair is out of scope (GB), so no duplicate shows.
    assert counts.review == {"new": 1, "edited": 1, "duplicates": 0}
    assert counts.recent == {7: 3, 30: 3}


def test_the_counts_take_three_queries_whatever_the_members(queue, make_member):
    user = staff_user("viewer")
    with CaptureQueriesContext(connection) as few:
        staff_home_counts(user=user)
    for index in range(5):
        make_member(full_name=f"Extra Member {index}", organisation="CERN")
    user = staff_user("viewer", username="viewer2")
    with CaptureQueriesContext(connection) as more:
        staff_home_counts(user=user)
    assert len(few) == len(more)
    aggregates = [q for q in more.captured_queries if "registry_member" in q["sql"]]
    assert len(aggregates) == 3


def test_the_page_shows_the_counts_linking_to_the_filtered_admin_list(client, queue):
    client.force_login(staff_user("focal_point"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)

    assert response.status_code == 200
    page = response.content.decode()
    for queue_name in ("new", "edited", "duplicates"):
        assert f'href="{CHANGELIST}?review={queue_name}"' in page
    assert "Suspected duplicates" in page
    member_queries = [q for q in queries.captured_queries if 'FROM "registry_member"' in q["sql"]]
    # New and edited, suspected duplicates, recent registrations.
    assert len(member_queries) == 3


@pytest.mark.parametrize(
    ("queue_name", "expected"),
    [
        ("new", {"Amina Khan", "Jonas Weber", "Omar Farooq"}),
        ("edited", {"Lena Vogel"}),
        ("duplicates", {"Omar Farooq"}),
    ],
)
def test_the_admin_list_filtered_by_a_queue_holds_what_the_home_counted(
    client, queue, queue_name, expected
):
    user = staff_user("focal_point")
    client.force_login(user)

    response = client.get(CHANGELIST, {"review": queue_name})

    assert response.status_code == 200
    shown = {member.full_name for member in response.context["cl"].result_list}
    assert shown == expected
    assert (
        len(response.context["cl"].result_list) == staff_home_counts(user=user).review[queue_name]
    )


def test_an_unknown_queue_is_a_wrong_filter(client, queue):
    client.force_login(staff_user("focal_point"))
    response = client.get(CHANGELIST, {"review": "everything"})
    assert response.status_code == 302
    assert "e=1" in response["Location"]


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ADMIN_LOGIN}?next=")


def test_non_staff_accounts_are_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org"))
    assert client.get(HOME).status_code == 403


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        (
            "viewer",
            ["Search members", "Dashboard", "Opportunities", "Member list", "Administration"],
        ),
        (
            "analyst",
            ["Search members", "Dashboard", "Opportunities", "Member list", "Administration"],
        ),
        (
            "focal_point",
            [
                "Search members",
                "Dashboard",
                "Opportunities",
                "Member list",
                "Export log",
                "Administration",
            ],
        ),
        (
            "superuser",
            [
                "Search members",
                "Dashboard",
                "Opportunities",
                "Member list",
                "Export log",
                "Administration",
            ],
        ),
    ],
)
def test_links_are_offered_by_permission(client, role, titles):
    user = staff_user(role)
    assert [str(link.title) for link in staff_links(user)] == titles
    client.force_login(user)
    page = client.get(HOME).content.decode()
    for link in staff_links(user):
        assert f'href="{link.url}"' in page


def test_staff_without_member_access_see_links_but_no_counts(client, queue):
    client.force_login(staff_user(perms=()))
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Waiting for review" not in response.content.decode()
    assert [str(link.title) for link in response.context["links"]] == ["Administration"]


def test_a_login_without_next_lands_on_the_staff_home(client, staff_password):
    user = staff_user("analyst")
    page = client.get(ADMIN_LOGIN)
    assert f'name="next" value="{HOME}"' in page.content.decode()

    response = client.post(
        ADMIN_LOGIN, {"username": user.username, "password": staff_password, "next": HOME}
    )
    assert response["Location"] == HOME

    client.logout()
    response = client.post(ADMIN_LOGIN, {"username": user.username, "password": staff_password})
    assert response["Location"] == HOME


def test_a_login_with_next_goes_there(client, staff_password):
    user = staff_user("analyst")
    search = reverse("registry:staff_search")
    response = client.post(
        f"{ADMIN_LOGIN}?next={search}",
        {"username": user.username, "password": staff_password, "next": search},
    )
    assert response["Location"] == search


def test_a_signed_in_visit_to_the_admin_login_goes_to_the_staff_home(client):
    client.force_login(staff_user("viewer"))
    assert client.get(ADMIN_LOGIN)["Location"] == HOME


def test_the_admin_names_the_portal_links_home_and_lists_the_registry_first(client):
    client.force_login(staff_user("superuser"))
    response = client.get(reverse("admin:index"))
    page = response.content.decode()
    assert "DORIN staff administration" in page
    assert f'href="{HOME}"' in page
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[0] == "registry"
    assert len(labels) > 1
