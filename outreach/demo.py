"""Demo opportunities for seed_demo: national institutes, invitations in every state.

Rows are written directly (no e-mail leaves): the demo shows what staff see
once invitations went out and members answered.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outreach.models import Invitation, Opportunity
from outreach.tokens import invitation_key_new
from registry.models import EngagementType, Member, Sdg, Subfield

_S = Invitation.Status

# Title, host, subfield codes, keywords, SDG numbers, status, days to reply.
OPPORTUNITIES = [
    (
        "Guest lectures in accelerator physics",
        "National Centre for Physics",
        ["1.3"],
        "accelerator physics, beam optics, particle detectors",
        [4, 9],
        Opportunity.Status.OPEN,
        20,
    ),
    (
        "PhD co-supervision in hydrology",
        "National Institute of Oceanography",
        ["1.5", "2.7"],
        "hydrology, groundwater, climate modelling",
        [6, 13],
        Opportunity.Status.OPEN,
        10,
    ),
    (
        "Policy advice on clean energy",
        "National Energy Research Institute",
        ["2.3", "5.2"],
        "renewable energy, energy policy",
        [7],
        Opportunity.Status.CLOSED,
        -5,
    ),
]
# States given in turn to the invited members of an open opportunity.
OPEN_STATES = [_S.QUEUED, _S.SENT, _S.FAILED, _S.ACCEPTED, _S.DECLINED, _S.OPTED_OUT, _S.SENT]
PER_OPPORTUNITY = 7


def _invitation(opportunity, member, state, now) -> Invitation:
    invitation = Invitation(
        opportunity=opportunity, member=member, status=state, key=invitation_key_new()
    )
    if state != _S.QUEUED:
        invitation.attempts = 1
    if state == _S.FAILED:
        invitation.failure_reason = "SMTPServerDisconnected: Connection unexpectedly closed"
        invitation.next_attempt_at = now + timedelta(minutes=5)
    elif state != _S.QUEUED:
        invitation.sent_at = now - timedelta(days=2)
    if state in (_S.ACCEPTED, _S.DECLINED, _S.OPTED_OUT):
        invitation.answered_at = now - timedelta(days=1)
    if state == _S.ACCEPTED:
        invitation.availability = "Two weeks in March, or online on Fridays"
        invitation.message = "Glad to help; I can bring lecture notes."
    if state == _S.DECLINED:
        invitation.decline_reason = "Teaching commitments this term."
    return invitation


@transaction.atomic
def demo_opportunities_seed() -> int:
    """Create the demo opportunities unless some exist; returns how many were created."""
    if Opportunity.objects.exists():
        return 0
    members = list(
        Member.objects.filter(status=Member.Status.VERIFIED, consent_contact=True).order_by("id")[
            : PER_OPPORTUNITY * len(OPPORTUNITIES)
        ]
    )
    if not members:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    engagement = list(EngagementType.objects.order_by("position")[:2])
    invitations = []
    for index, (title, host, codes, keywords, sdgs, status, days) in enumerate(OPPORTUNITIES):
        opportunity = Opportunity.objects.create(
            title=title,
            host_institution=host,
            description=f"{host} invites members of the diaspora: {keywords}.",
            keywords=keywords,
            mode=Opportunity.Mode.EITHER,
            starts_on=today + timedelta(days=days + 14),
            ends_on=today + timedelta(days=days + 60),
            reply_by=today + timedelta(days=days),
            places=3,
            status=status,
            closed_at=now if status == Opportunity.Status.CLOSED else None,
        )
        opportunity.subfields.set(Subfield.objects.filter(code__in=codes))
        opportunity.sdgs.set(Sdg.objects.filter(number__in=sdgs))
        opportunity.engagement_types.set(engagement)
        chosen = members[index * PER_OPPORTUNITY : (index + 1) * PER_OPPORTUNITY]
        for position, member in enumerate(chosen):
            state = OPEN_STATES[position % len(OPEN_STATES)]
            if status == Opportunity.Status.CLOSED and state in (_S.QUEUED, _S.FAILED):
                state = _S.CANCELLED
            invitations.append(_invitation(opportunity, member, state, now))
    Invitation.objects.bulk_create(invitations)
    opted_out = [i.member_id for i in invitations if i.status == _S.OPTED_OUT]
    Member.objects.filter(pk__in=opted_out).update(invitations_opted_out_at=now)
    accepted = [i for i in invitations if i.status == _S.ACCEPTED and i.opportunity.is_closed]
    for invitation in accepted:
        Invitation.objects.filter(pk=invitation.pk).update(
            outcome=Invitation.Outcome.TOOK_PLACE,
            outcome_notes="Three lectures given; the institute asks again next year.",
            outcome_recorded_at=now,
        )
    return len(OPPORTUNITIES)
