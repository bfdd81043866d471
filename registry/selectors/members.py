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
    if not (user.is_active and user.is_staff and user.has_perm("registry.view_member")):
        return Member.objects.none()
    return staff_scope(user).narrow(Member.objects.all())
