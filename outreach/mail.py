"""The invitation e-mail: plain text and HTML, a signed response link, one-click opt-out.

Unlike registry.mail this raises when the mail server fails: the sending
task records the failure on the invitation and retries later.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from outreach.models import Invitation
from outreach.tokens import invitation_token_make
from registry.mail import member_greeting_name


def invitation_urls(*, invitation: Invitation, base_url: str) -> dict[str, str]:
    """The absolute response and one-click opt-out URLs of the invitation."""
    token = invitation_token_make(invitation=invitation)
    return {
        "respond_url": urljoin(base_url, reverse("invitations:respond", args=[token])),
        "opt_out_url": urljoin(base_url, reverse("invitations:opt_out", args=[token])),
    }


def invitation_message(
    *, invitation: Invitation, base_url: str, reminder: bool = False
) -> EmailMultiAlternatives:
    """The e-mail inviting the member (or reminding them), ready to send.

    Written in the member's language, whatever the language of the staff
    member who sent the invitations.
    """
    with translation.override(invitation.member.language):
        return _invitation_message(invitation=invitation, base_url=base_url, reminder=reminder)


def _invitation_message(
    *, invitation: Invitation, base_url: str, reminder: bool
) -> EmailMultiAlternatives:
    opportunity = invitation.opportunity
    urls = invitation_urls(invitation=invitation, base_url=base_url)
    context = {
        "name": member_greeting_name(member=invitation.member),
        "opportunity": opportunity,
        "inviter": opportunity.mission.name if opportunity.mission_id else _("DORIN headquarters"),
        "reminder": reminder,
        **urls,
    }
    subject = _("Invitation: %(title)s") % {"title": opportunity.title}
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    # A subject is one line whatever the title holds.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("outreach/email/invitation.txt", context),
        to=[invitation.member.email],
        reply_to=[settings.CONTACT_EMAIL],
        headers={
            # RFC 2369 and RFC 8058: mail programs offer a one-click "unsubscribe".
            "List-Unsubscribe": f"<{urls['opt_out_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("outreach/email/invitation.html", context), "text/html"
    )
    return message
