"""Opportunities: create, edit and close them, with their history of changes."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import SENDABLE_STATUSES, Invitation, Opportunity
from outreach.services.ranking import opportunity_ranking_request
from registry.selectors.missions import staff_scope

# Many-to-many fields set after the opportunity is saved.
RELATIONS = ("engagement_types", "subfields", "sdgs", "international_projects")


def opportunity_mission_for(*, user, chosen_mission=None):
    """The Mission a new opportunity of `user` belongs to.

    Mission staff create for their own Mission whatever they chose;
    headquarters choose any Mission, or none (headquarters' own).
    """
    scope = staff_scope(user)
    if scope.is_headquarters:
        return chosen_mission
    return scope.mission_id


@transaction.atomic
def opportunity_save(
    *,
    user,
    data: Mapping[str, Any],
    opportunity: Opportunity | None = None,
    chosen_mission=None,
) -> Opportunity:
    """Create (opportunity None) or update an opportunity; one history row per save.

    `data` holds the form's cleaned values, relations included. The Mission
    is set on creation only (see opportunity_mission_for).
    """
    creating = opportunity is None
    if creating:
        opportunity = Opportunity(created_by=user)
        mission = opportunity_mission_for(user=user, chosen_mission=chosen_mission)
        opportunity.mission_id = getattr(mission, "pk", mission)
    for name, value in data.items():
        if name not in RELATIONS:
            setattr(opportunity, name, value)
    if opportunity.status == Opportunity.Status.CLOSED and opportunity.closed_at is None:
        opportunity.closed_at = timezone.now()
    opportunity.skip_history_when_saving = True
    opportunity.save()
    for name in RELATIONS:
        if name in data:
            getattr(opportunity, name).set(data[name])
    del opportunity.skip_history_when_saving
    opportunity._history_user = user
    opportunity._change_reason = _("Created") if creating else _("Edited")
    opportunity.save(update_fields=["updated_at"])
    if opportunity.status == Opportunity.Status.CLOSED:
        invitations_cancel_pending(opportunity=opportunity)
    else:
        # Its matches are read from a stored ranking, made in a task.
        opportunity_ranking_request(opportunity=opportunity)
    return opportunity


def invitations_cancel_pending(*, opportunity: Opportunity) -> int:
    """Mark the invitations not sent yet as cancelled, so no task sends them."""
    return Invitation.objects.filter(
        opportunity=opportunity, status__in=SENDABLE_STATUSES, sent_at__isnull=True
    ).update(status=Invitation.Status.CANCELLED, next_attempt_at=None)


@transaction.atomic
def opportunity_close(*, user, opportunity: Opportunity, now: datetime | None = None) -> int:
    """Close the opportunity: no more answers, pending sends stopped. Returns how many."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    opportunity.status = Opportunity.Status.CLOSED
    opportunity.closed_at = now or timezone.now()
    opportunity._history_user = user
    opportunity._change_reason = _("Closed")
    opportunity.save()
    return invitations_cancel_pending(opportunity=opportunity)
