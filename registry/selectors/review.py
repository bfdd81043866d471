"""Reads for the focal point's review: the review queues, possible duplicates of a member."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry.models import Member
from registry.selectors.members import members_visible_to
from registry.selectors.missions import staff_scope

MAX_POSSIBLE_DUPLICATES = 20

# The review queues: what waits for the focal point. Keys are the admin member
# list's `review` filter values (registry.admin.filters.ReviewQueueFilter).
QUEUE_NEW = "new"
QUEUE_EDITED = "edited"
QUEUE_DUPLICATES = "duplicates"
REVIEW_QUEUES = {
    QUEUE_NEW: _("New submissions"),
    QUEUE_EDITED: _("Verified profiles edited since review"),
    QUEUE_DUPLICATES: _("Suspected duplicates"),
}


def has_possible_duplicate(visible: QuerySet[Member]) -> Q:
    """Members with a possible duplicate among `visible`, as a filter.

    The condition of members_possibly_duplicating(), as subqueries: another
    visible, not withdrawn member with the same ORCID iD, or the same folded
    name at the same folded organisation. Two subqueries rather than one
    with an OR, so that each is an index lookup (member_orcid_idx,
    member_name_org_key_idx) for every member it is asked about.
    """
    others = visible.order_by().exclude(pk=OuterRef("pk")).exclude(status=Member.Status.WITHDRAWN)
    same_orcid = others.filter(orcid=OuterRef("orcid")).exclude(orcid="")
    same_name = (
        others.filter(name_key=OuterRef("name_key"), organisation_key=OuterRef("organisation_key"))
        .exclude(name_key="")
        .exclude(organisation_key="")
    )
    return (~Q(orcid="") & Q(Exists(same_orcid))) | (
        ~Q(name_key="") & ~Q(organisation_key="") & Q(Exists(same_name))
    )


def review_queue_condition(queue: str, *, user) -> Q:
    """The condition for members waiting in one review queue (a key of REVIEW_QUEUES).

    For a queryset of members_visible_to(user). Every queue holds submitted
    members: *new* ones were never reviewed; *edited* ones were reviewed
    before (a verified profile that its member changed goes back to
    submitted); *duplicates* have a possible duplicate among the members
    `user` may see.
    """
    waiting = Q(status=Member.Status.SUBMITTED)
    if queue == QUEUE_NEW:
        return waiting & Q(reviewed_at__isnull=True)
    if queue == QUEUE_EDITED:
        return waiting & Q(reviewed_at__isnull=False)
    if queue == QUEUE_DUPLICATES:
        # The flag (registry.services.duplicates) says whether a member has
        # a possible duplicate anywhere, which is the answer at headquarters.
        # A Mission checks the few flagged members again, for a duplicate
        # within its countries.
        flagged = waiting & Q(possible_duplicate=True)
        if staff_scope(user).is_headquarters:
            return flagged
        return flagged & has_possible_duplicate(members_visible_to(user))
    raise ValueError(f"Unknown review queue {queue!r}")


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
