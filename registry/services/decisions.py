"""Telling members the focal point's decision (issue 17).

A review decision (registry.services.review) schedules one e-mail to the
member's own address once the decision is committed: a welcome when verified,
a polite note when rejected (with the reason only when the focal point chose
to share it), and a note that the other profile is kept when marked as a
duplicate. The e-mail goes through the task queue (registry.tasks), so a
slow or failing mail server never holds up or breaks the admin, and it
speaks of the decision still in force when the task runs: a decision undone
in the meantime sends nothing.
"""

import logging
from functools import partial
from urllib.parse import urljoin

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry.mail import member_email_send, member_greeting_name
from registry.models import Member

logger = logging.getLogger(__name__)

Status = Member.Status

# The decision's status, its e-mail template and subject.
DECISION_EMAILS = {
    Status.VERIFIED: ("decision_verified", _("Welcome to DORIN: your profile is verified")),
    Status.REJECTED: ("decision_rejected", _("Your DORIN registration")),
    Status.DUPLICATE: ("decision_duplicate", _("Your DORIN registration: one profile kept")),
}


def _enqueue(*, member_id: int, status: str, share_reason: bool, base_url: str) -> None:
    from registry.tasks import member_decision_email

    try:
        member_decision_email.enqueue(
            member_id=member_id, status=status, share_reason=share_reason, base_url=base_url
        )
    except Exception:
        # The decision stands; the member can still be told by hand.
        logger.exception("The decision e-mail for member %s could not be queued", member_id)


def member_decision_notify_after_commit(
    *, member: Member, share_reason: bool = False, base_url: str = ""
) -> None:
    """Queue the e-mail telling the member the decision just recorded, after commit.

    `base_url` is the site's address for the link to the profile page (the
    admin passes the request's); without it the e-mail names the page only.
    """
    if member.status not in DECISION_EMAILS:
        return
    transaction.on_commit(
        partial(
            _enqueue,
            member_id=member.pk,
            status=member.status,
            share_reason=share_reason,
            base_url=base_url,
        )
    )


def member_decision_email_send(
    *, member_id: int, status: str, share_reason: bool, base_url: str
) -> bool:
    """Send the decision e-mail if the member still has that status; whether it was sent."""
    member = Member.objects.filter(pk=member_id, status=status).exclude(email="").first()
    if member is None or status not in DECISION_EMAILS:
        return False
    template, subject = DECISION_EMAILS[status]
    profile_path = reverse("registry:profile")
    member_email_send(
        to=member.email,
        language=member.language,
        subject=subject,
        template=template,
        context={
            "name": member_greeting_name(member=member),
            "profile_url": urljoin(base_url, profile_path) if base_url else "",
            "reason": member.review_reason if share_reason else "",
            "consent_contact": member.consent_contact,
        },
    )
    return True
