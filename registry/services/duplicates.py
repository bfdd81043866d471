"""Keeping the members' possible_duplicate flag, which the review queue narrows to.

A member may duplicate another when both have the same ORCID iD, or the same
folded name at the same folded organisation, and neither has withdrawn
(registry.selectors.review). The flag is set on both sides whenever a
member's name, organisation or ORCID iD is written (member_create,
member_update), and in one pass after a bulk load. It is never cleared on
another member's behalf, so it may outlive the duplicate; the review queue
checks every flagged member again, so its count stays exact.
"""

from django.db import transaction
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Concat

from registry.db import advisory_xact_lock
from registry.models import Member

# Keys of the transaction-level locks that serialise the check of one ORCID
# iD or one name at one organisation (PostgreSQL; elsewhere writers are
# serialised anyway).
_LOCK_PREFIX = "registry.duplicates:"


def duplicate_keys(member: Member) -> tuple[str, str, str]:
    """What a possible duplicate shares: the ORCID iD, the folded name and organisation."""
    return (member.orcid, member.name_key, member.organisation_key)


def _same_keys(member: Member) -> Q | None:
    condition = Q()
    if member.orcid:
        condition |= Q(orcid=member.orcid)
    if member.name_key and member.organisation_key:
        condition |= Q(name_key=member.name_key, organisation_key=member.organisation_key)
    return condition or None


def _others(member: Member, condition: Q) -> QuerySet[Member]:
    others = Member.objects.filter(condition).exclude(status=Member.Status.WITHDRAWN).order_by()
    return others.exclude(pk=member.pk) if member.pk is not None else others


def member_possible_duplicate_check(*, member: Member) -> bool:
    """Set `member.possible_duplicate` (not saved) from the members stored now.

    Call inside the transaction that saves the member, before the save; then
    member_possible_duplicates_mark() after it. On PostgreSQL a lock on the
    member's ORCID iD and name-at-organisation, held until the transaction
    ends, makes two members registering the same person at the same moment
    find each other: the second waits for the first to commit.
    """
    condition = _same_keys(member)
    if condition is None:
        member.possible_duplicate = False
        return False
    keys = []
    if member.orcid:
        keys.append(f"{_LOCK_PREFIX}orcid:{member.orcid}")
    if member.name_key and member.organisation_key:
        keys.append(f"{_LOCK_PREFIX}name:{member.name_key}\x1f{member.organisation_key}")
    advisory_xact_lock(keys)
    member.possible_duplicate = _others(member, condition).exists()
    return member.possible_duplicate


def member_possible_duplicates_mark(*, member: Member) -> int:
    """Flag the members that `member` (saved, and checked) may duplicate.

    Returns how many were newly flagged. Leaves their last-change time and
    history alone: the flag is derived data.
    """
    condition = _same_keys(member)
    if not member.possible_duplicate or condition is None:
        return 0
    return (
        _others(member, condition).filter(possible_duplicate=False).update(possible_duplicate=True)
    )


def _name_at_organisation() -> Concat:
    # One value for the pair: folded text holds no control character (the
    # fields' validators refuse them), so the separator cannot occur in it.
    return Concat("name_key", Value("\x1f"), "organisation_key", output_field=CharField())


@transaction.atomic
def member_possible_duplicates_mark_all() -> int:
    """Flag every member that has a possible duplicate now; returns how many were newly flagged.

    For rows written in bulk without the services (the demo seed, an
    import): two statements, each comparing with the ORCID iDs, or the names
    at organisations, that more than one member not withdrawn shares. The
    subqueries do not depend on the row, so PostgreSQL hashes them once and
    needs no index (the demo seed runs this while its indexes are dropped).
    """
    live = Member.objects.exclude(status=Member.Status.WITHDRAWN).order_by()
    unflagged = Member.objects.filter(possible_duplicate=False).order_by()
    shared_orcids = (
        live.exclude(orcid="").values("orcid").annotate(n=Count("pk")).filter(n__gt=1)
    ).values("orcid")
    shared_names = (
        live.exclude(name_key="")
        .exclude(organisation_key="")
        .annotate(key=_name_at_organisation())
        .values("key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    ).values("key")
    marked = unflagged.filter(orcid__in=shared_orcids).update(possible_duplicate=True)
    marked += (
        unflagged.exclude(name_key="")
        .exclude(organisation_key="")
        .annotate(key=_name_at_organisation())
        .filter(key__in=shared_names)
        .update(possible_duplicate=True)
    )
    return marked
