"""What each staff role sees and may do in the member admin."""

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from registry.models import ExportLog, Member
from tests.admin.pages import CHANGELIST, change_url, member_admin, review_url

REVIEW_ACTIONS = {
    "verify_selected",
    "reject_selected",
    "mark_duplicate_selected",
    "return_selected_to_submitted",
}


def admin_request(user):
    request = RequestFactory().get(CHANGELIST)
    request.user = user
    return request


# Permission matrix ---------------------------------------------------------

ROLES = ["anonymous", "viewer", "analyst", "focal_point", "superuser"]
# role: (sees the list, may change, review actions, may export)
MATRIX = {
    "anonymous": (False, False, False, False),
    "viewer": (True, False, False, False),
    "analyst": (True, False, False, True),
    "focal_point": (True, True, True, True),
    "superuser": (True, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_member_list_is_shown_to_staff_roles_only(role_client, make_member, role):
    make_member(full_name="Zainab Qureshi")
    response = role_client(role).get(CHANGELIST)
    sees_list = MATRIX[role][0]
    if sees_list:
        assert response.status_code == 200
        assert "Zainab Qureshi" in response.text
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_editing_roles_can_change_a_member(role_client, member, role):
    client = role_client(role)
    may_change = MATRIX[role][1]
    page = client.get(change_url(member))
    if role == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == 200
        assert ('name="full_name"' in page.text) is may_change
        assert ('name="_save"' in page.text) is may_change

    response = client.post(change_url(member), {"full_name": "Changed Name"})
    member.refresh_from_db()
    assert member.full_name != "Changed Name"
    assert response.status_code in ({200} if may_change else {302, 403})


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_each_role_sees_exactly_the_actions_it_may_use(staff, db, role):
    user = staff(role)
    request = admin_request(user)
    actions = set(member_admin().get_actions(request))
    expected = (REVIEW_ACTIONS if MATRIX[role][2] else set()) | (
        {"export_selected_members"} if MATRIX[role][3] else set()
    )
    assert actions == expected
    assert member_admin().has_review_permission(request) is MATRIX[role][2]
    assert member_admin().has_export_permission(request) is MATRIX[role][3]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_an_export_action_is_offered_to_exporting_roles_only(staff, db, role):
    actions = set(member_admin().get_actions(admin_request(staff(role))))
    assert ("export_selected_members" in actions) is MATRIX[role][3]


def test_admin_export_action_streams_the_selected_members_as_csv(role_client, make_member):
    import csv
    import io

    chosen, _other = make_member(full_name="Zoë Núñez"), make_member(full_name="Bilal Ahmed")
    response = role_client("analyst").post(
        CHANGELIST, {"action": "export_selected_members", "_selected_action": [chosen.pk]}
    )
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert "Zoë Núñez" in rows[1]
    assert ExportLog.objects.get().entry_point == ExportLog.EntryPoint.ADMIN


def test_viewer_cannot_run_the_export_action(role_client, member):
    response = role_client("viewer").post(
        CHANGELIST, {"action": "export_selected_members", "_selected_action": [member.pk]}
    )
    assert not getattr(response, "streaming", False)
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_action_menu_on_the_page_matches_the_role(role_client, member, role):
    response = role_client(role).get(CHANGELIST)
    assert ("Verify selected members" in response.text) is MATRIX[role][2]
    assert "Delete selected" not in response.text


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_roles_without_review_permission_cannot_decide(role_client, member, role):
    client = role_client(role)
    assert client.post(review_url(member, "verify")).status_code == 403
    assert client.get(review_url(member, "reject")).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": [member.pk]}
    )
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED
    assert member.reviewed_by is None
    assert response.status_code in {200, 302}


def test_review_buttons_show_only_decisions_the_status_allows(role_client, make_member):
    client = role_client("focal_point")
    submitted = client.get(change_url(make_member())).text
    assert "Verify" in submitted and "Reject…" in submitted
    assert "Back to review" not in submitted
    unconfirmed = client.get(change_url(make_member(status=Member.Status.UNCONFIRMED))).text
    assert "Review decision" not in unconfirmed
    viewer_page = role_client("viewer").get(change_url(make_member())).text
    assert "Review decision" not in viewer_page


def test_only_members_visible_to_the_user_are_listed(staff_password, client, db, member):
    # A staff account without the view permission sees no member, even by URL.
    user = User.objects.create_user("nobody", password=staff_password, is_staff=True)
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(member)).status_code in {302, 403}
