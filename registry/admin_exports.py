"""Admin side of CSV exports: the read-only export log and "export selected".

registry.admin imports this module and lists `export_selected_members` in
MemberAdmin.actions; MemberAdmin.has_export_permission decides who sees it.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from registry.exporters import export_response
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


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The export log as a read-only record: nobody adds, changes or deletes it."""

    list_display = ["started_at", "user", "entry_point", "row_count", "finished_at"]
    list_filter = ["entry_point", "started_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "started_at"
    fields = ["started_at", "finished_at", "user", "entry_point", "row_count", "filters"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
