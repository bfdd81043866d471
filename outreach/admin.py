"""Opportunities and invitations in the admin, read-mostly: the staff pages do the work."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outreach.forms import OPPORTUNITY_FIELDS
from outreach.models import Invitation, Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "host_institution", "status", "mission", "reply_by", "created_at"]
    list_filter = ["status", "mode", "mission"]
    search_fields = ["title", "host_institution"]
    fields = [*OPPORTUNITY_FIELDS, "mission"]
    filter_horizontal = ["engagement_types", "subfields", "sdgs", "international_projects"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
