"""Admin actions: "export selected members as CSV".

MemberAdmin lists `export_selected_members` in its actions; its
has_export_permission decides who is offered it. The read-only export log is
registry.admin.exports.ExportLogAdmin.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from registry.export.download import export_download
from registry.models import ExportLog
from registry.selectors.members import members_visible_to

INCLUDE_NO_CONTACT = "include_no_contact"


class MemberActionForm(ActionForm):
    """The member list's action bar, with the export's consent choice."""

    include_no_contact = forms.BooleanField(
        label=_("Export: include members who did not agree to be contacted"), required=False
    )


@admin.action(permissions=["export"], description=_("Export selected members as CSV"))
def export_selected_members(modeladmin, request, queryset):
    """Stream the selected members as the same CSV as the staff search's export.

    Only those who agreed to be contacted, unless the action bar's check box
    asks for every selected member.
    """
    if not request.user.has_perm("registry.export_member"):
        raise PermissionDenied
    # Only members the user may see, whatever the admin's queryset allows.
    members = members_visible_to(request.user).filter(pk__in=queryset.values("pk"))
    # Like the staff search's export: a few at once per account, beyond that
    # the "an export is already running" page.
    return export_download(
        request,
        members=members,
        entry_point=ExportLog.EntryPoint.ADMIN,
        filters={
            "changelist": {key: request.GET.get(key) for key in request.GET},
            "select_across": request.POST.get("select_across") == "1",
            # How many were ticked, never which: the log names no member.
            "selected": len(request.POST.getlist(ACTION_CHECKBOX_NAME)),
        },
        include_no_contact=request.POST.get(INCLUDE_NO_CONTACT) in {"on", "1", "true"},
    )
