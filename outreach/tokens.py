"""Signed response links in invitation e-mails.

A link carries the invitation's random key (Invitation.key), signed with
SECRET_KEY and a salt of its own, so it names one invitation and one member
and cannot be turned into another's. It answers until the end of the
opportunity's reply-by date; the opt-out it also carries (List-Unsubscribe)
works as long as the signature holds, since stopping invitations must never
need a fresh link.
"""

import secrets
from datetime import datetime

from django.core import signing
from django.utils import timezone

from outreach.models import Invitation

SALT = "outreach.invitation.response"


def invitation_key_new() -> str:
    return secrets.token_urlsafe(32)


def invitation_token_make(*, invitation: Invitation) -> str:
    """A URL-safe signed token for the invitation's response page."""
    return signing.dumps({"i": invitation.key}, salt=SALT)


def invitation_for_token(
    *, token: str, lock: bool = False, now: datetime | None = None, for_opt_out: bool = False
) -> Invitation | None:
    """The invitation the token was made for, or None if it is tampered with or expired.

    Expired means past the end of the reply-by date (local time), unless
    `for_opt_out`. With lock=True the row is locked until the end of the
    caller's transaction.
    """
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    key = payload.get("i") if isinstance(payload, dict) else None
    if not isinstance(key, str) or not key:
        return None
    rows = Invitation.objects.select_related("opportunity", "member")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(key=key).first()
    if invitation is None:
        return None
    if not for_opt_out and timezone.localdate(now) > invitation.opportunity.reply_by:
        return None
    return invitation
