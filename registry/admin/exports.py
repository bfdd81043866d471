"""Admin of the export log: who exported which members, and when."""

from django.contrib import admin

from registry.admin.filters import GuardedChangeList
from registry.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Who exported which members, when: a record, never edited."""

    list_display = ["started_at", "user", "entry_point", "row_count", "finished_at"]
    list_filter = ["entry_point"]
    list_select_related = ["user"]
    fields = ["user", "entry_point", "filters", "row_count", "started_at", "finished_at"]
    readonly_fields = fields
    date_hierarchy = "started_at"

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
