"""Sending invitation e-mails: idempotent, one row lock per e-mail, retried with backoff.

An invitation is sent when its row, locked, is still queued (or failed and
due again) with no `sent_at`: the e-mail leaves and `sent_at` is written in
the same transaction. A task run twice, or a chunk queued again after a
worker was killed, finds `sent_at` set and sends nothing.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outreach.mail import invitation_message
from outreach.models import SENDABLE_STATUSES, Invitation, Opportunity
from registry.models import Member

logger = logging.getLogger(__name__)

SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"


def retry_delay(attempts: int) -> timedelta:
    """Wait before attempt `attempts` + 1: doubling from OUTREACH_RETRY_BASE_SECONDS."""
    return timedelta(seconds=settings.OUTREACH_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _still_invitable(invitation: Invitation) -> bool:
    member = invitation.member
    return (
        member.status == Member.Status.VERIFIED
        and member.consent_contact
        and member.invitations_opted_out_at is None
    )


def _locked(invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("opportunity__mission", "member")
        .filter(pk=invitation_id)
        .first()
    )


@transaction.atomic
def invitation_send(*, invitation_id: int, base_url: str, now: datetime | None = None) -> str:
    """Send one invitation unless it was sent, answered, cancelled or is not due.

    A mail server that fails marks it failed with the reason and the time of
    the next attempt. Returns SENT, SKIPPED or FAILED.
    """
    now = now or timezone.now()
    invitation = _locked(invitation_id)
    if invitation is None or invitation.sent_at or invitation.status not in SENDABLE_STATUSES:
        return SKIPPED
    if invitation.next_attempt_at and invitation.next_attempt_at > now:
        return SKIPPED
    if invitation.opportunity.status != Opportunity.Status.OPEN or not _still_invitable(invitation):
        invitation.status = Invitation.Status.CANCELLED
        invitation.save(update_fields=["status"])
        return SKIPPED
    invitation.attempts += 1
    try:
        invitation_message(invitation=invitation, base_url=base_url).send()
    except Exception as error:
        # The reason is shown to staff; the exception's text may name the
        # address, which they can see anyway, and is cut short.
        logger.warning("Invitation %s could not be sent: %s", invitation.pk, type(error).__name__)
        invitation.status = Invitation.Status.FAILED
        invitation.failure_reason = f"{type(error).__name__}: {error}"[:300]
        invitation.next_attempt_at = now + retry_delay(invitation.attempts)
        invitation.save(update_fields=["status", "attempts", "failure_reason", "next_attempt_at"])
        return FAILED
    invitation.status = Invitation.Status.SENT
    invitation.sent_at = now
    invitation.failure_reason = ""
    invitation.next_attempt_at = None
    invitation.save(
        update_fields=["status", "attempts", "sent_at", "failure_reason", "next_attempt_at"]
    )
    return SENT


@transaction.atomic
def invitation_remind(*, invitation_id: int, base_url: str, now: datetime | None = None) -> str:
    """Send the one reminder to a member who has not answered yet."""
    invitation = _locked(invitation_id)
    if (
        invitation is None
        or invitation.status != Invitation.Status.SENT
        or invitation.reminder_sent_at
        or invitation.opportunity.status != Opportunity.Status.OPEN
        or not _still_invitable(invitation)
    ):
        return SKIPPED
    try:
        invitation_message(invitation=invitation, base_url=base_url, reminder=True).send()
    except Exception as error:
        logger.warning("Reminder %s could not be sent: %s", invitation.pk, type(error).__name__)
        return FAILED
    invitation.reminder_sent_at = now or timezone.now()
    invitation.save(update_fields=["reminder_sent_at"])
    return SENT


def invitations_due(*, opportunity_id: int | None = None, now: datetime | None = None):
    """Ids of invitations waiting to be sent (queued, or failed and due again), in order."""
    now = now or timezone.now()
    rows = Invitation.objects.filter(
        status__in=SENDABLE_STATUSES,
        sent_at__isnull=True,
        attempts__lt=settings.OUTREACH_MAX_ATTEMPTS,
        opportunity__status=Opportunity.Status.OPEN,
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if opportunity_id is not None:
        rows = rows.filter(opportunity_id=opportunity_id)
    return rows.order_by("id").values_list("id", flat=True)


def invitations_to_remind(*, opportunity_id: int):
    return (
        Invitation.objects.filter(
            opportunity_id=opportunity_id,
            status=Invitation.Status.SENT,
            reminder_sent_at__isnull=True,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


def invitation_chunks(ids) -> list[list[int]]:
    """The ids cut into chunks of OUTREACH_SEND_CHUNK, one task each."""
    size = settings.OUTREACH_SEND_CHUNK
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def invitation_next_attempts(ids: list[int]) -> list[datetime]:
    rows = Invitation.objects.filter(pk__in=ids, next_attempt_at__isnull=False)
    return list(rows.values_list("next_attempt_at", flat=True))
