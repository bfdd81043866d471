"""E-mails to members: plain text and HTML, sent once the transaction commits.

An e-mail goes out only after the data it speaks of is safely stored, and a
mail server that fails then is logged, never turned into an error page: the
registration, update or withdrawal stands, and the person can ask for a new
link from the "Update my profile" page.
"""

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    try:
        text = render_to_string(f"registry/email/{template}.txt", context)
        html = render_to_string(f"registry/email/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[to],
            reply_to=[settings.CONTACT_EMAIL],
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        # The address is personal data and stays out of the log.
        logger.exception("The %r e-mail could not be sent", template)


def member_email_send_after_commit(
    *, to: str, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Send registry/email/<template>.txt and .html to one address after commit.

    The context must hold only the recipient's own data.
    """
    transaction.on_commit(
        partial(_send, to=to, subject=subject, template=template, context=context)
    )
