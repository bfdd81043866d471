"""The staff home's figures: what waits for review and recent registrations."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from registry.models import Member
from registry.selectors.members import members_visible_to
from registry.selectors.review import REVIEW_QUEUES, review_queue_condition

# The "recent registrations" windows, in days.
RECENT_DAYS = (7, 30)
# Registered: the address is confirmed and the member has not withdrawn.
REGISTERED_STATUSES = [
    status
    for status in Member.Status.values
    if status not in (Member.Status.UNCONFIRMED, Member.Status.WITHDRAWN)
]


@dataclass(frozen=True)
class StaffHomeCounts:
    # Review queue key (registry.selectors.review.REVIEW_QUEUES) -> members waiting.
    review: dict[str, int]
    # Days -> members registered (e-mail confirmed, not withdrawn) in the last days.
    recent: dict[int, int]


def staff_home_counts(*, user, now: datetime | None = None) -> StaffHomeCounts:
    """The review queue counts and recent registrations among the members `user` may see.

    One query: a conditional aggregate over members_visible_to(user).
    Registrations count members created in the window whose address is
    confirmed and who have not withdrawn since.
    """
    now = now or timezone.now()
    visible = members_visible_to(user)
    registered = Q(status__in=REGISTERED_STATUSES)
    aggregates = {
        f"review_{queue}": Count("pk", filter=review_queue_condition(queue, visible=visible))
        for queue in REVIEW_QUEUES
    }
    aggregates |= {
        f"recent_{days}": Count(
            "pk", filter=registered & Q(created_at__gte=now - timedelta(days=days))
        )
        for days in RECENT_DAYS
    }
    # Only the members that can count are read: those waiting for review and
    # those registered in the longest window, both through the
    # (status, created_at) index, not the whole table.
    counted = Q(status=Member.Status.SUBMITTED) | (
        registered & Q(created_at__gte=now - timedelta(days=max(RECENT_DAYS)))
    )
    row = visible.filter(counted).order_by().aggregate(**aggregates)
    return StaffHomeCounts(
        review={queue: row[f"review_{queue}"] or 0 for queue in REVIEW_QUEUES},
        recent={days: row[f"recent_{days}"] or 0 for days in RECENT_DAYS},
    )
