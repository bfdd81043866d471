"""Admin of the queries sent through the contact page: read, then mark handled."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin.filters import GuardedChangeList
from registry.models import ContactMessage
from registry.selectors.missions import staff_scope
from registry.services.contact import contact_messages_mark_handled


class HandledFilter(admin.SimpleListFilter):
    title = _("handled")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet")), ("yes", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Messages to the focal point as received; the change permission marks them handled."""

    list_display = ["created_at", "subject", "name", "email", "handled_at"]
    list_filter = [HandledFilter]
    list_select_related = ["handled_by"]
    search_fields = ["subject", "name", "email"]
    fields = ["created_at", "name", "email", "subject", "message", "handled_at", "handled_by"]
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ["mark_handled"]

    def get_queryset(self, request):
        # The contact page writes to headquarters; Mission staff see none of it.
        queryset = super().get_queryset(request)
        if not staff_scope(request.user).is_headquarters:
            return queryset.none()
        return queryset

    def history_view(self, request, object_id, extra_context=None):
        # Refused before the message is looked up, as for the export log: the
        # answer must not depend on whether the message is in the user's scope.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Messages are erased by the retention purge, not by hand.
        return False

    @admin.action(description=_("Mark the selected messages as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = contact_messages_mark_handled(messages=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d message marked as handled.",
                "%(count)d messages marked as handled.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
