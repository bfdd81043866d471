"""Staff pages: the opportunity list, the form, the opportunity page and its actions."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from outreach.forms import OpportunityForm, OpportunityStatusFilter, OutcomeForm
from outreach.models import Invitation, Opportunity
from outreach.selectors.opportunities import (
    host_institution_suggestions,
    invitations_visible,
    opportunities_visible_to,
    opportunities_with_counts,
)
from outreach.services import invitations as invitation_services
from outreach.services.opportunities import opportunity_close, opportunity_save
from outreach.views.detail import opportunity_page, shortlist_key
from registry.selectors.missions import staff_scope
from registry.staff.views import staff_permission_required

VIEW = "outreach.view_opportunity"
MANAGE = "outreach.manage_opportunity"


def _opportunity(request, pk: int) -> Opportunity:
    return get_object_or_404(opportunities_visible_to(request.user), pk=pk)


@require_safe
@staff_permission_required(VIEW)
def opportunity_list(request):
    form = OpportunityStatusFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    context = {
        "form": form,
        "opportunities": opportunities_with_counts(user=request.user, status=status)[:200],
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "outreach/opportunity_list.html", context)


def _form_page(request, form, opportunity=None):
    context = {
        "form": form,
        "opportunity": opportunity,
        "suggestions": host_institution_suggestions(user=request.user),
    }
    return render(request, "outreach/opportunity_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required(VIEW, MANAGE)
def opportunity_create(request):
    form = OpportunityForm(
        request.POST or None, can_choose_mission=staff_scope(request.user).is_headquarters
    )
    if request.method == "POST" and form.is_valid():
        opportunity = opportunity_save(
            user=request.user,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
            chosen_mission=form.cleaned_data.get("mission"),
        )
        messages.success(request, _("The opportunity was created."))
        return redirect("outreach:opportunity_detail", pk=opportunity.pk)
    return _form_page(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required(VIEW, MANAGE)
def opportunity_edit(request, pk):
    opportunity = _opportunity(request, pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        opportunity_save(user=request.user, data=data, opportunity=opportunity)
        messages.success(request, _("The opportunity was saved."))
        return redirect("outreach:opportunity_detail", pk=opportunity.pk)
    return _form_page(request, form, opportunity)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required(VIEW)
def opportunity_detail(request, pk):
    opportunity = _opportunity(request, pk)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            return render(request, "403.html", status=403)
        ids = sorted({value for value in request.POST.getlist("member") if value.isdigit()})
        request.session[shortlist_key(opportunity)] = ids[:10000]
        messages.success(
            request,
            ngettext("%(n)s member shortlisted.", "%(n)s members shortlisted.", len(ids))
            % {"n": len(ids)},
        )
        return redirect(request.get_full_path())
    return opportunity_page(request, opportunity)


@require_POST
@staff_permission_required(VIEW, MANAGE)
def opportunity_invite(request, pk):
    opportunity = _opportunity(request, pk)
    try:
        count = invitation_services.invitations_create(
            user=request.user,
            opportunity=opportunity,
            member_ids=request.POST.getlist("member"),
            base_url=request.build_absolute_uri("/"),
        )
    except invitation_services.InvitationRefused:
        messages.error(request, _("Only an open opportunity can have invitations sent."))
        return redirect("outreach:opportunity_detail", pk=opportunity.pk)
    except IntegrityError:
        # A concurrent submission of the same form got there first.
        count = 0
    request.session.pop(shortlist_key(opportunity), None)
    messages.success(
        request,
        ngettext("%(n)s invitation queued.", "%(n)s invitations queued.", count) % {"n": count},
    )
    return redirect("outreach:opportunity_detail", pk=opportunity.pk)


@require_POST
@staff_permission_required(VIEW, MANAGE)
def opportunity_close_view(request, pk):
    opportunity = _opportunity(request, pk)
    stopped = opportunity_close(user=request.user, opportunity=opportunity)
    messages.success(
        request,
        ngettext(
            "The opportunity is closed; %(n)s pending invitation will not be sent.",
            "The opportunity is closed; %(n)s pending invitations will not be sent.",
            stopped,
        )
        % {"n": stopped},
    )
    return redirect("outreach:opportunity_detail", pk=opportunity.pk)


@require_POST
@staff_permission_required(VIEW, MANAGE)
def opportunity_remind(request, pk):
    opportunity = _opportunity(request, pk)
    if invitation_services.opportunity_remind(
        opportunity=opportunity, base_url=request.build_absolute_uri("/")
    ):
        messages.success(request, _("A reminder is being sent to those who have not answered."))
    else:
        messages.error(request, _("The reminder was already sent, or the opportunity is not open."))
    return redirect("outreach:opportunity_detail", pk=opportunity.pk)


@require_POST
@staff_permission_required(VIEW, MANAGE)
def invitation_outcome(request, pk, invitation_pk):
    opportunity = _opportunity(request, pk)
    invitation = get_object_or_404(
        invitations_visible(user=request.user, opportunity=opportunity).filter(
            status=Invitation.Status.ACCEPTED
        ),
        pk=invitation_pk,
    )
    form = OutcomeForm(request.POST, instance=invitation, prefix=f"i{invitation.pk}")
    if form.is_valid():
        invitation_services.invitation_outcome_record(
            invitation=invitation,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["outcome_notes"],
        )
        messages.success(request, _("The outcome was recorded."))
    else:
        messages.error(request, _("The outcome could not be recorded: choose one."))
    return redirect("outreach:opportunity_detail", pk=opportunity.pk)
