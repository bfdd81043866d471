"""Fresh and stale members (registry.services.freshness marks them).

`Member.stale_since` null means fresh. Opportunity rankings, and anything
else that puts members forward, start from members_fresh() by default.
"""

from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from registry.models import Member


class Freshness(TextChoices):
    FRESH = "fresh", _("Current (answered or not yet asked)")
    STALE = "stale", _("Stale (did not answer the yearly check)")


def members_fresh(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """The members of `queryset` who are not stale."""
    return queryset.filter(stale_since__isnull=True)


def members_stale(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """The members of `queryset` marked stale for answering no freshness prompt."""
    return queryset.filter(stale_since__isnull=False)


def members_with_freshness(queryset: QuerySet[Member], freshness: str) -> QuerySet[Member]:
    """Filter by a Freshness value; an empty value keeps every member."""
    if freshness == Freshness.FRESH:
        return members_fresh(queryset)
    if freshness == Freshness.STALE:
        return members_stale(queryset)
    return queryset
