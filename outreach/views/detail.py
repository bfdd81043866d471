"""The opportunity page: counts, invitations and their states, ranked matches, shortlist."""

from django.core.paginator import Paginator
from django.shortcuts import render

from outreach.forms import OutcomeForm
from outreach.models import Invitation, Opportunity
from outreach.selectors.matching import members_eligible
from outreach.selectors.opportunities import (
    invitation_counts,
    invitation_state,
    invitations_visible,
)
from outreach.selectors.ranking import opportunity_matches
from outreach.services.ranking import opportunity_ranking_refresh
from registry.selectors.missions import staff_scope
from registry.staff.forms import StaffSearchForm, search_form_data

INVITATIONS_PER_PAGE = 100
HISTORY_SHOWN = 20


def shortlist_key(opportunity: Opportunity) -> str:
    return f"outreach-shortlist-{opportunity.pk}"


def _shortlist(request, opportunity: Opportunity) -> list:
    ids = request.session.get(shortlist_key(opportunity), [])
    if not ids:
        return []
    members = members_eligible(
        user=request.user, opportunity=opportunity, include_stale=True
    ).filter(pk__in=ids)
    return list(members.order_by("name_key", "id")[:10000])


def _matches(request, opportunity: Opportunity) -> dict:
    form = StaffSearchForm(search_form_data(request.GET), scope=staff_scope(request.user))
    filters = form.filters() if form.is_valid() else None
    # A missing or old stored ranking is made again, for the next views.
    opportunity_ranking_refresh(opportunity=opportunity)
    return {
        "search_form": form,
        "matches": opportunity_matches(user=request.user, opportunity=opportunity, filters=filters),
    }


def opportunity_page(request, opportunity: Opportunity):
    user = request.user
    can_manage = user.has_perm("outreach.manage_opportunity")
    invitations = Paginator(
        invitations_visible(user=user, opportunity=opportunity), INVITATIONS_PER_PAGE
    ).get_page(request.GET.get("invitations"))
    rows = []
    for invitation in invitations:
        invitation.opportunity = opportunity
        outcome_form = None
        if can_manage and invitation.status == Invitation.Status.ACCEPTED:
            outcome_form = OutcomeForm(instance=invitation, prefix=f"i{invitation.pk}")
        rows.append((invitation, invitation_state(invitation), outcome_form))
    context = {
        "opportunity": opportunity,
        "counts": invitation_counts(user=user, opportunity=opportunity),
        "invitations": invitations,
        "rows": rows,
        "can_manage": can_manage,
        "can_export": user.has_perm("outreach.export_opportunity"),
        "history": opportunity.history.select_related("history_user")[:HISTORY_SHOWN],
        "is_open": opportunity.status == Opportunity.Status.OPEN,
    }
    if can_manage and opportunity.status != Opportunity.Status.CLOSED:
        context.update(_matches(request, opportunity))
        context["shortlist"] = _shortlist(request, opportunity)
    return render(request, "outreach/opportunity_detail.html", context)
