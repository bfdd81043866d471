"""The staff home's figures: what waits for review and recent registrations."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from registry.models import Member
from registry.selectors.members import members_visible_to
from registry.selectors.review import (
    QUEUE_DUPLICATES,
    QUEUE_EDITED,
    QUEUE_NEW,
    REVIEW_QUEUES,
    review_queue_condition,
)

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

    Three queries over members_visible_to(user), each read from an index
    alone where PostgreSQL can: the new and edited queues from the
    submitted members' (country, reviewed_at) index, the suspected
    duplicates from the flagged members' index (a Mission checks each
    again within its countries, see registry.selectors.review), and the
    registrations, members created in the window whose address is confirmed
    and who have not withdrawn since, from the (status, created_at) index.
    """
    now = now or timezone.now()
    visible = members_visible_to(user).order_by()
    waiting = visible.filter(status=Member.Status.SUBMITTED)
    # The new and edited queues (review_queue_condition) split the submitted
    # members by whether they were ever reviewed: COUNT(reviewed_at) counts
    # the reviewed ones. Only the columns of member_review_queue_idx are
    # read, so PostgreSQL reads that index, not the table.
    split = waiting.aggregate(total=Count("*"), reviewed=Count("reviewed_at"))
    review = {
        QUEUE_NEW: split["total"] - split["reviewed"],
        QUEUE_EDITED: split["reviewed"],
    }
    review[QUEUE_DUPLICATES] = waiting.filter(
        review_queue_condition(QUEUE_DUPLICATES, user=user)
    ).count()
    recent = visible.filter(
        status__in=REGISTERED_STATUSES,
        created_at__gte=now - timedelta(days=max(RECENT_DAYS)),
    ).aggregate(
        # The (status, created_at) index holds every column read.
        **{
            f"recent_{days}": Count(
                "created_at", filter=Q(created_at__gte=now - timedelta(days=days))
            )
            for days in RECENT_DAYS
        }
    )
    return StaffHomeCounts(
        review={queue: review[queue] or 0 for queue in REVIEW_QUEUES},
        recent={days: recent[f"recent_{days}"] or 0 for days in RECENT_DAYS},
    )
