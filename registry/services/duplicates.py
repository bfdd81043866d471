"""Keeping the members' possible_duplicate flag exact, for the review queue.

A member may duplicate another when both have the same ORCID iD, or the same
folded name at the same folded organisation, and the other has not withdrawn
(registry.selectors.review). The flag says exactly that, for every member
not withdrawn: the services set it on both sides whenever a member's name,
organisation or ORCID iD is written (member_create, member_update), clear it
on the members left alone when a member's keys change or it withdraws
(member_update, member_erase), and one pass sets it after a bulk load. So
headquarters counts the suspected duplicates from the flag alone; a Mission
checks each flagged member again within its countries.
"""

from django.db import transaction
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Concat

from registry.db import advisory_xact_lock
from registry.models import Member
from registry.selectors.review import has_possible_duplicate

# Keys of the transaction-level locks that serialise the check of one ORCID
# iD or one name at one organisation (PostgreSQL; elsewhere writers are
# serialised anyway).
_LOCK_PREFIX = "registry.duplicates:"

# (ORCID iD, folded name, folded organisation)
DuplicateKeys = tuple[str, str, str]


def duplicate_keys(member: Member) -> DuplicateKeys:
    """What a possible duplicate shares: the ORCID iD, the folded name and organisation."""
    return (member.orcid, member.name_key, member.organisation_key)


def _sharing(keys: DuplicateKeys) -> Q | None:
    # The members with any of these keys; None when the keys match nobody.
    orcid, name_key, organisation_key = keys
    condition = Q()
    if orcid:
        condition |= Q(orcid=orcid)
    if name_key and organisation_key:
        condition |= Q(name_key=name_key, organisation_key=organisation_key)
    return condition or None


def _lock(*key_sets: DuplicateKeys) -> None:
    # Held until the transaction ends; advisory_xact_lock sorts the keys, so
    # two writers that lock overlapping keys never wait for each other in a circle.
    locks = []
    for orcid, name_key, organisation_key in key_sets:
        if orcid:
            locks.append(f"{_LOCK_PREFIX}orcid:{orcid}")
        if name_key and organisation_key:
            locks.append(f"{_LOCK_PREFIX}name:{name_key}\x1f{organisation_key}")
    advisory_xact_lock(locks)


def _others(member: Member, condition: Q) -> QuerySet[Member]:
    others = Member.objects.filter(condition).exclude(status=Member.Status.WITHDRAWN).order_by()
    return others.exclude(pk=member.pk) if member.pk is not None else others


def member_possible_duplicate_check(
    *, member: Member, previous: DuplicateKeys | None = None
) -> bool:
    """Set `member.possible_duplicate` (not saved) from the members stored now.

    Call inside the transaction that saves the member, before the save; then
    member_possible_duplicates_mark() after it, and, when the keys changed
    from `previous`, member_possible_duplicates_release(). On PostgreSQL a
    lock on the member's keys (and its previous ones), held until the
    transaction ends, makes two writers of the same keys at the same moment
    see each other: the second waits for the first to commit.
    """
    _lock(duplicate_keys(member), *([previous] if previous else []))
    condition = _sharing(duplicate_keys(member))
    member.possible_duplicate = condition is not None and _others(member, condition).exists()
    return member.possible_duplicate


def member_possible_duplicates_mark(*, member: Member) -> int:
    """Flag the members that `member` (saved, and checked) may duplicate.

    Returns how many were newly flagged. Leaves their last-change time and
    history alone: the flag is derived data.
    """
    condition = _sharing(duplicate_keys(member))
    if not member.possible_duplicate or condition is None:
        return 0
    return (
        _others(member, condition).filter(possible_duplicate=False).update(possible_duplicate=True)
    )


def member_possible_duplicates_release(*, keys: DuplicateKeys) -> int:
    """Clear the flag of the members that shared `keys` and now duplicate nobody.

    Call after a member that had these keys was saved with others, or
    withdrew, in the same transaction (its keys locked: see
    member_possible_duplicate_check, or lock them first). Returns how many
    were cleared.
    """
    condition = _sharing(keys)
    if condition is None:
        return 0
    everyone = Member.objects.all()
    return (
        Member.objects.filter(condition, possible_duplicate=True)
        .exclude(has_possible_duplicate(everyone))
        .update(possible_duplicate=False)
    )


def member_possible_duplicates_lock(*, member: Member) -> DuplicateKeys:
    """Lock the member's keys before a write that takes them away; returns them.

    For member_erase: after it saves the member, member_possible_duplicates_release().
    """
    keys = duplicate_keys(member)
    _lock(keys)
    return keys


def _name_at_organisation() -> Concat:
    # One value for the pair: folded text holds no control character (the
    # fields' validators refuse them), so the separator cannot occur in it.
    return Concat("name_key", Value("\x1f"), "organisation_key", output_field=CharField())


@transaction.atomic
def member_possible_duplicates_mark_all() -> tuple[int, int]:
    """Make every member's flag exact now; returns how many were (flagged, cleared).

    For rows written in bulk without the services (the demo seed, an
    import): each statement compares with the ORCID iDs, or the names at
    organisations, that more than one member not withdrawn shares. The
    subqueries do not depend on the row, so PostgreSQL hashes them once and
    needs no index (the demo seed runs this while its indexes are dropped).
    """
    live = Member.objects.exclude(status=Member.Status.WITHDRAWN).order_by()
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
    # The key "\x1f" (no name, no organisation) is never shared: the
    # subquery leaves such members out.
    shares = Q(orcid__in=shared_orcids) | Q(key__in=shared_names)
    members = Member.objects.order_by().annotate(key=_name_at_organisation())
    flagged = (
        members.filter(possible_duplicate=False)
        .filter(shares)
        .exclude(status=Member.Status.WITHDRAWN)
        .update(possible_duplicate=True)
    )
    cleared = (
        members.filter(possible_duplicate=True).exclude(shares).update(possible_duplicate=False)
    )
    return flagged, cleared
