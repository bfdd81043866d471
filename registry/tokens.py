"""Signed links sent by e-mail: confirm an address, update or withdraw a profile.

A link carries the member's id and a fingerprint of the member's current state
(address, status, last change), signed with SECRET_KEY and a salt of its own
per purpose. Hence:

* a link made for one purpose never works for another (the salt differs);
* a link expires (7 days to confirm, 24 hours to update or withdraw);
* a link works once: confirming, saving or withdrawing changes the state;
  update and withdraw links also stop working after any later change to the
  profile, by the member or by staff. A confirmation link only proves that
  the address is the person's, so it survives changes until it is used.

Nothing is stored on the server, so links work across app servers.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from registry.models import Member


class LinkInvalid(Exception):
    """The link is tampered with, expired, already used or out of date."""


@dataclass(frozen=True)
class LinkKind:
    name: str
    salt: str
    max_age: timedelta
    # Whether any change to the profile after the link was sent voids it.
    voided_by_changes: bool


CONFIRM = LinkKind("confirm", "registry.link.confirm", timedelta(days=7), voided_by_changes=False)
UPDATE = LinkKind("update", "registry.link.update", timedelta(hours=24), voided_by_changes=True)
WITHDRAW = LinkKind(
    "withdraw", "registry.link.withdraw", timedelta(hours=24), voided_by_changes=True
)


def _fingerprint(member: Member, kind: LinkKind) -> str:
    parts = [str(member.pk), member.email, member.status]
    if kind.voided_by_changes:
        parts.append(f"{member.updated_at.timestamp():.6f}")
    state = "|".join(parts)
    # A keyed hash, so the link does not reveal the address or the timestamps.
    return salted_hmac(kind.salt + ".state", state).hexdigest()[:24]


def link_token_make(*, member: Member, kind: LinkKind) -> str:
    """A URL-safe signed token for one purpose, valid for the member's current state."""
    return signing.dumps({"m": member.pk, "s": _fingerprint(member, kind)}, salt=kind.salt)


def member_for_link(*, token: str, kind: LinkKind, lock: bool = False) -> Member | None:
    """The member the token was made for, or None if the token is no longer valid.

    With lock=True the row is locked until the end of the caller's transaction,
    so two requests with the same link cannot both use it.
    """
    try:
        payload = signing.loads(token, salt=kind.salt, max_age=kind.max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too.
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        return None
    members = Member.objects.select_for_update() if lock else Member.objects.all()
    member = members.exclude(status=Member.Status.WITHDRAWN).filter(pk=payload["m"]).first()
    if member is None or not constant_time_compare(
        _fingerprint(member, kind), str(payload.get("s", ""))
    ):
        return None
    return member
