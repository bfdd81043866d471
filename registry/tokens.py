"""Signed links sent by e-mail: confirm an address, update or withdraw a profile.

A link carries a random key that stands for the member (Member.link_key) and
a fingerprint of the member's current state (address, status, last change),
signed with SECRET_KEY and a salt of its own per purpose. A link to confirm a
survey submission carries the random key of that submission instead
(PendingRegistration.key). Hence:

* a link made for one purpose never works for another (the salt differs);
* a link expires (7 days to confirm, 24 hours to update or withdraw);
* a link works once: confirming, saving or withdrawing changes the state;
  update and withdraw links also stop working after any later change to the
  profile, by the member or by staff. A confirmation link only proves that
  the address is the person's, so it survives changes until it is used;
* a link tells nothing about the member (not even how many members there
  are): its keys are random.

The keys live in the database, so links work across app servers.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from registry.models import Member, PendingRegistration
from registry.services.members import member_link_key


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
# "Yes, my profile is still current", from the freshness prompt: answering
# twice is harmless, so it survives changes and lasts until the member would
# be marked stale (registry.services.freshness).
STILL_CURRENT = LinkKind(
    "still_current", "registry.link.still-current", timedelta(days=60), voided_by_changes=False
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
    key = member_link_key(member=member)
    return signing.dumps({"k": key, "s": _fingerprint(member, kind)}, salt=kind.salt)


def pending_link_token_make(*, pending: PendingRegistration) -> str:
    """A URL-safe signed token that confirms one survey submission."""
    return signing.dumps({"p": pending.key}, salt=CONFIRM.salt)


def _payload(token: str, kind: LinkKind) -> dict | None:
    try:
        payload = signing.loads(token, salt=kind.salt, max_age=kind.max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too.
        return None
    return payload if isinstance(payload, dict) else None


def _is_key(value) -> bool:
    return isinstance(value, str) and value != ""


def member_for_link(*, token: str, kind: LinkKind, lock: bool = False) -> Member | None:
    """The member the token was made for, or None if the token is no longer valid.

    With lock=True the row is locked until the end of the caller's transaction,
    so two requests with the same link cannot both use it.
    """
    payload = _payload(token, kind)
    if payload is None:
        return None
    members = Member.objects.select_for_update() if lock else Member.objects.all()
    members = members.exclude(status=Member.Status.WITHDRAWN)
    if _is_key(payload.get("k")):
        member = members.exclude(link_key="").filter(link_key=payload["k"]).first()
    elif isinstance(payload.get("m"), int):
        # Links sent before the keys existed carry the member's id. They keep
        # working until they expire (kind.max_age after they were sent, 7 days
        # at most); once this version has run that long, this branch can go.
        member = members.filter(pk=payload["m"]).first()
    else:
        return None
    if member is None or not constant_time_compare(
        _fingerprint(member, kind), str(payload.get("s", ""))
    ):
        return None
    return member


def pending_for_link(*, token: str, lock: bool = False) -> PendingRegistration | None:
    """The survey submission a confirmation token was made for, or None.

    None when the token is not a submission's, is tampered with or expired,
    or the submission is gone (confirmed, or discarded when another one for
    the same address was). With lock=True the row is locked as above.
    """
    payload = _payload(token, CONFIRM)
    if payload is None or not _is_key(payload.get("p")):
        return None
    rows = PendingRegistration.objects.select_for_update() if lock else PendingRegistration.objects
    return rows.filter(key=payload["p"]).first()
