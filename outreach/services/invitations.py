"""Invitations: create them for shortlisted members and queue their e-mails.

The request only writes the invitations and queues one task; the task fans
the sending out in chunks (outreach.tasks), so inviting ten thousand members
answers as fast as inviting three. The posted ids are checked in one query
and the invitations written by registry.db.bulk_insert (COPY on PostgreSQL),
with no model instance per invitation.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from outreach.models import Invitation, Opportunity
from outreach.selectors.matching import members_eligible
from outreach.tokens import invitation_key_new
from registry.db import bulk_insert


class InvitationRefused(Exception):
    """The opportunity is not open: nobody can be invited to it."""


def _ids(values: Iterable) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**63:
            ids.append(number)
    return sorted(set(ids))


def _invitations_insert(*, opportunity: Opportunity, user, member_ids: list[int]) -> None:
    # Every column as a new Invitation would store it (defaults, the time
    # of creation), the member and a fresh random key varying per row.
    template = Invitation(opportunity=opportunity, invited_by=user)
    fields = [f for f in Invitation._meta.concrete_fields if not f.primary_key]
    values = [f.pre_save(template, add=True) for f in fields]
    names = [f.name for f in fields]
    member_at, key_at = names.index("member"), names.index("key")

    def rows():
        for member_id in member_ids:
            row = list(values)
            row[member_at] = member_id
            row[key_at] = invitation_key_new()
            yield row

    bulk_insert(model=Invitation, fields=names, rows=rows(), batch_size=len(member_ids))


def _enqueue_dispatch(*, opportunity_id: int, base_url: str, reminder: bool = False) -> None:
    from outreach.tasks import invitations_dispatch

    invitations_dispatch.enqueue(
        opportunity_id=opportunity_id, base_url=base_url, reminder=reminder
    )


@transaction.atomic
def invitations_create(
    *, user, opportunity: Opportunity, member_ids: Iterable, base_url: str
) -> int:
    """Invite the members among `member_ids` that `user` may invite; returns how many.

    Ids of members out of the user's scope, not verified, not consenting to
    contact, opted out or already invited are skipped, whoever posted them.
    The opportunity's row is locked, so two submissions of the same form
    run one after the other and the second finds the first's invitations;
    the database's unique constraint stands behind that (an invitation
    written some other way meanwhile fails the whole request).
    """
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise InvitationRefused
    wanted = _ids(member_ids)
    if not wanted:
        return 0
    eligible = list(
        members_eligible(user=user, opportunity=opportunity, include_stale=True)
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if eligible:
        _invitations_insert(opportunity=opportunity, user=user, member_ids=eligible)
        transaction.on_commit(
            partial(_enqueue_dispatch, opportunity_id=opportunity.pk, base_url=base_url)
        )
    return len(eligible)


@transaction.atomic
def opportunity_remind(*, opportunity: Opportunity, base_url: str) -> bool:
    """Queue the one reminder to members who have not answered; False if already sent."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.reminder_sent_at or opportunity.status != Opportunity.Status.OPEN:
        return False
    opportunity.reminder_sent_at = timezone.now()
    opportunity.save(update_fields=["reminder_sent_at", "updated_at"])
    transaction.on_commit(
        partial(_enqueue_dispatch, opportunity_id=opportunity.pk, base_url=base_url, reminder=True)
    )
    return True


@transaction.atomic
def invitation_outcome_record(*, invitation: Invitation, outcome: str, notes: str) -> Invitation:
    """Record what came of an accepted invitation."""
    invitation.outcome = outcome
    invitation.outcome_notes = notes
    invitation.outcome_recorded_at = timezone.now()
    invitation.save(update_fields=["outcome", "outcome_notes", "outcome_recorded_at"])
    return invitation
