"""Retention: personal data kept only as long as the privacy notice promises.

`manage.py purge_registry` (daily, from cron) applies RETENTION_RULES in
order. Each rule names the rows past their retention period and how one row
is erased; a new store of personal data with a retention period adds one
rule to the tuple. Members are erased exactly as a withdrawal erases them
(registry.services.withdrawal.member_erase: personal fields, relations,
pending submissions, task results, export-log searches, admin log and
history), leaving the same anonymous tombstone, and get no e-mail.

When "older than" counts from:

* unconfirmed registrations: from the registration (Member.created_at): the
  address was never proved, so nothing later can extend the period;
* rejected members: from the decision (Member.reviewed_at; the last change
  for a member rejected before decisions were dated);
* survey submissions waiting for confirmation: from the submission, once
  their confirmation link has expired (they can never be confirmed then).

Confirmed members (submitted, verified, duplicate) are never purged: they
leave by withdrawing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from registry.models import ContactMessage, Member, PendingRegistration
from registry.services.withdrawal import member_erase
from registry.tokens import CONFIRM


@dataclass(frozen=True)
class RetentionRule:
    """One kind of row with a retention period.

    `expired(now)` is the queryset of rows past their period at `now`; it is
    evaluated again, locked, for each row before `erase(row)` runs, so a row
    changed meanwhile (confirmed, erased by another run) is left alone.
    """

    name: str
    expired: Callable[[datetime], QuerySet]
    erase: Callable[[Any], None]


def _days(setting: str) -> timedelta:
    return timedelta(days=getattr(settings, setting))


def unconfirmed_members_expired(now: datetime) -> QuerySet[Member]:
    cutoff = now - _days("RETENTION_UNCONFIRMED_DAYS")
    return Member.objects.filter(status=Member.Status.UNCONFIRMED, created_at__lt=cutoff)


def rejected_members_expired(now: datetime) -> QuerySet[Member]:
    cutoff = now - _days("RETENTION_REJECTED_DAYS")
    return Member.objects.filter(status=Member.Status.REJECTED).filter(
        Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True, updated_at__lt=cutoff)
    )


def pending_submissions_expired(now: datetime) -> QuerySet[PendingRegistration]:
    return PendingRegistration.objects.filter(created_at__lt=now - CONFIRM.max_age)


def contact_messages_expired(now: datetime) -> QuerySet[ContactMessage]:
    # Queries to the focal point are kept as long as rejected entries.
    return ContactMessage.objects.filter(created_at__lt=now - _days("RETENTION_REJECTED_DAYS"))


def _erase_member(member: Member) -> None:
    member_erase(member=member)


def _delete(row) -> None:
    row.delete()


# The rules, in order. Another store with a retention period adds a
# RetentionRule here.
RETENTION_RULES: tuple[RetentionRule, ...] = (
    RetentionRule("unconfirmed", unconfirmed_members_expired, _erase_member),
    RetentionRule("rejected", rejected_members_expired, _erase_member),
    RetentionRule("expired_submissions", pending_submissions_expired, _delete),
    RetentionRule("contact_messages", contact_messages_expired, _delete),
)


def _purge_rule(rule: RetentionRule, now: datetime) -> int:
    erased = 0
    for pk in list(rule.expired(now).order_by().values_list("pk", flat=True)):
        # One transaction per row: a long purge holds no lock for long, and
        # a concurrent run that erased the row first makes this one skip it.
        with transaction.atomic():
            row = rule.expired(now).select_for_update().filter(pk=pk).first()
            if row is None:
                continue
            rule.erase(row)
            erased += 1
    return erased


def registry_purge(
    *, now: datetime | None = None, dry_run: bool = False, rules=RETENTION_RULES
) -> dict[str, int]:
    """Erase every row past its retention period; returns the count per rule.

    Idempotent (an erased row no longer matches its rule) and safe to run
    twice at once. With dry_run, counts what would be erased and changes
    nothing.
    """
    now = now or timezone.now()
    if dry_run:
        return {rule.name: rule.expired(now).count() for rule in rules}
    return {rule.name: _purge_rule(rule, now) for rule in rules}
