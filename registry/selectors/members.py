"""Reads of members for staff pages."""

from django.db.models import QuerySet

from registry.models import Member


def members_visible_to(user) -> QuerySet[Member]:
    """Every member the staff user may see.

    Today every staff account with the view permission sees every member.
    Mission accounts limited to some countries will narrow this queryset, and
    every staff read starts here so that the rule holds everywhere.
    """
    if not (user.is_active and user.is_staff and user.has_perm("registry.view_member")):
        return Member.objects.none()
    return Member.objects.all()
