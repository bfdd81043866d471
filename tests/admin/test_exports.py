"""The admin's export action and its read-only export log."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from registry.admin.actions import export_selected_members
from registry.admin.members import MemberAdmin
from registry.export import export_header
from registry.models import ExportLog, Member
from registry.services.exports import export_log_finish, export_log_start
from tests.factories import ANALYST_PERMS, VIEWER_PERMS, parse_csv, staff_user

pytestmark = pytest.mark.django_db


def admin_request(user, data=None):
    request = RequestFactory().post("/admin/registry/member/?status__exact=verified", data or {})
    request.user = user
    return request


def test_admin_action_streams_the_selected_members_and_logs_it(members):
    analyst = staff_user(perms=ANALYST_PERMS, username="analyst")
    chosen = Member.objects.filter(pk__in=[members["chen"].pk, members["aisha"].pk])
    request = admin_request(
        analyst, {"_selected_action": [members["chen"].pk, members["aisha"].pk]}
    )
    response = export_selected_members(MemberAdmin(Member, admin.site), request, chosen)
    assert isinstance(response, StreamingHttpResponse)
    rows = parse_csv(b"".join(response.streaming_content))
    assert {r[1] for r in rows[1:]} == {"Chen Wei", "عائشہ خان"}
    assert rows[0] == export_header()
    log = ExportLog.objects.get()
    assert (log.user, log.entry_point, log.row_count) == (analyst, "admin", 2)
    assert log.filters["selected"] == 2
    assert log.filters["changelist"] == {"status__exact": "verified"}


def test_admin_action_needs_the_export_permission(members):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    assert list(export_selected_members.allowed_permissions) == ["export"]
    with pytest.raises(PermissionDenied):
        export_selected_members(
            MemberAdmin(Member, admin.site), admin_request(viewer), Member.objects.all()
        )
    assert not ExportLog.objects.exists()


def test_export_log_is_read_only_in_the_admin(client):
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={"q": "x"})
    export_log_finish(log=log, row_count=4)
    auditor = staff_user(perms=("registry.view_exportlog",), username="auditor")
    model_admin = admin.site._registry[ExportLog]
    request = admin_request(auditor)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, log)
    assert not model_admin.has_delete_permission(request, log)
    client.force_login(auditor)
    listing = client.get(reverse("admin:registry_exportlog_changelist"))
    assert listing.status_code == 200
    assert "Management command" in listing.content.decode()
    detail = client.get(reverse("admin:registry_exportlog_change", args=[log.pk]))
    assert detail.status_code == 200
    assert 'name="row_count"' not in detail.content.decode()  # shown, not editable
    assert client.post(reverse("admin:registry_exportlog_delete", args=[log.pk])).status_code == 403
    assert ExportLog.objects.filter(pk=log.pk).exists()


def test_admin_changelist_action_streams_the_csv_for_analysts_only(client, members):
    assert export_selected_members in admin.site._registry[Member].actions
    changelist = reverse("admin:registry_member_changelist")
    chosen = [members["chen"].pk, members["farhan"].pk]
    post = {"action": "export_selected_members", ACTION_CHECKBOX_NAME: chosen}
    client.force_login(staff_user(perms=VIEWER_PERMS, username="viewer"))
    refused = client.post(changelist, post)
    assert not isinstance(refused, StreamingHttpResponse)
    assert not ExportLog.objects.exists()
    client.force_login(staff_user(perms=ANALYST_PERMS, username="analyst"))
    response = client.post(changelist, post)
    assert isinstance(response, StreamingHttpResponse)
    rows = parse_csv(b"".join(response.streaming_content))
    assert {r[1] for r in rows[1:]} == {"Chen Wei", "Farhan Malik"}
    assert ExportLog.objects.get().entry_point == "admin"
