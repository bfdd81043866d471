"""Review decisions in the member admin: the buttons on a member's page and the
bulk actions of the list, both through registry.services.review."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registry.admin.forms import DuplicateForm, RejectForm
from registry.models import Member
from registry.services import review

# A bulk decision runs the review service once per member (each with its
# history row); beyond this many at once the focal point is asked to narrow
# the selection.
REVIEW_BATCH_LIMIT = 1000


class MemberReviewMixin:
    """The review part of MemberAdmin: decisions, their form and their messages."""

    DECISIONS = {
        "verify": (gettext_lazy("Verify"), review.VERIFY_FROM),
        "reject": (gettext_lazy("Reject…"), review.REJECT_FROM),
        "duplicate": (gettext_lazy("Mark as duplicate…"), review.DUPLICATE_FROM),
        "submitted": (gettext_lazy("Back to review"), review.RETURN_FROM),
    }

    def review_decisions(self, member) -> list[dict]:
        """The decisions the member's status allows, for the buttons on its page."""
        return [
            {
                "name": name,
                "label": label,
                "url": reverse("admin:registry_member_review", args=[member.pk, name]),
                "needs_form": name in {"reject", "duplicate"},
            }
            for name, (label, allowed) in self.DECISIONS.items()
            if member.status in allowed
        ]

    def review_view(self, request, object_id, decision):
        """One decision on one member, from the buttons on its change page."""
        if decision not in self.DECISIONS:
            raise Http404
        if not self.has_review_permission(request):
            raise PermissionDenied
        member = self.get_object(request, unquote(object_id))
        if member is None:
            raise Http404
        change_url = reverse("admin:registry_member_change", args=[member.pk])
        if decision in {"verify", "submitted"}:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            self._decide(request, [member], decision)
            return HttpResponseRedirect(change_url)
        form = self._decision_form(request, decision, member=member)
        if request.method == "POST" and form.is_valid():
            self._decide(request, [member], decision, form=form)
            return HttpResponseRedirect(change_url)
        return self._render_decision_form(request, decision, form, [member], change_url)

    @admin.action(permissions=["review"], description=gettext_lazy("Verify selected members"))
    def verify_selected(self, request, queryset):
        members = self._selected_members(request, queryset)
        if members is not None:
            self._decide(request, members, "verify")

    @admin.action(permissions=["review"], description=gettext_lazy("Reject selected members…"))
    def reject_selected(self, request, queryset):
        return self._bulk_with_form(request, queryset, "reject")

    @admin.action(
        permissions=["review"],
        description=gettext_lazy("Mark selected members as duplicates of…"),
    )
    def mark_duplicate_selected(self, request, queryset):
        return self._bulk_with_form(request, queryset, "duplicate")

    @admin.action(
        permissions=["review"], description=gettext_lazy("Return selected members to review")
    )
    def return_selected_to_submitted(self, request, queryset):
        members = self._selected_members(request, queryset)
        if members is not None:
            self._decide(request, members, "submitted")

    def _selected_members(self, request, queryset) -> list[Member] | None:
        members = list(queryset.order_by("pk")[: REVIEW_BATCH_LIMIT + 1])
        if len(members) > REVIEW_BATCH_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)s members for one decision.")
                % {"limit": REVIEW_BATCH_LIMIT},
                messages.ERROR,
            )
            return None
        return members

    def _decision_form(self, request, decision, member=None):
        data = request.POST if "apply" in request.POST else None
        if decision == "reject":
            return RejectForm(data)
        return DuplicateForm(
            data, queryset=self.get_queryset(request), admin_site=self.admin_site, member=member
        )

    def _bulk_with_form(self, request, queryset, decision):
        members = self._selected_members(request, queryset)
        if members is None:
            return None
        form = self._decision_form(request, decision)
        if form.is_bound and form.is_valid():
            self._decide(request, members, decision, form=form)
            return None
        return self._render_decision_form(request, decision, form, members, None)

    def _render_decision_form(self, request, decision, form, members, cancel_url):
        label, _allowed = self.DECISIONS[decision]
        context = {
            **self.admin_site.each_context(request),
            "title": str(label).rstrip("…"),
            "opts": self.model._meta,
            "decision": decision,
            "form": form,
            "media": self.media + form.media,
            "members": members[:20],
            "more_count": max(len(members) - 20, 0),
            "member_count": len(members),
            # Set for a bulk action: the form goes back to the list, with the
            # selection, to run the action again with the answer.
            "action_name": request.POST.get("action") if cancel_url is None else None,
            "selected_ids": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "cancel_url": cancel_url or request.get_full_path(),
        }
        return TemplateResponse(request, "admin/registry/member/review_form.html", context)

    def _decide(self, request, members, decision, *, form=None):
        """Run the decision's service on each member; report what was done and skipped."""
        user = request.user
        # The decision e-mails link to the profile page on the host staff use.
        base_url = request.build_absolute_uri("/")
        done, refused = 0, []
        for member in members:
            try:
                if decision == "verify":
                    review.member_verify(member=member, by=user, base_url=base_url)
                elif decision == "submitted":
                    review.member_return_to_submitted(member=member, by=user)
                elif decision == "reject":
                    review.member_reject(
                        member=member,
                        by=user,
                        reason=form.cleaned_data["reason"],
                        share_reason=form.cleaned_data["send_reason"],
                        base_url=base_url,
                    )
                else:
                    review.member_mark_duplicate(
                        member=member,
                        by=user,
                        original=form.cleaned_data["original"],
                        base_url=base_url,
                    )
            except ValidationError as error:
                refused.append(" ".join(error.messages))
            else:
                done += 1
        label, _allowed = self.DECISIONS[decision]
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: %(count)d member.",
                    "%(action)s: %(count)d members.",
                    done,
                )
                % {"action": str(label).rstrip("…"), "count": done},
                messages.SUCCESS,
            )
        for message in refused[:5]:
            self.message_user(request, message, messages.WARNING)
        if len(refused) > 5:
            self.message_user(
                request,
                _("%(count)d more members were left unchanged.") % {"count": len(refused) - 5},
                messages.WARNING,
            )
