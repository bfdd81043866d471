"""Messages from visitors: queries to the focal point, and messages to listed members.

Neither ever sends a copy to the address a visitor typed: that address is
only the Reply-To of a message to the focal point or to a member who chose to
be listed, so the forms cannot be used to mail strangers. E-mails go out from
tasks after the commit; a failing mail server is logged, and a query to the
focal point stays readable in the admin.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.mail import email_send, looks_like_link, member_greeting_name
from registry.models import ContactMessage, Member
from registry.selectors.directory import directory_recipient
from registry.services.members import member_update


def _one_line(text: str) -> str:
    # Subjects are validated on the way in; this keeps a header one line whatever the caller.
    return " ".join(text.split())


@transaction.atomic
def contact_message_create(*, name: str, email: str, subject: str, message: str) -> ContactMessage:
    """Store a query to the focal point and e-mail it to FOCAL_POINT_EMAIL after commit."""
    # registry.tasks imports this module to run the sending.
    from registry.tasks import contact_message_notify

    stored = ContactMessage.objects.create(
        name=name, email=email, subject=_one_line(subject), message=message
    )
    transaction.on_commit(lambda: contact_message_notify.enqueue(message_id=stored.pk))
    return stored


def contact_message_send(*, message_id: int) -> bool:
    """E-mail a stored query to the focal point, Reply-To the sender; False if not sent."""
    stored = ContactMessage.objects.filter(pk=message_id).first()
    if stored is None:
        # Purged before the task ran.
        return False
    # Staff read it in the site's language, whichever the visitor wrote in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("DORIN contact page: %(subject)s") % {"subject": _one_line(stored.subject)}
    return email_send(
        to=settings.FOCAL_POINT_EMAIL,
        subject=subject,
        template="contact_message",
        context={"name": "", "message": stored},
        reply_to=stored.email,
    )


@transaction.atomic
def contact_messages_mark_handled(*, messages: QuerySet[ContactMessage], user) -> int:
    """Mark the messages not yet handled as handled by `user`; returns how many."""
    return messages.filter(handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=user
    )


@transaction.atomic
def _sender(*, name: str, email: str) -> str:
    # A name that a mail program would show as a link could pass for the
    # ministry's own instructions; the address alone then says who wrote.
    if looks_like_link(name):
        return email
    return f"{name} ({email})"


def directory_message_send(
    *, member_id: int, sender_name: str, sender_email: str, message: str, base_url: str
) -> bool:
    """E-mail a visitor's message to a listed member, Reply-To the visitor.

    Nothing is sent when the member has left the directory meanwhile; the
    visitor is never told either way. Returns whether an e-mail went out.
    """
    member = directory_recipient(member_id=member_id)
    if member is None:
        return False
    return email_send(
        to=member.email,
        language=member.language,
        subject=gettext_lazy("A message through the DORIN directory"),
        template="directory_message",
        context={
            "name": member_greeting_name(member=member),
            "sender": _sender(name=sender_name, email=sender_email),
            "sender_email": sender_email,
            "message": message,
            "profile_url": urljoin(base_url, reverse("registry:profile")),
        },
        reply_to=sender_email,
    )


def member_leave_directory(*, member: Member) -> Member:
    """Take the member out of the public directory (their other answers stay)."""
    if not member.consent_directory:
        return member
    return member_update(
        member=member, data={"consent_directory": False}, reason="Left the public directory"
    )
