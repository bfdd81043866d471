"""Reads for the focal point's review: possible duplicates of a member."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry.models import Member

MAX_POSSIBLE_DUPLICATES = 20


@dataclass(frozen=True)
class PossibleDuplicate:
    member: Member
    reasons: list[str]


def members_possibly_duplicating(
    *, member: Member, queryset: QuerySet[Member], limit: int = MAX_POSSIBLE_DUPLICATES
) -> list[PossibleDuplicate]:
    """Other members with the same ORCID iD, or the same name at the same organisation.

    Names and organisations are compared in their folded form (case and
    accents ignored), through indexes. `queryset` is what the staff user may
    see (members_visible_to). Withdrawn tombstones are left out. Nothing is
    merged: the focal point decides.
    """
    same_orcid = Q(orcid=member.orcid) if member.orcid else Q()
    same_name = (
        Q(name_key=member.name_key, organisation_key=member.organisation_key)
        if member.name_key and member.organisation_key
        else Q()
    )
    condition = same_orcid | same_name
    if not condition:
        return []
    candidates = (
        queryset.filter(condition)
        .exclude(pk=member.pk)
        .exclude(status=Member.Status.WITHDRAWN)
        .select_related("primary_subfield")
        .order_by("created_at", "pk")[:limit]
    )
    found = []
    for other in candidates:
        reasons = []
        if member.orcid and other.orcid == member.orcid:
            reasons.append(_("same ORCID iD"))
        if member.name_key and (other.name_key, other.organisation_key) == (
            member.name_key,
            member.organisation_key,
        ):
            reasons.append(_("same name at the same organisation"))
        found.append(PossibleDuplicate(member=other, reasons=reasons))
    return found
