"""The focal point's review of members: verify, reject, mark duplicate, reopen.

Each decision records who made it and when (reviewed_by, reviewed_at) and is
kept in the member's history with a short reason. Nothing is merged: a
duplicate keeps its data and points to the original. Verifying, rejecting and
marking a duplicate tell the member by e-mail after the commit
(registry.services.decisions); `base_url` is the site's address for the link
in that e-mail.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Member
from registry.services.decisions import member_decision_notify_after_commit
from registry.services.history import member_history_ensure_baseline

Status = Member.Status

# Which decision may follow which status. Unconfirmed entries wait for their
# owner's e-mail confirmation; withdrawn ones are anonymous tombstones.
VERIFY_FROM = {Status.SUBMITTED, Status.REJECTED, Status.DUPLICATE}
REJECT_FROM = {Status.SUBMITTED, Status.VERIFIED, Status.DUPLICATE}
DUPLICATE_FROM = {Status.SUBMITTED, Status.VERIFIED, Status.REJECTED}
RETURN_FROM = {Status.VERIFIED, Status.REJECTED, Status.DUPLICATE}

_REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_reason", "duplicate_of"]


def _check_status(member: Member, allowed: set[str]) -> None:
    if member.status not in allowed:
        raise ValidationError(
            _("%(member)s cannot be changed from “%(status)s” this way."),
            code="invalid_transition",
            params={"member": member, "status": member.get_status_display()},
        )


def _record_decision(
    *,
    member: Member,
    by,
    status: str,
    change_reason: str,
    reason: str = "",
    duplicate_of: Member | None = None,
    now: datetime | None = None,
) -> Member:
    member_history_ensure_baseline(member_id=member.pk)
    member.status = status
    member.reviewed_by = by
    member.reviewed_at = now or timezone.now()
    member.review_reason = reason
    member.duplicate_of = duplicate_of
    member._history_user = by
    member._change_reason = change_reason
    member.save(update_fields=[*_REVIEW_FIELDS, "updated_at"])
    return member


@transaction.atomic
def member_verify(*, member: Member, by, now: datetime | None = None, base_url: str = "") -> Member:
    """Mark the entry as checked and genuine; the member gets a welcome e-mail."""
    _check_status(member, VERIFY_FROM)
    member = _record_decision(
        member=member, by=by, status=Status.VERIFIED, change_reason=_("Verified"), now=now
    )
    member_decision_notify_after_commit(member=member, base_url=base_url)
    return member


@transaction.atomic
def member_reject(
    *,
    member: Member,
    by,
    reason: str,
    share_reason: bool = False,
    now: datetime | None = None,
    base_url: str = "",
) -> Member:
    """Reject the entry; the reason is kept with it and in its history.

    The member gets a polite e-mail, with the reason only if `share_reason`.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the rejection."), code="reason_required")
    _check_status(member, REJECT_FROM)
    member = _record_decision(
        member=member,
        by=by,
        status=Status.REJECTED,
        change_reason=_("Rejected"),
        reason=reason,
        now=now,
    )
    member_decision_notify_after_commit(member=member, share_reason=share_reason, base_url=base_url)
    return member


@transaction.atomic
def member_mark_duplicate(
    *, member: Member, by, original: Member, now: datetime | None = None, base_url: str = ""
) -> Member:
    """Mark the entry as a duplicate of `original`; both keep their data.

    Only the duplicate's address is told, that the other profile is kept.
    """
    _check_status(member, DUPLICATE_FROM)
    if original.pk == member.pk:
        raise ValidationError(_("A member cannot be a duplicate of itself."), code="self")
    if original.status in {Status.DUPLICATE, Status.WITHDRAWN}:
        raise ValidationError(
            _("Choose the original entry: %(original)s is “%(status)s”."),
            code="invalid_original",
            params={"original": original, "status": original.get_status_display()},
        )
    member = _record_decision(
        member=member,
        by=by,
        status=Status.DUPLICATE,
        change_reason=_("Marked as duplicate"),
        duplicate_of=original,
        now=now,
    )
    member_decision_notify_after_commit(member=member, base_url=base_url)
    return member


@transaction.atomic
def member_return_to_submitted(*, member: Member, by, now: datetime | None = None) -> Member:
    """Undo a decision: the entry awaits review again."""
    _check_status(member, RETURN_FROM)
    return _record_decision(
        member=member,
        by=by,
        status=Status.SUBMITTED,
        change_reason=_("Returned to review"),
        now=now,
    )
