"""Reads of members for staff pages."""

from django.db.models import QuerySet

from registry.models import Member
from registry.selectors.missions import staff_scope


def members_visible_to(user) -> QuerySet[Member]:
    """Every member the staff user may see: the one gate of every staff read.

    Staff with the view permission see every member at headquarters, and the
    members residing in the countries their Mission covers otherwise (nobody
    when the Mission is inactive or covers no country). Anything else sees
    nobody. A member outside this queryset is, to that user, a member that
    does not exist.
    """
    return rows_visible_to(user, Member.objects.all())


def rows_visible_to(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """The rows of `queryset` that `user` may see, by the country of residence at `prefix`.

    The gate of members_visible_to() for rows that are not members but carry
    a member's country: a related row (`prefix` "member__"), or a count by
    country such as the dashboard's summary (registry.models.DashboardCount).
    """
    if not (user.is_active and user.is_staff and user.has_perm("registry.view_member")):
        return queryset.none()
    return staff_scope(user).narrow(queryset, prefix)
