"""Signed links sent by e-mail: confirm an address, update or withdraw a profile.

A link carries a random key that stands for the member (Member.link_key) and
a fingerprint of the member's current state (address, status, last change),
signed with SECRET_KEY and a salt of its own per purpose. A link to confirm a
survey submission carries the random key of that submission instead
(PendingRegistration.key). Hence:

* a link made for one purpose never works for another (the salt differs);
* a link expires (LINK_CONFIRM_MAX_AGE_HOURS to confirm, 7 days by default;
  LINK_MANAGE_MAX_AGE_HOURS to update or withdraw, 24 hours by default);
* until then an update or withdraw link works as often as it is opened:
  saving the profile, a review decision or another link request does not
  end it, so a double click, a mail scanner that opens every link first, or
  a second edit never meets "this link no longer works". It ends when the
  member withdraws or staff change the address (the fingerprint below holds
  the address, not the status nor the time of the last change). What a
  leaked link allows, and why that is acceptable, is in docs/links.md;
* a confirmation link confirms once; opened again it shows "already
  confirmed" (the views tell that from a forged or expired link with
  link_signature_valid);
* a link tells nothing about the member (not even how many members there
  are): its keys are random.

The keys live in the database, so links work across app servers.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import ngettext

from registry.models import Member, PendingRegistration
from registry.services.members import member_link_key


class LinkInvalid(Exception):
    """The link is tampered with, expired, already used or out of date."""


@dataclass(frozen=True)
class LinkKind:
    name: str
    salt: str
    # The setting that holds how many hours the link works.
    max_age_setting: str
    default_hours: int

    @property
    def max_age(self) -> timedelta:
        return timedelta(hours=getattr(settings, self.max_age_setting, self.default_hours))


CONFIRM = LinkKind("confirm", "registry.link.confirm", "LINK_CONFIRM_MAX_AGE_HOURS", 7 * 24)
UPDATE = LinkKind("update", "registry.link.update", "LINK_MANAGE_MAX_AGE_HOURS", 24)
WITHDRAW = LinkKind("withdraw", "registry.link.withdraw", "LINK_MANAGE_MAX_AGE_HOURS", 24)
# "Yes, my profile is still current", from the freshness prompt: answering
# twice is harmless, so it lasts until the member would be marked stale
# (registry.services.freshness).
STILL_CURRENT = LinkKind(
    "still_current", "registry.link.still-current", "LINK_STILL_CURRENT_MAX_AGE_HOURS", 60 * 24
)


def link_lifetime_text(*, kind: LinkKind) -> str:
    """How long a link of this kind works, for people: "7 days", "24 hours"."""
    hours = int(kind.max_age.total_seconds() // 3600)
    if hours >= 48 and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _fingerprint(member: Member, kind: LinkKind) -> str:
    # The address, so a link sent to an address staff have since replaced
    # stops working; neither the status nor the time of the last change, so
    # a save or a review decision does not end the links already sent.
    state = "|".join([str(member.pk), member.email])
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


def link_signature_valid(*, token: str, kind: LinkKind) -> bool:
    """Whether the token is a genuine, unexpired link of this kind, used or not."""
    return _payload(token, kind) is not None


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
