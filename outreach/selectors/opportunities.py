"""Reads of opportunities and invitations for staff pages, within the Mission scope."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from outreach.models import Invitation, Opportunity
from registry.selectors.missions import staff_scope

# Invitation states as the pages count them; "no answer" is a sent invitation
# whose reply-by date has passed (or whose opportunity closed) unanswered.
_S = Invitation.Status
COUNTED = ("invited", "queued", "sent", "failed", "accepted", "declined", "opted_out", "no_answer")


def opportunities_visible_to(user) -> QuerySet[Opportunity]:
    """Headquarters see every opportunity; a Mission's staff their Mission's only."""
    if not (user.is_active and user.is_staff and user.has_perm("outreach.view_opportunity")):
        return Opportunity.objects.none()
    scope = staff_scope(user)
    if scope.is_headquarters:
        return Opportunity.objects.all()
    return Opportunity.objects.filter(mission_id=scope.mission_id)


def _no_answer(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}status": _S.SENT}) & (
        Q(**{f"{prefix}opportunity__reply_by__lt": today})
        | Q(**{f"{prefix}opportunity__status": Opportunity.Status.CLOSED})
    )


def _counts(prefix: str = "", visible: Q | None = None) -> dict:
    def count(condition: Q) -> Count:
        if visible is not None:
            condition &= visible
        return Count(f"{prefix}pk" if prefix else "pk", filter=condition)

    p = prefix
    return {
        "n_invited": count(~Q(**{f"{p}status": _S.CANCELLED}) & Q(**{f"{p}pk__isnull": False})),
        "n_queued": count(Q(**{f"{p}status": _S.QUEUED})),
        "n_sent": count(Q(**{f"{p}status": _S.SENT}) & ~_no_answer(p)),
        "n_failed": count(Q(**{f"{p}status": _S.FAILED})),
        "n_accepted": count(Q(**{f"{p}status": _S.ACCEPTED})),
        "n_declined": count(Q(**{f"{p}status": _S.DECLINED})),
        "n_opted_out": count(Q(**{f"{p}status": _S.OPTED_OUT})),
        "n_no_answer": count(_no_answer(p)),
    }


def opportunities_with_counts(*, user, status: str = "") -> QuerySet[Opportunity]:
    """The user's opportunities with counts of their invitations (one query)."""
    rows = opportunities_visible_to(user).select_related("mission")
    if status:
        rows = rows.filter(status=status)
    # Invitations to members the user cannot see are not counted either.
    visible = staff_scope(user).condition(prefix="invitations__member__")
    return rows.annotate(**_counts("invitations__", visible)).order_by("-created_at", "-id")


def invitations_visible(*, user, opportunity: Opportunity) -> QuerySet[Invitation]:
    """The opportunity's invitations to members the user may see."""
    rows = Invitation.objects.filter(opportunity=opportunity).select_related("member")
    return staff_scope(user).narrow(rows, prefix="member__").order_by("id")


def invitation_counts(*, user, opportunity: Opportunity) -> dict[str, int]:
    counts = invitations_visible(user=user, opportunity=opportunity).aggregate(**_counts())
    return {name.removeprefix("n_"): value or 0 for name, value in counts.items()}


def invitation_state(invitation: Invitation) -> str:
    """The state shown: the stored status, or "no_answer" once the time to answer is over."""
    opportunity = invitation.opportunity
    if invitation.status == _S.SENT and (
        opportunity.status == Opportunity.Status.CLOSED
        or opportunity.reply_by < timezone.localdate()
    ):
        return "no_answer"
    return invitation.status


def host_institution_suggestions(*, user) -> list[str]:
    """Host institutions of earlier opportunities, for the form's suggestions."""
    rows = opportunities_visible_to(user).order_by("host_institution")
    return list(rows.values_list("host_institution", flat=True).distinct()[:200])
