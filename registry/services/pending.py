"""Survey submissions for addresses whose entry is not confirmed yet.

Until someone opens a confirmation link, nobody has proved that an address
is theirs, so a submission never overwrites another one: each is stored as a
PendingRegistration with its own answers and the key of its own link. The
link's submission is the one that counts (registry.services.registration);
the others for the address go then, and every one when its link expires.
"""

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from registry.models import PendingRegistration
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.tokens import CONFIRM


@transaction.atomic
def pending_registration_create(
    *, submission: str, email: str, answers: dict[str, Any], now: datetime
) -> PendingRegistration | None:
    """Store one submission's answers with a new link key.

    `answers` are JSON values (registry.survey.survey_answers_to_json).
    Returns None when this submission is stored already: the task that
    stores it ran before, and its e-mail went out then.
    """
    pending, created = PendingRegistration.objects.get_or_create(
        pk=submission,
        defaults={
            "email": email,
            "answers": answers,
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
            "key": secrets.token_urlsafe(32),
            "created_at": now,
        },
    )
    return pending if created else None


def pending_registrations_discard(*, email: str) -> None:
    """Delete every submission waiting for the address (it is confirmed or erased)."""
    PendingRegistration.objects.filter(email=email).delete()


def pending_registrations_purge(*, now: datetime) -> None:
    """Delete the submissions whose confirmation link has expired."""
    PendingRegistration.objects.filter(created_at__lt=now - CONFIRM.max_age).delete()


def submission_task_results_erase(*, email: str) -> None:
    """Delete the finished task results that were given the address.

    The database task backend keeps each task's arguments (survey answers,
    an address asking for a link) until `prune_db_task_results` runs; an
    erasure must not wait for that. A queued task is left to run: it finds
    nothing to act on, or registers the address anew as asked.
    """
    finished = DBTaskResult.objects.finished()
    finished.filter(args_kwargs__kwargs__answers__email=email).delete()
    finished.filter(args_kwargs__kwargs__email=email).delete()
