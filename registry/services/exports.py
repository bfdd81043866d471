"""The export log: every CSV export of members is recorded, whatever its entry point."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from registry.models import ExportLog
from registry.selectors.missions import staff_scope


def export_log_start(*, user, entry_point: str, filters: dict[str, Any]) -> ExportLog:
    """Record that `user` (None for an unattended command) starts an export.

    Written before the first row leaves, so an export that never finishes is
    on record too (with no finish time). The user's Mission is recorded with
    it (none for headquarters and unattended commands).
    """
    if user is not None and not user.is_authenticated:
        user = None
    mission_id = staff_scope(user).mission_id if user is not None else None
    return ExportLog.objects.create(
        user=user, entry_point=entry_point, filters=filters, mission_id=mission_id
    )


def export_log_finish(
    *, log: ExportLog, row_count: int, completed: bool = True, now: datetime | None = None
) -> ExportLog:
    """Record how many rows an export produced and, if it completed, when.

    An export cut short (the client went away) keeps the rows sent so far and
    no finish time.
    """
    log.row_count = row_count
    log.finished_at = (now or timezone.now()) if completed else None
    ExportLog.objects.filter(pk=log.pk).update(row_count=log.row_count, finished_at=log.finished_at)
    return log
