"""E-mails to members: plain text and HTML, sent once the transaction commits.

An e-mail goes out only after the data it speaks of is safely stored, and a
mail server that fails then is logged, never turned into an error page: the
registration, update or withdrawal stands, and the person can ask for a new
link from the "Update my profile" page.
"""

import logging
import re
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from registry.models import Member

logger = logging.getLogger(__name__)


def email_send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    language: str = "",
    reply_to: str = "",
) -> bool:
    """Send registry/email/<template>.txt and .html to one address now; False if it failed.

    The e-mail is written in `language` (the recipient's; the site's default
    language, for staff, when empty), whatever language the request or task
    that sends it runs in; a lazy subject is translated into it too. Answers
    go to `reply_to`, or to CONTACT_EMAIL when it is empty. Callers inside a
    transaction use member_email_send_after_commit or a task.
    """
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = str(subject)
            text = render_to_string(f"registry/email/{template}.txt", context)
            html = render_to_string(f"registry/email/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[to],
            reply_to=[reply_to or settings.CONTACT_EMAIL],
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        # The address is personal data and stays out of the log.
        logger.exception("The %r e-mail could not be sent", template)
        return False
    return True


# What a mail program may turn into a link: a scheme ("http:", "mailto:"), an
# address, "www.", or a dot (also an ideographic or full-width one) between
# two words, as in a domain name.
_LINK_LIKE = re.compile(r"[a-z][a-z0-9+.-]*:|@|www\.|\w[.\u3002\uff0e\uff61]\w", re.IGNORECASE)


def looks_like_link(text: str) -> bool:
    """Whether a mail program might show some of the text as a link."""
    return bool(_LINK_LIKE.search(text))


def member_greeting_name(*, member: Member) -> str:
    """The name to greet the member with in an e-mail, or "" for a plain greeting.

    Before the address is confirmed the name is whatever someone typed into
    the survey, possibly in another person's name, so it is not repeated.
    Nor is a name that a mail program could show as a link, whoever wrote it.
    """
    name = member.full_name
    if member.status == Member.Status.UNCONFIRMED or looks_like_link(name):
        return ""
    return name


def member_email_send(
    *, to: str, language: str, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Send registry/email/<template>.txt and .html to one address now, in `language`.

    For tasks, which run after the commit already; a failing mail server is
    logged, never raised. The context rules of member_email_send_after_commit
    hold.
    """
    email_send(to=to, language=language, subject=subject, template=template, context=context)


def member_email_send_after_commit(
    *, to: str, language: str, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Send registry/email/<template>.txt and .html to one address after commit.

    Written in `language`, the member's (Member.language); text computed
    by the caller (a link's lifetime, say) must be computed in it as well,
    inside translation.override(language), or passed lazily. The context
    must hold only the recipient's own data, and no text a visitor typed
    unless the recipient confirmed it (see member_greeting_name).
    """
    transaction.on_commit(
        partial(
            email_send,
            to=to,
            language=language,
            subject=subject,
            template=template,
            context=context,
        )
    )
