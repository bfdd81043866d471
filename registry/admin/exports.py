"""Admin of the export log: who exported which members, and when."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from registry.admin.filters import GuardedChangeList
from registry.models import ExportLog
from registry.selectors.missions import staff_scope


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Who exported which members, when: a record, never edited."""

    list_display = [
        "started_at",
        "user",
        "mission",
        "entry_point",
        "includes_no_contact",
        "row_count",
        "finished_at",
    ]
    list_filter = ["entry_point", "includes_no_contact"]
    list_select_related = ["user", "mission"]
    fields = [
        "user",
        "mission",
        "entry_point",
        "filters",
        "includes_no_contact",
        "row_count",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    date_hierarchy = "started_at"

    def get_queryset(self, request):
        # Mission staff see their own Mission's exports (none once it is
        # inactive); headquarters sees every export.
        scope = staff_scope(request.user)
        queryset = super().get_queryset(request)
        if scope.is_headquarters:
            return queryset
        if not scope.countries:
            return queryset.none()
        return queryset.filter(mission_id=scope.mission_id)

    def history_view(self, request, object_id, extra_context=None):
        # Refused before the entry is looked up, so that the answer is the
        # same whether or not the entry is in the user's scope.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
