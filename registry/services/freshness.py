"""Freshness: once a year, members are asked whether their profile is still current.

A member is due FRESHNESS_DAYS after last confirming (Member.last_confirmed_at:
confirming the address, saving the profile, or answering "still current";
the registration date for members loaded in bulk without one). Then
`manage.py send_freshness_prompts` (daily, from cron):

1. e-mails a first prompt with a one-click "yes, still current" link and an
   update link, and records it (freshness_prompted_at);
2. REMINDER_AFTER later, with no answer, e-mails a second prompt
   (freshness_reminded_at);
3. STALE_AFTER after the first prompt, with no answer, marks the member
   stale (stale_since). Stale members are left out of opportunity rankings
   by default: registry.selectors.freshness.members_fresh(queryset) is the
   filter, and `stale_since` null means fresh.

Answering "still current" or saving the profile clears all three
(freshness_answered_values). Each step records itself with a conditional
UPDATE before its e-mail is queued, so a second run (or two at once) never
sends the same prompt twice. Only confirmed members (submitted, verified)
are asked.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.mail import member_email_send_after_commit, member_greeting_name
from registry.models import CONFIRMED_STATUSES, Member
from registry.tokens import STILL_CURRENT, UPDATE, LinkInvalid, link_token_make, member_for_link

REMINDER_AFTER = timedelta(days=30)
STALE_AFTER = timedelta(days=60)


def freshness_answered_values(*, now: datetime) -> dict[str, Any]:
    """The field values that record a member's answer: fresh as of `now`."""
    return {
        "last_confirmed_at": now,
        "freshness_prompted_at": None,
        "freshness_reminded_at": None,
        "stale_since": None,
    }


@transaction.atomic
def member_confirm_still_current(*, token: str, now: datetime | None = None) -> Member:
    """Record that the member says the profile is still current; clears stale.

    Idempotent; changes neither the profile nor its last-change time, so the
    member's update and withdraw links keep working. Raises LinkInvalid for
    a tampered or expired link, or a member no longer confirmed.
    """
    member = member_for_link(token=token, kind=STILL_CURRENT, lock=True)
    if member is None or member.status not in CONFIRMED_STATUSES:
        raise LinkInvalid
    values = freshness_answered_values(now=now or timezone.now())
    Member.objects.filter(pk=member.pk).update(**values)
    for name, value in values.items():
        setattr(member, name, value)
    return member


def _due_first(now: datetime) -> QuerySet[Member]:
    cutoff = now - timedelta(days=settings.FRESHNESS_DAYS)
    return (
        Member.objects.filter(status__in=CONFIRMED_STATUSES, freshness_prompted_at__isnull=True)
        .alias(confirmed=Coalesce("last_confirmed_at", "created_at"))
        .filter(confirmed__lt=cutoff)
    )


def _due_reminder(now: datetime) -> QuerySet[Member]:
    return Member.objects.filter(
        status__in=CONFIRMED_STATUSES,
        freshness_prompted_at__lt=now - REMINDER_AFTER,
        freshness_reminded_at__isnull=True,
        stale_since__isnull=True,
    )


def _due_stale(now: datetime) -> QuerySet[Member]:
    return Member.objects.filter(
        status__in=CONFIRMED_STATUSES,
        freshness_prompted_at__lt=now - STALE_AFTER,
        stale_since__isnull=True,
    )


def _prompt_each(
    due: QuerySet[Member], *, mark: str, now: datetime, send: Callable[[int], None]
) -> int:
    sent = 0
    for pk in list(due.order_by().values_list("pk", flat=True)):
        with transaction.atomic():
            # The conditional update is the claim: only one run wins it.
            if due.filter(pk=pk).update(**{mark: now}):
                transaction.on_commit(lambda pk=pk: send(pk))
                sent += 1
    return sent


def freshness_prompts_send(
    *, send: Callable[[int, bool], None], now: datetime | None = None
) -> dict[str, int]:
    """Send the prompts and reminders due at `now` and mark the stale; returns counts.

    `send(member_id, reminder)` queues one e-mail; it is called after the
    member's step is committed.
    """
    now = now or timezone.now()
    prompted = _prompt_each(
        _due_first(now), mark="freshness_prompted_at", now=now, send=lambda pk: send(pk, False)
    )
    reminded = _prompt_each(
        _due_reminder(now), mark="freshness_reminded_at", now=now, send=lambda pk: send(pk, True)
    )
    marked_stale = _due_stale(now).update(stale_since=now)
    return {"prompted": prompted, "reminded": reminded, "marked_stale": marked_stale}


def member_freshness_prompt_email(
    *, member_id: int, reminder: bool, absolute_url: Callable[[str], str]
) -> bool:
    """E-mail the member the "still current?" prompt; returns whether it was sent.

    Nothing is sent when the member answered or left in the meantime.
    """
    member = Member.objects.filter(
        pk=member_id, status__in=CONFIRMED_STATUSES, freshness_prompted_at__isnull=False
    ).first()
    if member is None:
        return False
    still_current = link_token_make(member=member, kind=STILL_CURRENT)
    update = link_token_make(member=member, kind=UPDATE)
    subject = (
        _("Reminder: is your DORIN profile still current?")
        if reminder
        else _("Is your DORIN profile still current?")
    )
    member_email_send_after_commit(
        to=member.email,
        language=member.language,
        subject=subject,
        template="freshness_prompt",
        context={
            "name": member_greeting_name(member=member),
            "reminder": reminder,
            "still_current_url": absolute_url(
                reverse("registry:still_current", args=[still_current])
            ),
            "update_url": absolute_url(reverse("registry:profile_edit", args=[update])),
            "profile_url": absolute_url(reverse("registry:profile")),
            "still_current_days": STILL_CURRENT.max_age.days,
            "hours": int(UPDATE.max_age.total_seconds() // 3600),
        },
    )
    return True
