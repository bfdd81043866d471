"""The member's answer to an invitation, from the signed link, without login."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from outreach.models import ANSWERED_STATUSES, Invitation, Opportunity
from outreach.tokens import invitation_for_token
from registry.models import Member

ACCEPT = "accept"
DECLINE = "decline"
OPT_OUT = "opt_out"


class AnswerRefused(Exception):
    """The link is no longer valid (tampered with or past the reply-by date)."""


class OpportunityClosed(Exception):
    """The opportunity closed before the answer came."""


def _opt_out(member: Member, now: datetime) -> None:
    # An update() leaves the member's updated_at (and so the profile links
    # already sent) alone, and does not overwrite an earlier opt-out time.
    Member.objects.filter(pk=member.pk, invitations_opted_out_at__isnull=True).update(
        invitations_opted_out_at=now
    )


@transaction.atomic
def invitation_answer(
    *,
    token: str,
    answer: str,
    message: str = "",
    availability: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Invitation:
    """Record the member's one answer: accept, decline, or stop inviting me.

    A second answer changes nothing and returns the invitation as the first
    left it. Raises AnswerRefused for an invalid link and OpportunityClosed
    once the opportunity is closed (an opt-out is still recorded then).
    """
    now = now or timezone.now()
    invitation = invitation_for_token(
        token=token, lock=True, now=now, for_opt_out=answer == OPT_OUT
    )
    if invitation is None:
        raise AnswerRefused
    if answer == OPT_OUT:
        _opt_out(invitation.member, now)
    if invitation.status in ANSWERED_STATUSES:
        return invitation
    if invitation.opportunity.status == Opportunity.Status.CLOSED:
        raise OpportunityClosed
    invitation.answered_at = now
    if answer == ACCEPT:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.message = message
        invitation.availability = availability
    elif answer == DECLINE:
        invitation.status = Invitation.Status.DECLINED
        invitation.decline_reason = reason
    else:
        invitation.status = Invitation.Status.OPTED_OUT
    invitation.save(
        update_fields=["status", "answered_at", "message", "availability", "decline_reason"]
    )
    return invitation


@transaction.atomic
def invitation_opt_out(*, token: str, now: datetime | None = None) -> bool:
    """The one-click opt-out (RFC 8058): stop inviting the member. False for a bad link."""
    now = now or timezone.now()
    invitation = invitation_for_token(token=token, lock=True, now=now, for_opt_out=True)
    if invitation is None:
        return False
    _opt_out(invitation.member, now)
    if invitation.status not in ANSWERED_STATUSES and invitation.sent_at:
        invitation.status = Invitation.Status.OPTED_OUT
        invitation.answered_at = now
        invitation.save(update_fields=["status", "answered_at"])
    return True


@transaction.atomic
def member_invitations_resume(*, member: Member) -> None:
    """Undo the member's opt-out: later rankings may list them again."""
    Member.objects.filter(pk=member.pk).update(invitations_opted_out_at=None)
    member.invitations_opted_out_at = None


def member_invitations_erase(*, member: Member) -> int:
    """Erase what the member wrote in their answers; for withdrawal. Returns how many."""
    return Invitation.objects.filter(member=member).update(
        message="", availability="", decline_reason="", outcome_notes="", failure_reason=""
    )
