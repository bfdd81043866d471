"""What the member's own profile page shows of their invitations."""

from django.urls import reverse

from outreach.models import Invitation


def profile_invitations_context(*, member, token: str) -> dict:
    """Template context for templates/outreach/includes/profile_invitations.html."""
    invitations = (
        Invitation.objects.filter(member=member)
        .exclude(status__in=[Invitation.Status.QUEUED, Invitation.Status.CANCELLED])
        .select_related("opportunity")
        .order_by("-created_at", "-id")
    )
    return {
        "outreach_invitations": list(invitations[:50]),
        "outreach_opted_out_at": member.invitations_opted_out_at,
        "outreach_resume_url": reverse("invitations:resume", args=[token]),
    }
