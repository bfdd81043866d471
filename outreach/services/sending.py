"""Sending invitation e-mails: idempotent, one short transaction per e-mail, retried with backoff.

A chunk reads its invitations with their members and opportunities in one
query and sends their e-mails over one mail connection, each inside a
transaction of its own: an UPDATE that finds the row still waiting (queued,
or failed and due, with no `sent_at` and the attempts read) marks it sent
and locks it, the e-mail is rendered and leaves, and the commit follows.
A task run twice, or a chunk queued again after a worker was killed, finds
`sent_at` set and sends nothing; a worker killed between an e-mail and its
commit leaves that one invitation waiting, so at most that e-mail goes
twice.
"""

import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
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
        invitation.opportunity.status == Opportunity.Status.OPEN
        and member.status == Member.Status.VERIFIED
        and member.consent_contact
        and member.invitations_opted_out_at is None
    )


def _chunk(invitation_ids: Iterable[int]) -> list[Invitation]:
    rows = Invitation.objects.select_related("opportunity__mission", "member")
    return list(rows.filter(pk__in=list(invitation_ids)).order_by("pk"))


def _is_due(invitation: Invitation, now: datetime) -> bool:
    return (
        invitation.sent_at is None
        and invitation.status in SENDABLE_STATUSES
        and not (invitation.next_attempt_at and invitation.next_attempt_at > now)
    )


def _waiting(invitation: Invitation, now: datetime):
    """The invitation's row if it is still as read and due; updating it takes its lock."""
    return Invitation.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=invitation.pk,
        sent_at__isnull=True,
        status__in=SENDABLE_STATUSES,
        attempts=invitation.attempts,
    )


class _Mailer:
    """One mail connection for a chunk, opened again after a failure."""

    def __init__(self):
        self.connection = get_connection()

    def __enter__(self):
        # A mail server that is down fails each e-mail below, which records it.
        with contextlib.suppress(Exception):
            self.connection.open()
        return self

    def __exit__(self, *exc_info):
        with contextlib.suppress(Exception):
            self.connection.close()

    def send(self, message) -> None:
        message.connection = self.connection
        try:
            message.send()
        except Exception:
            with contextlib.suppress(Exception):
                self.connection.close()
            raise


def _send_one(invitation: Invitation, *, base_url: str, now: datetime, mailer: _Mailer) -> str:
    if not _is_due(invitation, now):
        return SKIPPED
    if not _still_invitable(invitation):
        _waiting(invitation, now).update(status=Invitation.Status.CANCELLED)
        return SKIPPED
    attempts = invitation.attempts + 1
    with transaction.atomic():
        claimed = _waiting(invitation, now).update(
            status=Invitation.Status.SENT,
            sent_at=now,
            attempts=attempts,
            failure_reason="",
            next_attempt_at=None,
        )
        if not claimed:
            return SKIPPED
        try:
            mailer.send(invitation_message(invitation=invitation, base_url=base_url))
        except Exception as error:
            # The reason is shown to staff; the exception's text may name the
            # address, which they can see anyway, and is cut short.
            logger.warning(
                "Invitation %s could not be sent: %s", invitation.pk, type(error).__name__
            )
            Invitation.objects.filter(pk=invitation.pk).update(
                status=Invitation.Status.FAILED,
                sent_at=None,
                failure_reason=f"{type(error).__name__}: {error}"[:300],
                next_attempt_at=now + retry_delay(attempts),
            )
            return FAILED
    return SENT


def invitations_send(
    *, invitation_ids: Iterable[int], base_url: str, now: datetime | None = None
) -> dict[int, str]:
    """Send each invitation unless it was sent, answered, cancelled or is not due.

    A member who may no longer be invited, or a closed opportunity, cancels
    the invitation. A mail server that fails marks it failed with the reason
    and the time of the next attempt. Returns SENT, SKIPPED or FAILED per id.
    """
    now = now or timezone.now()
    results = dict.fromkeys(invitation_ids, SKIPPED)
    with _Mailer() as mailer:
        for invitation in _chunk(results):
            results[invitation.pk] = _send_one(
                invitation, base_url=base_url, now=now, mailer=mailer
            )
    return results


def invitation_send(*, invitation_id: int, base_url: str, now: datetime | None = None) -> str:
    """invitations_send() for one invitation."""
    return invitations_send(invitation_ids=[invitation_id], base_url=base_url, now=now)[
        invitation_id
    ]


def _remind_one(invitation: Invitation, *, base_url: str, now: datetime, mailer: _Mailer) -> str:
    if (
        invitation.status != Invitation.Status.SENT
        or invitation.reminder_sent_at
        or not _still_invitable(invitation)
    ):
        return SKIPPED
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, status=Invitation.Status.SENT, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            return SKIPPED
        try:
            mailer.send(invitation_message(invitation=invitation, base_url=base_url, reminder=True))
        except Exception as error:
            logger.warning("Reminder %s could not be sent: %s", invitation.pk, type(error).__name__)
            transaction.set_rollback(True)
            return FAILED
    return SENT


def reminders_send(
    *, invitation_ids: Iterable[int], base_url: str, now: datetime | None = None
) -> dict[int, str]:
    """Send the one reminder to each member who has not answered yet."""
    now = now or timezone.now()
    results = dict.fromkeys(invitation_ids, SKIPPED)
    with _Mailer() as mailer:
        for invitation in _chunk(results):
            results[invitation.pk] = _remind_one(
                invitation, base_url=base_url, now=now, mailer=mailer
            )
    return results


def invitation_remind(*, invitation_id: int, base_url: str, now: datetime | None = None) -> str:
    """reminders_send() for one invitation."""
    return reminders_send(invitation_ids=[invitation_id], base_url=base_url, now=now)[invitation_id]


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
