"""Opportunities and invitations in the admin: read-only, for superusers.

The staff pages (/staff/opportunities/) do the work, within the account's
Mission scope and through the outreach services. The admin's lists are not
scoped by Mission, so no staff role sees them; superusers read them to look
into a problem, and change nothing here (no history, no scope check).
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from outreach.forms import OPPORTUNITY_FIELDS
from outreach.models import Invitation, Opportunity


class SuperuserReadOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        # Refused before the object is looked up; then an id that is not an
        # object's (typed into the address) is "not found", never an error.
        if not self.has_view_permission(request):
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)


@admin.register(Opportunity)
class OpportunityAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "host_institution", "status", "mission", "reply_by", "created_at"]
    list_filter = ["status", "mode", "mission"]
    search_fields = ["title", "host_institution"]
    fields = [*OPPORTUNITY_FIELDS, "mission"]
    filter_horizontal = ["engagement_types", "subfields", "sdgs", "international_projects"]


@admin.register(Invitation)
class InvitationAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["opportunity", "member", "status", "sent_at", "answered_at", "outcome"]
    list_filter = ["status", "outcome"]
    list_select_related = ["opportunity", "member"]
    raw_id_fields = ["opportunity", "member"]
    fields = [
        "opportunity",
        "member",
        "status",
        "sent_at",
        "attempts",
        "failure_reason",
        "answered_at",
        "availability",
        "message",
        "decline_reason",
        "outcome",
        "outcome_notes",
    ]
    readonly_fields = fields
