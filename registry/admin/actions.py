"""Admin actions: "export selected members as CSV".

MemberAdmin lists `export_selected_members` in its actions; its
has_export_permission decides who is offered it. The read-only export log is
registry.admin.exports.ExportLogAdmin.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from registry.export import export_response
from registry.models import ExportLog
from registry.selectors.members import members_visible_to
from registry.services.exports import export_log_start


@admin.action(permissions=["export"], description=_("Export selected members as CSV"))
def export_selected_members(modeladmin, request, queryset):
    """Stream the selected members as the same CSV as the staff search's export."""
    if not request.user.has_perm("registry.export_member"):
        raise PermissionDenied
    # Only members the user may see, whatever the admin's queryset allows.
    members = members_visible_to(request.user).filter(pk__in=queryset.values("pk"))
    log = export_log_start(
        user=request.user,
        entry_point=ExportLog.EntryPoint.ADMIN,
        filters={
            "changelist": {key: request.GET.get(key) for key in request.GET},
            "select_across": request.POST.get("select_across") == "1",
            "selected": len(request.POST.getlist(ACTION_CHECKBOX_NAME)),
        },
    )
    return export_response(queryset=members, log=log)
