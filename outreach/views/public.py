"""The member's side: the response page from the e-mail, the one-click opt-out,
and resuming invitations from the profile page. No login: the signed link is the key."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from outreach.forms import AnswerForm
from outreach.models import Opportunity
from outreach.services import responses
from outreach.tokens import invitation_for_token
from registry.tokens import UPDATE, member_for_link


def _link_invalid(request):
    return render(request, "registry/link_invalid.html", {"kind": "invitation"}, status=400)


def _closed(request, opportunity):
    return render(request, "outreach/closed.html", {"opportunity": opportunity})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request, token):
    invitation = invitation_for_token(token=token)
    if invitation is None:
        return _link_invalid(request)
    opportunity = invitation.opportunity
    if invitation.is_answered:
        return render(request, "outreach/answered.html", {"invitation": invitation})
    if opportunity.status == Opportunity.Status.CLOSED:
        return _closed(request, opportunity)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            responses.invitation_answer(
                token=token,
                answer=data["answer"],
                message=data["message"],
                availability=data["availability"],
                reason=data["reason"],
            )
        except responses.AnswerRefused:
            return _link_invalid(request)
        except responses.OpportunityClosed:
            return _closed(request, opportunity)
        return redirect("invitations:respond", token=token)
    context = {"invitation": invitation, "opportunity": opportunity, "form": form}
    return render(request, "outreach/respond.html", context)


# Mail programs post the one-click opt-out (RFC 8058) without a CSRF token;
# the signed link in the URL is what authorises it.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token):
    if invitation_for_token(token=token, for_opt_out=True) is None:
        return _link_invalid(request)
    if request.method == "POST":
        responses.invitation_opt_out(token=token)
        return render(request, "outreach/opted_out.html")
    return render(request, "outreach/opt_out_confirm.html")


@require_POST
def resume(request, token):
    """Accept invitations again, from the profile page (its update link is the key)."""
    member = member_for_link(token=token, kind=UPDATE)
    if member is None:
        return render(request, "registry/link_invalid.html", {"kind": UPDATE.name}, status=400)
    responses.member_invitations_resume(member=member)
    return redirect(reverse("registry:profile_edit", args=[token]) + "#invitations")
